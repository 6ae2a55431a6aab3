/**
 * Commits many prepared versions (and new EHRs) in one transaction, written with COPY:
 * the same rows a commit writes (contribution, versioned object, version, query index,
 * EHR and subject index), with the same rules, decided under the same locks:
 *
 * - an EHR that exists is left alone ("existing"); a subject that another EHR holds is a
 *   conflict;
 * - a composition version goes to an EHR that exists (or is created earlier in the batch)
 *   and is modifiable (`is_modifiable`, read under a share lock as commits do);
 * - version 1 creates the object; version n needs version n-1 to be the latest and not a
 *   deletion; a version already stored is skipped ("existing"), so a batch can be
 *   committed again without duplicating anything;
 * - the versions of one EHR in a batch form one contribution; only the latest version of
 *   each object is in the query index.
 *
 * Each item gets its own outcome; a rejected item does not stop the others. The whole
 * batch commits or nothing does. A batch that collides with a concurrent writer (a unique
 * key taken meanwhile, a deadlock) is decided and written again.
 */
import { randomUUID } from 'node:crypto';
import { CdrError, conflict, formatVersionUid, notFound } from '@cdr/rm';
import type pg from 'pg';
import { auditDetails } from '../audit.js';
import type { AuditEventInput } from '../audit-trail.js';
import type { Database } from '../database.js';
import { ChangeType, type JsonObject } from '../model.js';
import { translateDatabaseError } from '../pg-errors.js';
import { copyJson, copyRow, copyRows, copyText } from './copy.js';
import type { PreparedEhr, PreparedVersion } from './prepare.js';

export type BulkItem = { readonly kind: 'ehr'; readonly ehr: PreparedEhr } | { readonly kind: 'version'; readonly version: PreparedVersion };

export type BulkOutcome =
  | { readonly status: 'created'; readonly uid: string }
  | { readonly status: 'existing' }
  | { readonly status: 'rejected'; readonly error: CdrError };

export interface BulkOptions {
  readonly systemId: string;
  /** The committer of every version (AUDIT_DETAILS.committer), a PARTY_PROXY. */
  readonly committer: JsonObject;
  readonly description?: JsonObject;
  /**
   * An audit trail event written in the same transaction; the EHRs and version uids the
   * batch wrote are added to it.
   */
  readonly audit?: Omit<AuditEventInput, 'ehrIds' | 'resources' | 'status' | 'outcome'>;
}

export interface BulkResult {
  readonly outcomes: readonly BulkOutcome[];
  readonly timeCommitted: string;
}

const RETRIES = 3;
const RETRYABLE = new Set(['23505', '40001', '40P01']);

export async function commitBulk(db: Database, items: readonly BulkItem[], options: BulkOptions): Promise<BulkResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.clientTransaction((client) => writeBatch(client, items, options));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt < RETRIES && typeof code === 'string' && RETRYABLE.has(code)) {
        continue;
      }
      throw translateDatabaseError(error);
    }
  }
}

interface ObjectState {
  latest: number;
  deleted: boolean;
  readonly rmType: string;
  readonly existed: boolean;
  /** The version the query index must hold after the batch. */
  indexed: PreparedVersion | undefined;
}

const DELETED = '523';

async function writeBatch(client: pg.PoolClient, items: readonly BulkItem[], options: BulkOptions): Promise<BulkResult> {
  const timeCommitted = new Date().toISOString();
  const outcomes: BulkOutcome[] = new Array<BulkOutcome>(items.length);

  // ---------------------------------------------------------- EHRs
  const newEhrs = new Map<string, PreparedEhr>();
  const ehrItems = items.flatMap((item, index) => (item.kind === 'ehr' ? [{ index, ehr: item.ehr }] : []));
  if (ehrItems.length > 0) {
    const ids = [...new Set(ehrItems.map((e) => e.ehr.ehrId))];
    const existing = new Set((await client.query<{ ehr_id: string }>('select ehr_id from ehr where ehr_id = any($1::uuid[])', [ids])).rows.map((r) => r.ehr_id));
    const subjects = ehrItems.flatMap((e) => (e.ehr.subject ? [e.ehr.subject] : []));
    const holders = new Map<string, string>();
    if (subjects.length > 0) {
      const held = await client.query<{ namespace: string; subject_id: string; ehr_id: string }>(
        `select s.namespace, s.subject_id, s.ehr_id from ehr_subject s
         join unnest($1::text[], $2::text[]) x(namespace, subject_id) on s.namespace = x.namespace and s.subject_id = x.subject_id`,
        [subjects.map((s) => s.namespace), subjects.map((s) => s.subjectId)],
      );
      for (const row of held.rows) {
        holders.set(`${row.namespace}\u0000${row.subject_id}`, row.ehr_id);
      }
    }
    for (const { index, ehr } of ehrItems) {
      if (existing.has(ehr.ehrId) || newEhrs.has(ehr.ehrId)) {
        outcomes[index] = { status: 'existing' };
        continue;
      }
      const key = ehr.subject ? `${ehr.subject.namespace}\u0000${ehr.subject.subjectId}` : undefined;
      const holder = key === undefined ? undefined : holders.get(key);
      if (holder !== undefined && holder !== ehr.ehrId) {
        outcomes[index] = {
          status: 'rejected',
          error: conflict(`an EHR for subject ${ehr.subject?.subjectId} in namespace ${ehr.subject?.namespace} already exists (${holder})`),
        };
        continue;
      }
      if (key !== undefined) {
        holders.set(key, ehr.ehrId);
      }
      newEhrs.set(ehr.ehrId, ehr);
      outcomes[index] = { status: 'created', uid: formatVersionUid({ objectId: ehr.status.objectId, systemId: options.systemId, version: 1 }) };
    }
  }

  // ---------------------------------------------------------- versions
  const versionItems = items.flatMap((item, index) => (item.kind === 'version' ? [{ index, version: item.version }] : []));
  const modifiable = new Map<string, boolean>();
  for (const ehr of newEhrs.values()) {
    modifiable.set(ehr.ehrId, ehr.isModifiable);
  }
  const lookUp = [...new Set(versionItems.map((v) => v.version.ehrId).filter((id) => !modifiable.has(id)))];
  if (lookUp.length > 0) {
    const rows = await client.query<{ ehr_id: string; is_modifiable: boolean }>(
      'select ehr_id, is_modifiable from ehr where ehr_id = any($1::uuid[]) for share',
      [lookUp],
    );
    for (const row of rows.rows) {
      modifiable.set(row.ehr_id, row.is_modifiable);
    }
  }
  const objects = new Map<string, ObjectState>();
  const objectKey = (ehrId: string, objectId: string) => `${ehrId}/${objectId}`;
  const known = versionItems.filter((v) => modifiable.has(v.version.ehrId));
  if (known.length > 0) {
    const pairs = [...new Map(known.map((v) => [objectKey(v.version.ehrId, v.version.objectId), v.version])).values()];
    const rows = await client.query<{ ehr_id: string; object_id: string; rm_type: string; latest_version: number; lifecycle_state: string }>(
      `select o.ehr_id, o.object_id, o.rm_type, o.latest_version, v.lifecycle_state
       from versioned_object o
       join unnest($1::uuid[], $2::uuid[]) x(ehr_id, object_id) on o.ehr_id = x.ehr_id and o.object_id = x.object_id
       join object_version v on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
       for update of o`,
      [pairs.map((p) => p.ehrId), pairs.map((p) => p.objectId)],
    );
    for (const row of rows.rows) {
      objects.set(objectKey(row.ehr_id, row.object_id), {
        latest: row.latest_version,
        deleted: row.lifecycle_state === DELETED,
        rmType: row.rm_type,
        existed: true,
        indexed: undefined,
      });
    }
  }
  const accepted: PreparedVersion[] = [];
  for (const { index, version } of versionItems) {
    const isModifiable = modifiable.get(version.ehrId);
    const uid = formatVersionUid({ objectId: version.objectId, systemId: options.systemId, version: version.version });
    if (isModifiable === undefined) {
      outcomes[index] = { status: 'rejected', error: notFound(`EHR with id ${version.ehrId} not found`) };
      continue;
    }
    const key = objectKey(version.ehrId, version.objectId);
    let state = objects.get(key);
    if (state && state.rmType !== version.rmType) {
      outcomes[index] = { status: 'rejected', error: conflict(`${version.objectId} is a ${state.rmType} in EHR ${version.ehrId}, not a ${version.rmType}`) };
      continue;
    }
    const latest = state?.latest ?? 0;
    if (version.version <= latest) {
      outcomes[index] = { status: 'existing' };
      continue;
    }
    if (!isModifiable) {
      outcomes[index] = { status: 'rejected', error: conflict(`EHR ${version.ehrId} is not modifiable (its EHR_STATUS has is_modifiable=false)`) };
      continue;
    }
    if (version.version !== latest + 1) {
      outcomes[index] = {
        status: 'rejected',
        error: conflict(
          latest === 0
            ? `version ${version.version} of ${version.rmType} ${version.objectId} follows version ${version.version - 1}, which is not stored`
            : `version ${version.version} of ${version.rmType} ${version.objectId} follows version ${version.version - 1}, but the latest is ${latest}`,
        ),
      };
      continue;
    }
    if (state?.deleted) {
      outcomes[index] = { status: 'rejected', error: new CdrError('bad-request', `${version.rmType} ${version.objectId} has been deleted`) };
      continue;
    }
    if (!state) {
      state = { latest: 0, deleted: false, rmType: version.rmType, existed: false, indexed: undefined };
      objects.set(key, state);
    }
    state.latest = version.version;
    state.deleted = version.lifecycleState === DELETED;
    state.indexed = version;
    accepted.push(version);
    outcomes[index] = { status: 'created', uid };
  }

  // ---------------------------------------------------------- writes
  const newStatuses = [...newEhrs.values()].map((e) => e.status);
  if (newStatuses.length + accepted.length === 0) {
    return { outcomes, timeCommitted };
  }
  const advanced: { ehrId: string; objectId: string; latest: number }[] = [];
  const createdObjects: { ehrId: string; objectId: string; rmType: string; latest: number }[] = [];
  const indexed: PreparedVersion[] = [];
  for (const [key, state] of objects) {
    if (!state.indexed) {
      continue;
    }
    const [ehrId, objectId] = key.split('/') as [string, string];
    if (state.existed) {
      advanced.push({ ehrId, objectId, latest: state.latest });
    } else {
      createdObjects.push({ ehrId, objectId, rmType: state.rmType, latest: state.latest });
    }
    if (!state.deleted) {
      indexed.push(state.indexed);
    }
  }
  const rows = batchRows({ ehrs: [...newEhrs.values()], versions: accepted, createdObjects, indexed, timeCommitted, options });
  for (const table of ['ehr', 'ehr_subject', 'contribution', 'versioned_object'] as const) {
    await copyRows(client, COPY_STATEMENTS[table], rows[table]);
  }
  if (advanced.length > 0) {
    await client.query(
      `update versioned_object o set latest_version = x.latest
       from unnest($1::uuid[], $2::uuid[], $3::int[]) x(ehr_id, object_id, latest)
       where o.ehr_id = x.ehr_id and o.object_id = x.object_id`,
      [advanced.map((a) => a.ehrId), advanced.map((a) => a.objectId), advanced.map((a) => a.latest)],
    );
    const ehrIds = advanced.map((a) => a.ehrId);
    const objectIds = advanced.map((a) => a.objectId);
    await client.query(
      'delete from aql_node n using unnest($1::uuid[], $2::uuid[]) x(ehr_id, object_id) where n.ehr_id = x.ehr_id and n.vo_id = x.object_id',
      [ehrIds, objectIds],
    );
    await client.query(
      'delete from aql_folder_item f using unnest($1::uuid[], $2::uuid[]) x(ehr_id, object_id) where f.ehr_id = x.ehr_id and f.vo_id = x.object_id',
      [ehrIds, objectIds],
    );
  }
  for (const table of ['object_version', 'aql_node', 'aql_folder_item'] as const) {
    await copyRows(client, COPY_STATEMENTS[table], rows[table]);
  }
  const written = [...newStatuses, ...accepted];
  if (options.audit) {
    const uids = written.map((v) => formatVersionUid({ objectId: v.objectId, systemId: options.systemId, version: v.version }));
    const a = options.audit;
    await client.query(
      `insert into audit_event (correlation_id, subject, client_id, on_behalf_of, purpose, action, method, path,
         status, outcome, ehr_ids, resources, query, details)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::uuid[], $12, $13, $14)`,
      [
        a.correlationId,
        a.subject ?? null,
        a.clientId ?? null,
        a.onBehalfOf ?? null,
        a.purpose ?? null,
        a.action,
        a.method,
        a.path,
        201,
        'success',
        [...new Set(written.map((v) => v.ehrId))],
        uids,
        a.query ?? null,
        a.details ?? null,
      ],
    );
  }
  return { outcomes, timeCommitted };
}

/** The tables a batch writes, in the order it writes them, with their COPY statements. */
export const COPY_STATEMENTS = {
  ehr: 'copy ehr (ehr_id, system_id, time_created, ehr_status_id, directory_id, is_queryable, is_modifiable) from stdin',
  ehr_subject: 'copy ehr_subject (namespace, subject_id, ehr_id) from stdin',
  contribution: 'copy contribution (ehr_id, contribution_id, system_id, time_committed, audit) from stdin',
  versioned_object: 'copy versioned_object (ehr_id, object_id, rm_type, time_created, latest_version) from stdin',
  object_version: `copy object_version (ehr_id, object_id, version, contribution_id, system_id, change_type, lifecycle_state, time_committed,
    audit, archetype_node_id, template_id, data) from stdin`,
  aql_node: `copy aql_node (ehr_id, vo_id, version, obj_type, num, num_cap, parent_num, attr, rm_type, archetype_node_id, name,
    arch_root, arch_id, arch_path, json_path, data, magnitude) from stdin`,
  aql_folder_item: 'copy aql_folder_item (ehr_id, vo_id, num, target) from stdin',
} as const;

export type BulkTable = keyof typeof COPY_STATEMENTS;

/**
 * The rows (COPY text) a batch writes: the new EHRs with their subjects and first
 * EHR_STATUS, one contribution per EHR, the versioned objects created, every version, and
 * the query index of the versions indexed.
 */
export function batchRows(input: {
  readonly ehrs: readonly PreparedEhr[];
  readonly versions: readonly PreparedVersion[];
  readonly createdObjects: readonly { readonly ehrId: string; readonly objectId: string; readonly rmType: string; readonly latest: number }[];
  readonly indexed: readonly PreparedVersion[];
  readonly timeCommitted: string;
  readonly options: Pick<BulkOptions, 'systemId' | 'committer' | 'description'>;
}): Record<BulkTable, string[]> {
  const { options, timeCommitted } = input;
  const time = copyText(timeCommitted);
  const system = copyText(options.systemId);
  const auditOf = (changeType: string) =>
    copyJson(auditDetails({ systemId: options.systemId, timeCommitted, changeType, committer: options.committer, description: options.description }));
  const creationAudit = auditOf(ChangeType.creation);
  const modificationAudit = auditOf(ChangeType.modification);
  const written = [...input.ehrs.map((e) => e.status), ...input.versions];
  const contributions = new Map<string, string>();
  const contribution: string[] = [];
  for (const version of written) {
    if (!contributions.has(version.ehrId)) {
      const id = randomUUID();
      contributions.set(version.ehrId, id);
      contribution.push(copyRow([version.ehrId, id, system, time, version.version === 1 ? creationAudit : modificationAudit]));
    }
  }
  return {
    ehr: input.ehrs.map((e) => copyRow([e.ehrId, system, time, e.status.objectId, '\\N', String(e.isQueryable), String(e.isModifiable)])),
    ehr_subject: input.ehrs.flatMap((e) => (e.subject ? [copyRow([copyText(e.subject.namespace), copyText(e.subject.subjectId), e.ehrId])] : [])),
    contribution,
    versioned_object: [
      ...input.ehrs.map((e) => copyRow([e.ehrId, e.status.objectId, 'EHR_STATUS', time, '1'])),
      ...input.createdObjects.map((o) => copyRow([o.ehrId, o.objectId, copyText(o.rmType), time, String(o.latest)])),
    ],
    object_version: written.map((v) =>
      copyRow([
        v.ehrId,
        v.objectId,
        String(v.version),
        contributions.get(v.ehrId) as string,
        system,
        v.version === 1 ? ChangeType.creation : ChangeType.modification,
        v.lifecycleState,
        time,
        v.version === 1 ? creationAudit : modificationAudit,
        v.archetypeNodeId === null ? '\\N' : copyText(v.archetypeNodeId),
        v.templateId === null ? '\\N' : copyText(v.templateId),
        v.dataCopy,
      ]),
    ),
    aql_node: [...input.ehrs.map((e) => e.status.nodeRows), ...input.indexed.map((v) => v.nodeRows)],
    aql_folder_item: [...input.ehrs.map((e) => e.status.folderRows), ...input.indexed.map((v) => v.folderRows)].filter((r) => r.length > 0),
  };
}

/** The rows of versions that all create new objects (each object's last version indexed), e.g. for a reference COPY. */
export function newObjectRows(ehrs: readonly PreparedEhr[], versions: readonly PreparedVersion[], timeCommitted: string, options: Pick<BulkOptions, 'systemId' | 'committer' | 'description'>): Record<BulkTable, string[]> {
  const last = new Map<string, PreparedVersion>();
  for (const version of versions) {
    last.set(`${version.ehrId}/${version.objectId}`, version);
  }
  const indexed = [...last.values()];
  return batchRows({
    ehrs,
    versions,
    createdObjects: indexed.map((v) => ({ ehrId: v.ehrId, objectId: v.objectId, rmType: v.rmType, latest: v.version })),
    indexed,
    timeCommitted,
    options,
  });
}
