/**
 * Content negotiation for openEHR resources: canonical JSON (default) or canonical XML,
 * from Content-Type on the way in and Accept on the way out; `Prefer: return=...`.
 */
import type { Request } from 'express';
import { CdrError } from '@cdr/rm';

export type Format = 'json' | 'xml';

/** The web template media type and the simplified formats built on it (openEHR SDT). */
export const WEB_TEMPLATE_TYPE = 'application/openehr.wt+json';
export const FLAT_TYPE = 'application/openehr.wt.flat.schema+json';
export const STRUCTURED_TYPE = 'application/openehr.wt.structured.schema+json';

const JSON_TYPES = ['application/json', 'application/openehr+json', FLAT_TYPE, STRUCTURED_TYPE];
const XML_TYPES = ['application/xml', 'text/xml', 'application/openehr+xml'];

/** Media types of the request bodies the openEHR API parses. */
export const jsonMediaTypes = JSON_TYPES;
export const xmlMediaTypes = XML_TYPES;

/** True when the request carries a body at all. */
export function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  if (length !== undefined) {
    return Number(length) > 0;
  }
  return req.get('transfer-encoding') !== undefined;
}

/** The format of the request body, or a 415 naming what is accepted. */
export function bodyFormat(req: Request, accepted: readonly Format[] = ['json', 'xml']): Format {
  const contentType = req.get('content-type') ?? '';
  if (accepted.includes('json') && req.is(JSON_TYPES)) {
    return 'json';
  }
  if (accepted.includes('xml') && req.is(XML_TYPES)) {
    return 'xml';
  }
  throw new CdrError(
    'unsupported-media-type',
    `Content-Type '${contentType || '(none)'}' is not supported here; use ${accepted
      .map((f) => (f === 'json' ? 'application/json' : 'application/xml'))
      .join(' or ')}`,
  );
}

/**
 * The representation the caller accepts: JSON unless it prefers XML; a 406 when it
 * accepts neither.
 */
export function responseFormat(req: Request, offered: readonly Format[] = ['json', 'xml']): Format {
  const accept = req.get('accept');
  if (!accept) {
    return offered[0] ?? 'json';
  }
  const types = offered.flatMap((f) => (f === 'json' ? ['application/json'] : ['application/xml', 'text/xml']));
  const chosen = req.accepts(types);
  if (chosen === false) {
    throw new CdrError('not-acceptable', `none of the accepted media types (${accept}) can be produced; offered: ${types.join(', ')}`);
  }
  return chosen === 'application/json' ? 'json' : 'xml';
}

/** `Prefer: return=representation` asks for the resource in the response; minimal is the default. */
export function prefersRepresentation(req: Request): boolean {
  const prefer = req.get('prefer') ?? '';
  return prefer
    .split(/[,;]/)
    .map((p) => p.trim().toLowerCase())
    .includes('return=representation');
}

/** The version uid of an If-Match header (quotes and a weak prefix removed). */
export function ifMatch(req: Request, required = true): string | undefined {
  const header = req.get('if-match');
  if (!header) {
    if (required) {
      throw new CdrError('bad-request', 'the If-Match header with the latest version uid is required');
    }
    return undefined;
  }
  return header.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The base URL for Location headers: configured, or taken from the request. */
export function baseUrl(req: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
