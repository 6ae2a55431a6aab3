/**
 * The connection pool and the transaction helper. Every SQL statement goes through
 * `query` with its values as parameters; errors leave translated (see pg-errors.ts).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { translateDatabaseError } from './pg-errors.js';

// Return bigint columns (count(*)) as JS numbers and timestamps as ISO strings in UTC, so
// that values round-trip exactly as openEHR date-times.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => value);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value) => value);

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize?: number;
  /** Statement timeout in milliseconds for every session (0 = none). */
  readonly statementTimeoutMs?: number;
  readonly applicationName?: string;
  /** Sessions that refuse to write (`default_transaction_read_only`), for queries. */
  readonly readOnly?: boolean;
  /**
   * Sessions that plan a prepared statement once, for any values
   * (`plan_cache_mode = force_generic_plan`): for statements whose best plan does not
   * depend on the values (a lookup by key), run with `queryPrepared`.
   */
  readonly genericPlans?: boolean;
  /**
   * A connection is closed after this many statements and replaced (0 or absent: never),
   * which bounds the prepared statements a session accumulates.
   */
  readonly maxUses?: number;
}

/** Statements a session of a generic-plan pool runs before it is replaced. */
const GENERIC_PLAN_MAX_USES = 1_000;

/** Anything that runs a parameterised statement: the pool or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

class ClientQueryable implements Queryable {
  constructor(private readonly client: pg.PoolClient) {}

  async query<R extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.client.query<R>(sql, params as unknown[]);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

export class Database implements Queryable {
  readonly pool: pg.Pool;
  private readonly derived = new Map<string, Database>();

  constructor(private readonly options: DatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'openehr-cdr',
      connectionTimeoutMillis: 10_000,
      // Timestamps are read and written in UTC whatever the server's default time zone.
      options: `-c TimeZone=UTC${options.readOnly ? ' -c default_transaction_read_only=on' : ''}${options.genericPlans ? ' -c plan_cache_mode=force_generic_plan' : ''}`,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.maxUses ? { maxUses: options.maxUses } : {}),
    });
    // A connection lost while idle in the pool, or while checked out between two
    // statements, must not crash the process: the pool drops the client, and the statement
    // that needed it fails (and is answered as 503).
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params as unknown[]);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  /**
   * Runs a statement as a named prepared statement (named by a digest of its text), so a
   * session parses it once and keeps it. On `genericPlanPool` it is also planned once, for
   * any values; elsewhere PostgreSQL plans it for the values of the first five calls and may
   * then keep a generic plan (`plan_cache_mode = auto`). The text must hold no values, only
   * parameters: each distinct text stays prepared in every session that ran it.
   */
  async queryPrepared<R extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    const name = `s_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    try {
      return await this.pool.query<R>({ name, text: sql, values: params as unknown[] });
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.clientTransaction((client) => work(new ClientQueryable(client)));
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  /**
   * `transaction` on the driver's own client, for what needs more than statements (COPY);
   * errors leave as the driver raised them, for a caller that looks at their codes.
   */
  async clientTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    try {
      await this.pool.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A second pool on the same database whose sessions are read-only and carry their own
   * statement timeout: a query then needs no transaction of its own to get either, just
   * one round trip. Made once per setting and closed with this one.
   */
  readOnlyPool(statementTimeoutMs: number, poolSize = 5): Database {
    const key = `${statementTimeoutMs}/${poolSize}`;
    let database = this.derived.get(key);
    if (!database) {
      database = new Database({
        ...this.options,
        readOnly: true,
        statementTimeoutMs,
        poolSize,
        applicationName: `${this.options.applicationName ?? 'openehr-cdr'} (queries)`,
      });
      this.derived.set(key, database);
    }
    return database;
  }

  /**
   * A second pool on the same database, with the same statement timeout, whose sessions
   * plan prepared statements generically (`plan_cache_mode = force_generic_plan`): a
   * statement run there with `queryPrepared` is planned once per session, not on every
   * call. Only for statements whose good plan is the same whatever the values (e.g.
   * limited to given EHRs by key). Sessions are replaced after a number of statements,
   * which bounds the statements they keep prepared. As large as this pool unless told;
   * made once per size, closed with this one.
   */
  genericPlanPool(poolSize = this.options.poolSize ?? 10): Database {
    const key = `generic/${poolSize}`;
    let database = this.derived.get(key);
    if (!database) {
      database = new Database({
        ...this.options,
        genericPlans: true,
        maxUses: GENERIC_PLAN_MAX_USES,
        poolSize,
        applicationName: `${this.options.applicationName ?? 'openehr-cdr'} (generic plans)`,
      });
      this.derived.set(key, database);
    }
    return database;
  }

  async close(): Promise<void> {
    await Promise.all([...this.derived.values()].map((d) => d.close()));
    this.derived.clear();
    await this.pool.end();
  }
}
