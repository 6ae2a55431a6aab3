/**
 * ISO 8601 lexical checks for the string values of DV_DATE_TIME, DV_DATE, DV_TIME and
 * DV_DURATION. Extended (`2024-03-01T10:30:00+01:00`) and basic (`20240301T103000+0100`)
 * forms are both ISO 8601, and openEHR allows partial dates and times (`2024-03`, `10`).
 * Values are compared as text by AQL, so a malformed one is refused at the door.
 */

const YEAR = '\\d{4}';
const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12]\\d|3[01])';
const HOUR = '(?:[01]\\d|2[0-3])';
const MINUTE = '[0-5]\\d';
const SECOND = '(?:[0-5]\\d|60)';
const FRACTION = '(?:[.,]\\d+)?';

const DATE_EXTENDED = `${YEAR}(?:-${MONTH}(?:-${DAY})?)?`;
const DATE_BASIC = `${YEAR}(?:${MONTH}(?:${DAY})?)?`;
const ZONE_EXTENDED = `(?:Z|[+-]${HOUR}(?::${MINUTE})?)`;
const ZONE_BASIC = `(?:Z|[+-]${HOUR}(?:${MINUTE})?)`;
const TIME_EXTENDED = `(?:${HOUR}(?::${MINUTE}(?::${SECOND}${FRACTION})?)?|24:00(?::00(?:[.,]0+)?)?)${ZONE_EXTENDED}?`;
const TIME_BASIC = `(?:${HOUR}(?:${MINUTE}(?:${SECOND}${FRACTION})?)?|2400(?:00(?:[.,]0+)?)?)${ZONE_BASIC}?`;

const DATE = new RegExp(`^(?:${DATE_EXTENDED}|${DATE_BASIC})$`);
const TIME = new RegExp(`^(?:${TIME_EXTENDED}|${TIME_BASIC})$`);
// a time part needs a complete date; the two forms are not mixed within one value
const DATE_TIME = new RegExp(
  `^(?:${DATE_EXTENDED}|${YEAR}-${MONTH}-${DAY}T${TIME_EXTENDED}|${DATE_BASIC}|${YEAR}${MONTH}${DAY}T${TIME_BASIC})$`,
);
const DURATION = /^-?P(?!$)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?W)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$/;

export function isIsoDate(value: string): boolean {
  return DATE.test(value);
}

export function isIsoTime(value: string): boolean {
  return TIME.test(value);
}

export function isIsoDateTime(value: string): boolean {
  return DATE_TIME.test(value);
}

export function isIsoDuration(value: string): boolean {
  return DURATION.test(value);
}
