/**
 * The interval notation of the authoring files, close to ADL's:
 *
 * - `0..1`, `1..*`, `0..<1000` (upper bound excluded), `>0..100` (lower bound excluded)
 * - `>=0`, `>0`, `<=100`, `<100` (one bound)
 * - `5` (exactly 5)
 *
 * Bounds are numbers, or ISO 8601 durations for duration ranges (`>=PT0S`, `PT24H..PT24H`).
 */
import type { Interval } from '../opt/model.js';

export class AuthoringError extends Error {
  override readonly name = 'AuthoringError';
}

type BoundParser<T> = (text: string) => T | undefined;

export const numberBound: BoundParser<number> = (text) => {
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) {
    return undefined;
  }
  return Number(text);
};

export const integerBound: BoundParser<number> = (text) => (/^[-+]?\d+$/.test(text) ? Number(text) : undefined);

export const durationBound: BoundParser<string> = (text) => (/^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(text) ? text : undefined);

function make<T>(lower: T | undefined, upper: T | undefined, lowerIncluded: boolean, upperIncluded: boolean): Interval<T> {
  const interval: { lower?: T; upper?: T; lowerIncluded: boolean; upperIncluded: boolean } = {
    lowerIncluded: lower !== undefined && lowerIncluded,
    upperIncluded: upper !== undefined && upperIncluded,
  };
  if (lower !== undefined) {
    interval.lower = lower;
  }
  if (upper !== undefined) {
    interval.upper = upper;
  }
  return interval;
}

/** Parses the notation above; `what` names the value in error messages. */
export function parseInterval<T>(raw: unknown, bound: BoundParser<T>, what: string): Interval<T> {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || text.length === 0) {
    throw new AuthoringError(`${what}: expected an interval such as 0..1, 1..*, 0..<1000 or >=0, found ${JSON.stringify(raw)}`);
  }
  const fail = (): never => {
    throw new AuthoringError(`${what}: '${text}' is not an interval (write 0..1, 1..*, 0..<1000, >=0 or a single value)`);
  };
  const one = /^(>=|>|<=|<)\s*(.+)$/.exec(text);
  if (one) {
    const value = bound(one[2]!.trim()) ?? fail();
    switch (one[1]) {
      case '>=':
        return make<T>(value, undefined, true, false);
      case '>':
        return make<T>(value, undefined, false, false);
      case '<=':
        return make<T>(undefined, value, false, true);
      default:
        return make<T>(undefined, value, false, false);
    }
  }
  const range = /^(>?)([^.]+?)\.\.(<?)(.+)$/.exec(text);
  if (range) {
    const lower = bound(range[2]!.trim()) ?? fail();
    const upperText = range[4]!.trim();
    const upper = upperText === '*' ? undefined : (bound(upperText) ?? fail());
    if (upperText === '*' && range[3] === '<') {
      fail();
    }
    if (typeof lower === 'number' && typeof upper === 'number' && lower > upper) {
      throw new AuthoringError(`${what}: the interval '${text}' has its lower bound above its upper bound`);
    }
    return make<T>(lower, upper, range[1] !== '>', range[3] !== '<');
  }
  const single = bound(text) ?? fail();
  return make<T>(single, single, true, true);
}

/** Prints an interval in the notation above (used in messages). */
export function formatInterval(interval: Interval<number | string>): string {
  const { lower, upper } = interval;
  if (lower === undefined && upper === undefined) {
    return '*';
  }
  if (lower === undefined) {
    return `${interval.upperIncluded ? '<=' : '<'}${upper}`;
  }
  if (upper === undefined) {
    return `${interval.lowerIncluded ? '' : '>'}${lower}..*`;
  }
  if (lower === upper && interval.lowerIncluded && interval.upperIncluded) {
    return String(lower);
  }
  return `${interval.lowerIncluded ? '' : '>'}${lower}..${interval.upperIncluded ? '' : '<'}${upper}`;
}

/** Whether `inner` lies within `outer` (numeric intervals; an unbounded side is infinite). */
export function isWithin(inner: Interval<number>, outer: Interval<number>): boolean {
  const lowerOk =
    outer.lower === undefined ||
    (inner.lower !== undefined && (inner.lower > outer.lower || (inner.lower === outer.lower && (outer.lowerIncluded || !inner.lowerIncluded))));
  const upperOk =
    outer.upper === undefined ||
    (inner.upper !== undefined && (inner.upper < outer.upper || (inner.upper === outer.upper && (outer.upperIncluded || !inner.upperIncluded))));
  return lowerOk && upperOk;
}
