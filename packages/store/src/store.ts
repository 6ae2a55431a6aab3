/**
 * The persistence core. EHRs, versioned objects and contributions live in PostgreSQL;
 * a contribution is one transaction, history is never overwritten, and a deletion is a
 * new version whose lifecycle state is "deleted".
 */
import { randomUUID } from 'node:crypto';
import { CdrError, conflict, formatVersionUid, notFound } from '@cdr/rm';
import { auditDetails } from './audit.js';
import type { Database, Queryable } from './database.js';
import {
  ChangeType,
  LifecycleState,
  type CommitRequest,
  type CommittedContribution,
  type ContributionRecord,
  type EhrRecord,
  type JsonObject,
  type NewVersion,
  type StoredVersion,
  type VersionedObjectInfo,
  type VersionedType,
  withVersionUid,
} from './model.js';

interface VersionRow {
  ehr_id: string;
  object_id: string;
  version: number;
  system_id: string;
  rm_type: VersionedType;
  contribution_id: string;
  change_type: string;
  lifecycle_state: string;
  time_committed: string;
  audit: JsonObject;
  template_id: string | null;
  archetype_node_id: string | null;
  data: JsonObject | null;
}

interface EhrRow {
  ehr_id: string;
  system_id: string;
  time_created: string;
  ehr_status_id: string;
  directory_id: string | null;
  is_queryable: boolean;
  is_modifiable: boolean;
}

const VERSION_COLUMNS = `v.ehr_id, v.object_id, v.version, v.system_id, o.rm_type, v.contribution_id, v.change_type,
  v.lifecycle_state, v.time_committed, v.audit, v.template_id, v.archetype_node_id, v.data`;

/** Timestamps come back from Postgres as text in the session time zone (UTC). */
export function isoTimestamp(value: string): string {
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

function toVersion(row: VersionRow): StoredVersion {
  return {
    ehrId: row.ehr_id,
    objectId: row.object_id,
    version: row.version,
    systemId: row.system_id,
    uid: formatVersionUid({ objectId: row.object_id, systemId: row.system_id, version: row.version }),
    rmType: row.rm_type,
    contributionId: row.contribution_id,
    changeType: row.change_type,
    lifecycleState: row.lifecycle_state,
    timeCommitted: isoTimestamp(row.time_committed),
    audit: row.audit,
    templateId: row.template_id,
    archetypeNodeId: row.archetype_node_id,
    data: row.data,
  };
}

function toEhr(row: EhrRow): EhrRecord {
  return {
    ehrId: row.ehr_id,
    systemId: row.system_id,
    timeCreated: isoTimestamp(row.time_created),
    ehrStatusId: row.ehr_status_id,
    directoryId: row.directory_id,
    isQueryable: row.is_queryable,
    isModifiable: row.is_modifiable,
  };
}

/** The subject of an EHR_STATUS as used for the subject index, if it has an external ref. */
export function subjectOf(ehrStatus: JsonObject): { namespace: string; subjectId: string } | undefined {
  const subject = ehrStatus.subject as JsonObject | undefined;
  const ref = subject?.external_ref as JsonObject | undefined;
  const id = ref?.id as JsonObject | undefined;
  const namespace = ref?.namespace;
  const value = id?.value;
  if (typeof namespace === 'string' && typeof value === 'string') {
    return { namespace, subjectId: value };
  }
  return undefined;
}

/**
 * Keeps derived data (the query index) in step with the versions: called inside the
 * commit transaction for every version stored, so the index commits or rolls back with it.
 */
export interface VersionIndexer {
  onVersion(tx: Queryable, version: StoredVersion): Promise<void>;
}

export interface StoreOptions {
  readonly systemId: string;
  readonly indexer?: VersionIndexer;
}

export class Store {
  readonly systemId: string;
  private readonly indexer: VersionIndexer | undefined;

  constructor(
    readonly db: Database,
    options: StoreOptions,
  ) {
    this.systemId = options.systemId;
    this.indexer = options.indexer;
  }

  // ---------------------------------------------------------------- EHRs

  /**
   * Creates an EHR with its first EHR_STATUS version, in one contribution.
   * A second EHR for the same subject and namespace is a conflict.
   */
  async createEhr(input: { ehrId?: string; ehrStatus: JsonObject; audit: CommitRequest['audit'] }): Promise<{
    ehr: EhrRecord;
    contribution: CommittedContribution;
  }> {
    const ehrId = input.ehrId ?? randomUUID();
    const ehrStatusId = randomUUID();
    const timeCreated = new Date().toISOString();
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query<EhrRow>(
        `insert into ehr (ehr_id, system_id, time_created, ehr_status_id, is_queryable, is_modifiable)
         values ($1, $2, $3, $4, $5, $6) on conflict (ehr_id) do nothing returning *`,
        [
          ehrId,
          this.systemId,
          timeCreated,
          ehrStatusId,
          input.ehrStatus.is_queryable !== false,
          input.ehrStatus.is_modifiable !== false,
        ],
      );
      const row = inserted.rows[0];
      if (!row) {
        throw conflict(`an EHR with id ${ehrId} already exists`);
      }
      const contribution = await this.commitIn(tx, toEhr(row), {
        ehrId,
        audit: input.audit,
        versions: [
          {
            rmType: 'EHR_STATUS',
            objectId: ehrStatusId,
            changeType: ChangeType.creation,
            lifecycleState: LifecycleState.complete,
            data: input.ehrStatus,
            ...archetypeNodeIdOf(input.ehrStatus),
          },
        ],
      }, timeCreated);
      return { ehr: toEhr(row), contribution };
    });
  }

  async getEhr(ehrId: string, tx: Queryable = this.db): Promise<EhrRecord | undefined> {
    const result = await tx.query<EhrRow>('select * from ehr where ehr_id = $1', [ehrId]);
    const row = result.rows[0];
    return row ? toEhr(row) : undefined;
  }

  async requireEhr(ehrId: string): Promise<EhrRecord> {
    const ehr = await this.getEhr(ehrId);
    if (!ehr) {
      throw notFound(`EHR with id ${ehrId} not found`);
    }
    return ehr;
  }

  async findEhrBySubject(subjectId: string, namespace: string): Promise<EhrRecord | undefined> {
    const result = await this.db.query<EhrRow>(
      `select e.* from ehr_subject s join ehr e on e.ehr_id = s.ehr_id
       where s.namespace = $1 and s.subject_id = $2`,
      [namespace, subjectId],
    );
    const row = result.rows[0];
    return row ? toEhr(row) : undefined;
  }

  // ---------------------------------------------------------------- commits

  /** Commits a contribution: all its versions or none. */
  async commit(request: CommitRequest): Promise<CommittedContribution> {
    return this.db.transaction(async (tx) => {
      const ehr = await tx.query<EhrRow>('select * from ehr where ehr_id = $1 for share', [request.ehrId]);
      const row = ehr.rows[0];
      if (!row) {
        throw notFound(`EHR with id ${request.ehrId} not found`);
      }
      return this.commitIn(tx, toEhr(row), request, new Date().toISOString());
    });
  }

  /**
   * Commits contributions to several EHRs (one contribution each) in one transaction: all of
   * them or none. The EHRs are locked in the order of their ids, as every multi-EHR commit
   * does, so two such commits cannot deadlock.
   */
  async commitAll(requests: readonly CommitRequest[]): Promise<CommittedContribution[]> {
    if (requests.length === 1) {
      return [await this.commit(requests[0] as CommitRequest)];
    }
    return this.db.transaction(async (tx) => {
      const ids = [...new Set(requests.map((r) => r.ehrId))].sort();
      const found = await tx.query<EhrRow>('select * from ehr where ehr_id = any($1::uuid[]) order by ehr_id for share', [ids]);
      const ehrs = new Map(found.rows.map((row) => [row.ehr_id, toEhr(row)]));
      const missing = ids.find((id) => !ehrs.has(id));
      if (missing !== undefined) {
        throw notFound(`EHR with id ${missing} not found`);
      }
      const timeCommitted = new Date().toISOString();
      const committed: CommittedContribution[] = [];
      for (const request of requests) {
        committed.push(await this.commitIn(tx, ehrs.get(request.ehrId) as EhrRecord, request, timeCommitted));
      }
      return committed;
    });
  }

  private async commitIn(
    tx: Queryable,
    ehr: EhrRecord,
    request: CommitRequest,
    timeCommitted: string,
  ): Promise<CommittedContribution> {
    if (request.versions.length === 0) {
      throw new CdrError('bad-request', 'a contribution must contain at least one version');
    }
    const changesStatus = request.versions.some((v) => v.rmType === 'EHR_STATUS');
    if (!ehr.isModifiable && !changesStatus) {
      throw conflict(`EHR ${ehr.ehrId} is not modifiable (its EHR_STATUS has is_modifiable=false)`);
    }
    const contributionId = request.contributionId ?? randomUUID();
    const first = request.versions[0] as NewVersion;
    const contributionAudit = auditDetails({
      systemId: this.systemId,
      timeCommitted,
      changeType: request.audit.changeType ?? first.changeType,
      committer: request.audit.committer,
      description: request.audit.description,
    });
    const inserted = await tx.query(
      `insert into contribution (ehr_id, contribution_id, system_id, time_committed, audit)
       values ($1, $2, $3, $4, $5) on conflict do nothing`,
      [ehr.ehrId, contributionId, this.systemId, timeCommitted, contributionAudit],
    );
    if (inserted.rowCount === 0) {
      throw conflict(`a contribution with uid ${contributionId} already exists`);
    }
    const versions: StoredVersion[] = [];
    for (const [index, version] of request.versions.entries()) {
      versions.push(await this.commitVersion(tx, ehr, contributionId, timeCommitted, request, version, index));
    }
    return { ehrId: ehr.ehrId, contributionId, timeCommitted, audit: contributionAudit, versions };
  }

  private async commitVersion(
    tx: Queryable,
    ehr: EhrRecord,
    contributionId: string,
    timeCommitted: string,
    request: CommitRequest,
    input: NewVersion,
    index: number,
  ): Promise<StoredVersion> {
    const where = request.versions.length > 1 ? ` (version ${index + 1} of the contribution)` : '';
    let objectId: string;
    let version: number;
    if (input.precedingVersion === undefined) {
      if (input.changeType !== ChangeType.creation) {
        throw new CdrError('bad-request', `a ${input.rmType} version without a preceding version must be a creation${where}`);
      }
      objectId = input.objectId ?? randomUUID();
      version = 1;
      const created = await tx.query(
        `insert into versioned_object (ehr_id, object_id, rm_type, time_created, latest_version)
         values ($1, $2, $3, $4, 1) on conflict do nothing`,
        [ehr.ehrId, objectId, input.rmType, timeCommitted],
      );
      if (created.rowCount === 0) {
        throw conflict(`a ${input.rmType} with uid ${objectId} already exists in EHR ${ehr.ehrId}${where}`);
      }
    } else {
      if (input.objectId === undefined) {
        throw new CdrError('bad-request', `a ${input.rmType} version that follows another needs its object id${where}`);
      }
      if (input.changeType === ChangeType.creation) {
        throw new CdrError('bad-request', `a creation cannot have a preceding version${where}`);
      }
      objectId = input.objectId;
      version = await this.advanceLatest(tx, ehr.ehrId, input, request.staleAs ?? 'conflict', where);
    }
    const data = input.data === null ? null : withVersionUid(input.data, formatVersionUid({ objectId, systemId: this.systemId, version }));
    const audit = auditDetails({
      systemId: this.systemId,
      timeCommitted,
      changeType: input.changeType,
      committer: (input.audit ?? request.audit).committer,
      description: (input.audit ?? request.audit).description,
    });
    await tx.query(
      `insert into object_version (ehr_id, object_id, version, contribution_id, system_id, change_type,
         lifecycle_state, time_committed, audit, archetype_node_id, template_id, data)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        ehr.ehrId,
        objectId,
        version,
        contributionId,
        this.systemId,
        input.changeType,
        input.lifecycleState,
        timeCommitted,
        audit,
        input.archetypeNodeId ?? null,
        input.templateId ?? null,
        data,
      ],
    );
    await this.afterVersion(tx, ehr, input, objectId, data, where);
    const stored: StoredVersion = {
      ehrId: ehr.ehrId,
      objectId,
      version,
      systemId: this.systemId,
      uid: formatVersionUid({ objectId, systemId: this.systemId, version }),
      rmType: input.rmType,
      contributionId,
      changeType: input.changeType,
      lifecycleState: input.lifecycleState,
      timeCommitted,
      audit,
      templateId: input.templateId ?? null,
      archetypeNodeId: input.archetypeNodeId ?? null,
      data,
    };
    await this.indexer?.onVersion(tx, stored);
    return stored;
  }

  /**
   * Moves a versioned object's latest version from `precedingVersion` to the next one.
   * The compare-and-set makes concurrent updates with the same preceding version
   * serialise: exactly one wins, the others see a stale version.
   */
  private async advanceLatest(
    tx: Queryable,
    ehrId: string,
    input: NewVersion,
    staleAs: 'precondition-failed' | 'conflict',
    where: string,
  ): Promise<number> {
    const preceding = input.precedingVersion as number;
    const advanced = await tx.query<{ latest_version: number }>(
      `update versioned_object set latest_version = latest_version + 1
       where ehr_id = $1 and object_id = $2 and rm_type = $3 and latest_version = $4
       returning latest_version`,
      [ehrId, input.objectId, input.rmType, preceding],
    );
    const row = advanced.rows[0];
    if (row) {
      await this.checkPreceding(tx, ehrId, input, preceding, staleAs, where);
      return row.latest_version;
    }
    const current = await tx.query<{ latest_version: number; rm_type: string; system_id: string }>(
      `select o.latest_version, o.rm_type, v.system_id from versioned_object o
       join object_version v on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
       where o.ehr_id = $1 and o.object_id = $2`,
      [ehrId, input.objectId],
    );
    const existing = current.rows[0];
    if (!existing || existing.rm_type !== input.rmType) {
      throw notFound(`${input.rmType} with uid ${input.objectId} not found in EHR ${ehrId}${where}`);
    }
    const latestUid = formatVersionUid({ objectId: input.objectId as string, systemId: existing.system_id, version: existing.latest_version });
    throw new CdrError(
      staleAs,
      `version ${preceding} of ${input.rmType} ${input.objectId} is not the latest; the latest is ${latestUid}${where}`,
      { headers: { ETag: `"${latestUid}"`, 'X-Latest-Version-Uid': latestUid } },
    );
  }

  /**
   * Checks the version being replaced: it must be the one the caller named (system id
   * included), and a logically deleted object takes no further versions.
   */
  private async checkPreceding(
    tx: Queryable,
    ehrId: string,
    input: NewVersion,
    preceding: number,
    staleAs: 'precondition-failed' | 'conflict',
    where: string,
  ): Promise<void> {
    const previous = await tx.query<{ lifecycle_state: string; system_id: string }>(
      'select lifecycle_state, system_id from object_version where ehr_id = $1 and object_id = $2 and version = $3',
      [ehrId, input.objectId, preceding],
    );
    const row = previous.rows[0];
    if (row && input.precedingSystemId !== undefined && row.system_id !== input.precedingSystemId) {
      const latestUid = formatVersionUid({ objectId: input.objectId as string, systemId: row.system_id, version: preceding });
      throw new CdrError(
        staleAs,
        `version ${input.objectId}::${input.precedingSystemId}::${preceding} does not exist; the latest is ${latestUid}${where}`,
        { headers: { ETag: `"${latestUid}"`, 'X-Latest-Version-Uid': latestUid } },
      );
    }
    if (row?.lifecycle_state === LifecycleState.deleted) {
      throw new CdrError('bad-request', `${input.rmType} ${input.objectId} has been deleted${where}`);
    }
  }

  /** Keeps the EHR row (consent flags, subject index, directory) in step with its objects. */
  private async afterVersion(
    tx: Queryable,
    ehr: EhrRecord,
    input: NewVersion,
    objectId: string,
    data: JsonObject | null,
    where: string,
  ): Promise<void> {
    if (input.rmType === 'EHR_STATUS') {
      if (objectId !== ehr.ehrStatusId) {
        throw new CdrError('bad-request', `EHR ${ehr.ehrId} already has an EHR_STATUS (${ehr.ehrStatusId})${where}`);
      }
      if (!data) {
        throw new CdrError('bad-request', `the EHR_STATUS of an EHR cannot be deleted${where}`);
      }
      await tx.query('update ehr set is_queryable = $2, is_modifiable = $3 where ehr_id = $1', [
        ehr.ehrId,
        data.is_queryable !== false,
        data.is_modifiable !== false,
      ]);
      await tx.query('delete from ehr_subject where ehr_id = $1', [ehr.ehrId]);
      const subject = subjectOf(data);
      if (subject) {
        const added = await tx.query(
          `insert into ehr_subject (namespace, subject_id, ehr_id) values ($1, $2, $3) on conflict do nothing`,
          [subject.namespace, subject.subjectId, ehr.ehrId],
        );
        if (added.rowCount === 0) {
          throw conflict(
            `an EHR for subject ${subject.subjectId} in namespace ${subject.namespace} already exists${where}`,
          );
        }
      }
    } else if (input.rmType === 'FOLDER' && input.changeType === ChangeType.creation) {
      // The EHR's directory: a new one may replace one that was deleted, never a live one.
      const claimed = await tx.query(
        `update ehr e set directory_id = $2 where e.ehr_id = $1 and (e.directory_id is null or exists (
           select 1 from versioned_object o join object_version v
             on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
           where o.ehr_id = e.ehr_id and o.object_id = e.directory_id and v.lifecycle_state = $3))`,
        [ehr.ehrId, objectId, LifecycleState.deleted],
      );
      if (claimed.rowCount === 0) {
        throw conflict(`EHR ${ehr.ehrId} already has a directory${where}`);
      }
    }
  }

  // ---------------------------------------------------------------- reads

  async getVersionedObject(ehrId: string, objectId: string, rmType?: VersionedType): Promise<VersionedObjectInfo | undefined> {
    const result = await this.db.query<{
      ehr_id: string;
      object_id: string;
      rm_type: VersionedType;
      time_created: string;
      latest_version: number;
    }>('select * from versioned_object where ehr_id = $1 and object_id = $2', [ehrId, objectId]);
    const row = result.rows[0];
    if (!row || (rmType && row.rm_type !== rmType)) {
      return undefined;
    }
    return {
      ehrId: row.ehr_id,
      objectId: row.object_id,
      rmType: row.rm_type,
      timeCreated: isoTimestamp(row.time_created),
      latestVersion: row.latest_version,
    };
  }

  async getVersion(ehrId: string, objectId: string, version: number, rmType?: VersionedType): Promise<StoredVersion | undefined> {
    const result = await this.db.query<VersionRow>(
      `select ${VERSION_COLUMNS} from object_version v join versioned_object o using (ehr_id, object_id)
       where v.ehr_id = $1 and v.object_id = $2 and v.version = $3`,
      [ehrId, objectId, version],
    );
    return pick(result.rows[0], rmType);
  }

  async getLatestVersion(ehrId: string, objectId: string, rmType?: VersionedType): Promise<StoredVersion | undefined> {
    const result = await this.db.query<VersionRow>(
      `select ${VERSION_COLUMNS} from versioned_object o join object_version v
         on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
       where o.ehr_id = $1 and o.object_id = $2`,
      [ehrId, objectId],
    );
    return pick(result.rows[0], rmType);
  }

  /** The version extant at `time`: the newest one committed at or before it. */
  async getVersionAtTime(ehrId: string, objectId: string, time: string, rmType?: VersionedType): Promise<StoredVersion | undefined> {
    const result = await this.db.query<VersionRow>(
      `select ${VERSION_COLUMNS} from object_version v join versioned_object o using (ehr_id, object_id)
       where v.ehr_id = $1 and v.object_id = $2 and v.time_committed <= $3
       order by v.version desc limit 1`,
      [ehrId, objectId, time],
    );
    return pick(result.rows[0], rmType);
  }

  async listVersions(ehrId: string, objectId: string): Promise<StoredVersion[]> {
    const result = await this.db.query<VersionRow>(
      `select ${VERSION_COLUMNS} from object_version v join versioned_object o using (ehr_id, object_id)
       where v.ehr_id = $1 and v.object_id = $2 order by v.version`,
      [ehrId, objectId],
    );
    return result.rows.map(toVersion);
  }

  async getContribution(ehrId: string, contributionId: string): Promise<ContributionRecord | undefined> {
    const result = await this.db.query<{
      ehr_id: string;
      contribution_id: string;
      system_id: string;
      time_committed: string;
      audit: JsonObject;
    }>('select * from contribution where ehr_id = $1 and contribution_id = $2', [ehrId, contributionId]);
    const row = result.rows[0];
    if (!row) {
      return undefined;
    }
    const versions = await this.db.query<{ object_id: string; version: number; system_id: string; rm_type: VersionedType }>(
      `select v.object_id, v.version, v.system_id, o.rm_type
       from object_version v join versioned_object o using (ehr_id, object_id)
       where v.ehr_id = $1 and v.contribution_id = $2 order by v.object_id, v.version`,
      [ehrId, contributionId],
    );
    return {
      ehrId: row.ehr_id,
      contributionId: row.contribution_id,
      systemId: row.system_id,
      timeCommitted: isoTimestamp(row.time_committed),
      audit: row.audit,
      versions: versions.rows.map((v) => ({
        uid: formatVersionUid({ objectId: v.object_id, systemId: v.system_id, version: v.version }),
        rmType: v.rm_type,
      })),
    };
  }
}

function pick(row: VersionRow | undefined, rmType: VersionedType | undefined): StoredVersion | undefined {
  if (!row || (rmType && row.rm_type !== rmType)) {
    return undefined;
  }
  return toVersion(row);
}


function archetypeNodeIdOf(data: JsonObject): { archetypeNodeId?: string } {
  return typeof data.archetype_node_id === 'string' ? { archetypeNodeId: data.archetype_node_id } : {};
}
