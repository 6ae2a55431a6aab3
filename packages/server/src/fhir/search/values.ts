/**
 * How FHIR search values compare with openEHR data in SQL: tokens against coded texts,
 * identifiers and fixed values, dates (with their precision) against FHIR date ranges.
 * Pure: builds predicates over a JSON expression, values as parameters.
 */
import type { CodeMap, DateValue, TokenValue } from '@cdr/fhir';
import { terminologyOf } from '@cdr/fhir';
import { FALSE, TRUE, and, or, sql, type Params, type Predicate } from './sql.js';

/** Whether a token matches a FHIR coding (system undefined: a `code` element without one). */
export function tokenMatches(token: TokenValue, system: string | undefined, code: string | undefined): boolean {
  if (token.system !== undefined && token.system !== (system ?? '')) {
    return false;
  }
  return token.code === undefined || token.code === code;
}

/** The codings a fixed FHIR value carries: a code, a Coding, a CodeableConcept, or a list of them. */
export function fixedCodings(value: unknown): { system?: string; code?: string }[] {
  if (typeof value === 'string') {
    return [{ code: value }];
  }
  if (Array.isArray(value)) {
    return value.flatMap(fixedCodings);
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const object = value as Record<string, unknown>;
  if (Array.isArray(object['coding'])) {
    return fixedCodings(object['coding']);
  }
  if (typeof object['code'] === 'string') {
    return [{ ...(typeof object['system'] === 'string' ? { system: object['system'] } : {}), code: object['code'] }];
  }
  return [];
}

/**
 * A token against a DV_CODED_TEXT (or a DV_TEXT with term mappings) at `value`: through the
 * rule's code map where it has one, otherwise by terminology (the FHIR system's openEHR
 * terminology id) and code, including the text's term mappings.
 */
export function codedMatches(value: string, token: TokenValue, map: CodeMap | undefined, params: Params): Predicate {
  const alternatives: Predicate[] = [];
  const terminology = `(${value})->'defining_code'->'terminology_id'->>'value'`;
  const code = `(${value})->'defining_code'->>'code_string'`;
  if (map) {
    const codes = map.entries.filter((e) => tokenMatches(token, map.system, e.fhir)).map((e) => e.openehr);
    if (codes.length > 0) {
      alternatives.push(sql(`${terminology} = ${params.add(map.terminology)} and ${code} = any(${params.add(codes, 'text[]')})`));
    }
  }
  if (!map || map.unmapped === 'keep') {
    if (token.system !== '') {
      const parts: Predicate[] = [];
      const target: Record<string, unknown> = {};
      if (token.system !== undefined) {
        const id = terminologyOf(token.system);
        parts.push(sql(`${terminology} = ${params.add(id)}`));
        target['terminology_id'] = { value: id };
      }
      if (token.code !== undefined) {
        parts.push(sql(`${code} = ${params.add(token.code)}`));
        target['code_string'] = token.code;
      }
      alternatives.push(and(sql(`(${value})->'defining_code' is not null`), ...parts));
      alternatives.push(sql(`jsonb_typeof((${value})->'mappings') = 'array' and (${value})->'mappings' @> ${params.add(JSON.stringify([{ target }]), 'jsonb')}`));
    }
  }
  return or(...alternatives);
}

const URI = '^[a-z][a-z0-9+.-]*:';

/** A token against an identifier: a DV_IDENTIFIER (issuer as system when a URI) or a DV_TEXT (value only). */
export function identifierMatches(value: string, token: TokenValue, params: Params): Predicate {
  const identifier = and(
    sql(`(${value})->>'_type' = 'DV_IDENTIFIER'`),
    token.code === undefined ? TRUE : sql(`(${value})->>'id' = ${params.add(token.code)}`),
    token.system === undefined
      ? TRUE
      : token.system === ''
        ? sql(`coalesce((${value})->>'issuer', '') !~* '${URI}'`)
        : sql(`(${value})->>'issuer' = ${params.add(token.system)}`),
  );
  const text =
    token.system === undefined || token.system === ''
      ? and(sql(`(${value})->>'_type' in ('DV_TEXT', 'DV_CODED_TEXT')`), token.code === undefined ? TRUE : sql(`(${value})->>'value' = ${params.add(token.code)}`))
      : FALSE;
  return or(identifier, text);
}

// ---------------------------------------------------------------- dates

/** The start of the range an ISO 8601 text covers (a partial date is its whole year, month or day). */
export function rangeStart(text: string): string {
  return `(case when ${text} ~ '^\\d{4}$' then (${text} || '-01-01T00:00:00Z')::timestamptz
    when ${text} ~ '^\\d{4}-(0[1-9]|1[0-2])$' then (${text} || '-01T00:00:00Z')::timestamptz
    else aql_instant(${text}) end)`;
}

/** How long that range is: a year, month, day, minute, second or part of a second. */
export function rangeStep(text: string): string {
  return `(case when ${text} ~ '^\\d{4}$' then interval '1 year'
    when ${text} ~ '^\\d{4}-\\d{2}$' then interval '1 month'
    when ${text} ~ '^\\d{4}-\\d{2}-\\d{2}$' then interval '1 day'
    when ${text} ~ 'T\\d{2}:\\d{2}(Z|[+-]\\d{2}(:?\\d{2})?)?$' then interval '1 minute'
    when ${text} ~ 'T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}(:?\\d{2})?)?$' then interval '1 second'
    when ${text} ~ 'T\\d{2}:\\d{2}:\\d{2}[.,]\\d(Z|[+-]\\d{2}(:?\\d{2})?)?$' then interval '100 milliseconds'
    when ${text} ~ 'T\\d{2}:\\d{2}:\\d{2}[.,]\\d{2}(Z|[+-]\\d{2}(:?\\d{2})?)?$' then interval '10 milliseconds'
    else interval '1 millisecond' end)`;
}

/** The end (excluded) of that range. */
export function rangeEnd(text: string): string {
  return `(${rangeStart(text)} + ${rangeStep(text)})`;
}

/**
 * A FHIR date search value against a value's range [s, e), as FHIR R4 defines the prefixes
 * (the same rules as `dateMatches` of @cdr/fhir).
 */
export function dateCompare(search: DateValue, s: string, e: string, params: Params): Predicate {
  const start = params.add(search.start, 'timestamptz');
  const end = params.add(search.end, 'timestamptz');
  const within = `${s} >= ${start} and ${e} <= ${end}`;
  switch (search.prefix) {
    case 'eq':
      return sql(within);
    case 'ne':
      return sql(`not (${within})`);
    case 'gt':
      return sql(`${e} > ${end}`);
    case 'lt':
      return sql(`${s} < ${start}`);
    case 'ge':
      return sql(`${e} > ${end} or (${within})`);
    case 'le':
      return sql(`${s} < ${start} or (${within})`);
  }
}

/** Any of the search values (a comma list) against a value given as its range expressions. */
export function rangeMatches(values: readonly DateValue[], s: string, e: string, params: Params): Predicate {
  const inner = or(...values.map((v) => dateCompare(v, 'd.s', 'd.e', params)));
  if (inner.kind !== 'sql') {
    return inner;
  }
  return sql(`exists (select 1 from (select ${s} as s, ${e} as e offset 0) d where d.s is not null and d.e is not null and (${inner.text}))`);
}

/** Any of the search values against the date, time or date-time text of a DV_DATE_TIME/DV_DATE at `value`. */
export function dateValueMatches(values: readonly DateValue[], value: string, params: Params): Predicate {
  const inner = or(...values.map((v) => dateCompare(v, 'd.s', 'd.e', params)));
  if (inner.kind !== 'sql') {
    return inner;
  }
  // the text, its start and its end each computed once (`offset 0` keeps the planner from copying the expressions)
  const range = `select t.s, t.s + ${rangeStep('t.x')} as e from (select ${rangeStart('q.x')} as s, q.x from (select ((${value})->>'value') as x offset 0) q offset 0) t offset 0`;
  return sql(`exists (select 1 from (${range}) d where d.s is not null and d.e is not null and (${inner.text}))`);
}

/** Any of the search values against an instant column (a commit time): its millisecond. */
export function instantMatches(values: readonly DateValue[], column: string, params: Params): Predicate {
  return rangeMatches(values, column, `(${column} + interval '1 millisecond')`, params);
}
