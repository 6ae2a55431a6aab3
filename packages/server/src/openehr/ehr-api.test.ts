import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { startTestCdr, TEST_SYSTEM_ID, type TestCdr } from '../testing/test-app.js';

const statusFor = (subjectId: string, namespace = 'nhs-number') => ({
  _type: 'EHR_STATUS',
  archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
  name: { value: 'EHR status' },
  subject: {
    _type: 'PARTY_SELF',
    external_ref: { id: { _type: 'GENERIC_ID', value: subjectId, scheme: 'id_scheme' }, namespace, type: 'PERSON' },
  },
  is_queryable: true,
  is_modifiable: true,
});

describe('openEHR REST: EHR and EHR_STATUS', () => {
  let cdr: TestCdr;
  before(async () => {
    cdr = await startTestCdr();
  });
  after(async () => cdr.close());

  it('creates an EHR without a body: 201 with Location and ETag, minimal by default', async () => {
    const res = await request(cdr.app).post('/openehr/v1/ehr');
    assertConforms(res, 'POST /ehr');
    assert.equal(res.status, 201);
    const ehrId = res.headers.etag?.replace(/"/g, '');
    assert.match(ehrId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(res.headers.location ?? '', new RegExp(`/openehr/v1/ehr/${ehrId}$`));
    assert.equal(res.text, '');
  });

  it('returns the EHR with Prefer: return=representation and reads it back', async () => {
    const created = await request(cdr.app).post('/openehr/v1/ehr').set('Prefer', 'return=representation');
    assertConforms(created, 'POST /ehr');
    assert.equal(created.status, 201);
    assert.equal(created.body.system_id.value, TEST_SYSTEM_ID);
    const ehrId = created.body.ehr_id.value as string;
    const read = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}`);
    assertConforms(read, 'GET /ehr/{ehr_id}');
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);
    const status = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`);
    assertConforms(status, 'GET /ehr/{ehr_id}/ehr_status');
    assert.equal(status.status, 200);
    assert.equal(status.body.is_queryable, true);
    assert.equal(status.body.subject._type, 'PARTY_SELF');
    assert.equal(status.headers.etag, `"${status.body.uid.value}"`);
    assert.ok(status.headers['last-modified']);
  });

  it('creates an EHR with a given id (PUT) and refuses the same id twice with 409', async () => {
    const ehrId = randomUUID();
    const first = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}`);
    assertConforms(first, 'PUT /ehr/{ehr_id}');
    assert.equal(first.status, 201);
    const second = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}`);
    assertConforms(second, 'PUT /ehr/{ehr_id}');
    assert.equal(second.status, 409);
    const bad = await request(cdr.app).put('/openehr/v1/ehr/not-a-uuid');
    assertConforms(bad, 'PUT /ehr/{ehr_id}');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /not-a-uuid/);
  });

  it('finds an EHR by subject, allows one EHR per subject and namespace', async () => {
    const subject = randomUUID();
    const created = await request(cdr.app).post('/openehr/v1/ehr').send(statusFor(subject)).set('Prefer', 'return=representation');
    assertConforms(created, 'POST /ehr');
    assert.equal(created.status, 201);
    const found = await request(cdr.app).get('/openehr/v1/ehr').query({ subject_id: subject, subject_namespace: 'nhs-number' });
    assertConforms(found, 'GET /ehr');
    assert.equal(found.status, 200);
    assert.equal(found.body.ehr_id.value, created.body.ehr_id.value);
    const duplicate = await request(cdr.app).post('/openehr/v1/ehr').send(statusFor(subject));
    assertConforms(duplicate, 'POST /ehr');
    assert.equal(duplicate.status, 409);
    const otherNamespace = await request(cdr.app).post('/openehr/v1/ehr').send(statusFor(subject, 'other'));
    assert.equal(otherNamespace.status, 201);
    const missing = await request(cdr.app).get('/openehr/v1/ehr').query({ subject_id: randomUUID(), subject_namespace: 'nhs-number' });
    assertConforms(missing, 'GET /ehr');
    assert.equal(missing.status, 404);
  });

  it('answers 404 for an unknown EHR and 400 for a malformed id', async () => {
    const unknown = await request(cdr.app).get(`/openehr/v1/ehr/${randomUUID()}`);
    assertConforms(unknown, 'GET /ehr/{ehr_id}');
    assert.equal(unknown.status, 404);
    assert.ok(unknown.body.message);
    const status = await request(cdr.app).get(`/openehr/v1/ehr/${randomUUID()}/ehr_status`);
    assertConforms(status, 'GET /ehr/{ehr_id}/ehr_status');
    assert.equal(status.status, 404);
  });

  it('refuses an EHR_STATUS that is not an EHR_STATUS', async () => {
    const res = await request(cdr.app).post('/openehr/v1/ehr').send({ _type: 'COMPOSITION' });
    assertConforms(res, 'POST /ehr');
    assert.equal(res.status, 400);
    const notJson = await request(cdr.app).post('/openehr/v1/ehr').set('Content-Type', 'application/json').send('{"broken');
    assertConforms(notJson, 'POST /ehr');
    assert.equal(notJson.status, 400);
  });

  it('updates the EHR_STATUS with If-Match, keeps history, and answers stale updates with 412', async () => {
    const created = await request(cdr.app).post('/openehr/v1/ehr');
    const ehrId = created.headers.etag!.replace(/"/g, '');
    const current = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`);
    const v1 = current.body.uid.value as string;
    const updated = await request(cdr.app)
      .put(`/openehr/v1/ehr/${ehrId}/ehr_status`)
      .set('If-Match', `"${v1}"`)
      .set('Prefer', 'return=representation')
      .send({ ...current.body, is_queryable: false });
    assertConforms(updated, 'PUT /ehr/{ehr_id}/ehr_status');
    assert.equal(updated.status, 200);
    assert.equal(updated.body.is_queryable, false);
    const v2 = updated.body.uid.value as string;
    assert.equal(v2, v1.replace(/::1$/, '::2'));
    assert.equal(updated.headers.etag, `"${v2}"`);

    const stale = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/ehr_status`).set('If-Match', `"${v1}"`).send(current.body);
    assertConforms(stale, 'PUT /ehr/{ehr_id}/ehr_status');
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.etag, `"${v2}"`);
    assert.match(stale.headers.location ?? '', new RegExp(`/ehr_status/${v2}$`));

    const minimal = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/ehr_status`).set('If-Match', `"${v2}"`).send(current.body);
    assertConforms(minimal, 'PUT /ehr/{ehr_id}/ehr_status');
    assert.equal(minimal.status, 204);

    const byVersion = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status/${v1}`);
    assertConforms(byVersion, 'GET /ehr/{ehr_id}/ehr_status/{version_uid}');
    assert.equal(byVersion.body.is_queryable, true);

    const history = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_ehr_status/revision_history`);
    assertConforms(history, 'GET /ehr/{ehr_id}/versioned_ehr_status/revision_history');
    assert.deepEqual(
      history.body.items.map((i: { version_id: { value: string } }) => i.version_id.value.split('::')[2]),
      ['1', '2', '3'],
    );
    assert.deepEqual(
      history.body.items.map((i: { audits: { change_type: { value: string } }[] }) => i.audits[0]!.change_type.value),
      ['creation', 'modification', 'modification'],
    );

    const versioned = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_ehr_status`);
    assertConforms(versioned, 'GET /ehr/{ehr_id}/versioned_ehr_status');
    assert.equal(versioned.body.uid.value, v1.split('::')[0]);
    assert.equal(versioned.body.owner_id.id.value, ehrId);

    const version = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_ehr_status/version/${v2}`);
    assertConforms(version, 'GET /ehr/{ehr_id}/versioned_ehr_status/version/{version_uid}');
    assert.equal(version.body._type, 'ORIGINAL_VERSION');
    assert.equal(version.body.preceding_version_uid.value, v1);
    assert.equal(version.body.data.is_queryable, false);
  });

  it('reads the EHR_STATUS at a time', async () => {
    const created = await request(cdr.app).post('/openehr/v1/ehr');
    const ehrId = created.headers.etag!.replace(/"/g, '');
    const current = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`);
    const between = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/ehr_status`).set('If-Match', `"${current.body.uid.value}"`).send({ ...current.body, is_modifiable: false }).expect(204);
    const atBetween = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`).query({ version_at_time: between });
    assertConforms(atBetween, 'GET /ehr/{ehr_id}/ehr_status');
    assert.equal(atBetween.body.is_modifiable, true);
    const before = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`).query({ version_at_time: '2001-01-01T00:00:00Z' });
    assertConforms(before, 'GET /ehr/{ehr_id}/ehr_status');
    assert.equal(before.status, 404);
    const malformed = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`).query({ version_at_time: 'yesterday' });
    assertConforms(malformed, 'GET /ehr/{ehr_id}/ehr_status');
    assert.equal(malformed.status, 400);
    const versionAt = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_ehr_status/version`).query({ version_at_time: between });
    assertConforms(versionAt, 'GET /ehr/{ehr_id}/versioned_ehr_status/version');
    assert.equal(versionAt.body.uid.value, current.body.uid.value);
  });

  it('takes the committer from the openEHR-AUDIT_DETAILS header', async () => {
    const created = await request(cdr.app)
      .post('/openehr/v1/ehr')
      .set('openEHR-AUDIT_DETAILS.committer', 'name="John Doe", external_ref.id="BC8132EA-8F4A-11E7-BB31-BE2E44B06B34", external_ref.namespace="demographic", external_ref.type="PERSON"')
      .set('openEHR-AUDIT_DETAILS.description', 'value="registered at the front desk"');
    const ehrId = created.headers.etag!.replace(/"/g, '');
    const history = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/versioned_ehr_status/revision_history`);
    const audit = history.body.items[0].audits[0];
    assert.equal(audit.committer.name, 'John Doe');
    assert.equal(audit.committer.external_ref.namespace, 'demographic');
    assert.equal(audit.description.value, 'registered at the front desk');
    assert.equal(audit.system_id, TEST_SYSTEM_ID);
    const malformed = await request(cdr.app).post('/openehr/v1/ehr').set('openEHR-AUDIT_DETAILS.committer', 'John Doe');
    assert.equal(malformed.status, 400);
  });
});
