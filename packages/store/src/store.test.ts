import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CdrError } from '@cdr/rm';
import type { Database } from './database.js';
import { ChangeType, LifecycleState, type JsonObject } from './model.js';
import { Store } from './store.js';
import { openTestDatabase } from './testing/database.js';

const committer: JsonObject = { _type: 'PARTY_IDENTIFIED', name: 'Dr Test' };

function ehrStatus(subjectId?: string): JsonObject {
  return {
    _type: 'EHR_STATUS',
    name: { _type: 'DV_TEXT', value: 'EHR status' },
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    subject: subjectId
      ? {
          _type: 'PARTY_SELF',
          external_ref: { id: { _type: 'GENERIC_ID', value: subjectId, scheme: 'id_scheme' }, namespace: 'test', type: 'PERSON' },
        }
      : { _type: 'PARTY_SELF' },
    is_queryable: true,
    is_modifiable: true,
  };
}

const composition = (title: string): JsonObject => ({
  _type: 'COMPOSITION',
  name: { _type: 'DV_TEXT', value: title },
  archetype_node_id: 'openEHR-EHR-COMPOSITION.test.v1',
});

function isError(kind: CdrError['kind']) {
  return (error: unknown) => error instanceof CdrError && error.kind === kind;
}

describe('store', () => {
  let db: Database;
  let store: Store;

  before(async () => {
    db = await openTestDatabase();
    store = new Store(db, { systemId: 'test.cdr' });
  });
  after(async () => db.close());

  it('creates an EHR with its first EHR_STATUS version in one contribution', async () => {
    const { ehr, contribution } = await store.createEhr({ ehrStatus: ehrStatus(), audit: { committer } });
    assert.equal(contribution.versions.length, 1);
    const status = await store.getLatestVersion(ehr.ehrId, ehr.ehrStatusId, 'EHR_STATUS');
    assert.equal(status?.uid, `${ehr.ehrStatusId}::test.cdr::1`);
    assert.deepEqual((status?.data?.uid as JsonObject).value, status?.uid);
    assert.equal(status?.contributionId, contribution.contributionId);
  });

  it('finds an EHR by subject and refuses a second one for the same subject', async () => {
    const subject = randomUUID();
    const { ehr } = await store.createEhr({ ehrStatus: ehrStatus(subject), audit: { committer } });
    assert.equal((await store.findEhrBySubject(subject, 'test'))?.ehrId, ehr.ehrId);
    await assert.rejects(store.createEhr({ ehrStatus: ehrStatus(subject), audit: { committer } }), isError('conflict'));
    assert.equal(await store.findEhrBySubject(subject, 'other'), undefined);
  });

  it('keeps every version; a deletion is a new version and the object stays deleted', async () => {
    const { ehr } = await store.createEhr({ ehrStatus: ehrStatus(), audit: { committer } });
    const created = await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition('first') }],
    });
    const objectId = created.versions[0]!.objectId;
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', objectId, precedingVersion: 1, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition('second') }],
    });
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', objectId, precedingVersion: 2, changeType: ChangeType.deleted, lifecycleState: LifecycleState.deleted, data: null }],
    });
    const versions = await store.listVersions(ehr.ehrId, objectId);
    assert.deepEqual(versions.map((v) => v.version), [1, 2, 3]);
    assert.deepEqual(versions.map((v) => (v.data?.name as JsonObject | undefined)?.value ?? null), ['first', 'second', null]);
    await assert.rejects(
      store.commit({
        ehrId: ehr.ehrId,
        audit: { committer },
        versions: [{ rmType: 'COMPOSITION', objectId, precedingVersion: 3, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition('third') }],
      }),
      isError('bad-request'),
    );
    assert.equal((await store.getVersionedObject(ehr.ehrId, objectId))?.latestVersion, 3);
  });

  it('lets exactly one of several concurrent updates of the same version win', async () => {
    const { ehr } = await store.createEhr({ ehrStatus: ehrStatus(), audit: { committer } });
    const created = await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition('v1') }],
    });
    const objectId = created.versions[0]!.objectId;
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store.commit({
          ehrId: ehr.ehrId,
          audit: { committer },
          staleAs: 'precondition-failed',
          versions: [{ rmType: 'COMPOSITION', objectId, precedingVersion: 1, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition(`v2-${i}`) }],
        }),
      ),
    );
    assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
    const failures = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    assert.equal(failures.length, 7);
    for (const failure of failures) {
      assert.ok(isError('precondition-failed')(failure.reason), String(failure.reason));
      assert.equal((failure.reason as CdrError).headers.ETag, `"${objectId}::test.cdr::2"`);
    }
    assert.equal((await store.listVersions(ehr.ehrId, objectId)).length, 2);
  });

  it('leaves nothing behind when one version of a contribution fails', async () => {
    const { ehr } = await store.createEhr({ ehrStatus: ehrStatus(), audit: { committer } });
    const contributionId = randomUUID();
    const goodId = randomUUID();
    await assert.rejects(
      store.commit({
        ehrId: ehr.ehrId,
        contributionId,
        audit: { committer },
        versions: [
          { rmType: 'COMPOSITION', objectId: goodId, changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition('good') },
          { rmType: 'COMPOSITION', objectId: randomUUID(), precedingVersion: 1, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition('bad') },
        ],
      }),
      isError('not-found'),
    );
    assert.equal(await store.getContribution(ehr.ehrId, contributionId), undefined);
    assert.equal(await store.getVersionedObject(ehr.ehrId, goodId), undefined);
  });

  it('commits contributions to several EHRs together, or none of them', async () => {
    const [a, b] = await Promise.all([1, 2].map(async () => (await store.createEhr({ ehrStatus: ehrStatus(), audit: { committer } })).ehr));
    const create = (ehrId: string, title: string) => ({
      ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION' as const, changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition(title) }],
    });
    const committed = await store.commitAll([create(b!.ehrId, 'to b'), create(a!.ehrId, 'to a')]);
    assert.deepEqual(committed.map((c) => c.ehrId), [b!.ehrId, a!.ehrId]);
    assert.equal(committed[0]?.timeCommitted, committed[1]?.timeCommitted);
    const toA = committed[1]?.versions[0];
    assert.equal(((await store.getLatestVersion(a!.ehrId, toA!.objectId, 'COMPOSITION'))?.data?.name as JsonObject).value, 'to a');

    const versionsOfA = async () => (await db.query<{ n: number }>('select count(*) as n from object_version where ehr_id = $1', [a!.ehrId])).rows[0]?.n;
    const before = await versionsOfA();
    const locked = (await store.createEhr({ ehrStatus: { ...ehrStatus(), is_modifiable: false }, audit: { committer } })).ehr;
    const contributionId = randomUUID();
    await assert.rejects(store.commitAll([{ ...create(a!.ehrId, 'never'), contributionId }, create(locked.ehrId, 'refused')]), isError('conflict'));
    assert.equal(await store.getContribution(a!.ehrId, contributionId), undefined);
    assert.equal(await versionsOfA(), before);
    await assert.rejects(store.commitAll([create(a!.ehrId, 'never'), create(randomUUID(), 'nowhere')]), isError('not-found'));
    assert.equal(await versionsOfA(), before);
  });

  it('refuses commits to an EHR that is not modifiable, but accepts a new EHR_STATUS', async () => {
    const { ehr } = await store.createEhr({ ehrStatus: { ...ehrStatus(), is_modifiable: false }, audit: { committer } });
    await assert.rejects(
      store.commit({
        ehrId: ehr.ehrId,
        audit: { committer },
        versions: [{ rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition('x') }],
      }),
      isError('conflict'),
    );
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'EHR_STATUS', objectId: ehr.ehrStatusId, precedingVersion: 1, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: ehrStatus() }],
    });
    assert.equal((await store.getEhr(ehr.ehrId))?.isModifiable, true);
  });

  it('finds the version extant at a given time', async () => {
    const { ehr } = await store.createEhr({ ehrStatus: ehrStatus(), audit: { committer } });
    const first = await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition('a') }],
    });
    await new Promise((r) => setTimeout(r, 15));
    const objectId = first.versions[0]!.objectId;
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', objectId, precedingVersion: 1, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition('b') }],
    });
    const atFirst = await store.getVersionAtTime(ehr.ehrId, objectId, first.timeCommitted);
    assert.equal(atFirst?.version, 1);
    const before = await store.getVersionAtTime(ehr.ehrId, objectId, '2000-01-01T00:00:00Z');
    assert.equal(before, undefined);
    assert.equal((await store.getVersionAtTime(ehr.ehrId, objectId, new Date().toISOString()))?.version, 2);
  });
});
