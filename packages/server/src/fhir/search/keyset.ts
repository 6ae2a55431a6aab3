/** Keyset paging: the condition "sorts after this row" over typed, directed sort columns. */
import type { Params } from './sql.js';

export interface SortColumn {
  readonly descending: boolean;
  /** The SQL type a cursor value is cast to. */
  readonly type: string;
}

/** `(c0 > v0) or (c0 = v0 and c1 > v1) or ...` (`<` for descending columns). Sort values are never null. */
export function keysetAfter(columns: readonly SortColumn[], names: readonly string[], values: readonly unknown[], params: Params): string {
  const alternatives: string[] = [];
  for (let i = 0; i < columns.length; i += 1) {
    const parts = names.slice(0, i).map((name, j) => `${name} = ${params.add(values[j], columns[j]?.type)}`);
    const column = columns[i] as SortColumn;
    parts.push(`${names[i]} ${column.descending ? '<' : '>'} ${params.add(values[i], column.type)}`);
    alternatives.push(`(${parts.join(' and ')})`);
  }
  return alternatives.join(' or ');
}
