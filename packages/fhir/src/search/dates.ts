/**
 * Dates in FHIR search: a value with a prefix (`ge2024-01`) stands for the range of time its
 * precision covers (`2024-01` is all of January 2024), and the prefix says how the range of a
 * resource's value must relate to it (FHIR R4 search, 3.1.1.4.2 date):
 *
 * | prefix | matches when the resource's range [rs, re) ...           |
 * |--------|-----------------------------------------------------------|
 * | eq     | lies within the search range [s, e): s <= rs and re <= e  |
 * | ne     | does not (not eq)                                         |
 * | gt     | reaches above it: re > e                                  |
 * | lt     | reaches below it: rs < s                                  |
 * | ge     | gt or eq                                                  |
 * | le     | lt or eq                                                  |
 *
 * A value without a time zone (a date, or a time without offset) is read as UTC. Ranges are
 * written as UTC instants with milliseconds (`2024-01-01T00:00:00.000Z`), the end excluded.
 */

export const DATE_PREFIXES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type DatePrefix = (typeof DATE_PREFIXES)[number];

export interface DateRange {
  /** Inclusive. */
  readonly start: string;
  /** Exclusive. */
  readonly end: string;
}

export interface DateValue extends DateRange {
  readonly prefix: DatePrefix;
  /** The value as given, without its prefix. */
  readonly text: string;
}

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The range of time a FHIR date, dateTime or instant (or an openEHR extended ISO 8601 date/time) covers. */
export function dateRange(text: string): DateRange | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo);
  const day = d === undefined ? undefined : Number(d);
  if ((month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31))) {
    return undefined;
  }
  const offsetMinutes = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 60))) {
    return undefined;
  }
  const ms = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const start = Date.UTC(year, (month ?? 1) - 1, day ?? 1, h === undefined ? 0 : Number(h), mi === undefined ? 0 : Number(mi), s === undefined ? 0 : Number(s), Math.floor(ms)) - offsetMinutes * 60_000;
  if (day !== undefined && new Date(Date.UTC(year, (month ?? 1) - 1, day)).getUTCDate() !== day) {
    return undefined;
  }
  let end: number;
  if (month === undefined) {
    end = Date.UTC(year + 1, 0, 1);
  } else if (day === undefined) {
    end = Date.UTC(year, month, 1);
  } else if (h === undefined) {
    end = Date.UTC(year, month - 1, day + 1);
  } else if (s === undefined) {
    end = start + 60_000;
  } else if (fraction === undefined) {
    end = start + 1000;
  } else {
    end = start + Math.max(1, 10 ** (3 - Math.min(3, fraction.length)));
  }
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** Reads a search value such as `ge2024-01-15` or `2024`. Throws an Error naming what is wrong. */
export function parseDateValue(raw: string): DateValue {
  const prefix = /^[a-z]{2}/.test(raw) ? raw.slice(0, 2) : 'eq';
  const text = /^[a-z]{2}/.test(raw) ? raw.slice(2) : raw;
  if (!(DATE_PREFIXES as readonly string[]).includes(prefix)) {
    throw new Error(`the prefix '${prefix}' is not supported (supported: ${DATE_PREFIXES.join(', ')})`);
  }
  const range = dateRange(text);
  if (!range) {
    throw new Error(`'${text}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or a date and time with offset)`);
  }
  return { prefix: prefix as DatePrefix, text, ...range };
}

/** Whether a resource's value (its range) matches a search value. */
export function dateMatches(search: DateValue, value: DateRange): boolean {
  const eq = search.start <= value.start && value.end <= search.end;
  switch (search.prefix) {
    case 'eq':
      return eq;
    case 'ne':
      return !eq;
    case 'gt':
      return value.end > search.end;
    case 'lt':
      return value.start < search.start;
    case 'ge':
      return value.end > search.end || eq;
    case 'le':
      return value.start < search.start || eq;
  }
}
