/**
 * Running AQL for the query API: the front end (parse, check with the parameter values),
 * paging (LIMIT, fetch, offset and the configured limits), the compiler onto the index,
 * execution in the store, and the RESULT_SET.
 */
import { createHash } from 'node:crypto';
import { checkAql, compileAql, parseAql, type Query, type ResultColumn } from '@cdr/aql';
import { CdrError, badRequest, isUuid } from '@cdr/rm';
import { aqlIndexRebuildPending, rebuildAqlIndex, runAqlStatement, type Database } from '@cdr/store';
import type { Logger } from 'pino';
import type { AqlSettings } from './settings.js';
import { StatementCache, type Prepared, type StatementRequest } from './statement-cache.js';

export interface AqlRequest {
  /** The AQL text, exactly as received (echoed in the result). */
  readonly q: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly ehrId?: string | undefined;
  readonly offset?: number | undefined;
  readonly fetch?: number | undefined;
  /** The URL of a GET request (meta._href). */
  readonly href?: string | undefined;
  /** The qualified name of a stored query. */
  readonly name?: string | undefined;
}

export interface ResultSet {
  readonly meta: Record<string, unknown>;
  readonly name?: string;
  readonly q: string;
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly unknown[][];
}

const GENERATOR = 'openEHR CDR (TypeScript, PostgreSQL)';

export class AqlService {
  private rebuild: Promise<void> | undefined;
  private indexReady = false;
  /** Parsed queries by text (the AST is immutable): clinical apps send the same queries again and again. */
  private readonly parsed = new Map<string, Query>();
  /** Compiled statements: a request seen before, or the same for another patient, skips the checks and the compiler. */
  private readonly statements = new StatementCache(500);

  constructor(
    private readonly db: Database,
    private readonly systemId: string,
    private readonly settings: AqlSettings,
    private readonly logger: Logger,
  ) {}

  async execute(request: AqlRequest): Promise<ResultSet> {
    if (request.q.includes('\u0000') || JSON.stringify(request.parameters).includes('\\u0000')) {
      // PostgreSQL text cannot hold NUL
      throw badRequest('the query and its parameters must not contain NUL characters');
    }
    const { compiled, limit, offset, queryLimit } = this.statements.statement(request, (r) => this.prepare(r));
    await this.ensureIndex();
    const { rows } = await runAqlStatement(this.db, compiled, { timeoutMs: this.settings.timeoutMs });
    const meta: Record<string, unknown> = {
      ...(request.href ? { _href: request.href } : {}),
      _type: 'RESULTSET',
      _schema_version: '1.0.0',
      _created: new Date().toISOString(),
      _generator: GENERATOR,
      _executed_aql: request.q,
      resultsize: rows.length,
    };
    if (queryLimit !== undefined || request.fetch !== undefined) {
      meta.fetch = limit;
      meta.offset = offset;
    }
    return {
      meta,
      ...(request.name !== undefined ? { name: request.name } : {}),
      q: request.q,
      columns: compiled.columns,
      rows,
    };
  }

  /** Parse (cached), check with the parameter values, paging and limits, compile. */
  private prepare(request: StatementRequest): Prepared {
    let parsed = this.parsed.get(request.q);
    if (!parsed) {
      parsed = parseAql(request.q);
      if (this.parsed.size >= 500) {
        this.parsed.delete(this.parsed.keys().next().value as string);
      }
      this.parsed.set(request.q, parsed);
    }
    const checked = checkAql(parsed, { parameters: request.parameters });
    const query = checked.query;
    const queryLimit = query.limit?.limit ?? query.select.top?.count;
    if (queryLimit !== undefined && (request.fetch !== undefined || request.offset !== undefined)) {
      throw badRequest('the query has its own LIMIT (or TOP): fetch and offset must not be used with it');
    }
    if (request.ehrId !== undefined && !isUuid(request.ehrId)) {
      throw badRequest(`ehr_id '${request.ehrId}' is not a UUID`);
    }
    const limit = queryLimit ?? request.fetch ?? this.settings.defaultFetch;
    const offset = query.limit?.offset ?? request.offset ?? 0;
    if (limit > this.settings.maxFetch) {
      throw badRequest(`at most ${this.settings.maxFetch} rows can be fetched at once (asked for ${limit}); page with offset`);
    }
    const compiled = compileAql(checked, {
      parameters: request.parameters,
      systemId: this.systemId,
      limit,
      offset,
      ...(request.ehrId !== undefined ? { ehrId: request.ehrId } : {}),
    });
    return { compiled, limit, offset, queryLimit };
  }

  /** After the index migration met existing data, queries wait for the rebuild (503 meanwhile). */
  private async ensureIndex(): Promise<void> {
    if (this.indexReady) {
      return;
    }
    if (!this.rebuild && !(await aqlIndexRebuildPending(this.db))) {
      this.indexReady = true;
      return;
    }
    this.rebuild ??= rebuildAqlIndex(this.db).then(
      (count) => {
        this.logger.info({ objects: count }, 'AQL query index rebuilt');
        this.indexReady = true;
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'rebuilding the AQL query index failed');
        this.rebuild = undefined;
      },
    );
    throw new CdrError('unavailable', 'the AQL query index is being built from existing data; try again shortly', {
      headers: { 'Retry-After': '30' },
    });
  }
}

/** An ETag for a result set: a digest of its columns and rows. */
export function resultSetEtag(result: ResultSet): string {
  return `"${createHash('sha256').update(JSON.stringify([result.columns, result.rows])).digest('hex').slice(0, 32)}"`;
}
