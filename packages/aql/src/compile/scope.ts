/**
 * The state of one compilation: generated table aliases, the values of the query's
 * parameters, and scopes. A scope collects the joins its paths need; the main scope's
 * joins become the query's FROM clause, a nested scope (EXISTS, predicates) becomes an
 * EXISTS subquery. Within a scope, paths with the same prefix share its joins, so that
 * the values of one multi-valued node stay together in one result row.
 */
import type { SourcePosition } from '../ast/nodes.js';
import * as sql from '../sql/factory.js';
import type { Expr, FromItem, Join } from '../sql/nodes.js';
import { invalidQuery } from './errors.js';
import type { Position } from './positions.js';
import type { PathTrie } from './path-trie.js';

export interface CompileOptions {
  /** Values of the query's `$name` parameters. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The system id of this CDR (uids of versions, `system_id`). */
  readonly systemId: string;
  /** Restricts the query to one EHR (the REST API's `ehr_id`). */
  readonly ehrId?: string;
  /** Rows to skip and rows to return at most, as the caller decided them (LIMIT, fetch, defaults). */
  readonly offset?: number;
  readonly limit?: number;
}

export class CompileContext {
  private aliasCount = 0;
  /** Positions of the FROM aliases. */
  readonly aliases = new Map<string, Position>();
  /** EHR ids the query names explicitly (they stay visible even when not queryable). */
  readonly scopedEhrIds = new Set<string>();
  /** True once a condition every row must meet limits the query to EHRs it names by id. */
  namedEhrsOnly = false;

  constructor(
    readonly options: CompileOptions,
    readonly trie: PathTrie,
  ) {}

  /** A fresh SQL alias; never derived from the query text. */
  nextAlias(prefix: string): string {
    this.aliasCount += 1;
    return `${prefix}${this.aliasCount}`;
  }

  parameter(name: string, position: SourcePosition): unknown {
    const values = this.options.parameters ?? {};
    if (!Object.hasOwn(values, name)) {
      throw invalidQuery(position, `no value was supplied for the parameter $${name}`);
    }
    return values[name];
  }
}

export class Scope {
  readonly joins: Join[] = [];
  private readonly positions = new Map<string, Position>();

  constructor(
    readonly context: CompileContext,
    /** 'main': the query's own joins (LEFT: a missing value is a null cell); 'exists': inside EXISTS (INNER). */
    readonly kind: 'main' | 'exists',
  ) {}

  lookup(key: string): Position | undefined {
    return this.positions.get(key);
  }

  remember(key: string, position: Position): Position {
    this.positions.set(key, position);
    return position;
  }

  /** Adds a join that optional values need: LEFT in the main scope, INNER inside EXISTS. */
  join(source: FromItem, on: Expr): void {
    this.joins.push(this.kind === 'exists' ? sql.innerJoin(source, on) : sql.leftJoin(source, on));
  }

  joinLateral(source: FromItem, on: Expr): void {
    this.joins.push(sql.join(this.kind === 'exists' ? 'INNER' : 'LEFT', source, on, { lateral: true }));
  }

  /** A nested scope for an EXISTS subquery over the same aliases. */
  nested(): Scope {
    return new Scope(this.context, 'exists');
  }
}

/**
 * `condition` as seen from a scope: when the nested scope needed joins, an EXISTS over
 * them (the first join's source becomes the subquery's FROM); otherwise the condition itself.
 */
export function existsIn(scope: Scope, condition: Expr): Expr {
  const [first, ...rest] = scope.joins;
  if (!first) {
    return condition;
  }
  return sql.exists(
    sql.select({
      columns: [sql.keyword('TRUE')],
      from: [first.source],
      joins: rest,
      where: sql.and(...(first.on ? [first.on] : []), condition),
    }),
  );
}
