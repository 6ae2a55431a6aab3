/**
 * The rows a version is stored as, prepared ahead of the transaction that writes them:
 * the object with its uid as it will be stored, and the rows of its query index (the same
 * rows `AqlIndexer` writes at commit), already in COPY text format. Pure CPU work, so it
 * can run in worker threads while another batch is being written.
 */
import { formatVersionUid } from '@cdr/rm';
import { indexRows } from '../aql/node-rows.js';
import { withVersionUid, type JsonObject, type LifecycleStateCode, type VersionedType } from '../model.js';
import { subjectOf } from '../store.js';
import { copyJson, copyRow, copyText, copyTextArray, copyValue } from './copy.js';

export interface VersionInput {
  readonly ehrId: string;
  readonly objectId: string;
  /** From 1; version n follows version n-1. */
  readonly version: number;
  readonly rmType: VersionedType;
  readonly lifecycleState: LifecycleStateCode;
  readonly templateId?: string | undefined;
  readonly archetypeNodeId?: string | undefined;
  /** The object in canonical JSON, checked; its uid is set from the ids above. */
  readonly data: JsonObject;
}

export interface PreparedVersion {
  readonly ehrId: string;
  readonly objectId: string;
  readonly version: number;
  readonly rmType: VersionedType;
  readonly lifecycleState: LifecycleStateCode;
  readonly templateId: string | null;
  readonly archetypeNodeId: string | null;
  /** The stored object (with its uid) as a COPY jsonb value. */
  readonly dataCopy: string;
  /** Its aql_node rows and aql_folder_item rows, COPY text. */
  readonly nodeRows: string;
  readonly folderRows: string;
}

export interface PreparedEhr {
  readonly ehrId: string;
  readonly isQueryable: boolean;
  readonly isModifiable: boolean;
  readonly subject: { readonly namespace: string; readonly subjectId: string } | undefined;
  /** Version 1 of its EHR_STATUS. */
  readonly status: PreparedVersion;
}


/** The aql_node and aql_folder_item rows of one version of an object, as COPY text. */
export function indexCopyRows(target: { ehrId: string; objectId: string; version: number; rmType: string }, data: JsonObject): { nodes: string; folderItems: string } {
  const { nodes, folderItems } = indexRows(data);
  const prefix = `${target.ehrId}\t${target.objectId}\t${target.version}\t${copyText(target.rmType)}`;
  let rows = '';
  for (const node of nodes) {
    rows += copyRow([
      prefix,
      String(node.num),
      String(node.numCap),
      copyValue(node.parentNum),
      copyValue(node.attr),
      copyText(node.rmType),
      copyValue(node.archetypeNodeId),
      copyValue(node.name),
      String(node.archRoot),
      copyValue(node.archId),
      copyText(node.archPath),
      copyTextArray(node.jsonPath),
      copyJson(node.data),
      copyValue(node.magnitude),
    ]);
  }
  let items = '';
  for (const item of folderItems) {
    items += copyRow([target.ehrId, target.objectId, String(item.num), item.target]);
  }
  return { nodes: rows, folderItems: items };
}

export function prepareVersion(input: VersionInput, systemId: string): PreparedVersion {
  const uid = formatVersionUid({ objectId: input.objectId, systemId, version: input.version });
  const stored = withVersionUid(input.data, uid);
  const index = indexCopyRows({ ehrId: input.ehrId, objectId: input.objectId, version: input.version, rmType: input.rmType }, stored);
  return {
    ehrId: input.ehrId,
    objectId: input.objectId,
    version: input.version,
    rmType: input.rmType,
    lifecycleState: input.lifecycleState,
    templateId: input.templateId ?? null,
    archetypeNodeId: input.archetypeNodeId ?? null,
    dataCopy: copyJson(stored),
    nodeRows: index.nodes,
    folderRows: index.folderItems,
  };
}

/** A new EHR with its first EHR_STATUS (checked, typed). */
export function prepareEhr(input: { ehrId: string; statusId: string; ehrStatus: JsonObject; lifecycleState: LifecycleStateCode }, systemId: string): PreparedEhr {
  const status = prepareVersion(
    {
      ehrId: input.ehrId,
      objectId: input.statusId,
      version: 1,
      rmType: 'EHR_STATUS',
      lifecycleState: input.lifecycleState,
      archetypeNodeId: typeof input.ehrStatus.archetype_node_id === 'string' ? input.ehrStatus.archetype_node_id : undefined,
      data: input.ehrStatus,
    },
    systemId,
  );
  return {
    ehrId: input.ehrId,
    isQueryable: input.ehrStatus.is_queryable !== false,
    isModifiable: input.ehrStatus.is_modifiable !== false,
    subject: subjectOf(input.ehrStatus),
    status,
  };
}
