import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { clinicalNote, fixture, startTestCdr, type TestCdr } from '../testing/test-app.js';

const code = (value: string, codeString: string) => ({ value, defining_code: { terminology_id: { value: 'openehr' }, code_string: codeString } });
const committer = { _type: 'PARTY_IDENTIFIED', name: 'Integration engine' };

function version(data: object, changeType: [string, string], preceding?: string, lifecycle: [string, string] = ['complete', '532']) {
  return {
    _type: 'ORIGINAL_VERSION',
    ...(preceding ? { preceding_version_uid: { _type: 'OBJECT_VERSION_ID', value: preceding } } : {}),
    commit_audit: { _type: 'AUDIT_DETAILS', committer, change_type: code(...changeType) },
    lifecycle_state: code(...lifecycle),
    data,
  };
}

const folder = (name: string, items: string[] = []) => ({
  _type: 'FOLDER',
  archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1',
  name: { _type: 'DV_TEXT', value: name },
  items: items.map((id) => ({ id: { _type: 'HIER_OBJECT_ID', value: id }, namespace: 'local', type: 'VERSIONED_COMPOSITION' })),
});

describe('openEHR REST: CONTRIBUTION', () => {
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

  const post = (body: object) =>
    request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/contribution`).set('Prefer', 'return=representation').send(body);

  it('commits several versions atomically and reads the contribution back', async () => {
    const created = await post({
      versions: [version(clinicalNote('one'), ['creation', '249']), version(clinicalNote('two'), ['creation', '249']), version(folder('root'), ['creation', '249'])],
      audit: { committer, change_type: code('creation', '249') },
    });
    assertConforms(created, 'POST /ehr/{ehr_id}/contribution');
    assert.equal(created.status, 201);
    assert.equal(created.body.versions.length, 3);
    assert.deepEqual(created.body.versions.map((v: { type: string }) => v.type).sort(), ['COMPOSITION', 'COMPOSITION', 'FOLDER']);
    const uid = created.body.uid.value as string;
    assert.equal(created.headers.etag, `"${uid}"`);
    const read = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/contribution/${uid}`);
    assertConforms(read, 'GET /ehr/{ehr_id}/contribution/{contribution_uid}');
    assert.equal(read.status, 200);
    assert.deepEqual(
      read.body.versions.map((v: { id: { value: string } }) => v.id.value).sort(),
      created.body.versions.map((v: { id: { value: string } }) => v.id.value).sort(),
    );
    assert.equal(read.body.audit.committer.name, 'Integration engine');
    const directory = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/directory`);
    assert.equal(directory.status, 200);
    assert.equal(directory.body.name.value, 'root');
  });

  it('mixes creation, modification and deletion in one contribution', async () => {
    const first = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote('keep')).expect(201);
    const second = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote('drop')).expect(201);
    const keepUid = first.headers.etag!.replace(/"/g, '');
    const dropUid = second.headers.etag!.replace(/"/g, '');
    const status = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`);
    const res = await post({
      versions: [
        version(clinicalNote('new'), ['creation', '249']),
        version(clinicalNote('kept, amended'), ['modification', '251'], keepUid),
        version(clinicalNote('drop'), ['deleted', '523'], dropUid, ['deleted', '523']),
        version({ ...status.body, is_queryable: false }, ['modification', '251'], status.body.uid.value),
      ],
      audit: { committer },
    });
    assertConforms(res, 'POST /ehr/{ehr_id}/contribution');
    assert.equal(res.status, 201);
    const kept = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${keepUid.split('::')[0]}`);
    assert.equal(kept.body.content[0].data.items[0].value.value, 'kept, amended');
    const dropped = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${dropUid.split('::')[0]}`);
    assert.equal(dropped.status, 204);
    const newStatus = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/ehr_status`);
    assert.equal(newStatus.body.is_queryable, false);
  });

  it('leaves nothing behind when one version is bad', async () => {
    const before = await cdr.db.query('select (select count(*) from contribution where ehr_id = $1)::int as c, (select count(*) from object_version where ehr_id = $1)::int as v', [ehrId]);
    const bad = clinicalNote('bad') as Record<string, unknown>;
    delete bad.category;
    const res = await post({ versions: [version(clinicalNote('good'), ['creation', '249']), version(bad, ['creation', '249'])], audit: { committer } });
    assertConforms(res, 'POST /ehr/{ehr_id}/contribution');
    assert.equal(res.status, 400);
    assert.ok((res.body.issues as { path: string }[]).some((i) => i.path.startsWith('/versions[2]/data/category')), JSON.stringify(res.body.issues));
    const stale = await post({
      versions: [version(clinicalNote('good'), ['creation', '249']), version(clinicalNote('x'), ['modification', '251'], `${randomUUID()}::test.cdr.local::1`)],
      audit: { committer },
    });
    assertConforms(stale, 'POST /ehr/{ehr_id}/contribution');
    assert.equal(stale.status, 404);
    const after = await cdr.db.query('select (select count(*) from contribution where ehr_id = $1)::int as c, (select count(*) from object_version where ehr_id = $1)::int as v', [ehrId]);
    assert.deepEqual(after.rows[0], before.rows[0]);
  });

  it('refuses a stale preceding version with 409', async () => {
    const first = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(clinicalNote('a')).expect(201);
    const v1 = first.headers.etag!.replace(/"/g, '');
    await post({ versions: [version(clinicalNote('b'), ['modification', '251'], v1)], audit: { committer } }).expect(201);
    const stale = await post({ versions: [version(clinicalNote('c'), ['modification', '251'], v1)], audit: { committer } });
    assertConforms(stale, 'POST /ehr/{ehr_id}/contribution');
    assert.equal(stale.status, 409);
  });

  it('refuses malformed contributions with 400', async () => {
    for (const body of [{ versions: [], audit: { committer } }, { audit: { committer } }, { versions: [version(clinicalNote('a'), ['modification', '251'])], audit: { committer } }]) {
      const res = await post(body);
      assertConforms(res, 'POST /ehr/{ehr_id}/contribution');
      assert.equal(res.status, 400, JSON.stringify(res.body));
    }
    const unknownEhr = await request(cdr.app).post(`/openehr/v1/ehr/${randomUUID()}/contribution`).send({ versions: [version(clinicalNote('a'), ['creation', '249'])], audit: { committer } });
    assertConforms(unknownEhr, 'POST /ehr/{ehr_id}/contribution');
    assert.equal(unknownEhr.status, 404);
    const unknown = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/contribution/${randomUUID()}`);
    assertConforms(unknown, 'GET /ehr/{ehr_id}/contribution/{contribution_uid}');
    assert.equal(unknown.status, 404);
  });
});

describe('openEHR REST: DIRECTORY', () => {
  let cdr: TestCdr;
  let ehrId: string;

  before(async () => {
    cdr = await startTestCdr();
  });
  after(async () => cdr.close());
  beforeEach(async () => {
    const res = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    ehrId = res.headers.etag!.replace(/"/g, '');
  });

  const tree = {
    ...folder('root'),
    folders: [{ ...folder('episodes'), folders: [folder('2024')] }, folder('referrals', [randomUUID()])],
  };

  it('creates, reads by path and by version, updates with If-Match and deletes', async () => {
    const created = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/directory`).set('Prefer', 'return=representation').send(tree);
    assertConforms(created, 'POST /ehr/{ehr_id}/directory');
    assert.equal(created.status, 201);
    const v1 = created.body.uid.value as string;
    const again = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/directory`).send(tree);
    assert.equal(again.status, 409);

    const sub = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/directory`).query({ path: 'episodes/2024' });
    assertConforms(sub, 'GET /ehr/{ehr_id}/directory');
    assert.equal(sub.status, 200);
    assert.equal(sub.body.name.value, '2024');
    const missing = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/directory`).query({ path: 'episodes/1999' });
    assertConforms(missing, 'GET /ehr/{ehr_id}/directory');
    assert.equal(missing.status, 404);

    const updated = await request(cdr.app)
      .put(`/openehr/v1/ehr/${ehrId}/directory`)
      .set('If-Match', `"${v1}"`)
      .set('Prefer', 'return=representation')
      .send({ ...tree, folders: [folder('episodes')] });
    assertConforms(updated, 'PUT /ehr/{ehr_id}/directory');
    assert.equal(updated.status, 200);
    const v2 = updated.body.uid.value as string;
    const stale = await request(cdr.app).put(`/openehr/v1/ehr/${ehrId}/directory`).set('If-Match', `"${v1}"`).send(tree);
    assertConforms(stale, 'PUT /ehr/{ehr_id}/directory');
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.etag, `"${v2}"`);

    const old = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/directory/${v1}`).query({ path: 'referrals' });
    assertConforms(old, 'GET /ehr/{ehr_id}/directory/{version_uid}');
    assert.equal(old.status, 200);
    assert.equal(old.body.items.length, 1);

    const deleted = await request(cdr.app).delete(`/openehr/v1/ehr/${ehrId}/directory`).set('If-Match', `"${v2}"`);
    assertConforms(deleted, 'DELETE /ehr/{ehr_id}/directory');
    assert.equal(deleted.status, 204);
    const gone = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/directory`);
    assertConforms(gone, 'GET /ehr/{ehr_id}/directory');
    assert.equal(gone.status, 204);
    const recreated = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/directory`).send(folder('new root'));
    assert.equal(recreated.status, 201);
  });

  it('keeps the uid the client gives a new directory', async () => {
    const uid = randomUUID();
    const created = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/directory`).set('Prefer', 'return=representation').send({ ...folder('root'), uid: { _type: 'HIER_OBJECT_ID', value: uid } });
    assertConforms(created, 'POST /ehr/{ehr_id}/directory');
    assert.equal(created.status, 201);
    assert.equal(created.body.uid.value, `${uid}::test.cdr.local::1`);
  });

  it('answers 404 when the EHR has no directory', async () => {
    const res = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/directory`);
    assertConforms(res, 'GET /ehr/{ehr_id}/directory');
    assert.equal(res.status, 404);
  });
});
