/**
 * Writes the AQL query index inside the commit transaction: for every stored version the
 * object's rows are replaced by those of the new version, and a deletion (data null)
 * removes them. Only the latest version of an object is ever indexed.
 */
import type { Queryable } from '../database.js';
import type { JsonObject, StoredVersion } from '../model.js';
import type { VersionIndexer } from '../store.js';
import { indexRows } from './node-rows.js';

const INSERT_NODES = `insert into aql_node (ehr_id, vo_id, version, obj_type, num, num_cap, parent_num, attr, rm_type,
    archetype_node_id, name, arch_root, arch_id, arch_path, json_path, data, magnitude)
  select $1, $2, $3, $4, r.num, r.num_cap, r.parent_num, r.attr, r.rm_type, r.archetype_node_id, r.name,
    r.arch_root, r.arch_id, r.arch_path, r.json_path, r.data, r.magnitude
  from jsonb_to_recordset($5::jsonb) as r(num integer, num_cap integer, parent_num integer, attr text, rm_type text,
    archetype_node_id text, name text, arch_root integer, arch_id text, arch_path text, json_path text[], data jsonb,
    magnitude numeric)`;

const INSERT_FOLDER_ITEMS = `insert into aql_folder_item (ehr_id, vo_id, num, target)
  select $1, $2, r.num, r.target from jsonb_to_recordset($3::jsonb) as r(num integer, target uuid)`;

/** The object's rows in the index, whatever version they came from (one statement). */
export async function removeFromIndex(tx: Queryable, ehrId: string, objectId: string): Promise<void> {
  await tx.query(
    `with nodes as (delete from aql_node where ehr_id = $1 and vo_id = $2)
     delete from aql_folder_item where ehr_id = $1 and vo_id = $2`,
    [ehrId, objectId],
  );
}

/**
 * Indexes one version of an object, replacing what was indexed for the object before;
 * `fresh` says the object was created in this very transaction, so nothing was.
 */
export async function indexObject(
  tx: Queryable,
  target: { ehrId: string; objectId: string; version: number; rmType: string },
  data: JsonObject | null,
  options: { fresh?: boolean } = {},
): Promise<void> {
  if (!options.fresh) {
    await removeFromIndex(tx, target.ehrId, target.objectId);
  }
  if (data === null) {
    return;
  }
  const { nodes, folderItems } = indexRows(data);
  const rows = nodes.map((node) => ({
    num: node.num,
    num_cap: node.numCap,
    parent_num: node.parentNum,
    attr: node.attr,
    rm_type: node.rmType,
    archetype_node_id: node.archetypeNodeId,
    name: node.name,
    arch_root: node.archRoot,
    arch_id: node.archId,
    arch_path: node.archPath,
    json_path: node.jsonPath,
    data: node.data,
    magnitude: node.magnitude,
  }));
  await tx.query(INSERT_NODES, [target.ehrId, target.objectId, target.version, target.rmType, JSON.stringify(rows)]);
  if (folderItems.length > 0) {
    await tx.query(INSERT_FOLDER_ITEMS, [target.ehrId, target.objectId, JSON.stringify(folderItems)]);
  }
}

/** The store's hook: keeps the index in step with every version committed. */
export class AqlIndexer implements VersionIndexer {
  async onVersion(tx: Queryable, version: StoredVersion): Promise<void> {
    await indexObject(
      tx,
      { ehrId: version.ehrId, objectId: version.objectId, version: version.version, rmType: version.rmType },
      version.data,
      { fresh: version.version === 1 },
    );
  }
}
