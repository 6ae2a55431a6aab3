import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parseOpt, exampleComposition } from '@cdr/template';
import { silentLogger } from '../logger.js';
import { loadDefaultTemplates } from '../default-templates.js';
import { TemplateService } from '../services/template-service.js';
import { TEST_SYSTEM_ID, startTestCdr, type TestCdr } from '../testing/test-app.js';
import { ownTemplate } from '../testing/own-templates.js';
import { importFile, type Rejection } from './importer.js';

type Json = Record<string, unknown>;

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';
const C = 'c0000000-0000-4000-8000-000000000003';
const UNKNOWN = 'd0000000-0000-4000-8000-000000000004';
const X = 'e0000000-0000-4000-8000-000000000005';
const Y = 'f0000000-0000-4000-8000-000000000006';
const Z = '10000000-0000-4000-8000-000000000007';
const W = '20000000-0000-4000-8000-000000000008';

function status(subject: string, modifiable = true): Json {
  return {
    _type: 'EHR_STATUS',
    name: { _type: 'DV_TEXT', value: 'EHR Status' },
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    subject: {
      _type: 'PARTY_SELF',
      external_ref: { _type: 'PARTY_REF', id: { _type: 'GENERIC_ID', value: subject, scheme: 'mrn' }, namespace: 'import-test', type: 'PERSON' },
    },
    is_queryable: true,
    is_modifiable: modifiable,
  };
}

const vitals = exampleComposition(parseOpt(ownTemplate('cdr.vital_signs.v1'))) as Json;

/** The template's example vital signs with a uid and a systolic pressure. */
function composition(objectId: string, version: number, systolic: number): Json {
  const copy = JSON.parse(JSON.stringify(vitals)) as Json;
  copy.uid = { _type: 'OBJECT_VERSION_ID', value: `${objectId}::elsewhere::${version}` };
  const text = JSON.stringify(copy).replace(/"name":\{"_type":"DV_TEXT","value":"Systolic"\},"archetype_node_id":"at0004","value":\{"_type":"DV_QUANTITY","magnitude":\d+/, (m) => m.replace(/\d+$/, String(systolic)));
  return JSON.parse(text) as Json;
}

const line = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

describe('bulk import (importFile)', function () {
  let cdr: TestCdr;
  let dir: string;
  let file: string;
  let rejected: Rejection[];

  const counts = async () =>
    (
      await cdr.db.query<Json>(`select (select count(*) from ehr) ehrs, (select count(*) from contribution) contributions,
        (select count(*) from versioned_object) objects, (select count(*) from object_version) versions, (select count(*) from aql_node) nodes`)
    ).rows[0];

  const run = () =>
    importFile({ db: cdr.db, templates: cdr.templates, file, systemId: TEST_SYSTEM_ID, batchLines: 3, workers: 0, onRejected: (r) => rejected.push(r) });

  before(async function () {
    cdr = await startTestCdr({ isolated: true });
    await loadDefaultTemplates(new TemplateService(cdr.templates), silentLogger());
    dir = await mkdtemp(join(tmpdir(), 'cdr-import-'));
    file = join(dir, 'records.ndjson');
    const lines = [
      { type: 'ehr', ehr_id: A, ehr_status: status('P1') },
      { type: 'composition', ehr_id: A, composition: composition(X, 1, 120) },
      { type: 'composition', ehr_id: A, composition: composition(X, 2, 135) },
      { type: 'composition', ehr_id: UNKNOWN, composition: composition(Y, 1, 120) },
      { type: 'composition', ehr_id: A, composition: composition(Y, 1, 2000) },
      { type: 'ehr', ehr_id: B, ehr_status: status('P2', false) },
      { type: 'composition', ehr_id: B, composition: composition(Z, 1, 120) },
      { type: 'composition', ehr_id: A, composition: composition(W, 3, 120) },
      '{"type": "composition", "ehr_id": ',
      { type: 'ehr', ehr_id: C, ehr_status: status('P1') },
      '',
    ];
    await writeFile(file, `${lines.map(line).join('\n')}\n`);
  });

  after(async function () {
    await cdr?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes what a commit would write and rejects what a commit would reject, line by line', async function () {
    rejected = [];
    const summary = await run();
    assert.equal(summary.completed, true);
    assert.deepEqual(summary.counts, { ehrsCreated: 2, compositionsCreated: 2, existing: 0, rejected: 6 });
    assert.deepEqual(
      rejected.map((r) => [r.line, r.status]),
      [
        [4, 404], // no such EHR
        [5, 422], // 2000 mm[Hg] breaks the template
        [7, 409], // the EHR is not modifiable
        [8, 409], // version 3 without versions 1 and 2
        [9, 400], // not JSON
        [10, 409], // the subject has an EHR already
      ],
    );
    assert.ok(rejected.find((r) => r.line === 5)?.issues.some((i) => i.path.endsWith('/items[at0004]/value/magnitude')));

    // version 2 is the latest, both are kept, only version 2 is indexed
    const latest = await cdr.store.getLatestVersion(A, X);
    assert.equal(latest?.uid, `${X}::${TEST_SYSTEM_ID}::2`);
    assert.equal((await cdr.store.listVersions(A, X)).length, 2);
    const indexed = await cdr.db.query<{ version: number }>('select distinct version from aql_node where ehr_id = $1 and vo_id = $2', [A, X]);
    assert.deepEqual(indexed.rows, [{ version: 2 }]);

    // readable through the API, found by AQL with the imported value
    const read = await request(cdr.app).get(`/openehr/v1/ehr/${A}/composition/${X}::${TEST_SYSTEM_ID}::2`).expect(200);
    assert.equal((read.body as Json).archetype_node_id, 'openEHR-EHR-COMPOSITION.encounter.v1');
    const aql = await request(cdr.app)
      .post('/openehr/v1/query/aql')
      .send({
        q: `SELECT c/uid/value, o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude
            FROM EHR e[ehr_id/value = '${A}'] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]`,
      })
      .expect(200);
    assert.deepEqual((aql.body as { rows: unknown[][] }).rows, [[`${X}::${TEST_SYSTEM_ID}::2`, 135]]);
    const bySubject = await request(cdr.app).get('/openehr/v1/ehr?subject_id=P1&subject_namespace=import-test').expect(200);
    assert.equal((bySubject.body as { ehr_id: { value: string } }).ehr_id.value, A);

    // the import is on the audit trail
    const audit = await cdr.db.query<{ action: string; ehr_ids: string[]; resources: string[] }>("select action, ehr_ids, resources from audit_event where method = 'IMPORT'");
    assert.ok(audit.rows.some((r) => r.ehr_ids.includes(A) && r.resources.includes(`${X}::${TEST_SYSTEM_ID}::2`)));
  });

  it('changes nothing when the same file is imported again', async function () {
    const before = await counts();
    rejected = [];
    const summary = await run();
    assert.equal(summary.counts.ehrsCreated + summary.counts.compositionsCreated, 0);
    assert.equal(summary.counts.existing, 4);
    assert.deepEqual(await counts(), before);
  });
});
