/**
 * AQL LIKE patterns to SQL LIKE patterns. AQL's wildcards are `*` and `?`; a backslash
 * makes `*`, `?` or a backslash literal; `%` and `_` are ordinary characters.
 */
import type { SourcePosition } from '../ast/nodes.js';
import { invalidQuery } from './errors.js';

export function likePattern(pattern: string, position: SourcePosition): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw invalidQuery(position, `Invalid LIKE pattern: ${pattern} (a backslash may only escape *, ? or a backslash)`);
      }
      out += next === '\\' ? '\\\\' : next;
      i += 1;
    } else if (c === '*') {
      out += '%';
    } else if (c === '?') {
      out += '_';
    } else if (c === '%' || c === '_') {
      out += `\\${c}`;
    } else {
      out += c;
    }
  }
  return out;
}
