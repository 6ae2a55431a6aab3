/**
 * (Re)builds the AQL query index from the versions already stored: after the index
 * migration meets existing data, or whenever the index is suspected to be out of step.
 * Objects are indexed in batches, each batch in one transaction that holds a share lock
 * on the batch's versioned objects, so a concurrent commit of one of them waits for the
 * batch and then indexes its own new version: the index never goes back to an older one.
 * Safe to run while the CDR serves requests, and to run again.
 */
import type { Database, Queryable } from '../database.js';
import type { JsonObject } from '../model.js';
import { indexObject } from './indexer.js';

export interface RebuildOptions {
  /** Objects per transaction. */
  readonly batchSize?: number;
  /** Called after every batch. */
  readonly onProgress?: (indexed: number) => void;
}

interface ObjectRow {
  ehr_id: string;
  object_id: string;
  rm_type: string;
  latest_version: number;
  data: JsonObject | null;
}

/** Whether the index waits for a rebuild (the index migration met existing data). */
export async function aqlIndexRebuildPending(db: Queryable): Promise<boolean> {
  const result = await db.query('select 1 from aql_index_rebuild limit 1');
  return (result.rowCount ?? 0) > 0;
}

/** Indexes the latest version of every object; returns how many objects were indexed. */
export async function rebuildAqlIndex(db: Database, options: RebuildOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let after: { ehrId: string; objectId: string } | undefined;
  let indexed = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await tx.query<ObjectRow>(
        `select o.ehr_id, o.object_id, o.rm_type, o.latest_version, v.data
         from versioned_object o
         join object_version v on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
         where ($1::uuid is null or (o.ehr_id, o.object_id) > ($1::uuid, $2::uuid))
         order by o.ehr_id, o.object_id
         limit $3
         for share of o`,
        [after?.ehrId ?? null, after?.objectId ?? null, batchSize],
      );
      for (const row of rows.rows) {
        await indexObject(tx, { ehrId: row.ehr_id, objectId: row.object_id, version: row.latest_version, rmType: row.rm_type }, row.data);
      }
      return rows.rows;
    });
    indexed += batch.length;
    options.onProgress?.(indexed);
    const last = batch[batch.length - 1];
    if (!last || batch.length < batchSize) {
      break;
    }
    after = { ehrId: last.ehr_id, objectId: last.object_id };
  }
  await db.query('delete from aql_index_rebuild');
  return indexed;
}
