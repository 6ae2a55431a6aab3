/**
 * The inputs of query execution as the ITS-REST query API passes them: `q`, `offset`,
 * `fetch`, `ehr_id` (or the `openEHR-EHR-id` header) and the query parameters, in the URL
 * of a GET (each parameter by its own name, `form` style exploded) or in a JSON body.
 */
import type { Request } from 'express';
import { badRequest } from '@cdr/rm';

export interface ExecutionInputs {
  readonly parameters: Record<string, unknown>;
  readonly offset: number | undefined;
  readonly fetch: number | undefined;
  readonly ehrId: string | undefined;
}

const RESERVED = new Set(['q', 'offset', 'fetch', 'ehr_id', 'query_parameters']);

function count(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 0) {
    throw badRequest(`${name} must be a non-negative integer, not ${JSON.stringify(value)}`);
  }
  return number;
}

/** A URL parameter's value: numbers and booleans written as such become numbers and booleans. */
function urlValue(value: string): unknown {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) {
    return Number(value);
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  return value;
}

function single(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) {
    throw badRequest(`${name} is given more than once`);
  }
  return typeof value === 'string' ? value : undefined;
}

function ehrIdHeader(req: Request): string | undefined {
  return req.get('openEHR-EHR-id') ?? undefined;
}

/** From the URL of a GET. */
export function fromUrl(req: Request): ExecutionInputs {
  const parameters: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(req.query)) {
    if (RESERVED.has(name)) {
      continue;
    }
    const value = single(raw, name);
    if (value !== undefined) {
      parameters[name] = urlValue(value);
    }
  }
  const listed = req.query.query_parameters;
  for (const entry of Array.isArray(listed) ? listed : listed === undefined ? [] : [listed]) {
    const text = String(entry);
    const at = text.indexOf('=');
    if (at <= 0) {
      throw badRequest(`query_parameters must be written name=value, not '${text}'`);
    }
    parameters[text.slice(0, at)] = urlValue(text.slice(at + 1));
  }
  return {
    parameters,
    offset: count(single(req.query.offset, 'offset'), 'offset'),
    fetch: count(single(req.query.fetch, 'fetch'), 'fetch'),
    ehrId: single(req.query.ehr_id, 'ehr_id') ?? ehrIdHeader(req),
  };
}

/** From a JSON body (`AdhocQueryExecute` or the stored-query `Query`). */
export function fromBody(req: Request): ExecutionInputs & { q: unknown } {
  const body: unknown = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  const parameters = b.query_parameters ?? {};
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw badRequest('query_parameters must be a JSON object');
  }
  const ehrId = b.ehr_id ?? req.query.ehr_id ?? ehrIdHeader(req);
  if (ehrId !== undefined && typeof ehrId !== 'string') {
    throw badRequest('ehr_id must be a string');
  }
  return {
    q: b.q,
    parameters: parameters as Record<string, unknown>,
    offset: count(b.offset, 'offset'),
    fetch: count(b.fetch, 'fetch'),
    ehrId,
  };
}
