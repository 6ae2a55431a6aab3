/**
 * The formats a composition travels in: canonical JSON and XML, and the simplified
 * FLAT (simSDT) and STRUCTURED formats, which are converted through the template's web
 * template. Chosen by the `format` parameter or by media type.
 */
import type { Request, Response } from 'express';
import { CdrError, badRequest, fromXml, toXml } from '@cdr/rm';
import type { JsonObject } from '@cdr/store';
import { compositionToFlat, compositionToStructured, flatToComposition, structuredToComposition, type FlatComposition, type StructuredComposition } from '@cdr/template';
import { FLAT_TYPE, STRUCTURED_TYPE, hasBody } from '../http/negotiation.js';
import type { TemplateService } from '../services/template-service.js';
import { setHeaders, type ResourceHeaders } from './respond.js';

export type CompositionFormat = 'json' | 'xml' | 'flat' | 'structured';

const MEDIA_TYPES: Readonly<Record<CompositionFormat, string>> = {
  json: 'application/json',
  xml: 'application/xml',
  flat: FLAT_TYPE,
  structured: STRUCTURED_TYPE,
};

function formatParameter(req: Request): CompositionFormat | undefined {
  const raw = req.query.format;
  if (raw === undefined) {
    return undefined;
  }
  const value = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (value === 'json' || value === 'xml' || value === 'flat' || value === 'structured') {
    return value;
  }
  throw badRequest(`format '${String(raw)}' is not one of JSON, XML, FLAT, STRUCTURED`);
}

/** The format of the request body: the `format` parameter, else its Content-Type (415 otherwise). */
export function requestFormat(req: Request): CompositionFormat {
  const chosen = formatParameter(req);
  if (chosen) {
    return chosen;
  }
  if (req.is([FLAT_TYPE])) {
    return 'flat';
  }
  if (req.is([STRUCTURED_TYPE])) {
    return 'structured';
  }
  if (req.is(['application/json', 'application/openehr+json'])) {
    return 'json';
  }
  if (req.is(['application/xml', 'text/xml', 'application/openehr+xml'])) {
    return 'xml';
  }
  throw new CdrError(
    'unsupported-media-type',
    `Content-Type '${req.get('content-type') ?? '(none)'}' is not supported for compositions; use ${Object.values(MEDIA_TYPES).join(', ')}`,
  );
}

/** The format of the response: the `format` parameter, else the Accept header (406 when none fits). */
export function responseFormat(req: Request): CompositionFormat {
  const chosen = formatParameter(req);
  if (chosen) {
    return chosen;
  }
  if (!req.get('accept')) {
    return 'json';
  }
  const accepted = req.accepts([MEDIA_TYPES.json, MEDIA_TYPES.xml, 'text/xml', FLAT_TYPE, STRUCTURED_TYPE]);
  switch (accepted) {
    case false:
      throw new CdrError('not-acceptable', `compositions are available as ${Object.values(MEDIA_TYPES).join(', ')}`);
    case FLAT_TYPE:
      return 'flat';
    case STRUCTURED_TYPE:
      return 'structured';
    case 'application/xml':
    case 'text/xml':
      return 'xml';
    default:
      return 'json';
  }
}

/** The template a FLAT or STRUCTURED body is written against. */
async function templateIdOfRequest(req: Request, fallback?: () => Promise<string | undefined>): Promise<string> {
  const fromQuery = typeof req.query.templateId === 'string' ? req.query.templateId : undefined;
  const templateId = fromQuery ?? req.get('openEHR-TEMPLATE_ID') ?? (await fallback?.());
  if (!templateId) {
    throw badRequest('a FLAT or STRUCTURED composition needs its template: give the templateId parameter or the openEHR-TEMPLATE_ID header');
  }
  return templateId;
}

/**
 * Reads the composition in the request body as canonical JSON (not yet checked).
 * `fallbackTemplateId` finds the template of the composition being updated, if any.
 */
export async function readComposition(
  req: Request,
  templates: TemplateService,
  fallbackTemplateId?: () => Promise<string | undefined>,
): Promise<unknown> {
  if (!hasBody(req)) {
    throw badRequest('a COMPOSITION is required in the request body');
  }
  const format = requestFormat(req);
  switch (format) {
    case 'xml':
      if (typeof req.body !== 'string') {
        throw badRequest('the request body could not be read as XML');
      }
      return fromXml(req.body);
    case 'json':
      return req.body;
    case 'flat':
    case 'structured': {
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        throw badRequest(`a ${format.toUpperCase()} composition is a JSON object`);
      }
      const template = await templates.template(await templateIdOfRequest(req, fallbackTemplateId));
      return format === 'flat'
        ? flatToComposition(template, req.body as FlatComposition)
        : structuredToComposition(template, req.body as StructuredComposition);
    }
  }
}

/** Writes a composition in the negotiated format. */
export async function sendComposition(
  req: Request,
  res: Response,
  status: number,
  composition: JsonObject,
  templateId: string | null,
  headers: ResourceHeaders,
  templates: TemplateService,
): Promise<void> {
  const format = responseFormat(req);
  let body: string;
  switch (format) {
    case 'json':
      body = JSON.stringify(composition);
      break;
    case 'xml':
      body = toXml(composition);
      break;
    case 'flat':
    case 'structured': {
      if (!templateId) {
        throw new CdrError('not-acceptable', `this composition names no template, so it has no ${format.toUpperCase()} form`);
      }
      const template = await templates.template(templateId);
      body = JSON.stringify(format === 'flat' ? compositionToFlat(template, composition) : compositionToStructured(template, composition));
      break;
    }
  }
  setHeaders(res, headers);
  res.status(status).type(MEDIA_TYPES[format]).send(body);
}
