/**
 * Test support: round trips of FLAT and STRUCTURED compositions and how they are compared.
 *
 * A FLAT composition F is read into canonical JSON C1, written back as F2 and read again
 * as C2. The round trip matches when
 *  - every key of F other than `ctx/...` is in F2 with the same value (numbers compared as
 *    numbers, so `12` and `12.0` and `"12"` agree, to a relative 1e-7 because writers round
 *    derived values such as a proportion's quotient; `true` and `"true"` agree), and
 *  - C1 and C2 are equal (the FLAT writer loses nothing the reader made).
 * `ctx/` keys are instructions to the reader (defaults for language, composer, times...),
 * so they reappear as the composition's own keys, not as `ctx/`. An index `:0` may be left
 * out of a key (the first occurrence is meant); keys are compared with `:0` removed.
 */
import { deepStrictEqual } from 'node:assert';
import type { FlatValue } from '../flat/flat-tree.js';

export function sameFlatValue(a: FlatValue | undefined, b: FlatValue | undefined): boolean {
  if (a === b) {
    return true;
  }
  if (a === undefined || b === undefined || a === null || b === null) {
    return false;
  }
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb) && (typeof a === 'number' || typeof b === 'number')) {
    return na === nb || Math.abs(na - nb) <= 1e-7 * Math.max(Math.abs(na), Math.abs(nb));
  }
  return String(a) === String(b);
}

/** Keys of `input` (other than ctx/) missing from `output` or with another value there. */
export function withoutFirstIndex(key: string): string {
  return key.replace(/:0(?=[/|]|$)/g, '');
}

export function lostKeys(input: Readonly<Record<string, FlatValue>>, output: Readonly<Record<string, FlatValue>>): string[] {
  const lost: string[] = [];
  const normalised = new Map(Object.entries(output).map(([k, v]) => [withoutFirstIndex(k), v]));
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('ctx/')) {
      continue;
    }
    const found = normalised.get(withoutFirstIndex(key));
    if (!sameFlatValue(value, found)) {
      lost.push(`${key}: ${JSON.stringify(value)} -> ${JSON.stringify(found)}`);
    }
  }
  return lost;
}

export function stable(a: unknown, b: unknown): string | undefined {
  try {
    deepStrictEqual(a, b);
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n').slice(0, 12).join(' ');
  }
}
