/**
 * Identifiers of the openEHR common IM: OBJECT_VERSION_ID (`uuid::system_id::n`) and
 * the UUID-based HIER_OBJECT_IDs of versioned objects, EHRs and contributions.
 */
import { badRequest } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Parses a UUID or throws a 400 that names what was expected. */
export function parseUuid(value: string, what: string): string {
  if (!isUuid(value)) {
    throw badRequest(`${what} '${value}' is not a valid UUID`);
  }
  return value.toLowerCase();
}

export interface ObjectVersionId {
  /** The versioned object's id (a UUID). */
  readonly objectId: string;
  /** The creating system's id. */
  readonly systemId: string;
  /** The version number, from 1. */
  readonly version: number;
}

export function formatVersionUid(id: ObjectVersionId): string {
  return `${id.objectId}::${id.systemId}::${id.version}`;
}

/** Parses `uuid::system_id::n`; returns undefined when the text is not of that form. */
export function tryParseVersionUid(value: string): ObjectVersionId | undefined {
  const parts = value.split('::');
  if (parts.length !== 3) {
    return undefined;
  }
  const [objectId, systemId, version] = parts as [string, string, string];
  if (!isUuid(objectId) || systemId.length === 0 || !/^[1-9][0-9]{0,8}$/.test(version)) {
    return undefined;
  }
  return { objectId: objectId.toLowerCase(), systemId, version: Number(version) };
}

export function parseVersionUid(value: string, what = 'version uid'): ObjectVersionId {
  const parsed = tryParseVersionUid(value);
  if (!parsed) {
    throw badRequest(`${what} '${value}' is not of the form uuid::system_id::version`);
  }
  return parsed;
}

/**
 * A UID_BASED_ID as used in REST paths: either a versioned object id (a UUID) or a
 * version uid (`uuid::system_id::n`).
 */
export type UidBasedId =
  | { readonly kind: 'object'; readonly objectId: string }
  | ({ readonly kind: 'version' } & ObjectVersionId);

export function parseUidBasedId(value: string, what = 'uid'): UidBasedId {
  if (isUuid(value)) {
    return { kind: 'object', objectId: value.toLowerCase() };
  }
  const version = tryParseVersionUid(value);
  if (version) {
    return { kind: 'version', ...version };
  }
  throw badRequest(`${what} '${value}' is neither a UUID nor a version uid of the form uuid::system_id::version`);
}
