/**
 * Parsing a FHIR search (the query parameters of `GET /fhir/<type>?...`) into a search
 * request: the criteria (each an OR of values; criteria are ANDed), the sort, the paging and
 * the summary wanted. Every problem is reported at once, naming its parameter; a parameter
 * the CDR does not support is a 400 unless lenient handling is asked for (`Prefer:
 * handling=lenient`), in which case it is listed in `ignored`.
 */
import { badRequest } from '@cdr/rm';
import type { Issue } from '@cdr/rm';
import type { DateValue } from './dates.js';
import { parseDateValue } from './dates.js';
import type { SearchParameterDefinition } from './definitions.js';
import { parametersOf, RESULT_PARAMETERS } from './definitions.js';

export interface TokenValue {
  /** Undefined: any system; '' : no system (`|code`). */
  readonly system?: string;
  /** Undefined: any code of the system (`system|`). */
  readonly code?: string;
}

export interface ReferenceValue {
  readonly resourceType: string;
  readonly id: string;
}

export type Criterion =
  | { readonly kind: 'token'; readonly parameter: SearchParameterDefinition; readonly values: readonly TokenValue[] }
  | { readonly kind: 'reference'; readonly parameter: SearchParameterDefinition; readonly values: readonly ReferenceValue[] }
  | { readonly kind: 'date'; readonly parameter: SearchParameterDefinition; readonly values: readonly DateValue[] };

export interface SortKey {
  readonly parameter: SearchParameterDefinition;
  readonly descending: boolean;
}

export interface SearchRequest {
  readonly resourceType: string;
  /** ANDed; each criterion is an OR of its values. */
  readonly criteria: readonly Criterion[];
  readonly sort: readonly SortKey[];
  /** Page size. */
  readonly count: number;
  /** Entries to skip (`_offset`). */
  readonly offset: number;
  /** `_summary=count`: only the total. */
  readonly summary?: 'count';
  /** `_total`: whether (and how) to count all matches (`none` unless asked). */
  readonly total: 'none' | 'estimate' | 'accurate';
  /** Parameters left out under lenient handling. */
  readonly ignored: readonly string[];
}

export interface ParseSearchOptions {
  /** Ignore (and list) what is not supported instead of refusing it. */
  readonly lenient?: boolean;
  /** Page size when `_count` is not given (default 20). */
  readonly defaultCount?: number;
  /** Largest page size (default 1000). */
  readonly maxCount?: number;
}

export type SearchParams = URLSearchParams | Iterable<readonly [string, string]> | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Parameters the HTTP layer handles; accepted and left alone here. */
const TRANSPORT = new Set(['_format', '_pretty']);

function entries(params: SearchParams): [string, string][] {
  if (params instanceof URLSearchParams) {
    return [...params.entries()];
  }
  if (Symbol.iterator in params) {
    return [...(params as Iterable<readonly [string, string]>)].map(([k, v]) => [k, v]);
  }
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(params as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) {
      continue;
    }
    for (const v of typeof value === 'string' ? [value] : value) {
      out.push([key, v]);
    }
  }
  return out;
}

/** Splits on a separator not escaped with a backslash, and removes the escapes. */
function splitEscaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i += 1;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function parseToken(raw: string): TokenValue {
  const parts = splitEscaped(raw, '|');
  if (parts.length === 1) {
    if (parts[0] === '') {
      throw new Error('an empty value');
    }
    return { code: parts[0] as string };
  }
  if (parts.length > 2) {
    throw new Error(`'${raw}' has more than one '|'`);
  }
  const [system, code] = parts as [string, string];
  if (system === '' && code === '') {
    throw new Error(`'${raw}' names neither a system nor a code`);
  }
  return { system, ...(code === '' ? {} : { code }) };
}

function parseReference(raw: string, parameter: SearchParameterDefinition, typeModifier: string | undefined): ReferenceValue {
  const target = parameter.target ?? 'Patient';
  if (typeModifier !== undefined && typeModifier !== target) {
    throw new Error(`refers to ${target} resources only, not ${typeModifier}`);
  }
  const value = raw.replace(/^https?:\/\/[^?#]*?\/(?=[A-Z][A-Za-z]+\/[^/]+$)/, '');
  const slash = value.indexOf('/');
  if (slash < 0) {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(value)) {
      throw new Error(`'${raw}' is not a resource id`);
    }
    return { resourceType: target, id: value };
  }
  const type = value.slice(0, slash);
  const id = value.slice(slash + 1);
  if (type !== target) {
    throw new Error(`refers to ${target} resources only, not ${type}`);
  }
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
    throw new Error(`'${raw}' is not a resource id`);
  }
  return { resourceType: type, id };
}

const SORTABLE = new Set<SearchParameterDefinition['type']>(['date']);

/**
 * Parses the search parameters of one resource type against the parameters supported for it
 * (default: all defined). Throws a 400 listing every problem, each with its parameter.
 */
export function parseSearch(
  resourceType: string,
  params: SearchParams,
  options: ParseSearchOptions = {},
  supported: readonly SearchParameterDefinition[] = parametersOf(resourceType),
): SearchRequest {
  const definitions = new Map(supported.map((d) => [d.code, d]));
  const issues: Issue[] = [];
  const ignored: string[] = [];
  const criteria: Criterion[] = [];
  const sort: SortKey[] = [];
  let count = options.defaultCount ?? 20;
  let offset = 0;
  let summary: 'count' | undefined;
  let total: SearchRequest['total'] = 'none';
  const maxCount = options.maxCount ?? 1000;
  const unsupported = (name: string, message: string): void => {
    if (options.lenient) {
      ignored.push(printable(name));
    } else {
      issues.push({ path: name, message });
    }
  };
  const seenResult = new Set<string>();

  for (const [given, raw] of entries(params)) {
    // a parameter without a name is reported under a name an OperationOutcome can carry
    const key = given.trim() === '' ? '(unnamed)' : given;
    const [name, modifier] = key.split(':', 2) as [string, string | undefined];
    if (TRANSPORT.has(name)) {
      continue;
    }
    if ((RESULT_PARAMETERS as readonly string[]).includes(name)) {
      if (seenResult.has(name)) {
        issues.push({ path: name, message: `${name} is given more than once` });
        continue;
      }
      seenResult.add(name);
      if (modifier !== undefined) {
        issues.push({ path: key, message: `${name} takes no modifier` });
        continue;
      }
      switch (name) {
        case '_count':
        case '_offset': {
          const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
          if (!Number.isSafeInteger(n)) {
            issues.push({ path: name, message: `${name} must be a whole number, got '${raw}'` });
          } else if (name === '_count') {
            if (n > maxCount) {
              issues.push({ path: name, message: `_count must be at most ${maxCount}` });
            }
            count = n;
          } else {
            offset = n;
          }
          break;
        }
        case '_summary':
          if (raw === 'count') {
            summary = 'count';
          } else if (raw !== 'false') {
            unsupported(name, `_summary=${raw} is not supported (supported: count, false)`);
          }
          break;
        case '_total':
          if (raw === 'none' || raw === 'estimate' || raw === 'accurate') {
            total = raw;
          } else {
            issues.push({ path: name, message: `_total must be none, estimate or accurate, got '${raw}'` });
          }
          break;
        case '_sort':
          for (const item of raw.split(',')) {
            const descending = item.startsWith('-');
            const code = descending ? item.slice(1) : item;
            const definition = definitions.get(code);
            if (!definition) {
              unsupported(name, `cannot sort by '${code}': ${resourceType} has no such search parameter`);
            } else if (!SORTABLE.has(definition.type) && code !== '_id') {
              unsupported(name, `cannot sort by '${code}' (a ${definition.type} parameter); sorting is by date parameters and _id`);
            } else {
              sort.push({ parameter: definition, descending });
            }
          }
          break;
      }
      continue;
    }
    const definition = definitions.get(name);
    if (!definition) {
      unsupported(key, `${resourceType} has no supported search parameter '${name}' (supported: ${[...definitions.keys()].join(', ')}; ${RESULT_PARAMETERS.join(', ')})`);
      continue;
    }
    const typeModifier = definition.type === 'reference' && modifier !== undefined && /^[A-Z]/.test(modifier) ? modifier : undefined;
    if (modifier !== undefined && typeModifier === undefined) {
      unsupported(key, `the modifier ':${modifier}' of '${name}' is not supported`);
      continue;
    }
    const rawValues = splitEscapedKeep(raw);
    if (rawValues.some((v) => v === '')) {
      issues.push({ path: name, message: `'${name}' has an empty value` });
      continue;
    }
    try {
      switch (definition.type) {
        case 'token':
          criteria.push({ kind: 'token', parameter: definition, values: rawValues.map(parseToken) });
          break;
        case 'reference':
          criteria.push({ kind: 'reference', parameter: definition, values: rawValues.map((v) => parseReference(v, definition, typeModifier)) });
          break;
        case 'date':
          criteria.push({ kind: 'date', parameter: definition, values: rawValues.map((v) => parseDateValue(v)) });
          break;
        case 'string':
          issues.push({ path: name, message: 'string parameters are not supported' });
          break;
      }
    } catch (error) {
      issues.push({ path: name, message: `${name}: ${(error as Error).message}` });
    }
  }
  if (issues.length > 0) {
    const shown = issues.map((i) => ({ path: printable(i.path), message: printable(i.message) }));
    throw badRequest(`invalid search of ${printable(resourceType)}: ${shown.map((i) => i.message).join('; ')}`, shown);
  }
  return { resourceType, criteria, sort, count, offset, ...(summary ? { summary } : {}), total, ignored };
}

/** Text of the request as it may appear in a message: control characters written as \\uXXXX. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Splits a parameter value on commas not escaped as `\,` (escapes of `|` stay for the token reader). */
function splitEscapedKeep(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      current += next === ',' ? ',' : `\\${next}`;
      i += 1;
    } else if (char === ',') {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
