/**
 * FHIR writes as openEHR commits. A created resource becomes a new composition of its
 * mapping's template (`fromFhir`); an updated one replaces its node in the composition it is
 * made from, as a new version of that composition. Either way the composition goes the way
 * of every openEHR commit: the content checks (RM and template validation), the store's
 * commit (one contribution, one transaction, the query index written with it) and the
 * commit metrics. A transaction Bundle commits its entries as one contribution per patient,
 * all in one database transaction.
 */
import { CdrError, badRequest, isUuid, notFound, type Issue } from '@cdr/rm';
import { printable, subjectEhrId, type FhirResource, type Mappings, type ResourceMapping } from '@cdr/fhir';
import { ChangeType, LifecycleState, type CommittedContribution, type JsonObject, type NewVersion, type Store, type StoredVersion } from '@cdr/store';
import type { ContentChecks } from '../services/content-checks.js';
import type { TemplateService } from '../services/template-service.js';
import { replaceResource } from './composition-edit.js';
import type { FhirResources } from './resources.js';

/** Who writes: the committer of the contribution, the composer of new compositions, the compartment they are held to. */
export interface Writer {
  readonly committer: JsonObject;
  readonly composer: string;
  readonly patientOnly: boolean;
  readonly patient?: string | undefined;
}

/** A write ready to commit: its EHR and the version it adds. */
export interface PreparedWrite {
  readonly kind: 'create' | 'update';
  readonly ehrId: string;
  readonly resourceType: string;
  readonly mapping: ResourceMapping;
  /** For an update: the resource's id (it keeps it). */
  readonly id?: string;
  readonly version: NewVersion;
}

export interface WriteResult {
  readonly resource: FhirResource;
  readonly version: StoredVersion;
}

function forbidden(message: string): CdrError {
  return new CdrError('forbidden', message);
}

function withoutUid(data: JsonObject): JsonObject {
  const { uid: _uid, ...rest } = data;
  return rest;
}

export class FhirWriter {
  constructor(
    private readonly mappings: Mappings,
    private readonly store: Store,
    private readonly checks: ContentChecks,
    private readonly templates: TemplateService,
    private readonly resources: FhirResources,
    private readonly committed: (version: StoredVersion) => void,
  ) {}

  /** `where` prefixes the FHIR expressions of problems (`Bundle.entry[2].resource`). */
  async prepareCreate(resourceType: string, body: unknown, writer: Writer, where = resourceType): Promise<PreparedWrite> {
    const resource = this.resourceOf(resourceType, body, where);
    const plan = this.planOf(resource, where);
    const ehrId = await this.subjectOf(resource, writer, where);
    const composition = await this.compositionFor(resource, plan.mapping, writer, where);
    const checked = await this.check(composition, plan.mapping, where);
    return {
      kind: 'create',
      ehrId,
      resourceType,
      mapping: plan.mapping,
      version: {
        rmType: 'COMPOSITION',
        changeType: ChangeType.creation,
        lifecycleState: LifecycleState.complete,
        data: withoutUid(checked.data),
        ...(checked.templateId ? { templateId: checked.templateId } : {}),
        ...(checked.archetypeNodeId ? { archetypeNodeId: checked.archetypeNodeId } : {}),
      },
    };
  }

  /** An update of `resourceType/id`; `ifMatch` is the version the client last saw (412 when it is not the latest). */
  async prepareUpdate(resourceType: string, id: string, body: unknown, ifMatch: number | undefined, writer: Writer, where = resourceType): Promise<PreparedWrite> {
    const resource = this.resourceOf(resourceType, body, where);
    if (resource['id'] !== id) {
      throw badRequest(`the resource's id (${String(resource['id'] ?? 'none')}) must be the id of the URL (${id})`, [{ path: `${where}.id`, message: 'must be the id of the URL' }]);
    }
    const location = this.mappings.locate(resourceType, id);
    if (!location) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    if (location.kind !== 'composition' || location.mapping.anchor.kind !== 'archetype' || location.mapping.templates.length === 0) {
      throw new CdrError('unprocessable', `${resourceType}/${printable(id)} cannot be written through FHIR (it is made from ${location.kind === 'ehr' ? 'an EHR' : 'a whole composition'})`);
    }
    const ehrId = await this.resources.ehrOfComposition(location.compositionId);
    if (!ehrId) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    if (writer.patientOnly && ehrId !== writer.patient?.toLowerCase()) {
      throw forbidden(`a patient-context token for ${writer.patient} cannot change the records of another patient`);
    }
    const subject = subjectEhrId(resource)?.toLowerCase();
    if (subject !== ehrId) {
      throw new CdrError('unprocessable', `${resourceType}/${printable(id)} belongs to Patient/${ehrId}; an update cannot move it to ${subject ? `Patient/${subject}` : 'no patient'}`, {
        issues: [{ path: `${where}.${resourceType === 'AllergyIntolerance' ? 'patient' : 'subject'}`, message: `must refer to Patient/${ehrId}` }],
      });
    }
    const latest = await this.store.getLatestVersion(ehrId, location.compositionId, 'COMPOSITION');
    if (!latest?.data) {
      throw notFound(`${resourceType}/${printable(id)} is not known${latest ? ' (its composition was deleted)' : ''}`);
    }
    const plan = this.planOf(resource, where);
    if (plan.mapping.name !== location.mapping.name) {
      throw new CdrError('unprocessable', `${resourceType}/${printable(id)} is a ${location.mapping.name} resource; the new content reads as ${plan.mapping.name}`);
    }
    const incoming = await this.compositionFor(resource, plan.mapping, writer, where);
    const replaced = replaceResource(latest.data, incoming, location.mapping, location.position ?? 1);
    if (!replaced) {
      throw notFound(`${resourceType}/${printable(id)} is not known`);
    }
    const checked = await this.check(replaced as JsonObject, plan.mapping, where);
    return {
      kind: 'update',
      ehrId,
      resourceType,
      mapping: plan.mapping,
      id,
      version: {
        rmType: 'COMPOSITION',
        objectId: location.compositionId,
        precedingVersion: ifMatch ?? latest.version,
        precedingSystemId: latest.systemId,
        changeType: ChangeType.modification,
        lifecycleState: LifecycleState.complete,
        data: withoutUid(checked.data),
        ...(checked.templateId ? { templateId: checked.templateId } : {}),
        ...(checked.archetypeNodeId ? { archetypeNodeId: checked.archetypeNodeId } : {}),
      },
    };
  }

  /**
   * Commits prepared writes as one contribution per EHR, all in one transaction (a
   * transaction Bundle may span patients), and reads back each written resource.
   */
  async commit(writes: readonly PreparedWrite[], writer: Writer, staleAs: 'precondition-failed' | 'conflict', openehrBaseUrl: string): Promise<WriteResult[]> {
    const ehrIds = [...new Set(writes.map((w) => w.ehrId))];
    const contributions: CommittedContribution[] = await this.store.commitAll(
      ehrIds.map((ehrId) => ({
        ehrId,
        audit: { committer: writer.committer },
        staleAs,
        versions: writes.filter((w) => w.ehrId === ehrId).map((w) => w.version),
      })),
    );
    contributions.forEach((c) => c.versions.forEach((v) => this.committed(v)));
    const stored = writes.map((write) => {
      const contribution = contributions[ehrIds.indexOf(write.ehrId)] as CommittedContribution;
      const position = writes.filter((w) => w.ehrId === write.ehrId).indexOf(write);
      return contribution.versions[position] as StoredVersion;
    });
    return writes.map((write, i) => {
      const version = stored[i] as StoredVersion;
      const made = this.resources.make({ ...version, data: version.data as JsonObject }, true, openehrBaseUrl);
      const resource =
        write.id !== undefined
          ? made.find((r) => r.resourceType === write.resourceType && r.id === write.id)
          : made.find((r) => r.resourceType === write.resourceType && this.mappings.locate(write.resourceType, String(r.id))?.mapping.name === write.mapping.name);
      if (!resource) {
        throw new CdrError('internal', `the ${write.resourceType} written to ${version.uid} cannot be read back`);
      }
      return { resource, version };
    });
  }

  private resourceOf(resourceType: string, body: unknown, where: string): JsonObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest(`the body must be a ${resourceType} resource (application/fhir+json)`);
    }
    const resource = body as JsonObject;
    if (resource['resourceType'] !== resourceType) {
      throw badRequest(`the body is a ${String(resource['resourceType'] ?? 'resource without a resourceType')}, not a ${resourceType}`, [
        { path: `${where}.resourceType`, message: `must be ${resourceType}` },
      ]);
    }
    return resource;
  }

  private planOf(resource: JsonObject, where: string): ReturnType<Mappings['planFor']> {
    const plan = this.prefixed(where, () => this.mappings.planFor(resource));
    if (plan.mapping.anchor.kind !== 'archetype' || plan.mapping.templates.length === 0) {
      throw new CdrError('unprocessable', `${plan.mapping.resourceType} resources cannot be written through FHIR`);
    }
    return plan;
  }

  /** The EHR the resource's subject names: it must exist, and be the caller's own for a patient-context caller. */
  private async subjectOf(resource: JsonObject, writer: Writer, where: string): Promise<string> {
    const type = String(resource['resourceType']);
    const element = `${where}.${type === 'AllergyIntolerance' ? 'patient' : 'subject'}`;
    const named = subjectEhrId(resource);
    if (!named) {
      throw new CdrError('unprocessable', `the ${type} must refer to its Patient (${element})`, { issues: [{ path: element, message: 'a reference to the Patient is required' }] });
    }
    const ehrId = named.toLowerCase();
    if (writer.patientOnly && ehrId !== writer.patient?.toLowerCase()) {
      throw forbidden(`a patient-context token for ${writer.patient} cannot write to the record of Patient/${named}`);
    }
    if (!isUuid(ehrId) || !(await this.store.getEhr(ehrId))) {
      throw new CdrError('unprocessable', `Patient/${named} does not exist`, { issues: [{ path: element, message: `Patient/${named} does not exist` }] });
    }
    return ehrId;
  }

  private async compositionFor(resource: JsonObject, mapping: ResourceMapping, writer: Writer, where: string): Promise<JsonObject> {
    const templateId = mapping.templates[0] as string;
    if (!(await this.templates.exists(templateId))) {
      throw new CdrError('unprocessable', `${mapping.resourceType} resources are written to template ${templateId}, which is not stored on this server`);
    }
    const template = await this.templates.template(templateId);
    const result = this.prefixed(where, () => this.mappings.fromFhir(resource, { template, templateId, composer: writer.composer, now: new Date().toISOString() }));
    if (result.target !== 'composition') {
      throw new CdrError('unprocessable', `${mapping.resourceType} resources cannot be written through FHIR`);
    }
    return result.composition as JsonObject;
  }

  /** The content checks of every openEHR commit; their problems as FHIR expressions with the openEHR path. */
  private async check(composition: JsonObject, mapping: ResourceMapping, where: string) {
    try {
      return await this.checks.check('COMPOSITION', composition);
    } catch (error) {
      if (error instanceof CdrError && (error.kind === 'unprocessable' || error.kind === 'bad-request')) {
        const issues: Issue[] = error.issues.map((issue) => ({
          path: this.expression(where, mapping, issue.path),
          message: `${issue.message} (openEHR ${issue.path})`,
        }));
        throw new CdrError('unprocessable', `the ${mapping.resourceType} does not make a valid ${mapping.templates[0]} composition: ${error.message}`, { issues, cause: error });
      }
      throw error;
    }
  }

  private expression(where: string, mapping: ResourceMapping, openehrPath: string): string {
    const element = this.mappings.fhirElementOf(mapping.name, openehrPath) ?? mapping.resourceType;
    return `${where}${element.slice(mapping.resourceType.length)}`;
  }

  /** Runs a mapping step; its problems' paths get the entry's prefix. */
  private prefixed<T>(where: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof CdrError && where.startsWith('Bundle')) {
        throw new CdrError(error.kind, `${where}: ${error.message}`, { issues: error.issues.map((i) => ({ path: `${where}.${i.path}`, message: i.message })), cause: error });
      }
      throw error;
    }
  }
}
