/**
 * FHIR resources from stored openEHR versions: read, vread and history by resource id, and
 * the resources of search hits. A resource id names its composition (or, for a Patient, its
 * EHR); the mappings make the resource from the version asked for, so every resource carries
 * the provenance of that version (meta.versionId, meta.lastUpdated, meta.source).
 */
import { CdrError, formatVersionUid, notFound } from '@cdr/rm';
import { printable, type FhirResource, type Mappings, type ResourceLocation } from '@cdr/fhir';
import { isoTimestamp, type Database, type JsonObject, type Store, type StoredVersion } from '@cdr/store';

/** A resource as one version makes it, or the fact that the version deleted it. */
export interface ResourceVersion {
  readonly resource?: FhirResource;
  readonly version: number;
  readonly lastUpdated: string;
  readonly deleted: boolean;
}

/** 410: the resource existed and its latest version deletes it. */
export class GoneError extends CdrError {
  constructor(message: string) {
    super('gone', message);
  }
}

interface VersionRow {
  ehr_id: string;
  object_id: string;
  version: number;
  system_id: string;
  time_committed: string;
  latest_version: number;
  data: JsonObject | null;
}

export class FhirResources {
  constructor(
    readonly mappings: Mappings,
    private readonly db: Database,
    private readonly store: Store,
  ) {}

  /** The resources of one stored version (an EHR_STATUS makes the Patient). */
  make(
    version: { ehrId: string; objectId: string; version: number; systemId: string; timeCommitted: string; data: JsonObject },
    latest: boolean,
    openehrBaseUrl: string,
    wanted?: (resourceType: string, id: string) => boolean,
  ): FhirResource[] {
    return this.mappings.toFhir(
      version.data,
      {
        ehrId: version.ehrId,
        versionUid: formatVersionUid({ objectId: version.objectId, systemId: version.systemId, version: version.version }),
        timeCommitted: version.timeCommitted,
        openehrBaseUrl,
        latest,
      },
      wanted,
    );
  }

  /** Where a resource id of a type points; 404 when it is not an id of ours. */
  locate(resourceType: string, id: string): ResourceLocation {
    const location = this.mappings.locate(resourceType, id);
    if (!location) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    return location;
  }

  /** The EHR that holds a composition (the resource id names the composition only). */
  async ehrOfComposition(compositionId: string): Promise<string | undefined> {
    const result = await this.db.query<{ ehr_id: string }>(`select ehr_id from versioned_object where object_id = $1 and rm_type = 'COMPOSITION'`, [compositionId]);
    return result.rows[0]?.ehr_id;
  }

  /** The EHR a resource belongs to (undefined: no such resource). */
  async ehrOf(location: ResourceLocation): Promise<string | undefined> {
    if (location.kind === 'ehr') {
      return (await this.store.getEhr(location.ehrId))?.ehrId;
    }
    return this.ehrOfComposition(location.compositionId);
  }

  /** Every version of the object a resource is made from, oldest first, with what each makes of it. */
  async history(resourceType: string, id: string, openehrBaseUrl: string, location = this.locate(resourceType, id)): Promise<{ ehrId: string; versions: ResourceVersion[] }> {
    const target = await this.target(location);
    if (!target) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    const stored = await this.store.listVersions(target.ehrId, target.objectId);
    const latest = stored[stored.length - 1]?.version;
    const versions = stored.map((v) => this.versionOf(v, resourceType, id, v.version === latest, openehrBaseUrl));
    if (!versions.some((v) => v.resource)) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    return { ehrId: target.ehrId, versions };
  }

  /** The resource as the latest version (or version `n`) makes it: 404 unknown, 410 deleted. */
  async read(resourceType: string, id: string, openehrBaseUrl: string, n?: number, location = this.locate(resourceType, id)): Promise<{ ehrId: string; resource: FhirResource; version: number }> {
    const target = await this.target(location);
    if (!target) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    const info = await this.store.getVersionedObject(target.ehrId, target.objectId);
    const wanted = n ?? info?.latestVersion;
    const stored = wanted === undefined ? undefined : await this.store.getVersion(target.ehrId, target.objectId, wanted);
    if (!info || !stored) {
      throw notFound(n === undefined ? `${resourceType}/${printable(id)} is not known` : `${resourceType}/${printable(id)} has no version ${n}`);
    }
    const made = this.versionOf(stored, resourceType, id, stored.version === info.latestVersion, openehrBaseUrl);
    if (made.deleted) {
      throw new GoneError(`${resourceType}/${printable(id)} was deleted (version ${stored.version})`);
    }
    if (!made.resource) {
      throw notFound(n === undefined ? `${resourceType}/${printable(id)} is not known` : `version ${n} of the composition does not make ${resourceType}/${printable(id)}`);
    }
    return { ehrId: target.ehrId, resource: made.resource, version: stored.version };
  }

  private async target(location: ResourceLocation): Promise<{ ehrId: string; objectId: string } | undefined> {
    if (location.kind === 'ehr') {
      const ehr = await this.store.getEhr(location.ehrId);
      return ehr ? { ehrId: ehr.ehrId, objectId: ehr.ehrStatusId } : undefined;
    }
    const ehrId = await this.ehrOfComposition(location.compositionId);
    return ehrId ? { ehrId, objectId: location.compositionId } : undefined;
  }

  private versionOf(stored: StoredVersion, resourceType: string, id: string, latest: boolean, openehrBaseUrl: string): ResourceVersion {
    if (stored.data === null) {
      return { version: stored.version, lastUpdated: stored.timeCommitted, deleted: true };
    }
    const resource = this.make({ ...stored, data: stored.data }, latest, openehrBaseUrl, (type, made) => type === resourceType && made === id)[0];
    return { ...(resource ? { resource } : {}), version: stored.version, lastUpdated: stored.timeCommitted, deleted: false };
  }

  /**
   * The resources of search hits, in their order: each hit names a version of a composition
   * and the resource's id; the versions are read in one query and mapped once each. That
   * query reads by primary key whatever the hits, so it is prepared once per session with a
   * generic plan (planning it took several times longer than running it).
   */
  async ofHits(hits: readonly { ehrId: string; objectId: string; version: number; resourceType: string; id: string }[], openehrBaseUrl: string): Promise<FhirResource[]> {
    if (hits.length === 0) {
      return [];
    }
    const keys = [...new Map(hits.map((h) => [`${h.objectId}:${h.version}`, h])).values()];
    const result = await this.db.genericPlanPool().queryPrepared<VersionRow>(
      `select v.ehr_id, v.object_id, v.version, v.system_id, v.time_committed, o.latest_version, v.data
       from unnest($1::uuid[], $2::uuid[], $3::integer[]) as k(ehr_id, object_id, version)
       join object_version v on v.ehr_id = k.ehr_id and v.object_id = k.object_id and v.version = k.version
       join versioned_object o on o.ehr_id = v.ehr_id and o.object_id = v.object_id`,
      [keys.map((k) => k.ehrId), keys.map((k) => k.objectId), keys.map((k) => k.version)],
    );
    const wanted = new Set(hits.map((h) => `${h.objectId}:${h.version}:${h.resourceType}/${h.id}`));
    const made = new Map<string, FhirResource[]>();
    for (const row of result.rows) {
      if (row.data === null) {
        continue;
      }
      const key = `${row.object_id}:${row.version}`;
      made.set(
        key,
        this.make(
          { ehrId: row.ehr_id, objectId: row.object_id, version: row.version, systemId: row.system_id, timeCommitted: isoTimestamp(row.time_committed), data: row.data },
          row.version === row.latest_version,
          openehrBaseUrl,
          (type, id) => wanted.has(`${key}:${type}/${id}`),
        ),
      );
    }
    const resources: FhirResource[] = [];
    for (const hit of hits) {
      const found = made.get(`${hit.objectId}:${hit.version}`)?.find((r) => r.resourceType === hit.resourceType && r.id === hit.id);
      if (found) {
        resources.push(found);
      }
    }
    return resources;
  }
}
