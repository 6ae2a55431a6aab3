/**
 * Runs compiled AQL: one statement in a read-only session with its own statement
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
  /** The statement reads only EHRs it names by id: one generic plan serves every value. */
  readonly namedEhrsOnly?: boolean;
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

/**
 * One round trip: the statement runs on the read-only query pool, whose sessions carry the
 * statement timeout, as a named statement (each connection parses a given SQL text once).
 * PostgreSQL plans it for the values of each call (or keeps a generic plan if that looks no
 * worse), since a population query's best plan can depend on its values. A statement that
 * reads only EHRs it names reaches its rows by key whatever the ids, so it runs on the
 * query pool's generic-plan sessions and is planned once per session.
 */
export async function runAqlStatement(db: Database, statement: CompiledStatement, options: AqlRunOptions): Promise<AqlRunResult> {
  const readOnly = db.readOnlyPool(Math.max(0, Math.floor(options.timeoutMs)));
  const queries = statement.namedEhrsOnly ? readOnly.genericPlanPool(5) : readOnly;
  const name = `aql_${createHash('sha1').update(statement.sql).digest('hex').slice(0, 24)}`;
  try {
    const result = await queries.pool.query<unknown[]>({ name, text: statement.sql, values: statement.params as unknown[], rowMode: 'array' });
    return { rows: result.rows };
  } catch (error) {
    if (isQueryCanceled(error)) {
      throw new QueryTimeoutError(options.timeoutMs, error);
    }
    throw translateDatabaseError(error);
  }
}
