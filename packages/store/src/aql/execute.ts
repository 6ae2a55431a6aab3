/**
 * Runs compiled AQL: one statement in a read-only transaction with its own statement
 * timeout, rows returned as arrays in column order. The SQL comes from the AQL compiler,
 * with every value as a parameter; nothing here looks inside it.
 */
import { createHash } from 'node:crypto';
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
    super('timeout', `the query did not finish within the query timeout of ${timeoutMs} ms`, { cause });
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
    await client.query({
      name: 'aql_statement_timeout',
      text: "select set_config('statement_timeout', $1, true)",
      values: [String(Math.max(0, Math.floor(options.timeoutMs)))],
    });
    // A named statement: each connection plans a given SQL text once and may reuse the plan.
    const name = `aql_${createHash('sha1').update(statement.sql).digest('hex').slice(0, 24)}`;
    const result = await client.query<unknown[]>({ name, text: statement.sql, values: statement.params as unknown[], rowMode: 'array' });
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
