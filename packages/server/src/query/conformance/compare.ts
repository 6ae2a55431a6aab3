/**
 * Result comparison as the suites configure it (DeepDiff): excluded paths dropped from both
 * sides; with ignore-order, arrays at every depth compare as sets (repetitions ignored;
 * the row count is checked separately); strings optionally case-insensitive; numbers by value.
 */
import type { Comparison } from './data.js';

type Json = unknown;

function drop(value: Json, path: readonly (string | number)[]): void {
  let current = value as Record<string | number, Json> | undefined;
  for (const key of path.slice(0, -1)) {
    current = current?.[key] as Record<string | number, Json> | undefined;
    if (current === null || typeof current !== 'object') {
      return;
    }
  }
  if (current && typeof current === 'object') {
    delete current[path[path.length - 1] as string | number];
  }
}

function equal(a: Json, b: Json, options: Comparison): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    return options.ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (!options.ignoreOrder) {
      return a.length === b.length && a.every((x, i) => equal(x, b[i], options));
    }
    return a.every((x) => b.some((y) => equal(x, y, options))) && b.every((y) => a.some((x) => equal(x, y, options)));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, Json>)[k], (b as Record<string, Json>)[k], options));
  }
  return a === b;
}

/**
 * EHRbase writes ARCHETYPED, ARCHETYPE_ID and TEMPLATE_ID without `_type`, which canonical
 * JSON allows for non-polymorphic attributes; this CDR returns what it stores, with every
 * `_type`. The comparison leaves out `_type` of those three classes on both sides.
 */
const UNTYPED = new Set(['ARCHETYPED', 'ARCHETYPE_ID', 'TEMPLATE_ID']);

function withoutUntyped(value: Json): void {
  if (Array.isArray(value)) {
    value.forEach(withoutUntyped);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, Json>;
    if (typeof object._type === 'string' && UNTYPED.has(object._type)) {
      delete object._type;
    }
    Object.values(object).forEach(withoutUntyped);
  }
}

/** Empty when equal; otherwise a short description of the difference. */
export function compareResult(actual: Json, expected: Json, options: Comparison): string {
  const left = structuredClone(actual);
  const right = structuredClone(expected);
  for (const path of options.excluded) {
    drop(left, path);
    drop(right, path);
  }
  withoutUntyped(left);
  withoutUntyped(right);
  if (equal(left, right, options)) {
    return '';
  }
  const l = left as Record<string, Json>;
  const r = right as Record<string, Json>;
  for (const key of new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})])) {
    if (!equal(l?.[key], r?.[key], options)) {
      return `${key} differs:\n  actual   ${JSON.stringify(l?.[key]).slice(0, 1500)}\n  expected ${JSON.stringify(r?.[key]).slice(0, 1500)}`;
    }
  }
  return 'results differ';
}
