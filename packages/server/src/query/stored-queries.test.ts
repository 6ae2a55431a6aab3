import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { clinicalNote, fixture, startTestCdr, type TestCdr } from '../testing/test-app.js';

describe('openEHR REST: stored queries', () => {
  let cdr: TestCdr;
  let ehrId: string;
  const SYNOPSIS = 'c/content[openEHR-EHR-EVALUATION.clinical_synopsis.v1]/data[at0001]/items[at0002]/value/value';
  const Q = `SELECT ${SYNOPSIS} AS synopsis FROM EHR e CONTAINS COMPOSITION c WHERE ${SYNOPSIS} LIKE $pattern ORDER BY synopsis`;

  before(async () => {
    cdr = await startTestCdr();
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(fixture('clinical_note.opt'));
    const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    ehrId = ehr.headers.etag!.replace(/"/g, '');
    for (const text of ['alpha note', 'beta note', 'alpha again']) {
      await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote(text)).expect(201);
    }
  });
  after(async () => cdr.close());

  const name = () => `org.example::notes_${randomUUID().slice(0, 8)}`;
  const store = (qualified: string, q: string, version?: string) =>
    request(cdr.app)
      .put(`/openehr/v1/definition/query/${qualified}${version ? `/${version}` : ''}`)
      .set('Content-Type', 'text/plain')
      .send(q);

  it('stores versions, refuses to replace one, lists them and reads the latest matching a prefix', async () => {
    const qualified = name();
    const first = await store(qualified, Q);
    assertConforms(first, 'PUT /definition/query/{qualified_query_name}');
    assert.equal(first.status, 200);
    assert.equal(first.body.version, '1.0.0');
    assert.match(first.headers.location ?? '', new RegExp(`/definition/query/${encodeURIComponent(qualified)}/1\\.0\\.0$`));
    const second = await store(qualified, Q);
    assert.equal(second.body.version, '1.0.1');
    const explicit = await store(qualified, Q.replace('ORDER BY synopsis', 'ORDER BY synopsis DESC'), '2.1.0');
    assertConforms(explicit, 'PUT /definition/query/{qualified_query_name}/{version}');
    assert.equal(explicit.status, 200);
    const again = await store(qualified, Q, '2.1.0');
    assertConforms(again, 'PUT /definition/query/{qualified_query_name}/{version}');
    assert.equal(again.status, 409);

    const list = await request(cdr.app).get(`/openehr/v1/definition/query/${qualified}`);
    assertConforms(list, 'GET /definition/query/{qualified_query_name}');
    assert.deepEqual(list.body.map((s: { version: string }) => s.version), ['1.0.0', '1.0.1', '2.1.0']);
    const latestOfOne = await request(cdr.app).get(`/openehr/v1/definition/query/${qualified}/1`);
    assertConforms(latestOfOne, 'GET /definition/query/{qualified_query_name}/{version}');
    assert.equal(latestOfOne.body.version, '1.0.1');
    assert.equal(latestOfOne.body.q, Q);
    assert.equal(latestOfOne.body.type, 'AQL');
    const missing = await request(cdr.app).get(`/openehr/v1/definition/query/${qualified}/3`);
    assertConforms(missing, 'GET /definition/query/{qualified_query_name}/{version}');
    assert.equal(missing.status, 404);
  });

  it('runs a stored query by name (latest) and by version, with parameters by GET and POST', async () => {
    const qualified = name();
    await store(qualified, Q).expect(200);
    await store(qualified, Q.replace('ORDER BY synopsis', 'ORDER BY synopsis DESC'), '1.1.0').expect(200);
    const latest = await request(cdr.app).get(`/openehr/v1/query/${qualified}`).query({ pattern: 'alpha*', ehr_id: ehrId });
    assertConforms(latest, 'GET /query/{qualified_query_name}');
    assert.equal(latest.status, 200);
    assert.deepEqual(latest.body.rows, [['alpha note'], ['alpha again']]);
    assert.equal(latest.body.name, qualified);
    assert.match(latest.body.meta._href, new RegExp(`/query/${qualified.replace('.', '\\.')}$`));
    const versioned = await request(cdr.app)
      .post(`/openehr/v1/query/${qualified}/1.0.0`)
      .send({ offset: 0, fetch: 10, query_parameters: { pattern: 'alpha*' }, ehr_id: ehrId });
    assertConforms(versioned, 'POST /query/{qualified_query_name}/{version}');
    assert.deepEqual(versioned.body.rows, [['alpha again'], ['alpha note']]);
    const unknown = await request(cdr.app).post(`/openehr/v1/query/${name()}`).send({ offset: 0, fetch: 1, query_parameters: {} });
    assertConforms(unknown, 'POST /query/{qualified_query_name}');
    assert.equal(unknown.status, 404);
  });

  it('refuses a query that does not parse, a bad name and a partial version to store', async () => {
    const bad = await store(name(), 'SELECT c FROM');
    assertConforms(bad, 'PUT /definition/query/{qualified_query_name}');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /line 1, column/);
    assert.equal((await store('no spaces allowed', Q)).status, 400);
    assert.equal((await store(name(), Q, '1.2')).status, 400);
  });
});
