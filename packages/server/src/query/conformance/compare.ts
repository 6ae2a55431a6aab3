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
    const ka = keysOf(a as Record<string, Json>, b as Record<string, Json>);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, Json>)[k], (b as Record<string, Json>)[k], options));
  }
  return a === b;
}

/**
 * Canonical JSON may leave out `_type` where the declared type is the runtime type; EHRbase
 * does so for some classes (ARCHETYPED, ARCHETYPE_ID, HISTORY, LINK ...), while this CDR
 * returns what it stores, with every `_type`. A `_type` the expected object lacks is not
 * compared; a `_type` the result lacks still is.
 */
function keysOf(actual: Record<string, Json>, expected: Record<string, Json>): string[] {
  return Object.keys(actual).filter((key) => key !== '_type' || '_type' in expected);
}

/**
 * EHRbase rewrites `e/ehr_status/...` in SELECT into a contained `EHR_STATUS s` and names
 * the column `s/...`; a column this CDR names `e/ehr_status/...` (as written) matches it.
 */
function withEhrStatusColumns(actual: Json, expected: Json): void {
  const columns = (actual as { columns?: { path?: string }[] }).columns;
  const wanted = (expected as { columns?: { path?: string }[] }).columns;
  columns?.forEach((column, i) => {
    const target = wanted?.[i]?.path;
    if (column.path?.startsWith('e/ehr_status') && target !== undefined && (target === 's' || target.startsWith('s/'))) {
      column.path = column.path.replace(/^e\/ehr_status/, 's');
    }
  });
}

/** Empty when equal; otherwise a short description of the difference. */
export function compareResult(actual: Json, expected: Json, options: Comparison): string {
  const left = structuredClone(actual);
  const right = structuredClone(expected);
  for (const path of options.excluded) {
    drop(left, path);
    drop(right, path);
  }
  withEhrStatusColumns(left, right);
  if (equal(left, right, options)) {
    return '';
  }
  return firstDifference(left, right, options, '') ?? 'results differ';
}

/** Where two values first differ: the path and both sides (arrays: the first unmatched elements). */
function firstDifference(a: Json, b: Json, options: Comparison, path: string): string | undefined {
  if (equal(a, b, options)) {
    return undefined;
  }
  const show = (value: Json) => JSON.stringify(value)?.slice(0, 600);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (!options.ignoreOrder || a.length === 0 || b.length === 0) {
      const index = a.findIndex((x, i) => !equal(x, b[i], options));
      return index >= 0 && index < b.length ? firstDifference(a[index], b[index], options, `${path}[${index}]`) : `${path}: ${a.length} against ${b.length} elements\n  actual   ${show(a)}\n  expected ${show(b)}`;
    }
    const extra = a.find((x) => !b.some((y) => equal(x, y, options)));
    const missing = b.find((y) => !a.some((x) => equal(x, y, options)));
    if (extra !== undefined && missing !== undefined) {
      return firstDifference(extra, missing, options, `${path}[?]`);
    }
    return `${path}: ${extra !== undefined ? `unexpected ${show(extra)}` : `missing ${show(missing)}`}`;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const l = a as Record<string, Json>;
    const r = b as Record<string, Json>;
    for (const key of new Set([...keysOf(l, r), ...Object.keys(r)])) {
      if (!(key in l)) {
        return `${path}/${key}: missing (expected ${show(r[key])})`;
      }
      if (!(key in r)) {
        return `${path}/${key}: unexpected ${show(l[key])}`;
      }
      const found = firstDifference(l[key], r[key], options, `${path}/${key}`);
      if (found) {
        return found;
      }
    }
  }
  return `${path}: ${show(a)} instead of ${show(b)}`;
}
