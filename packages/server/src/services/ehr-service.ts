/**
 * The openEHR EHR service: what the REST API does, in terms of the store. Every change
 * is a contribution; PUT/POST/DELETE on resources are contributions of one version.
 */
import { randomUUID } from 'node:crypto';
import {
  CdrError,
  badRequest,
  formatVersionUid,
  notFound,
  parseUidBasedId,
  parseUuid,
  parseVersionUid,
  tryParseVersionUid,
  type ObjectVersionId,
} from '@cdr/rm';
import {
  ChangeType,
  LifecycleState,
  type ChangeTypeCode,
  type CommitRequest,
  type CommittedContribution,
  type EhrRecord,
  type JsonObject,
  type LifecycleStateCode,
  type NewVersion,
  type Store,
  type StoredVersion,
  type VersionedObjectInfo,
  type VersionedType,
} from '@cdr/store';
import type { CommitMetadata } from '../http/audit-headers.js';
import type { CheckedContent, ContentChecks } from './content-checks.js';

export const DEFAULT_EHR_STATUS: JsonObject = {
  _type: 'EHR_STATUS',
  name: { _type: 'DV_TEXT', value: 'EHR Status' },
  archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
  subject: { _type: 'PARTY_SELF' },
  is_queryable: true,
  is_modifiable: true,
};

/** A point in time for `version_at_time`: extended ISO 8601 with a date and a time. */
export function parseTime(value: string, what = 'version_at_time'): string {
  const isoDateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}([.,]\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
  const time = Date.parse(value.replace(',', '.'));
  if (!isoDateTime.test(value) || Number.isNaN(time)) {
    throw badRequest(`${what} '${value}' is not an ISO 8601 date-time such as 2015-01-20T19:30:22.765+01:00`);
  }
  return new Date(time).toISOString();
}

const UPDATE_CHANGE_TYPES = new Set<string>([
  ChangeType.modification,
  ChangeType.amendment,
  ChangeType.synthesis,
  ChangeType.unknown,
  ChangeType.attestation,
]);

export class EhrService {
  constructor(
    readonly store: Store,
    private readonly checks: ContentChecks,
    /** Told of every version committed (metrics). */
    private readonly committed: (version: StoredVersion) => void = () => undefined,
  ) {}

  /** Commits a contribution and reports its versions. */
  private async commit(request: CommitRequest): Promise<CommittedContribution> {
    const contribution = await this.store.commit(request);
    contribution.versions.forEach(this.committed);
    return contribution;
  }

  // ------------------------------------------------------------ EHR

  async createEhr(input: { ehrId?: string; status?: unknown; meta: CommitMetadata }): Promise<EhrRecord> {
    const ehrId = input.ehrId === undefined ? undefined : parseUuid(input.ehrId, 'ehr_id');
    const status = input.status === undefined ? DEFAULT_EHR_STATUS : (await this.checks.check('EHR_STATUS', input.status)).data;
    if (ehrId && (await this.store.getEhr(ehrId))) {
      throw new CdrError('conflict', `an EHR with id ${ehrId} already exists`);
    }
    const { ehr, contribution } = await this.store.createEhr({
      ...(ehrId ? { ehrId } : {}),
      ehrStatus: withoutUid(status),
      audit: { committer: input.meta.committer, ...(input.meta.description ? { description: input.meta.description } : {}) },
    });
    contribution.versions.forEach(this.committed);
    return ehr;
  }

  async getEhr(ehrId: string): Promise<EhrRecord> {
    const id = parseUuid(ehrId, 'ehr_id');
    const ehr = await this.store.getEhr(id);
    if (!ehr) {
      throw notFound(`EHR with id ${id} not found`);
    }
    return ehr;
  }

  async findEhrBySubject(subjectId: string | undefined, namespace: string | undefined): Promise<EhrRecord> {
    if (!subjectId || !namespace) {
      throw badRequest('both subject_id and subject_namespace are required');
    }
    const ehr = await this.store.findEhrBySubject(subjectId, namespace);
    if (!ehr) {
      throw notFound(`no EHR for subject ${subjectId} in namespace ${namespace}`);
    }
    return ehr;
  }

  // ------------------------------------------------------------ versions, generic

  /**
   * A version by its uid, checked to belong to this EHR and type. One query when it
   * exists; the EHR is looked at only to tell an unknown EHR from an unknown version.
   */
  async versionByUid(ehrId: string, versionUid: string, rmType: VersionedType): Promise<StoredVersion> {
    const id = parseUuid(ehrId, 'ehr_id');
    const uid = parseVersionUid(versionUid, 'version uid');
    const version = await this.store.getVersion(id, uid.objectId, uid.version, rmType);
    if (!version || version.systemId !== uid.systemId) {
      await this.getEhr(id);
      throw notFound(`${rmType} version ${versionUid} not found in EHR ${id}`);
    }
    return version;
  }

  /** The latest version, or the one extant at `at`. */
  async versionOf(ehrId: string, objectId: string, rmType: VersionedType, at?: string): Promise<StoredVersion> {
    const id = parseUuid(ehrId, 'ehr_id');
    const time = at === undefined ? undefined : parseTime(at);
    const version = time === undefined
      ? await this.store.getLatestVersion(id, objectId, rmType)
      : await this.store.getVersionAtTime(id, objectId, time, rmType);
    if (!version) {
      await this.getEhr(id);
      await this.requireObject(id, objectId, rmType);
      throw notFound(`no version of ${rmType} ${objectId} existed at ${at ?? 'any time'}`);
    }
    return version;
  }

  async requireObject(ehrId: string, objectId: string, rmType: VersionedType): Promise<VersionedObjectInfo> {
    const info = await this.store.getVersionedObject(ehrId, objectId, rmType);
    if (!info) {
      throw notFound(`${rmType} with uid ${objectId} not found in EHR ${ehrId}`);
    }
    return info;
  }

  async history(ehrId: string, objectId: string, rmType: VersionedType): Promise<{ info: VersionedObjectInfo; versions: StoredVersion[] }> {
    const info = await this.requireObject(ehrId, objectId, rmType);
    return { info, versions: await this.store.listVersions(ehrId, objectId) };
  }

  // ------------------------------------------------------------ EHR_STATUS

  async updateEhrStatus(ehrId: string, precedingUid: string, body: unknown, meta: CommitMetadata): Promise<StoredVersion> {
    const ehr = await this.getEhr(ehrId);
    return this.updateObject(ehr, 'EHR_STATUS', ehr.ehrStatusId, precedingUid, await this.checks.check('EHR_STATUS', body), meta);
  }

  // ------------------------------------------------------------ COMPOSITION

  async createComposition(ehrId: string, body: unknown, meta: CommitMetadata): Promise<StoredVersion> {
    const id = parseUuid(ehrId, 'ehr_id');
    // The commit finds the EHR (404) itself; only a refused body asks first, so that a
    // missing EHR is still reported before what is wrong with the body.
    const checked = await this.checks.check('COMPOSITION', body).catch(async (error: unknown) => {
      await this.getEhr(id);
      throw error;
    });
    if (meta.changeType !== undefined && meta.changeType !== ChangeType.creation) {
      throw badRequest(`a new COMPOSITION is a creation (249), not change type ${meta.changeType}`);
    }
    const objectId = suppliedObjectId(checked.data);
    if (objectId && (await this.store.getVersionedObject(id, objectId))) {
      throw badRequest(`the COMPOSITION's uid names an object that already exists (${objectId}); update it with PUT instead`);
    }
    const contribution = await this.commit({
      ehrId: id,
      audit: audit(meta),
      versions: [
        {
          rmType: 'COMPOSITION',
          changeType: ChangeType.creation,
          lifecycleState: lifecycle(meta),
          data: withoutUid(checked.data),
          ...(objectId ? { objectId } : {}),
          ...contentFields(checked),
        },
      ],
    });
    return only(contribution);
  }

  async updateComposition(ehrId: string, objectIdText: string, precedingUid: string, body: unknown, meta: CommitMetadata): Promise<StoredVersion> {
    const ehr = await this.getEhr(ehrId);
    const target = parseUidBasedId(objectIdText, 'composition uid');
    const objectId = target.objectId;
    const checked = await this.checks.check('COMPOSITION', body);
    const supplied = suppliedObjectId(checked.data);
    if (supplied && supplied !== objectId) {
      throw badRequest(`the COMPOSITION's uid ${supplied} does not match ${objectId} in the URL`);
    }
    await this.requireObject(ehr.ehrId, objectId, 'COMPOSITION');
    return this.updateObject(ehr, 'COMPOSITION', objectId, precedingUid, checked, meta);
  }

  /** Deletes by the latest version uid: a new version with lifecycle state deleted. */
  async deleteVersioned(ehrId: string, precedingUid: string, rmType: VersionedType, meta: CommitMetadata, staleAs: 'conflict' | 'precondition-failed'): Promise<StoredVersion> {
    const ehr = await this.getEhr(ehrId);
    const preceding = parseVersionUid(precedingUid, `${rmType} version uid`);
    const latest = await this.store.getLatestVersion(ehr.ehrId, preceding.objectId, rmType);
    if (!latest) {
      throw notFound(`${rmType} with uid ${preceding.objectId} not found in EHR ${ehr.ehrId}`);
    }
    if (latest.lifecycleState === LifecycleState.deleted) {
      throw badRequest(`${rmType} ${preceding.objectId} is already deleted`);
    }
    const contribution = await this.commit({
      ehrId: ehr.ehrId,
      audit: audit(meta, ChangeType.deleted),
      staleAs,
      versions: [
        {
          rmType,
          objectId: preceding.objectId,
          precedingVersion: preceding.version,
          precedingSystemId: preceding.systemId,
          changeType: ChangeType.deleted,
          lifecycleState: LifecycleState.deleted,
          data: null,
        },
      ],
    });
    return only(contribution);
  }

  // ------------------------------------------------------------ DIRECTORY

  async createDirectory(ehrId: string, body: unknown, meta: CommitMetadata): Promise<StoredVersion> {
    const ehr = await this.getEhr(ehrId);
    // A deleted directory may be replaced by a new one; a live one may not.
    if (ehr.directoryId) {
      const latest = await this.store.getLatestVersion(ehr.ehrId, ehr.directoryId, 'FOLDER');
      if (latest && latest.lifecycleState !== LifecycleState.deleted) {
        throw new CdrError('conflict', `EHR ${ehr.ehrId} already has a directory (${latest.uid})`);
      }
    }
    const checked = await this.checks.check('FOLDER', body);
    // A directory keeps the uid its client gave it, as compositions do.
    const objectId = suppliedObjectId(checked.data);
    if (objectId && (await this.store.getVersionedObject(ehr.ehrId, objectId))) {
      throw badRequest(`the FOLDER's uid names an object that already exists (${objectId})`);
    }
    const contribution = await this.commit({
      ehrId: ehr.ehrId,
      audit: audit(meta),
      versions: [
        {
          rmType: 'FOLDER',
          ...(objectId ? { objectId } : {}),
          changeType: ChangeType.creation,
          lifecycleState: lifecycle(meta),
          data: withoutUid(checked.data),
          ...contentFields(checked),
        },
      ],
    });
    return only(contribution);
  }

  async updateDirectory(ehrId: string, precedingUid: string, body: unknown, meta: CommitMetadata): Promise<StoredVersion> {
    const ehr = await this.getEhr(ehrId);
    if (!ehr.directoryId) {
      throw notFound(`EHR ${ehr.ehrId} has no directory`);
    }
    return this.updateObject(ehr, 'FOLDER', ehr.directoryId, precedingUid, await this.checks.check('FOLDER', body), meta);
  }

  async directoryId(ehrId: string): Promise<string> {
    const ehr = await this.getEhr(ehrId);
    if (!ehr.directoryId) {
      throw notFound(`EHR ${ehr.ehrId} has no directory`);
    }
    return ehr.directoryId;
  }

  // ------------------------------------------------------------ CONTRIBUTION

  async commitContribution(ehrId: string, body: unknown, meta: CommitMetadata): Promise<CommittedContribution> {
    const ehr = await this.getEhr(ehrId);
    const request = asObject(body, 'the body must be a CONTRIBUTION object');
    const versions = request.versions;
    if (!Array.isArray(versions) || versions.length === 0) {
      throw badRequest('the contribution must contain a non-empty list of versions');
    }
    const contributionId = request.uid === undefined ? undefined : parseUuid(String((request.uid as JsonObject).value ?? ''), 'contribution uid');
    const contributionAudit = request.audit === undefined ? undefined : asObject(request.audit, 'audit must be an UPDATE_AUDIT object');
    const newVersions: NewVersion[] = [];
    // Objects created earlier in the same contribution, so later versions may follow them.
    const createdHere = new Map<string, number>();
    for (const [index, raw] of versions.entries()) {
      try {
        newVersions.push(await this.contributionVersion(ehr, raw, index, createdHere));
      } catch (error) {
        // The REST API reports a version that cannot be committed as a bad contribution (400).
        if (error instanceof CdrError && error.kind === 'unprocessable') {
          throw new CdrError('bad-request', error.message, { issues: error.issues, cause: error });
        }
        throw error;
      }
    }
    const committer = (contributionAudit?.committer as JsonObject | undefined) ?? meta.committer;
    const description = (contributionAudit?.description as JsonObject | undefined) ?? meta.description;
    return this.commit({
      ehrId: ehr.ehrId,
      ...(contributionId ? { contributionId } : {}),
      audit: { committer, ...(description ? { description } : {}) },
      staleAs: 'conflict',
      versions: newVersions,
    });
  }

  private async contributionVersion(ehr: EhrRecord, raw: unknown, index: number, createdHere: Map<string, number>): Promise<NewVersion> {
    const where = `/versions[${index + 1}]`;
    const version = asObject(raw, `${where} must be a VERSION object`);
    const commitAudit = asObject(version.commit_audit, `${where}/commit_audit is required`);
    const changeType = codeString(commitAudit.change_type, `${where}/commit_audit/change_type`) as ChangeTypeCode;
    if (!Object.values(ChangeType).includes(changeType)) {
      throw badRequest(`${where}/commit_audit/change_type: unknown change type code ${changeType}`);
    }
    const lifecycleCode = version.lifecycle_state === undefined ? LifecycleState.complete : codeString(version.lifecycle_state, `${where}/lifecycle_state`);
    if (!Object.values(LifecycleState).includes(lifecycleCode as LifecycleStateCode)) {
      throw badRequest(`${where}/lifecycle_state: unknown lifecycle state code ${lifecycleCode}`);
    }
    const data = asObject(version.data, `${where}/data is required`);
    const rmType = data._type;
    if (rmType !== 'COMPOSITION' && rmType !== 'EHR_STATUS' && rmType !== 'FOLDER') {
      throw badRequest(`${where}/data/_type must be COMPOSITION, EHR_STATUS or FOLDER, not '${String(rmType)}'`);
    }
    const committer = (commitAudit.committer as JsonObject | undefined) ?? undefined;
    const versionAudit = committer
      ? { committer, ...(commitAudit.description ? { description: commitAudit.description as JsonObject } : {}) }
      : undefined;
    const precedingRaw = version.preceding_version_uid as JsonObject | undefined;

    if (changeType === ChangeType.creation) {
      if (precedingRaw !== undefined) {
        throw badRequest(`${where}: a creation cannot have a preceding_version_uid`);
      }
      if (rmType === 'EHR_STATUS') {
        throw badRequest(`${where}: the EHR already has an EHR_STATUS; commit a modification of it`);
      }
      const checked = await this.checks.check(rmType, data, `${where}/data: `);
      const objectId = suppliedObjectId(checked.data) ?? randomUUID();
      createdHere.set(objectId, 1);
      return {
        rmType,
        objectId,
        changeType,
        lifecycleState: lifecycleCode as LifecycleStateCode,
        data: withoutUid(checked.data),
        ...contentFields(checked),
        ...(versionAudit ? { audit: versionAudit } : {}),
      };
    }

    if (precedingRaw === undefined) {
      throw badRequest(`${where}: a ${rmType} version with change type ${changeType} needs its preceding_version_uid`);
    }
    const preceding = tryParseVersionUid(String(precedingRaw.value ?? ''));
    if (!preceding) {
      throw badRequest(`${where}/preceding_version_uid: '${String(precedingRaw.value ?? '')}' is not a version uid (uuid::system_id::version)`);
    }
    if (rmType === 'EHR_STATUS' && preceding.objectId !== ehr.ehrStatusId) {
      throw badRequest(`${where}/preceding_version_uid: ${preceding.objectId} is not the EHR_STATUS of EHR ${ehr.ehrId}`);
    }
    const inContribution = createdHere.get(preceding.objectId);
    if (inContribution !== undefined) {
      createdHere.set(preceding.objectId, inContribution + 1);
    }
    if (changeType === ChangeType.deleted) {
      return {
        rmType,
        objectId: preceding.objectId,
        precedingVersion: preceding.version,
        ...(inContribution === undefined ? { precedingSystemId: preceding.systemId } : {}),
        changeType,
        lifecycleState: LifecycleState.deleted,
        data: null,
        ...(versionAudit ? { audit: versionAudit } : {}),
      };
    }
    const checked = await this.checks.check(rmType, data, `${where}/data: `);
    return {
      rmType,
      objectId: preceding.objectId,
      precedingVersion: preceding.version,
      ...(inContribution === undefined ? { precedingSystemId: preceding.systemId } : {}),
      changeType,
      lifecycleState: lifecycleCode as LifecycleStateCode,
      data: withoutUid(checked.data),
      ...contentFields(checked),
      ...(versionAudit ? { audit: versionAudit } : {}),
    };
  }

  async getContribution(ehrId: string, contributionUid: string) {
    const ehr = await this.getEhr(ehrId);
    const id = parseUuid(contributionUid, 'contribution uid');
    const contribution = await this.store.getContribution(ehr.ehrId, id);
    if (!contribution) {
      throw notFound(`contribution ${id} not found in EHR ${ehr.ehrId}`);
    }
    return contribution;
  }

  // ------------------------------------------------------------ helpers

  private expectedPreceding(uid: string, objectId: string, rmType: VersionedType): ObjectVersionId {
    const preceding = parseVersionUid(uid, 'If-Match version uid');
    if (preceding.objectId !== objectId) {
      throw badRequest(`If-Match names ${uid}, which is not a version of this ${rmType} (${objectId})`);
    }
    return preceding;
  }

  /** An If-Match update: one new version following `precedingUid`, which must be the latest. */
  private async updateObject(
    ehr: EhrRecord,
    rmType: VersionedType,
    objectId: string,
    precedingUid: string,
    checked: CheckedContent,
    meta: CommitMetadata,
  ): Promise<StoredVersion> {
    const preceding = this.expectedPreceding(precedingUid, objectId, rmType);
    const changeType = (meta.changeType ?? ChangeType.modification) as ChangeTypeCode;
    if (!UPDATE_CHANGE_TYPES.has(changeType)) {
      throw badRequest(`an update cannot have change type ${changeType}`);
    }
    const contribution = await this.commit({
      ehrId: ehr.ehrId,
      audit: audit(meta),
      staleAs: 'precondition-failed',
      versions: [
        {
          rmType,
          objectId,
          precedingVersion: preceding.version,
          precedingSystemId: preceding.systemId,
          changeType,
          lifecycleState: lifecycle(meta),
          data: withoutUid(checked.data),
          ...contentFields(checked),
        },
      ],
    });
    return only(contribution);
  }
}

/** What a checked object contributes to its version besides the data. */
function contentFields(checked: CheckedContent): Pick<NewVersion, 'templateId' | 'archetypeNodeId'> {
  return {
    ...(checked.templateId ? { templateId: checked.templateId } : {}),
    ...(checked.archetypeNodeId ? { archetypeNodeId: checked.archetypeNodeId } : {}),
  };
}

function audit(meta: CommitMetadata, changeType?: ChangeTypeCode) {
  return {
    committer: meta.committer,
    ...(meta.description ? { description: meta.description } : {}),
    ...(changeType ? { changeType } : {}),
  };
}

function lifecycle(meta: CommitMetadata): LifecycleStateCode {
  return (meta.lifecycleState ?? LifecycleState.complete) as LifecycleStateCode;
}

function only(contribution: CommittedContribution): StoredVersion {
  return contribution.versions[0] as StoredVersion;
}

function asObject(value: unknown, message: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(message);
  }
  return value as JsonObject;
}

/** The code_string of a DV_CODED_TEXT, a CODE_PHRASE or a TERMINOLOGY_CODE. */
function codeString(value: unknown, where: string): string {
  const object = asObject(value, `${where} is required`);
  const definingCode = object.defining_code as JsonObject | undefined;
  const code = definingCode?.code_string ?? object.code_string;
  if (typeof code !== 'string') {
    throw badRequest(`${where} needs a code_string`);
  }
  return code;
}

/** The object id a client chose for a new object (COMPOSITION.uid), if any. */
function suppliedObjectId(data: JsonObject): string | undefined {
  const uid = data.uid as JsonObject | undefined;
  const value = uid?.value;
  if (typeof value !== 'string' || value.length === 0) {
    return undefined;
  }
  const asVersion = tryParseVersionUid(value);
  if (asVersion) {
    return asVersion.objectId;
  }
  try {
    return parseUuid(value, 'uid');
  } catch {
    throw badRequest(`uid '${value}' is neither a version uid (uuid::system_id::version) nor a UUID`);
  }
}

function withoutUid(data: JsonObject): JsonObject {
  const { uid: _uid, ...rest } = data;
  return rest;
}

export { formatVersionUid };
