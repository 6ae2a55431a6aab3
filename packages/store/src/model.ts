/**
 * What the store keeps: versioned objects (COMPOSITION, EHR_STATUS, FOLDER) as a chain
 * of versions, each committed in a contribution with its AUDIT_DETAILS.
 */

export type VersionedType = 'COMPOSITION' | 'EHR_STATUS' | 'FOLDER';

/** openEHR terminology, group "audit change type". */
export const ChangeType = {
  creation: '249',
  amendment: '250',
  modification: '251',
  synthesis: '252',
  unknown: '253',
  deleted: '523',
  attestation: '666',
} as const;
export type ChangeTypeName = keyof typeof ChangeType;
export type ChangeTypeCode = (typeof ChangeType)[ChangeTypeName];

/** openEHR terminology, group "version lifecycle state". */
export const LifecycleState = {
  complete: '532',
  incomplete: '553',
  deleted: '523',
} as const;
export type LifecycleStateName = keyof typeof LifecycleState;
export type LifecycleStateCode = (typeof LifecycleState)[LifecycleStateName];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface StoredVersion {
  readonly ehrId: string;
  readonly objectId: string;
  readonly version: number;
  readonly systemId: string;
  /** `objectId::systemId::version` */
  readonly uid: string;
  readonly rmType: VersionedType;
  readonly contributionId: string;
  readonly changeType: string;
  readonly lifecycleState: string;
  /** ISO 8601 in UTC. */
  readonly timeCommitted: string;
  /** The version's commit AUDIT_DETAILS (canonical JSON). */
  readonly audit: JsonObject;
  readonly templateId: string | null;
  readonly archetypeNodeId: string | null;
  /** The object, or null when the version records a deletion. */
  readonly data: JsonObject | null;
}

export interface VersionedObjectInfo {
  readonly ehrId: string;
  readonly objectId: string;
  readonly rmType: VersionedType;
  readonly timeCreated: string;
  readonly latestVersion: number;
}

/** The audit a committer supplies; the store adds system_id and time_committed. */
export interface AuditInput {
  readonly committer: JsonObject;
  readonly description?: JsonObject;
  /** The change type of the contribution as a whole (defaults to that of its first version). */
  readonly changeType?: ChangeTypeCode;
}

export interface NewVersion {
  readonly rmType: VersionedType;
  readonly changeType: ChangeTypeCode;
  readonly lifecycleState: LifecycleStateCode;
  /** Required unless this is a creation; a creation may choose its object id. */
  readonly objectId?: string;
  /**
   * The version this one follows. A creation has none; for anything else it must be the
   * latest version, or the commit fails with `stale`.
   */
  readonly precedingVersion?: number;
  /** The system id of the preceding version's uid, when the caller named one; it must match too. */
  readonly precedingSystemId?: string;
  /** The object (its uid is set by the store), or null for a deletion. */
  readonly data: JsonObject | null;
  readonly templateId?: string;
  readonly archetypeNodeId?: string;
  /** Per-version audit; defaults to the contribution's. */
  readonly audit?: AuditInput;
}

export interface CommitRequest {
  readonly ehrId: string;
  readonly contributionId?: string;
  readonly audit: AuditInput;
  readonly versions: readonly NewVersion[];
  /**
   * How a stale preceding version is reported: 412 for If-Match updates, 409 for
   * contributions and deletions by version uid.
   */
  readonly staleAs?: 'precondition-failed' | 'conflict';
}

export interface CommittedContribution {
  readonly ehrId: string;
  readonly contributionId: string;
  readonly timeCommitted: string;
  readonly audit: JsonObject;
  readonly versions: readonly StoredVersion[];
}

export interface EhrRecord {
  readonly ehrId: string;
  readonly systemId: string;
  readonly timeCreated: string;
  readonly ehrStatusId: string;
  readonly directoryId: string | null;
  readonly isQueryable: boolean;
  readonly isModifiable: boolean;
}

export interface ContributionRecord {
  readonly ehrId: string;
  readonly contributionId: string;
  readonly systemId: string;
  readonly timeCommitted: string;
  readonly audit: JsonObject;
  readonly versions: readonly { readonly uid: string; readonly rmType: VersionedType }[];
}

/** The object with its uid where the RM puts it: after `_type`, `name` and `archetype_node_id`. */
export function withVersionUid(data: JsonObject, uid: string): JsonObject {
  const { _type, name, archetype_node_id, uid: _previous, ...rest } = data;
  const ordered: JsonObject = {};
  if (_type !== undefined) {
    ordered._type = _type;
  }
  if (name !== undefined) {
    ordered.name = name;
  }
  if (archetype_node_id !== undefined) {
    ordered.archetype_node_id = archetype_node_id;
  }
  ordered.uid = { _type: 'OBJECT_VERSION_ID', value: uid };
  return { ...ordered, ...rest };
}
