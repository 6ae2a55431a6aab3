/**
 * Decoding of literal tokens: quoted strings (with backslash escapes), ISO 8601 date/time
 * strings, and coded terms.
 */
import type { TemporalType } from '../ast/nodes.js';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
};

/**
 * The value of a quoted string token. `\\`, `\'`, `\"`, `\n`, `\r`, `\t`, `\b`, `\f`, `\/`
 * and `\uXXXX` are decoded; any other backslash pair is kept as written, so LIKE patterns
 * keep their escaped wildcards (`'Name\*'` and `'Name\\*'` both mean the text `Name\*`).
 */
export function decodeString(token: string): string {
  const body = token.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      out += ch + next;
      i++;
    }
  }
  return out;
}

const DATE = String.raw`\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])`;
const TIME = String.raw`(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?`;
const ZONE = String.raw`(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)`;
const DATE_ONLY = new RegExp(`^${DATE}$`);
const TIME_ONLY = new RegExp(`^${TIME}${ZONE}?$`);
const DATE_TIME = new RegExp(`^${DATE}T${TIME}${ZONE}?$`);

/**
 * Whether a string value is an ISO 8601 date, time or date-time in extended format
 * (`2021-03-01`, `10:30:00`, `2021-03-01T10:30:00.123+01:00`). Partial values such as
 * `2021` or `2021-03` stay plain strings.
 */
export function temporalTypeOf(value: string): TemporalType | undefined {
  if (DATE_TIME.test(value)) {
    return 'dateTime';
  }
  if (DATE_ONLY.test(value)) {
    return 'date';
  }
  if (TIME_ONLY.test(value)) {
    return 'time';
  }
  return undefined;
}

export interface DecodedTermCode {
  readonly terminology: string;
  readonly terminologyVersion: string | undefined;
  readonly code: string;
  readonly text: string | undefined;
}

/** Splits `snomed_ct(3.1)::3415004|cyanosis|` into its parts. */
export function decodeTermCode(token: string): DecodedTermCode {
  const match = /^([^(:]+)(?:\(([^)]*)\))?::([^|]+)(?:\|(.*)\|)?$/.exec(token);
  if (!match) {
    return { terminology: token, terminologyVersion: undefined, code: '', text: undefined };
  }
  return {
    terminology: match[1] ?? token,
    terminologyVersion: match[2],
    code: match[3] ?? '',
    text: match[4],
  };
}
