import assert from 'node:assert/strict';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { clinicalNote, fixture, startTestCdr, type TestCdr } from '../testing/test-app.js';

describe('openEHR REST: AQL query API', () => {
  let cdr: TestCdr;
  let ehrId: string;
  const uids: string[] = [];

  before(async () => {
    cdr = await startTestCdr();
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(fixture('clinical_note.opt'));
    const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    ehrId = ehr.headers.etag!.replace(/"/g, '');
    for (const synopsis of ['first visit', 'second visit', 'third visit']) {
      const created = await request(cdr.app)
        .post(`/openehr/v1/ehr/${ehrId}/composition`)
        .set('Prefer', 'return=representation')
        .send(clinicalNote(synopsis))
        .expect(201);
      uids.push(created.body.uid.value as string);
    }
  });
  after(async () => cdr.close());

  const aql = (body: object) => request(cdr.app).post('/openehr/v1/query/aql').send(body);
  const SYNOPSIS = 'c/content[openEHR-EHR-EVALUATION.clinical_synopsis.v1]/data[at0001]/items[at0002]/value/value';

  it('answers a query of one EHR with a RESULT_SET', async () => {
    const q = `SELECT c/uid/value AS uid, ${SYNOPSIS} FROM EHR e[ehr_id/value = '${ehrId}'] CONTAINS COMPOSITION c ORDER BY ${SYNOPSIS}`;
    const res = await aql({ q });
    assertConforms(res, 'POST /query/aql');
    assert.equal(res.status, 200);
    assert.equal(res.body.q, q);
    assert.deepEqual(res.body.columns, [{ name: 'uid', path: 'c/uid/value' }, { name: '#1', path: SYNOPSIS }]);
    assert.deepEqual(res.body.rows.map((r: unknown[]) => r[1]), ['first visit', 'second visit', 'third visit']);
    assert.deepEqual(new Set(res.body.rows.map((r: unknown[]) => r[0])), new Set(uids));
    assert.equal(res.body.meta._type, 'RESULTSET');
    assert.equal(res.body.meta.resultsize, 3);
    assert.ok(res.headers.etag);
  });

  it('takes parameters, fetch and offset, in a POST body and in a GET URL', async () => {
    const q = `SELECT ${SYNOPSIS} AS s FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c WHERE ${SYNOPSIS} LIKE $pattern ORDER BY s DESC`;
    const posted = await aql({ q, query_parameters: { ehr: ehrId, pattern: '*visit' }, offset: 1, fetch: 1 });
    assertConforms(posted, 'POST /query/aql');
    assert.deepEqual(posted.body.rows, [['second visit']]);
    assert.deepEqual([posted.body.meta.fetch, posted.body.meta.offset], [1, 1]);
    const got = await request(cdr.app).get('/openehr/v1/query/aql').query({ q, ehr: ehrId, pattern: 'f*', fetch: 5 });
    assertConforms(got, 'GET /query/aql');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.rows, [['first visit']]);
    assert.match(got.body.meta._href, /\/openehr\/v1\/query\/aql$/);
  });

  it('scopes a query to the EHR given as ehr_id', async () => {
    const other = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    const otherId = other.headers.etag!.replace(/"/g, '');
    await request(cdr.app).post(`/openehr/v1/ehr/${otherId}/composition`).send(clinicalNote('elsewhere')).expect(201);
    const q = `SELECT ${SYNOPSIS} FROM EHR e CONTAINS COMPOSITION c`;
    const scoped = await request(cdr.app).get('/openehr/v1/query/aql').query({ q, ehr_id: otherId });
    assertConforms(scoped, 'GET /query/aql');
    assert.deepEqual(scoped.body.rows, [['elsewhere']]);
  });

  it('answers a repeated query afresh: other parameter values, paging and data committed in between', async () => {
    const q = `SELECT ${SYNOPSIS} AS s FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c WHERE ${SYNOPSIS} LIKE $pattern ORDER BY s`;
    const rows = async (body: object) => {
      const res = await aql({ q, ...body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.rows.map((r: unknown[]) => r[0]);
    };
    for (let round = 0; round < 2; round += 1) {
      assert.deepEqual(await rows({ query_parameters: { ehr: ehrId, pattern: 's*' } }), ['second visit']);
      assert.deepEqual(await rows({ query_parameters: { ehr: ehrId, pattern: 't*' } }), ['third visit']);
      assert.deepEqual(await rows({ query_parameters: { ehr: ehrId, pattern: '*visit' }, fetch: 2 }), ['first visit', 'second visit']);
      assert.deepEqual(await rows({ query_parameters: { ehr: ehrId, pattern: '*visit' }, fetch: 2, offset: 1 }), ['second visit', 'third visit']);
    }
    const other = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    const otherId = other.headers.etag!.replace(/"/g, '');
    assert.deepEqual(await rows({ query_parameters: { ehr: otherId, pattern: '*' } }), []);
    await request(cdr.app).post(`/openehr/v1/ehr/${otherId}/composition`).send(clinicalNote('sole visit')).expect(201);
    assert.deepEqual(await rows({ query_parameters: { ehr: otherId, pattern: '*' } }), ['sole visit']);
    const refused = await aql({ q, query_parameters: { ehr: ehrId } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /\$pattern/);
  });

  it('refuses a syntax error with a 400 naming line and column', async () => {
    const res = await aql({ q: 'SELECT c FROM COMPOSITION c\nWHERE c/name/value = ' });
    assertConforms(res, 'POST /query/aql');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /line 2, column \d+/);
  });

  it('refuses what it does not support with a 400 naming the feature and its position', async () => {
    const res = await aql({ q: 'SELECT c FROM COMPOSITION c CONTAINS PARTICIPATION p' });
    assertConforms(res, 'POST /query/aql');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /line 1, column 38: FROM PARTICIPATION is not supported/);
  });

  it('refuses fetch together with a LIMIT in the query, and ehr_id that is not a UUID', async () => {
    const limited = await aql({ q: 'SELECT c/uid/value FROM COMPOSITION c LIMIT 2', fetch: 1 });
    assertConforms(limited, 'POST /query/aql');
    assert.equal(limited.status, 400);
    const bad = await request(cdr.app).get('/openehr/v1/query/aql').query({ q: 'SELECT c FROM COMPOSITION c', ehr_id: 'x' });
    assert.equal(bad.status, 400);
  });
});

describe('openEHR REST: AQL query timeout', () => {
  let cdr: TestCdr;
  const previous = process.env.CDR_AQL_TIMEOUT_MS;

  before(async () => {
    process.env.CDR_AQL_TIMEOUT_MS = '50';
    cdr = await startTestCdr({ isolated: true });
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(fixture('clinical_note.opt'));
    const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    const ehrId = ehr.headers.etag!.replace(/"/g, '');
    for (let i = 0; i < 20; i += 1) {
      await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote(`note ${i}`)).expect(201);
    }
  });
  after(async () => {
    if (previous === undefined) {
      delete process.env.CDR_AQL_TIMEOUT_MS;
    } else {
      process.env.CDR_AQL_TIMEOUT_MS = previous;
    }
    await cdr.close();
  });

  it('answers 408 when a query runs longer than CDR_AQL_TIMEOUT_MS', async () => {
    // every combination of five nodes: far more work than 50 ms
    const res = await request(cdr.app)
      .post('/openehr/v1/query/aql')
      .send({ q: 'SELECT COUNT(*) FROM EHR e CONTAINS (LOCATABLE a AND LOCATABLE b AND LOCATABLE c AND LOCATABLE d AND LOCATABLE f)' });
    assertConforms(res, 'POST /query/aql');
    assert.equal(res.status, 408);
    assert.match(res.body.message, /query timeout of 50 ms/);
  });
});

describe('openEHR REST: AQL after the index migration met existing data', () => {
  let cdr: TestCdr;

  before(async () => {
    cdr = await startTestCdr({ isolated: true });
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(fixture('clinical_note.opt'));
  });
  after(async () => cdr.close());

  it('answers 503 while it builds the index from the stored versions, then answers from it', async () => {
    const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    const ehrId = ehr.headers.etag!.replace(/"/g, '');
    await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote('indexed later')).expect(201);
    // as after an upgrade: versions stored, no index rows, a rebuild requested
    await cdr.db.query('delete from aql_node');
    await cdr.db.query('insert into aql_index_rebuild default values');
    const q = 'SELECT c/content[openEHR-EHR-EVALUATION.clinical_synopsis.v1]/data[at0001]/items[at0002]/value/value FROM EHR e CONTAINS COMPOSITION c';
    const first = await request(cdr.app).post('/openehr/v1/query/aql').send({ q, ehr_id: ehrId });
    assert.equal(first.status, 503);
    assert.ok(first.headers['retry-after']);
    let answer = first;
    for (let attempt = 0; attempt < 50 && answer.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await request(cdr.app).post('/openehr/v1/query/aql').send({ q, ehr_id: ehrId });
    }
    assertConforms(answer, 'POST /query/aql');
    assert.deepEqual(answer.body.rows, [['indexed later']]);
  });
});
