/**
 * Resource ids and provenance.
 *
 * Id scheme (stable, derived from openEHR ids, so read, vread and history work from the
 * openEHR versions):
 * - `Patient.id` is the EHR id.
 * - A resource made from a composition is `<composition uuid>.<key><n>`: the composition's
 *   versioned object id (the uuid part of its version uid), a dot, the mapping's id key
 *   (`bp`, `hr`, `dx`, ...) and the 1-based position of the resource among those the mapping
 *   makes from that composition, in document order. A mapping that makes one resource per
 *   composition (Encounter, DocumentReference) leaves out the number: `<uuid>.enc`.
 *   Every version of the composition gives the same ids as long as the order of its entries
 *   (and events) stays the same.
 *
 * Provenance, on every resource:
 * - `meta.versionId`: the openEHR version number (the `n` of `<uuid>::<system>::<n>`);
 * - `meta.lastUpdated`: the time the version was committed;
 * - `meta.source`: `openehr:/ehr/<ehr id>/composition/<version uid>` (for a Patient:
 *   `openehr:/ehr/<ehr id>/ehr_status/<version uid>`), the version the resource was made from;
 * - `meta.tag`: the template id (`urn:openehr:template`), for resources made from compositions.
 */
import { badRequest, isUuid, parseVersionUid } from '@cdr/rm';
import type { ObjectVersionId } from '@cdr/rm';

export const TEMPLATE_TAG_SYSTEM = 'urn:openehr:template';
export const ID_KEY = /^[a-z]+$/;

const COMPOSITION_RESOURCE_ID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.([a-z]+)([1-9]\d*)?$/;

export type ResourceIdParts =
  | { readonly kind: 'ehr'; readonly ehrId: string }
  | { readonly kind: 'composition'; readonly compositionId: string; readonly key: string; readonly position?: number };

export function compositionResourceId(compositionId: string, key: string, position?: number): string {
  return `${compositionId}.${key}${position ?? ''}`;
}

/** Reads a resource id of the scheme above; undefined when it is not one (a 404 for a read). */
export function parseResourceId(id: string): ResourceIdParts | undefined {
  if (isUuid(id)) {
    return { kind: 'ehr', ehrId: id.toLowerCase() };
  }
  const found = COMPOSITION_RESOURCE_ID.exec(id);
  if (!found) {
    return undefined;
  }
  const [, uuid, key, position] = found;
  return { kind: 'composition', compositionId: (uuid as string).toLowerCase(), key: key as string, ...(position ? { position: Number(position) } : {}) };
}

/** What the mapping of one version needs to know besides the data. */
export interface VersionContext {
  /** The EHR the data belongs to: `Patient.id`, and the subject of every other resource. */
  readonly ehrId: string;
  /** The version uid of the composition (or EHR_STATUS): `<uuid>::<system id>::<n>`. */
  readonly versionUid: string;
  /** When the version was committed (ISO 8601). */
  readonly timeCommitted: string;
  /** Base URL of the openEHR REST API (`https://cdr.example.org/openehr/v1`); default `/openehr/v1`. */
  readonly openehrBaseUrl?: string;
  /** Whether this is the latest version of the composition (default true). */
  readonly latest?: boolean;
}

export interface ParsedVersionContext extends VersionContext {
  readonly version: ObjectVersionId;
}

export function checkVersionContext(context: VersionContext): ParsedVersionContext {
  if (!isUuid(context.ehrId)) {
    throw badRequest(`ehr id '${context.ehrId}' is not a UUID`);
  }
  return { ...context, version: parseVersionUid(context.versionUid) };
}

export function openehrSource(ehrId: string, what: 'composition' | 'ehr_status', versionUid: string): string {
  return `openehr:/ehr/${ehrId}/${what}/${versionUid}`;
}

export function compositionUrl(context: VersionContext): string {
  const base = (context.openehrBaseUrl ?? '/openehr/v1').replace(/\/+$/, '');
  return `${base}/ehr/${context.ehrId}/composition/${context.versionUid}`;
}

/**
 * The EHR a written resource belongs to: the id of the Patient its `subject` (or, for an
 * AllergyIntolerance, `patient`) refers to; undefined when it names none.
 */
export function subjectEhrId(resource: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of ['subject', 'patient']) {
    const reference = resource[key];
    if (typeof reference === 'object' && reference !== null && typeof (reference as Record<string, unknown>)['reference'] === 'string') {
      const found = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec((reference as Record<string, string>)['reference'] as string);
      if (found) {
        return found[1];
      }
    }
  }
  return undefined;
}
