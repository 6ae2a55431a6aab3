/**
 * Paging: a `next` link carries a cursor (`_cursor`) with the sort keys of the last entry
 * shown and the snapshot time of the first page. The next page is the rows after those keys
 * (keyset paging, in the database) among the resources that existed at the snapshot, so
 * pages neither repeat nor skip entries while new data arrives, and `total` stays the same
 * from page to page.
 */
import { badRequest } from '@cdr/rm';

export interface Cursor {
  /** When the first page was asked for (ISO 8601), or for the audit trail the highest event id then. */
  readonly snapshot: string;
  /** The sort keys of the last entry of the previous page. */
  readonly after: readonly unknown[];
}

export const CURSOR_PARAMETER = '_cursor';

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.snapshot, cursor.after]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`${CURSOR_PARAMETER} is not a cursor of this server`, [{ path: CURSOR_PARAMETER, message: 'not a cursor of this server' }]);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    !Array.isArray(parsed[1]) ||
    !(parsed[1] as unknown[]).every((v) => typeof v === 'string' || typeof v === 'number')
  ) {
    throw badRequest(`${CURSOR_PARAMETER} is not a cursor of this server`, [{ path: CURSOR_PARAMETER, message: 'not a cursor of this server' }]);
  }
  return { snapshot: parsed[0], after: parsed[1] as unknown[] };
}
