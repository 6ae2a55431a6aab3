/**
 * Hostile input through the query endpoint: values that would change an SQL statement if
 * they were spliced into it. Each query is scoped to an EHR of this suite, so that a value
 * that escaped would show up as rows that should not be there.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { clinicalNote, fixture, startTestCdr, type TestCdr } from '../testing/test-app.js';

const HOSTILE = [
  "' OR '1'='1",
  "x'; DROP TABLE aql_node; --",
  '$1',
  '\\',
  "\\' OR 1=1 --",
  '"; select pg_sleep(5); --',
  "') UNION SELECT ehr_id::text FROM ehr --",
  '%',
  '*',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃',
  "1'::jsonb) OR (TRUE",
];

describe('AQL endpoint: injection', () => {
  let cdr: TestCdr;
  let ehrId: string;
  const SYNOPSIS = 'c/content[openEHR-EHR-EVALUATION.clinical_synopsis.v1]/data[at0001]/items[at0002]/value/value';

  before(async () => {
    cdr = await startTestCdr();
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(fixture('clinical_note.opt'));
    const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    ehrId = ehr.headers.etag!.replace(/"/g, '');
    await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote('an ordinary note')).expect(201);
  });
  after(async () => cdr.close());

  async function post(body: Record<string, unknown>) {
    const res = await request(cdr.app).post('/openehr/v1/query/aql').send({ ehr_id: ehrId, ...body });
    assertConforms(res, 'POST /query/aql');
    assert.notEqual(res.status, 500, JSON.stringify(res.body));
    return res;
  }

  const quoted = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

  for (const value of HOSTILE) {
    const expected = 200;
    it(`a value ${JSON.stringify(value)} stays a value: in a parameter, a literal, a LIKE pattern and a predicate`, async () => {
      const asParameter = await post({ q: `SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE ${SYNOPSIS} = $v`, query_parameters: { v: value } });
      assert.equal(asParameter.status, expected);
      assert.deepEqual(asParameter.body.rows ?? [], []);

      const asLiteral = await post({ q: `SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE ${SYNOPSIS} = ${quoted(value)}` });
      assert.ok([200, 400].includes(asLiteral.status));
      assert.deepEqual(asLiteral.body.rows ?? [], []);

      const asPattern = await post({ q: `SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE ${SYNOPSIS} LIKE $v`, query_parameters: { v: `${value}*` } });
      assert.ok([200, 400].includes(asPattern.status));
      if (asPattern.status === 200 && !['%', '*'].includes(value)) {
        assert.deepEqual(asPattern.body.rows, []);
      }

      const asPredicate = await post({ q: `SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c[name/value = $v]`, query_parameters: { v: value } });
      assert.equal(asPredicate.status, expected);
      assert.deepEqual(asPredicate.body.rows ?? [], []);
    });
  }

  it('the ordinary value still matches (the scoping above finds data)', async () => {
    const res = await post({ q: `SELECT ${SYNOPSIS} FROM EHR e CONTAINS COMPOSITION c WHERE ${SYNOPSIS} = $v`, query_parameters: { v: 'an ordinary note' } });
    assert.deepEqual(res.body.rows, [['an ordinary note']]);
  });

  it('refuses a NUL character (PostgreSQL text cannot hold one) with 400', async () => {
    const res = await post({ q: `SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE ${SYNOPSIS} = $v`, query_parameters: { v: 'a\u0000b' } });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /NUL/);
  });

  it('refuses hostile ehr_id and parameters of the wrong kind with 400', async () => {
    const badEhr = await request(cdr.app).post('/openehr/v1/query/aql').send({ q: 'SELECT c FROM COMPOSITION c', ehr_id: "x' OR '1'='1" });
    assertConforms(badEhr, 'POST /query/aql');
    assert.equal(badEhr.status, 400);
    const objectParameter = await post({ q: 'SELECT c FROM COMPOSITION c WHERE c/name/value = $v', query_parameters: { v: { $ne: null } } });
    assert.equal(objectParameter.status, 400);
    const archetypeParameter = await post({ q: 'SELECT c FROM COMPOSITION c[$a]', query_parameters: { a: "openEHR-EHR-COMPOSITION.x.v1'--" } });
    assert.equal(archetypeParameter.status, 400);
  });

  it('treats hostile names in paths and aliases as syntax, never as SQL', async () => {
    for (const q of [
      'SELECT c/"name"/value FROM COMPOSITION c',
      'SELECT c/name;DROP/value FROM COMPOSITION c',
      "SELECT c FROM COMPOSITION c[openEHR-EHR-COMPOSITION.x'--.v1]",
      'SELECT c FROM COMPOSITION "c"',
    ]) {
      const res = await post({ q });
      assert.equal(res.status, 400, q);
    }
  });

  it('stores a hostile query text as text and a hostile name not at all', async () => {
    const stored = await request(cdr.app)
      .put("/openehr/v1/definition/query/x'%3B--")
      .set('Content-Type', 'text/plain')
      .send('SELECT c FROM COMPOSITION c');
    assert.equal(stored.status, 400);
  });
});
