import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { rmEqual } from '@cdr/rm';
import { assertConforms } from '../testing/openapi.js';
import { CLINICAL_NOTE_TEMPLATE_ID, clinicalNote, fixture, startTestCdr, type TestCdr } from '../testing/test-app.js';

describe('openEHR REST: COMPOSITION', () => {
  let cdr: TestCdr;
  let ehrId: string;

  before(async () => {
    cdr = await startTestCdr();
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(fixture('clinical_note.opt')).expect(201);
  });
  after(async () => cdr.close());
  beforeEach(async () => {
    const res = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    ehrId = res.headers.etag!.replace(/"/g, '');
  });

  const create = (body: object) =>
    request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Prefer', 'return=representation').send(body);

  it('commits a composition and reads it back by version uid and by object id', async () => {
    const created = await create(clinicalNote('stable, reviewed in clinic'));
    assertConforms(created, 'POST /ehr/{ehr_id}/composition');
    assert.equal(created.status, 201);
    const uid = created.body.uid.value as string;
    assert.match(uid, /^[0-9a-f-]{36}::test\.cdr\.local::1$/);
    assert.equal(created.headers.etag, `"${uid}"`);
    assert.match(created.headers.location ?? '', new RegExp(`/ehr/${ehrId}/composition/${uid}$`));
    const byVersion = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${uid}`);
    assertConforms(byVersion, 'GET /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(byVersion.status, 200);
    assert.deepEqual(byVersion.body, created.body);
    const byObject = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${uid.split('::')[0]}`);
    assertConforms(byObject, 'GET /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.deepEqual(byObject.body, created.body);
    assert.ok(byObject.headers['last-modified']);
  });

  it('answers minimal by default: 201 with headers and no body', async () => {
    const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote('x'));
    assertConforms(res, 'POST /ehr/{ehr_id}/composition');
    assert.equal(res.status, 201);
    assert.equal(res.text, '');
    assert.ok(res.headers.etag && res.headers.location);
  });

  it('accepts and returns canonical XML', async () => {
    const created = await create(clinicalNote('from JSON'));
    const uid = created.body.uid.value as string;
    const asXml = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${uid}`).set('Accept', 'application/xml');
    assertConforms(asXml, 'GET /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(asXml.status, 200);
    assert.match(asXml.headers['content-type'] ?? '', /application\/xml/);
    assert.match(asXml.text, /<composition[^>]*xmlns="http:\/\/schemas.openehr.org\/v1"/);
    assert.match(asXml.text, /from JSON/);
    const posted = await request(cdr.app)
      .post(`/openehr/v1/ehr/${ehrId}/composition`)
      .set('Content-Type', 'application/xml')
      .set('Accept', 'application/json')
      .set('Prefer', 'return=representation')
      .send(asXml.text.replace('from JSON', 'from XML').replace(/<uid[^>]*>[\s\S]*?<\/uid>/, ''));
    assertConforms(posted, 'POST /ehr/{ehr_id}/composition');
    assert.equal(posted.status, 201);
    const expected = { ...created.body, uid: posted.body.uid };
    (expected.content[0].data.items[0].value as { value: string }).value = 'from XML';
    assert.ok(rmEqual(posted.body, expected), 'the XML round trip keeps the composition');
    const sameUid = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', 'application/xml').send(asXml.text);
    assertConforms(sameUid, 'POST /ehr/{ehr_id}/composition');
    assert.equal(sameUid.status, 400);
    assert.match(sameUid.body.message, /already exists/);
  });

  it('refuses what it cannot read or produce: 415, 406, 400', async () => {
    const unsupported = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', 'text/plain').send('hello');
    assert.equal(unsupported.status, 415);
    const created = await create(clinicalNote('x'));
    const notAcceptable = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${created.body.uid.value}`).set('Accept', 'text/csv');
    assert.equal(notAcceptable.status, 406);
    const badXml = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', 'application/xml').send('<composition><name>');
    assertConforms(badXml, 'POST /ehr/{ehr_id}/composition');
    assert.equal(badXml.status, 400);
    const entity = await request(cdr.app)
      .post(`/openehr/v1/ehr/${ehrId}/composition`)
      .set('Content-Type', 'application/xml')
      .send('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><composition>&a;</composition>');
    assert.equal(entity.status, 400);
    const array = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send([1, 2]);
    assertConforms(array, 'POST /ehr/{ehr_id}/composition');
    assert.equal(array.status, 400);
  });

  it('refuses a composition whose template is not stored with 422, and stores nothing', async () => {
    const body = clinicalNote('x');
    (body.archetype_details as { template_id: { value: string } }).template_id.value = 'not.stored.v1';
    const res = await create(body);
    assertConforms(res, 'POST /ehr/{ehr_id}/composition');
    assert.equal(res.status, 422);
    assert.match(res.body.message, /not\.stored\.v1/);
    assert.equal(res.body.issues[0].path, '/archetype_details/template_id/value');
    const count = await cdr.db.query('select count(*)::int as n from versioned_object where ehr_id = $1 and rm_type = $2', [ehrId, 'COMPOSITION']);
    assert.equal(count.rows[0]?.n, 0);
  });

  it('refuses RM violations with 422 naming the path', async () => {
    const body = clinicalNote('x') as Record<string, unknown>;
    delete body.language;
    delete body.composer;
    const res = await create(body);
    assertConforms(res, 'POST /ehr/{ehr_id}/composition');
    assert.equal(res.status, 422);
    const paths = (res.body.issues as { path: string }[]).map((i) => i.path);
    assert.ok(paths.includes('/language'), JSON.stringify(res.body.issues));
    assert.ok(paths.includes('/composer'), JSON.stringify(res.body.issues));
    assert.ok(res.body.validationErrors.length >= 2);
  });

  it('answers 404 for an unknown EHR or composition', async () => {
    const unknownEhr = await request(cdr.app).post(`/openehr/v1/ehr/${randomUUID()}/composition`).send(clinicalNote('x'));
    assertConforms(unknownEhr, 'POST /ehr/{ehr_id}/composition');
    assert.equal(unknownEhr.status, 404);
    const unknown = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${randomUUID()}`);
    assertConforms(unknown, 'GET /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(unknown.status, 404);
    const unknownVersion = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${randomUUID()}::test.cdr.local::1`);
    assert.equal(unknownVersion.status, 404);
  });

  it('updates with If-Match: a new version, the old one stays readable', async () => {
    const created = await create(clinicalNote('first'));
    const v1 = created.body.uid.value as string;
    const objectId = v1.split('::')[0];
    const updated = await request(cdr.app)
      .put(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`)
      .set('If-Match', `"${v1}"`)
      .set('Prefer', 'return=representation')
      .send(clinicalNote('second'));
    assertConforms(updated, 'PUT /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(updated.status, 200);
    const v2 = updated.body.uid.value as string;
    assert.equal(v2, `${objectId}::test.cdr.local::2`);
    const latest = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`);
    assert.equal(latest.body.content[0].data.items[0].value.value, 'second');
    const old = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${v1}`);
    assert.equal(old.body.content[0].data.items[0].value.value, 'first');

    const stale = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`).set('If-Match', `"${v1}"`).send(clinicalNote('third'));
    assertConforms(stale, 'PUT /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.etag, `"${v2}"`);
    assert.match(stale.headers.location ?? '', new RegExp(`/composition/${v2}$`));

    const noIfMatch = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`).send(clinicalNote('third'));
    assertConforms(noIfMatch, 'PUT /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(noIfMatch.status, 400);
  });

  it('lets exactly one of N concurrent updates with the same If-Match succeed', async () => {
    const created = await create(clinicalNote('v1'));
    const v1 = created.body.uid.value as string;
    const objectId = v1.split('::')[0];
    const n = 10;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`).set('If-Match', `"${v1}"`).send(clinicalNote(`v2 by writer ${i}`)),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [204, ...Array<number>(n - 1).fill(412)]);
    const history = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}/revision_history`);
    assert.equal(history.body.items.length, 2);
  });

  it('deletes logically: 204, then the object reads as 204 and old versions stay readable', async () => {
    const created = await create(clinicalNote('to be deleted'));
    const v1 = created.body.uid.value as string;
    const objectId = v1.split('::')[0];
    const deleted = await request(cdr.app).delete(`/openehr/v1/ehr/${ehrId}/composition/${v1}`);
    assertConforms(deleted, 'DELETE /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(deleted.status, 204);
    const afterwards = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`);
    assertConforms(afterwards, 'GET /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(afterwards.status, 204);
    const old = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${v1}`);
    assert.equal(old.status, 200);
    assert.equal(old.body.content[0].data.items[0].value.value, 'to be deleted');
    const again = await request(cdr.app).delete(`/openehr/v1/ehr/${ehrId}/composition/${objectId}::test.cdr.local::2`);
    assertConforms(again, 'DELETE /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(again.status, 400);
    const history = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}/revision_history`);
    assert.deepEqual(history.body.items.map((i: { audits: { change_type: { value: string } }[] }) => i.audits[0]!.change_type.value), ['creation', 'deleted']);
  });

  it('refuses to delete a version that is not the latest with 409 and the latest in the headers', async () => {
    const created = await create(clinicalNote('a'));
    const v1 = created.body.uid.value as string;
    const objectId = v1.split('::')[0];
    await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/composition/${objectId}`).set('If-Match', `"${v1}"`).send(clinicalNote('b')).expect(204);
    const res = await request(cdr.app).delete(`/openehr/v1/ehr/${ehrId}/composition/${v1}`);
    assertConforms(res, 'DELETE /ehr/{ehr_id}/composition/{uid_based_id}');
    assert.equal(res.status, 409);
    assert.equal(res.headers.etag, `"${objectId}::test.cdr.local::2"`);
  });

  it('serves the versioned composition, its versions at time and by id', async () => {
    const created = await create(clinicalNote('a'));
    const v1 = created.body.uid.value as string;
    const objectId = v1.split('::')[0];
    const versioned = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}`);
    assertConforms(versioned, 'GET /ehr/{ehr_id}/versioned_composition/{versioned_object_uid}');
    assert.equal(versioned.body.uid.value, objectId);
    const latest = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}/version`);
    assertConforms(latest, 'GET /ehr/{ehr_id}/versioned_composition/{versioned_object_uid}/version');
    assert.equal(latest.body.uid.value, v1);
    assert.equal(latest.body.lifecycle_state.defining_code.code_string, '532');
    const byId = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}/version/${v1}`);
    assertConforms(byId, 'GET /ehr/{ehr_id}/versioned_composition/{versioned_object_uid}/version/{version_uid}');
    assert.equal(byId.body.data.uid.value, v1);
    assert.equal(byId.body.commit_audit.change_type.defining_code.code_string, '249');
    const none = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${objectId}/version`).query({ version_at_time: '1999-01-01T00:00:00Z' });
    assertConforms(none, 'GET /ehr/{ehr_id}/versioned_composition/{versioned_object_uid}/version');
    assert.equal(none.status, 404);
  });

  it('refuses commits to an EHR whose status is not modifiable', async () => {
    const status = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`);
    await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/ehr_status`).set('If-Match', `"${status.body.uid.value}"`).send({ ...status.body, is_modifiable: false }).expect(204);
    const res = await create(clinicalNote('x'));
    assert.equal(res.status, 409);
    assert.match(res.body.message, /not modifiable/);
  });

  it('records lifecycle state and change type from the openEHR headers', async () => {
    const res = await request(cdr.app)
      .post(`/openehr/v1/ehr/${ehrId}/composition`)
      .set('openEHR-VERSION.lifecycle_state', 'code_string="553"')
      .send(clinicalNote('draft'))
      .expect(201);
    const uid = res.headers.etag!.replace(/"/g, '');
    const version = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_composition/${uid.split('::')[0]}/version/${uid}`);
    assert.equal(version.body.lifecycle_state.value, 'incomplete');
    assert.equal(CLINICAL_NOTE_TEMPLATE_ID, version.body.data.archetype_details.template_id.value);
  });
});
