/**
 * The rows AQL returns on data committed through the API (an empty database of its own,
 * so that population queries see only this data). Compositions are the project's vital
 * signs template with the readings below.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';
import { BP, DIASTOLIC, SYSTOLIC, loadVitalSigns, patientWith, vitalSigns } from './testing/vital-signs.js';

describe('AQL: rows on committed data', () => {
  let cdr: TestCdr;
  let a: { ehrId: string; uids: string[] };
  let b: { ehrId: string; uids: string[] };
  let hidden: { ehrId: string; uids: string[] };

  before(async () => {
    cdr = await startTestCdr({ isolated: true });
    await loadVitalSigns(cdr.app);
    a = await patientWith(cdr.app, [
      { time: '2024-03-01T10:00:00+01:00', systolic: 150, diastolic: 95, position: 'Sitting' },
      { time: '2024-03-05T09:00:00Z', systolic: 128, diastolic: 82 },
      { time: '2024-03-09T12:00:00-05:00', systolic: 141, diastolic: 90, position: 'Sitting' },
    ]);
    b = await patientWith(cdr.app, [
      { time: '2024-03-02T08:00:00+02:00', systolic: 160, diastolic: 100 },
      { time: '2024-03-03T08:00:00Z', systolic: 118, diastolic: 76 },
    ]);
    hidden = await patientWith(cdr.app, [{ time: '2024-03-04T10:00:00Z', systolic: 170, diastolic: 105 }], { queryable: false });
  });
  after(async () => cdr.close());

  async function rows(q: string, extra: Record<string, unknown> = {}): Promise<unknown[][]> {
    const res = await request(cdr.app).post('/openehr/v1/query/aql').send({ q, ...extra });
    assertConforms(res, 'POST /query/aql');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.rows as unknown[][];
  }

  const FROM = `FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}]`;

  it('answers one EHR: its readings, latest first', async () => {
    const q = `SELECT c/context/start_time/value, ${SYSTOLIC}, ${DIASTOLIC} FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] ORDER BY c/context/start_time DESC LIMIT 2`;
    assert.deepEqual(await rows(q, { query_parameters: { ehr: a.ehrId } }), [
      ['2024-03-09T12:00:00-05:00', 141, 90],
      ['2024-03-05T09:00:00Z', 128, 82],
    ]);
  });

  it('counts a magnitude filter over the population and leaves out EHRs that are not queryable', async () => {
    assert.deepEqual(await rows(`SELECT COUNT(*) ${FROM} WHERE ${SYSTOLIC} >= 140`), [[3]]);
    assert.deepEqual(await rows(`SELECT COUNT(DISTINCT e/ehr_id/value) AS patients ${FROM}`), [[2]]);
  });

  it('still shows an EHR that is not queryable to a query that names it', async () => {
    assert.deepEqual(await rows(`SELECT ${SYSTOLIC} ${FROM}`, { ehr_id: hidden.ehrId }), [[170]]);
    assert.deepEqual(await rows(`SELECT ${SYSTOLIC} FROM EHR e[ehr_id/value = '${hidden.ehrId}'] CONTAINS OBSERVATION o[${BP}]`), [[170]]);
    assert.deepEqual(await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE e/ehr_id/value = '${hidden.ehrId}'`), [[170]]);
  });

  it('answers the same query for one patient after another with each patient\'s own rows, however the patient is named', async () => {
    const readings = new Map([
      [a.ehrId, [128, 141, 150]],
      [b.ehrId, [118, 160]],
      [hidden.ehrId, [170]],
    ]);
    const forms: [string, (ehrId: string) => Record<string, unknown>][] = [
      [`SELECT ${SYSTOLIC} AS s FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] ORDER BY s`, (ehr) => ({ query_parameters: { ehr } })],
      [`SELECT ${SYSTOLIC} AS s ${FROM} WHERE e/ehr_id/value = $ehr ORDER BY s`, (ehr) => ({ query_parameters: { ehr } })],
      [`SELECT ${SYSTOLIC} AS s ${FROM} WHERE e/ehr_id/value MATCHES {$ehr} ORDER BY s`, (ehr) => ({ query_parameters: { ehr } })],
      [`SELECT ${SYSTOLIC} AS s ${FROM} ORDER BY s`, (ehr) => ({ ehr_id: ehr })],
    ];
    for (const [q, named] of forms) {
      for (const ehrId of [a.ehrId, b.ehrId, hidden.ehrId, a.ehrId, hidden.ehrId, b.ehrId]) {
        assert.deepEqual((await rows(q, named(ehrId))).flat(), readings.get(ehrId), `${q} for ${ehrId}`);
      }
      assert.deepEqual((await rows(q, named(b.ehrId.toUpperCase()))).flat(), readings.get(b.ehrId), `${q} with the id in upper case`);
    }
  });

  it('orders the population by a magnitude, with LIMIT and OFFSET', async () => {
    const q = `SELECT e/ehr_id/value, ${SYSTOLIC} AS systolic ${FROM} WHERE ${SYSTOLIC} >= 120 ORDER BY systolic DESC LIMIT 2 OFFSET 1`;
    assert.deepEqual(await rows(q), [
      [a.ehrId, 150],
      [a.ehrId, 141],
    ]);
  });

  it('compares a DV_QUANTITY by magnitude and a DV_DATE_TIME as an instant', async () => {
    const byQuantity = await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value > 140 ORDER BY ${SYSTOLIC}`);
    assert.deepEqual(byQuantity, [[141], [150], [160]]);
    // 2024-03-02T08:00+02:00 is 06:00Z, before 06:30Z; 2024-03-01T10:00+01:00 is earlier still
    const byInstant = await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE c/context/start_time > '2024-03-02T07:30:00+01:00' ORDER BY ${SYSTOLIC}`);
    assert.deepEqual(byInstant, [[118], [128], [141]]);
  });

  it('aggregates: MIN, MAX, AVG and SUM of magnitudes, MAX of a whole DV_QUANTITY', async () => {
    const [row] = await rows(`SELECT MIN(${SYSTOLIC}), MAX(${SYSTOLIC}), AVG(${DIASTOLIC}), SUM(${DIASTOLIC}) ${FROM}`);
    assert.deepEqual(row?.slice(0, 2), [118, 160]);
    assert.equal(Number(row?.[2]), (95 + 82 + 90 + 100 + 76) / 5);
    assert.equal(row?.[3], 95 + 82 + 90 + 100 + 76);
    const [max] = await rows(`SELECT MAX(o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value) ${FROM}`);
    assert.equal((max?.[0] as { magnitude: number; _type: string }).magnitude, 160);
    assert.equal((max?.[0] as { _type: string })._type, 'DV_QUANTITY');
  });

  it('filters with MATCHES, LIKE, NOT, OR and EXISTS', async () => {
    const position = 'o/data[at0001]/events[at0006]/state[at0007]/items[at0008]/value/value';
    assert.deepEqual(await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE ${position} MATCHES {'Sitting', 'Lying'} ORDER BY ${SYSTOLIC}`), [[141], [150]]);
    assert.deepEqual((await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE ${position} LIKE 'Stand*'`)).length, 3);
    assert.deepEqual(
      await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE NOT (${SYSTOLIC} < 150 OR ${position} = 'Sitting') ORDER BY ${SYSTOLIC}`),
      [[160]],
    );
    assert.deepEqual((await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE EXISTS o/data[at0001]/events[at0006]/state[at0007]`)).length, 5);
    assert.deepEqual(await rows(`SELECT ${SYSTOLIC} ${FROM} WHERE NOT EXISTS o/data[at0001]/events[at0006]/state[at0007]`), []);
  });

  it('returns whole objects as canonical JSON and EHR attributes', async () => {
    const [[observation, startTime]] = (await rows(`SELECT o, c/context/start_time FROM EHR e[ehr_id/value = '${b.ehrId}'] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] ORDER BY ${SYSTOLIC} DESC LIMIT 1`)) as [
      [Record<string, unknown>, Record<string, unknown>],
    ];
    assert.equal(observation._type, 'OBSERVATION');
    assert.equal(observation.archetype_node_id, BP);
    assert.deepEqual(startTime, { _type: 'DV_DATE_TIME', value: '2024-03-02T08:00:00+02:00' });
    const ehr = await request(cdr.app).get(`/openehr/v1/ehr/${b.ehrId}`);
    assert.deepEqual(await rows(`SELECT e/ehr_id/value, e/time_created/value, e/ehr_status/is_queryable FROM EHR e WHERE e/ehr_id/value = '${b.ehrId}'`), [
      [b.ehrId, ehr.body.time_created.value, true],
    ]);
  });

  it('selects DISTINCT values and orders by a path it does not select', async () => {
    const position = 'o/data[at0001]/events[at0006]/state[at0007]/items[at0008]/value/value';
    assert.deepEqual(await rows(`SELECT DISTINCT ${position} ${FROM} ORDER BY ${position}`), [['Sitting'], ['Standing']]);
    assert.deepEqual(await rows(`SELECT ${DIASTOLIC} ${FROM} ORDER BY ${SYSTOLIC} DESC LIMIT 2`), [[100], [95]]);
  });

  it('computes the functions of AQL 1.1', async () => {
    const from = `FROM EHR e[ehr_id/value = '${b.ehrId}'] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] ORDER BY ${SYSTOLIC} LIMIT 1`;
    const [[name]] = (await rows(`SELECT c/name/value ${from}`)) as [[string]];
    const [row] = await rows(`SELECT LENGTH(c/name/value), CONCAT(c/name/value, '!'), SUBSTRING(c/name/value, 1, 3), ROUND(${SYSTOLIC}, -1), ABS(-2), MOD(7, 3) ${from}`);
    assert.deepEqual(row, [name.length, `${name}!`, name.slice(0, 3), 120, 2, 1]);
  });

  it('reads every version with ALL_VERSIONS, the latest by default', async () => {
    const [uid] = a.uids as [string];
    const updated = await request(cdr.app)
      .put(`/openehr/v1/ehr/${a.ehrId}/composition/${uid.split('::')[0]}`)
      .set('If-Match', `"${uid}"`)
      .set('Prefer', 'return=representation')
      .send(vitalSigns({ time: '2024-03-01T10:00:00+01:00', systolic: 152, diastolic: 96, position: 'Sitting' }));
    assert.equal(updated.status, 200);
    const objectId = uid.split('::')[0];
    const all = await rows(
      `SELECT v/uid/value, ${SYSTOLIC} FROM EHR e[ehr_id/value = '${a.ehrId}'] CONTAINS VERSION v[ALL_VERSIONS] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] WHERE c/uid/value = '${objectId}' ORDER BY v/uid/value`,
    );
    assert.deepEqual(all, [
      [uid, 150],
      [updated.body.uid.value, 152],
    ]);
    const latest = await rows(`SELECT v/uid/value, ${SYSTOLIC} FROM EHR e[ehr_id/value = '${a.ehrId}'] CONTAINS VERSION v CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] WHERE c/uid/value = '${objectId}'`);
    assert.deepEqual(latest, [[updated.body.uid.value, 152]]);
  });

  it('finds the compositions a folder lists, in its sub-folders too', async () => {
    const [first, second] = b.uids.map((u) => u.split('::')[0]) as [string, string];
    const ref = (id: string) => ({ _type: 'OBJECT_REF', id: { _type: 'HIER_OBJECT_ID', value: id }, namespace: 'local', type: 'VERSIONED_COMPOSITION' });
    const directory = {
      _type: 'FOLDER',
      name: { _type: 'DV_TEXT', value: 'root' },
      archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1',
      items: [ref(first)],
      folders: [{ _type: 'FOLDER', name: { _type: 'DV_TEXT', value: 'episode' }, archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1', items: [ref(second)] }],
    };
    const created = await request(cdr.app).post(`/openehr/v1/ehr/${b.ehrId}/directory`).send(directory);
    assert.equal(created.status, 201);
    const q = `SELECT f/name/value, ${SYSTOLIC} FROM EHR e CONTAINS FOLDER f CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] ORDER BY f/name/value, ${SYSTOLIC}`;
    assert.deepEqual(await rows(q), [
      ['episode', 118],
      ['root', 118],
      ['root', 160],
    ]);
  });
});
