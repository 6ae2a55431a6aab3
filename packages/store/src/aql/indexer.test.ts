import assert from 'node:assert/strict';
import { vitalSignsComposition } from '@cdr/rm/testing/fixtures';
import type { Database } from '../database.js';
import { ChangeType, LifecycleState, type JsonObject } from '../model.js';
import { Store } from '../store.js';
import { openTestDatabase } from '../testing/database.js';
import { AqlIndexer } from './indexer.js';
import { aqlIndexRebuildPending, rebuildAqlIndex } from './rebuild.js';

const committer: JsonObject = { _type: 'PARTY_IDENTIFIED', name: 'Dr Test' };
const ehrStatus: JsonObject = {
  _type: 'EHR_STATUS',
  name: { _type: 'DV_TEXT', value: 'EHR status' },
  archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
  subject: { _type: 'PARTY_SELF' },
  is_queryable: true,
  is_modifiable: true,
};

function composition(systolic: number): JsonObject {
  const data = vitalSignsComposition() as JsonObject;
  delete data.uid;
  const content = data.content as JsonObject[];
  const events = ((content[0]!.data as JsonObject).events as JsonObject[]);
  (((events[0]!.data as JsonObject).items as JsonObject[])[0]!.value as JsonObject).magnitude = systolic;
  return data;
}

describe('AQL index: written with every version', () => {
  let db: Database;
  let store: Store;

  before(async () => {
    db = await openTestDatabase();
    store = new Store(db, { systemId: 'test.cdr', indexer: new AqlIndexer() });
  });
  after(async () => db.close());

  async function rows(ehrId: string, objectId: string) {
    const result = await db.query<{ num: number; version: number; rm_type: string; magnitude: string | null }>(
      `select num, version, rm_type, data->'value'->>'magnitude' as magnitude from aql_node
       where ehr_id = $1 and vo_id = $2 order by num`,
      [ehrId, objectId],
    );
    return result.rows;
  }

  async function systolic(ehrId: string, objectId: string): Promise<string[]> {
    return (await rows(ehrId, objectId))
      .filter((r) => r.rm_type === 'ELEMENT' && r.magnitude !== null)
      .map((r) => r.magnitude as string);
  }

  it('indexes only the latest version and removes a deleted object', async () => {
    const { ehr } = await store.createEhr({ ehrStatus, audit: { committer } });
    assert.equal((await rows(ehr.ehrId, ehr.ehrStatusId))[0]?.rm_type, 'EHR_STATUS');
    const created = await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition(150) }],
    });
    const objectId = created.versions[0]!.objectId;
    assert.deepEqual(await systolic(ehr.ehrId, objectId), ['150', '80', '112', '74']);
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [
        { rmType: 'COMPOSITION', objectId, precedingVersion: 1, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition(133) },
      ],
    });
    const updated = await rows(ehr.ehrId, objectId);
    assert.ok(updated.every((r) => r.version === 2));
    assert.deepEqual(await systolic(ehr.ehrId, objectId), ['133', '80', '112', '74']);
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', objectId, precedingVersion: 2, changeType: ChangeType.deleted, lifecycleState: LifecycleState.deleted, data: null }],
    });
    assert.deepEqual(await rows(ehr.ehrId, objectId), []);
  });

  it('leaves no index rows behind when the commit fails', async () => {
    const { ehr } = await store.createEhr({ ehrStatus, audit: { committer } });
    const before = await db.query('select count(*)::int as n from aql_node where ehr_id = $1', [ehr.ehrId]);
    await assert.rejects(
      store.commit({
        ehrId: ehr.ehrId,
        audit: { committer },
        versions: [
          { rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition(120) },
          { rmType: 'COMPOSITION', objectId: ehr.ehrStatusId, precedingVersion: 7, changeType: ChangeType.modification, lifecycleState: LifecycleState.complete, data: composition(1) },
        ],
      }),
    );
    const after = await db.query('select count(*)::int as n from aql_node where ehr_id = $1', [ehr.ehrId]);
    assert.deepEqual(after.rows, before.rows);
  });

  it('rebuilds the index of existing data', async () => {
    const plain = new Store(db, { systemId: 'test.cdr' });
    const { ehr } = await plain.createEhr({ ehrStatus, audit: { committer } });
    const created = await plain.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [{ rmType: 'COMPOSITION', changeType: ChangeType.creation, lifecycleState: LifecycleState.complete, data: composition(141) }],
    });
    const objectId = created.versions[0]!.objectId;
    assert.deepEqual(await rows(ehr.ehrId, objectId), [], 'a store without the indexer writes no rows');
    await db.query('insert into aql_index_rebuild default values');
    assert.equal(await aqlIndexRebuildPending(db), true);
    const indexed = await rebuildAqlIndex(db, { batchSize: 3 });
    assert.ok(indexed >= 2);
    assert.deepEqual(await systolic(ehr.ehrId, objectId), ['141', '80', '112', '74']);
    assert.equal(await aqlIndexRebuildPending(db), false);
  });
});
