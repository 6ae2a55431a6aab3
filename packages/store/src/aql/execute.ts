/**
 * Runs compiled AQL: one statement in a read-only transaction with its own statement
 * timeout, rows returned as arrays in column order. The SQL comes from the AQL compiler,
 * with every value as a parameter; nothing here looks inside it.
 */
import { CdrError } from '@cdr/rm';
import type { Database } from '../database.js';
import { translateDatabaseError } from '../pg-errors.js';

export interface CompiledStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export interface AqlRunOptions {
  /** Statement timeout in milliseconds (0 = none). */
  readonly timeoutMs: number;
}

export interface AqlRunResult {
  readonly rows: unknown[][];
}

/** A query that ran out of time: 408, as the openEHR query API specifies. */
export class QueryTimeoutError extends CdrError {
  constructor(timeoutMs: number, cause: unknown) {
    super('unavailable', `the query did not finish within the query timeout of ${timeoutMs} ms`, { cause });
  }

  override get status(): number {
    return 408;
  }
}

function isQueryCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '57014';
}

export async function runAqlStatement(db: Database, statement: CompiledStatement, options: AqlRunOptions): Promise<AqlRunResult> {
  let client;
  try {
    client = await db.pool.connect();
  } catch (error) {
    throw translateDatabaseError(error);
  }
  let broken = false;
  try {
    await client.query('begin transaction read only');
    await client.query("select set_config('statement_timeout', $1, true)", [String(Math.max(0, Math.floor(options.timeoutMs)))]);
    const result = await client.query<unknown[]>({ text: statement.sql, values: statement.params as unknown[], rowMode: 'array' });
    await client.query('commit');
    return { rows: result.rows };
  } catch (error) {
    try {
      await client.query('rollback');
    } catch {
      broken = true;
    }
    if (isQueryCanceled(error)) {
      throw new QueryTimeoutError(options.timeoutMs, error);
    }
    throw translateDatabaseError(error);
  } finally {
    client.release(broken);
  }
}
