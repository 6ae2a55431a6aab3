/** Keyset paging: the condition "sorts after this row" over typed, directed sort columns. */
import { badRequest, isUuid } from '@cdr/rm';
import type { Params } from './sql.js';

export interface SortColumn {
  readonly descending: boolean;
  /** The SQL type a cursor value is cast to. */
  readonly type: string;
}

/**
 * `(c0 > v0) or (c0 = v0 and c1 > v1) or ...` (`<` for descending columns). Sort values are
 * never null. The values come back from the client in a cursor: 400 when they do not fit.
 */
export function keysetAfter(columns: readonly SortColumn[], names: readonly string[], values: readonly unknown[], params: Params): string {
  checkKeys(columns, values);
  const alternatives: string[] = [];
  for (let i = 0; i < columns.length; i += 1) {
    const parts = names.slice(0, i).map((name, j) => `${name} = ${params.add(values[j], columns[j]?.type)}`);
    const column = columns[i] as SortColumn;
    parts.push(`${names[i]} ${column.descending ? '<' : '>'} ${params.add(values[i], column.type)}`);
    alternatives.push(`(${parts.join(' and ')})`);
  }
  return alternatives.join(' or ');
}

/** Checks that a cursor's keys fit the columns (a cursor comes back from the client): 400 otherwise. */
export function checkKeys(columns: readonly SortColumn[], values: readonly unknown[]): void {
  const fits = (column: SortColumn, value: unknown): boolean => {
    switch (column.type) {
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31;
      case 'bigint':
        return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^-?\d{1,15}$/.test(value));
      case 'uuid':
        return typeof value === 'string' && isUuid(value);
      default:
        return typeof value === 'string' && value.length <= 200;
    }
  };
  if (values.length !== columns.length || !columns.every((column, i) => fits(column, values[i]))) {
    throw badRequest('_cursor is not a cursor of this search', [{ path: '_cursor', message: 'not a cursor of this search' }]);
  }
}
