/** Interval membership with a human description of the interval. */
import type { Interval } from '../opt/model.js';

export function inInterval<T>(value: T, interval: Interval<T>, compare: (a: T, b: T) => number): boolean {
  if (interval.lower !== undefined) {
    const c = compare(value, interval.lower);
    if (c < 0 || (c === 0 && !interval.lowerIncluded)) {
      return false;
    }
  }
  if (interval.upper !== undefined) {
    const c = compare(value, interval.upper);
    if (c > 0 || (c === 0 && !interval.upperIncluded)) {
      return false;
    }
  }
  return true;
}

export const numeric = (a: number, b: number): number => a - b;

export function describeInterval<T>(interval: Interval<T>): string {
  const lower = interval.lower === undefined ? undefined : `${interval.lowerIncluded ? '>=' : '>'} ${String(interval.lower)}`;
  const upper = interval.upper === undefined ? undefined : `${interval.upperIncluded ? '<=' : '<'} ${String(interval.upper)}`;
  if (lower && upper) {
    return `${lower} and ${upper}`;
  }
  return lower ?? upper ?? 'any value';
}

/** Occurrences or cardinality as people write them: `0..1`, `1..*`. */
export function describeCount(interval: Interval<number>): string {
  return `${interval.lower ?? 0}..${interval.upper ?? '*'}`;
}
