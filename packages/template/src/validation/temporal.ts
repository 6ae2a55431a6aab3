/**
 * ISO 8601 dates, times, date-times and durations as openEHR uses them (partial dates
 * and date-times allowed), the ADL 1.4 temporal patterns (`yyyy-mm-ddTHH:MM:SS`,
 * `yyyy-??-XX`, `PYMWD`...) and comparisons for range checks.
 */

export interface TemporalParts {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  fraction?: string;
  /** Time zone as written (`Z`, `+01:00`), when present. */
  zone?: string;
  /** Zone offset in minutes. */
  offset?: number;
}

const DATE_EXTENDED = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_BASIC = /^(\d{4})(\d{2})(\d{2})$/;
const TIME_EXTENDED = /^(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME_BASIC = /^(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?:\d{2})?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) {
    return undefined;
  }
  if (zone === 'Z') {
    return 0;
  }
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) {
    return undefined;
  }
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

export function parseDate(value: string): TemporalParts | undefined {
  const m = DATE_EXTENDED.exec(value) ?? DATE_BASIC.exec(value);
  if (!m) {
    return undefined;
  }
  const parts: TemporalParts = { year: Number(m[1]) };
  if (m[2] !== undefined) {
    parts.month = Number(m[2]);
    if (parts.month < 1 || parts.month > 12) {
      return undefined;
    }
  }
  if (m[3] !== undefined) {
    parts.day = Number(m[3]);
    if (parts.day < 1 || parts.day > daysIn(parts.year!, parts.month!)) {
      return undefined;
    }
  }
  return parts;
}

export function parseTime(value: string): TemporalParts | undefined {
  const m = TIME_EXTENDED.exec(value) ?? TIME_BASIC.exec(value);
  if (!m) {
    return undefined;
  }
  const parts: TemporalParts = { hour: Number(m[1]) };
  if (m[2] !== undefined) {
    parts.minute = Number(m[2]);
  }
  if (m[3] !== undefined) {
    parts.second = Number(m[3]);
  }
  if (m[4] !== undefined) {
    parts.fraction = m[4];
  }
  if (m[5] !== undefined) {
    parts.zone = m[5];
    const offset = zoneOffset(m[5]);
    if (offset === undefined || Math.abs(offset) > 18 * 60) {
      return undefined;
    }
    parts.offset = offset;
  }
  const endOfDay = parts.hour === 24 && (parts.minute ?? 0) === 0 && (parts.second ?? 0) === 0 && !/[1-9]/.test(parts.fraction ?? '');
  if ((parts.hour! > 23 && !endOfDay) || (parts.minute ?? 0) > 59 || (parts.second ?? 0) > 60) {
    return undefined;
  }
  return parts;
}

/** A date-time: a (possibly partial) date, optionally followed by `T` and a (possibly partial) time. */
export function parseDateTime(value: string): TemporalParts | undefined {
  const t = value.indexOf('T');
  if (t < 0) {
    return parseDate(value);
  }
  const date = parseDate(value.slice(0, t));
  const time = parseTime(value.slice(t + 1));
  if (!date || !time || date.day === undefined) {
    return undefined;
  }
  return { ...date, ...time };
}

export interface DurationParts {
  readonly negative: boolean;
  readonly fields: ReadonlyMap<'Y' | 'M' | 'W' | 'D' | 'H' | 'TM' | 'S', number>;
}

const DURATION = /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseDuration(value: string): DurationParts | undefined {
  const m = DURATION.exec(value);
  if (!m || value.endsWith('T') || /^-?P$/.test(value)) {
    return undefined;
  }
  const keys = ['Y', 'M', 'W', 'D', 'H', 'TM', 'S'] as const;
  const fields = new Map<(typeof keys)[number], number>();
  keys.forEach((key, i) => {
    const text = m[i + 2];
    if (text !== undefined) {
      fields.set(key, Number(text.replace(',', '.')));
    }
  });
  return { negative: m[1] === '-', fields };
}

const SECONDS: Readonly<Record<string, number>> = { Y: 365.2425 * 86400, M: 30.436875 * 86400, W: 7 * 86400, D: 86400, H: 3600, TM: 60, S: 1 };

/** A duration in seconds (years and months averaged), for range comparisons. */
export function durationSeconds(duration: DurationParts): number {
  let total = 0;
  for (const [key, value] of duration.fields) {
    total += value * (SECONDS[key] ?? 0);
  }
  return duration.negative ? -total : total;
}

/** A comparable number for a date, time or date-time (missing parts taken as their first value). */
export function temporalOrdinal(parts: TemporalParts): number {
  const ms =
    parts.year !== undefined
      ? Date.UTC(parts.year, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
      : (((parts.hour ?? 0) * 60 + (parts.minute ?? 0)) * 60 + (parts.second ?? 0)) * 1000;
  const fraction = parts.fraction ? Number(`0.${parts.fraction}`) * 1000 : 0;
  return ms + fraction - (parts.offset ?? 0) * 60000;
}

type Presence = 'required' | 'optional' | 'forbidden';

function presence(symbol: string | undefined): Presence {
  if (symbol === undefined) {
    return 'forbidden';
  }
  if (symbol === '?') {
    return 'optional';
  }
  if (symbol === 'X' || symbol === 'x') {
    return 'forbidden';
  }
  return 'required';
}

/**
 * Checks a value's parts against an ADL temporal pattern; returns a reason when it does
 * not conform. `yyyy-mm-dd` requires year, month and day; `??` makes a part optional and
 * `XX` forbids it.
 */
export function checkTemporalPattern(parts: TemporalParts, pattern: string): string | undefined {
  const upper = pattern.trim();
  const [datePattern, timePattern] = upper.includes('T') ? (upper.split('T') as [string, string]) : /^[hH]/.test(upper) ? ['', upper] : [upper, ''];
  const dateSymbols = datePattern ? datePattern.split('-').map((s) => s[0]) : [];
  const timeSymbols = timePattern ? timePattern.split(':').map((s) => s[0]) : [];
  const checks: [string, number | undefined, Presence][] = [];
  if (datePattern) {
    checks.push(['year', parts.year, presence(dateSymbols[0])], ['month', parts.month, presence(dateSymbols[1])], ['day', parts.day, presence(dateSymbols[2])]);
  }
  if (timePattern || datePattern) {
    const timeRequired = timePattern ? undefined : 'forbidden';
    checks.push(
      ['hour', parts.hour, (timeRequired as Presence | undefined) ?? presence(timeSymbols[0])],
      ['minute', parts.minute, (timeRequired as Presence | undefined) ?? presence(timeSymbols[1])],
      ['second', parts.second, (timeRequired as Presence | undefined) ?? presence(timeSymbols[2])],
    );
  }
  for (const [name, value, rule] of checks) {
    if (rule === 'required' && value === undefined) {
      return `the ${name} is required by the pattern ${pattern}`;
    }
    if (rule === 'forbidden' && value !== undefined) {
      return `the pattern ${pattern} does not allow a ${name}`;
    }
  }
  return undefined;
}

/** Checks a duration's fields against an ADL duration pattern such as `PYMWD` or `PTHMS`. */
export function checkDurationPattern(duration: DurationParts, pattern: string): string | undefined {
  const p = pattern.toUpperCase();
  const [datePart, timePart] = p.includes('T') ? (p.split('T') as [string, string]) : [p, ''];
  for (const [key, amount] of duration.fields) {
    if (amount === 0) {
      continue;
    }
    const allowed = key === 'H' || key === 'TM' || key === 'S' ? timePart.includes(key === 'TM' ? 'M' : key) : datePart.includes(key);
    if (!allowed) {
      const label = { Y: 'years', M: 'months', W: 'weeks', D: 'days', H: 'hours', TM: 'minutes', S: 'seconds' }[key];
      return `the pattern ${pattern} does not allow ${label}`;
    }
  }
  return undefined;
}
