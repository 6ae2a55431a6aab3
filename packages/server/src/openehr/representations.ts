/**
 * The openEHR resources the API returns that are not stored as such: EHR, the
 * VERSIONED_* containers, ORIGINAL_VERSION, REVISION_HISTORY and CONTRIBUTION, built
 * from what the store keeps.
 */
import type { ContributionRecord, EhrRecord, JsonObject, StoredVersion, VersionedObjectInfo } from '@cdr/store';
import { openehrCode } from '@cdr/store';

const LIFECYCLE_NAMES: Readonly<Record<string, string>> = { '532': 'complete', '553': 'incomplete', '523': 'deleted' };

const hierObjectId = (value: string): JsonObject => ({ _type: 'HIER_OBJECT_ID', value });
const objectVersionId = (value: string): JsonObject => ({ _type: 'OBJECT_VERSION_ID', value });
const dateTime = (value: string): JsonObject => ({ _type: 'DV_DATE_TIME', value });

function objectRef(id: JsonObject, type: string): JsonObject {
  return { id, namespace: 'local', type };
}

export function ehrResource(ehr: EhrRecord): JsonObject {
  const resource: JsonObject = {
    system_id: hierObjectId(ehr.systemId),
    ehr_id: hierObjectId(ehr.ehrId),
    ehr_status: objectRef(hierObjectId(ehr.ehrStatusId), 'EHR_STATUS'),
    time_created: dateTime(ehr.timeCreated),
  };
  if (ehr.directoryId) {
    resource.directory = objectRef(hierObjectId(ehr.directoryId), 'FOLDER');
  }
  return resource;
}

export function versionedObjectResource(info: VersionedObjectInfo): JsonObject {
  return {
    _type: `VERSIONED_${info.rmType}`,
    uid: hierObjectId(info.objectId),
    owner_id: objectRef(hierObjectId(info.ehrId), 'EHR'),
    time_created: dateTime(info.timeCreated),
  };
}

export function originalVersionResource(version: StoredVersion): JsonObject {
  const resource: JsonObject = {
    _type: 'ORIGINAL_VERSION',
    uid: objectVersionId(version.uid),
  };
  if (version.version > 1) {
    // The preceding version was committed by this system or an earlier system id; the
    // store keeps the chain linear, so it is the previous number under the object's id.
    resource.preceding_version_uid = objectVersionId(`${version.objectId}::${version.systemId}::${version.version - 1}`);
  }
  resource.contribution = objectRef(hierObjectId(version.contributionId), 'CONTRIBUTION');
  resource.commit_audit = version.audit;
  resource.lifecycle_state = openehrCode(LIFECYCLE_NAMES[version.lifecycleState] ?? 'unknown', version.lifecycleState);
  if (version.data) {
    resource.data = version.data;
  }
  return resource;
}

export function revisionHistoryResource(versions: readonly StoredVersion[]): JsonObject {
  return {
    items: versions.map((v) => ({
      version_id: objectVersionId(v.uid),
      audits: [v.audit],
    })),
  };
}

export function contributionResource(contribution: ContributionRecord): JsonObject {
  return {
    uid: hierObjectId(contribution.contributionId),
    versions: contribution.versions.map((v) => ({ _type: 'OBJECT_REF', ...objectRef(objectVersionId(v.uid), v.rmType) })),
    audit: contribution.audit,
  };
}

/** The HTTP date of an ISO timestamp, for Last-Modified. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
