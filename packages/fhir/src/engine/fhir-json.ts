/**
 * Reading and writing FHIR JSON along resolved FHIR paths.
 *
 * Writing: steps before the last repeating element reuse what is there (or create it); the
 * last repeating element on the path gets a new entry per value written. So `note.text`
 * written twice makes two notes, `code.coding` written twice makes two codings of one code.
 * A value written into an object that is already there is merged into it (lists appended).
 */
import { isJsonObject } from '@cdr/rm';
import type { JsonValue } from '@cdr/rm';
import { choiceJsonName, presentChoice } from '../model/r4-model.js';
import type { ResolvedFhirPath } from './plan.js';

export type MutableJson = Record<string, unknown>;

export interface FhirValue {
  readonly value: unknown;
  readonly type: string;
}

/** Every value the path reaches from `start`, with its FHIR type. */
export function readAt(start: unknown, path: ResolvedFhirPath): FhirValue[] {
  let current: FhirValue[] = [{ value: start, type: path.endTypes.length === 1 && path.steps.length === 0 ? (path.endTypes[0] as string) : '' }];
  for (const s of path.steps) {
    const next: FhirValue[] = [];
    for (const { value } of current) {
      if (!isJsonObject(value)) {
        continue;
      }
      let found: FhirValue[] = [];
      if (s.element.choice) {
        for (const type of s.types) {
          const v = value[choiceJsonName(s.element, type)];
          if (v !== undefined) {
            found = [{ value: v, type }];
            break;
          }
        }
        if (found.length === 0 && s.types.length === s.element.types.length) {
          const present = presentChoice(value, s.element);
          found = present ? [present] : [];
        }
      } else {
        const v = value[s.element.name];
        if (v !== undefined) {
          found = [{ value: v, type: s.types[0] as string }];
        }
      }
      for (const f of found) {
        if (Array.isArray(f.value)) {
          next.push(...f.value.map((item: unknown) => ({ value: item, type: f.type })));
        } else {
          next.push(f);
        }
      }
    }
    current = next;
  }
  return current.filter((v) => v.value !== undefined && v.value !== null);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || (isJsonObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);
}

/** Merges `value` into `target` (objects by key, lists appended, other values replaced). */
export function mergeInto(target: MutableJson, value: Readonly<Record<string, unknown>>): void {
  for (const [key, v] of Object.entries(value)) {
    const existing = target[key];
    if (Array.isArray(existing) && Array.isArray(v)) {
      for (const item of v) {
        if (!existing.some((e: unknown) => jsonEqual(e, item))) {
          existing.push(clone(item));
        }
      }
    } else if (isJsonObject(existing) && isJsonObject(v)) {
      mergeInto(existing as MutableJson, v);
    } else {
      target[key] = clone(v);
    }
  }
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Writes `value` (of FHIR type `type`) at `path` from `start`. Returns false when nothing was
 * written (an empty value).
 */
export function writeAt(start: MutableJson, path: ResolvedFhirPath, value: unknown, type?: string): boolean {
  if (isEmpty(value)) {
    return false;
  }
  if (path.steps.length === 0) {
    if (isJsonObject(value)) {
      mergeInto(start, value);
      return true;
    }
    return false;
  }
  const lastList = path.steps.reduce((last, s, i) => (s.element.list ? i : last), -1);
  let current = start;
  path.steps.forEach((s, i) => {
    const isLast = i === path.steps.length - 1;
    const chosen = isLast ? (type ?? s.types[0]) : s.types[0];
    const key = choiceJsonName(s.element, chosen as string);
    if (isLast) {
      if (s.element.list) {
        const list = (Array.isArray(current[key]) ? current[key] : (current[key] = [])) as unknown[];
        if (!list.some((e) => jsonEqual(e, value))) {
          list.push(clone(value));
        }
      } else if (isJsonObject(current[key]) && isJsonObject(value)) {
        mergeInto(current[key] as MutableJson, value);
      } else {
        current[key] = clone(value);
      }
      return;
    }
    if (s.element.list) {
      const list = (Array.isArray(current[key]) ? current[key] : (current[key] = [])) as MutableJson[];
      if (i === lastList || list.length === 0) {
        const fresh: MutableJson = {};
        list.push(fresh);
        current = fresh;
      } else {
        current = list[list.length - 1] as MutableJson;
      }
      return;
    }
    if (!isJsonObject(current[key])) {
      current[key] = {};
    }
    current = current[key] as MutableJson;
  });
  return true;
}

const IGNORED_IN_MATCH = new Set(['display', 'text']);

/**
 * Whether `actual` carries `expected`: objects key by key (displays and texts aside), every
 * entry of an expected list in some entry of the actual list, other values equal.
 */
export function carries(actual: unknown, expected: JsonValue): boolean {
  if (Array.isArray(expected)) {
    const list = Array.isArray(actual) ? actual : [actual];
    return expected.every((e) => list.some((a) => carries(a, e)));
  }
  if (isJsonObject(expected)) {
    if (Array.isArray(actual)) {
      return actual.some((a) => carries(a, expected));
    }
    if (!isJsonObject(actual)) {
      return false;
    }
    return Object.entries(expected).every(([k, v]) => IGNORED_IN_MATCH.has(k) || v === undefined || carries(actual[k], v));
  }
  if (Array.isArray(actual)) {
    return actual.some((a) => carries(a, expected));
  }
  return actual === expected;
}
