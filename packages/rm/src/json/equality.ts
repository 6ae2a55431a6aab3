/**
 * Semantic equality of canonical RM objects, the one definition used wherever two
 * representations of the same data are compared (codec round trips, conformance tests).
 *
 * Normalised before comparing:
 * - key order is ignored;
 * - numbers are equal by value (`1`, `1.0` and `1e0` are the same number);
 * - an attribute that is `null`, an empty array, or absent is the same absent attribute
 *   (canonical XML cannot write the first two);
 * - `_type` compares by class name without generic parameters (`DV_INTERVAL<DV_COUNT>`
 *   equals `DV_INTERVAL`; XML has no generics);
 * - when the RM type of the compared objects is given, implicit `_type`s are made explicit
 *   on both sides first (see `withExplicitTypes`), so `{"value": "x"}` as a name equals
 *   `{"_type": "DV_TEXT", "value": "x"}`.
 * Strings compare exactly.
 */
import { baseTypeName } from '../model/type-names.js';
import { isJsonObject } from '../types/json.js';
import { withExplicitTypes } from './explicit-types.js';

export interface RmEqualityOptions {
  /** The RM type both values are canonical JSON of; enables implicit `_type` completion. */
  readonly type?: string;
  /** How many differences `rmDifferences` lists at most (default 20). */
  readonly limit?: number;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function compare(a: unknown, b: unknown, path: string, found: string[], limit: number): void {
  if (found.length >= limit) {
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      found.push(`${path}: ${a.length} elements against ${b.length}`);
      return;
    }
    a.forEach((item: unknown, index) => compare(item, b[index], `${path}[${index + 1}]`, found, limit));
    return;
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const left = a[key];
      const right = b[key];
      if (isAbsent(left) && isAbsent(right)) {
        continue;
      }
      if (key === '_type' && typeof left === 'string' && typeof right === 'string') {
        if (baseTypeName(left) !== baseTypeName(right)) {
          found.push(`${path}/_type: ${left} against ${right}`);
        }
        continue;
      }
      compare(left, right, `${path}/${key}`, found, limit);
    }
    return;
  }
  if (a !== b) {
    found.push(`${path || '/'}: ${describe(a)} against ${describe(b)}`);
  }
}

/** Where `a` and `b` differ semantically (empty when they are equal), as readable lines. */
export function rmDifferences(a: unknown, b: unknown, options: RmEqualityOptions = {}): string[] {
  const left = options.type ? withExplicitTypes(a, options.type) : a;
  const right = options.type ? withExplicitTypes(b, options.type) : b;
  const found: string[] = [];
  compare(left, right, '', found, options.limit ?? 20);
  return found;
}

/** Semantic equality of two canonical RM objects (see the normalisations above). */
export function rmEqual(a: unknown, b: unknown, options: RmEqualityOptions = {}): boolean {
  return rmDifferences(a, b, { ...options, limit: 1 }).length === 0;
}
