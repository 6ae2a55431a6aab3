/**
 * A checked AQL query to `{ sql, params, columns }`. The SQL has up to three levels:
 *
 *   rows:     SELECT <every value the query needs> FROM <classes> <path joins> WHERE <FROM,
 *             WHERE, consent>            (one row per combination of nodes and values)
 *   groups:   SELECT DISTINCT ... / SELECT ..., <aggregates> ... GROUP BY <the other columns>
 *   order:    SELECT <columns> ORDER BY <sort keys> LIMIT n OFFSET m
 *
 * Each level reads the one below by column name, so no expression is repeated. PostgreSQL
 * folds the levels together where it can (no DISTINCT, no aggregates), so an ORDER BY with
 * LIMIT still sorts only what it must.
 *
 * Consent: rows of EHRs whose EHR_STATUS has is_queryable = false are left out, unless the
 * query names that EHR (the `ehrId` option, `EHR e[ehr_id/value = ...]`, or
 * `e/ehr_id/value = ...` / MATCHES in a top-level AND of WHERE).
 */
import { isUuid } from '@cdr/rm';
import type { Condition, Operand, SelectColumn } from '../ast/nodes.js';
import { formatAql } from '../ast/printer.js';
import type { CheckedQuery } from '../check/check.js';
import { compileSql } from '../sql/compiler.js';
import * as sql from '../sql/factory.js';
import type { CompiledSql, Expr, OrderItem, QueryExpr, SelectItem } from '../sql/nodes.js';
import { ConditionCompiler } from './conditions.js';
import { notSupported } from './errors.js';
import { findEliminations } from './eliminations.js';
import { FromCompiler } from './from.js';
import { OperandCompiler, type OperandValue } from './operands.js';
import { PathTrie } from './path-trie.js';
import { PathCompiler } from './paths.js';
import { col } from './positions.js';
import { EHR_TABLE } from './schema.js';
import { CompileContext, Scope, type CompileOptions } from './scope.js';

export interface ResultColumn {
  /** The column alias, or `#<index>`. */
  readonly name: string;
  /** The path as written, for columns that are paths. */
  readonly path?: string;
}

export interface CompiledAql extends CompiledSql {
  readonly columns: readonly ResultColumn[];
  /**
   * The query reads only EHRs it names by id (the `ehrId` option, a FROM predicate outside
   * an OR, an equality or MATCHES in a top-level AND of WHERE): its rows are reached by
   * key, so a plan made once serves every value.
   */
  readonly namedEhrsOnly: boolean;
}

interface Column {
  readonly column: SelectColumn;
  /** Its value in the rows level (for an aggregate: its argument's, if any). */
  readonly inner: string | undefined;
  readonly shape: OperandValue['shape'];
}

const int = (value: number): Expr => sql.cast(sql.value(value), 'bigint');

export function compileAql(checked: CheckedQuery, options: CompileOptions): CompiledAql {
  const query = checked.query;
  const trie = PathTrie.of([...query.select.columns, query.where, ...query.orderBy]);
  const context = new CompileContext(options, trie);
  const scope = new Scope(context, 'main');
  const eliminated = findEliminations(checked, options.parameters ?? {});
  const from = new FromCompiler(scope, eliminated).compile(query.from);
  const paths = new PathCompiler(scope);
  for (const path of eliminated.bound.values()) {
    // the path that binds its class first, so that the class's other paths start from it
    paths.compile(path);
  }
  const operands = new OperandCompiler(paths);
  const where: Expr[] = [...from.where];
  if (query.where) {
    where.push(new ConditionCompiler(paths).compile(query.where));
    noteScopedEhrIds(query.where, context);
  }

  const rows: SelectItem[] = [];
  const innerName = (): string => `x${rows.length}`;
  const aggregates = query.select.columns.some((c) => c.expression.kind === 'aggregate');
  const columns: Column[] = query.select.columns.map((column) => {
    const expression = column.expression;
    if (expression.kind === 'aggregate') {
      if (expression.argument === '*') {
        return { column, inner: undefined, shape: 'primitive' };
      }
      const value = operands.value(expression.argument);
      const name = innerName();
      rows.push(sql.selectItem(value.expr, name));
      return { column, inner: name, shape: value.shape };
    }
    const value = operands.value(expression);
    const name = innerName();
    rows.push(sql.selectItem(value.expr, name));
    return { column, inner: name, shape: value.shape };
  });

  const grouped = aggregates || query.select.distinct;
  const sortKeys: OrderItem[] = [];
  const hidden: string[] = [];
  for (const item of query.orderBy) {
    const text = formatAql(item.expression);
    const index = query.select.columns.findIndex((c) => formatAql(c.expression) === text);
    let key: string;
    let shape: OperandValue['shape'];
    const magnitude = !grouped && item.expression.kind === 'identifiedPath' ? operands.value(item.expression).special : undefined;
    if (magnitude?.kind === 'magnitude') {
      // a magnitude sorts by its numeric index column, so that ORDER BY ... LIMIT can read the index in order
      key = innerName();
      rows.push(sql.selectItem(magnitude.column, key));
      hidden.push(key);
      shape = 'primitive';
    } else if (index >= 0) {
      key = `c${index}`;
      const selected = query.select.columns[index]?.expression;
      shape = selected?.kind === 'aggregate' ? 'unknown' : (columns[index] as Column).shape;
    } else if (grouped) {
      throw notSupported(item.position, 'ORDER BY a value that is not selected, together with DISTINCT or aggregates,');
    } else {
      key = innerName();
      const value = operands.value(item.expression as Operand);
      rows.push(sql.selectItem(value.expr, key));
      hidden.push(key);
      shape = value.shape;
    }
    // a primitive sorts as itself; data values by their DV_ORDERED primitive (aql_sort)
    const sortKey = shape === 'primitive' ? sql.column('q', key) : sql.fn('aql_sort', [sql.column('q', key)]);
    sortKeys.push(sql.orderItem(sortKey, item.direction === 'desc' ? 'DESC' : 'ASC'));
  }

  // consent and the EHR the caller named
  const joins = [...from.joins];
  let ehrTable = from.ehrTable;
  if (!ehrTable) {
    ehrTable = context.nextAlias('h');
    joins.push(sql.innerJoin(sql.table(EHR_TABLE, ehrTable), sql.eq(col(ehrTable, 'ehr_id'), from.ehrId)));
  }
  if (options.ehrId !== undefined) {
    const id = options.ehrId.toLowerCase();
    where.push(isUuid(id) ? sql.eq(col(ehrTable, 'ehr_id'), sql.cast(sql.value(id), 'uuid')) : sql.keyword('FALSE'));
    context.scopedEhrIds.add(id);
    context.namedEhrsOnly = true;
  }
  const named = [...context.scopedEhrIds].filter((id) => isUuid(id));
  const visible = col(ehrTable, 'is_queryable');
  where.push(
    named.length > 0
      ? sql.or(visible, sql.inList(col(ehrTable, 'ehr_id'), named.map((id) => sql.cast(sql.value(id), 'uuid'))))
      : visible,
  );

  // level 1: rows
  const firstItems = grouped
    ? rows
    : [...columns.map((c, i) => sql.selectItem(sql.column('r', c.inner as string), `c${i}`)), ...hidden.map((h) => sql.selectItem(sql.column('r', h), h))];
  const rowsQuery = sql.select({
    columns: rows.length > 0 ? rows : [sql.selectItem(sql.keyword('TRUE'), 'x')],
    from: [from.from],
    joins: [...joins, ...scope.joins],
    where: sql.and(...where),
  });

  // level 2: groups
  let result: QueryExpr;
  if (aggregates) {
    result = sql.select({
      columns: columns.map((c, i) => {
        const expression = c.column.expression;
        const value =
          expression.kind === 'aggregate'
            ? OperandCompiler.aggregate(expression, c.inner ? sql.column('r', c.inner) : undefined, c.shape, expression.position)
            : sql.column('r', c.inner as string);
        return sql.selectItem(value, `c${i}`);
      }),
      from: [sql.derivedTable(rowsQuery, 'r')],
      groupBy: columns.filter((c) => c.column.expression.kind !== 'aggregate').map((c) => sql.column('r', c.inner as string)),
    });
  } else if (query.select.distinct) {
    result = sql.select({
      distinct: true,
      columns: columns.map((c, i) => sql.selectItem(sql.column('r', c.inner as string), `c${i}`)),
      from: [sql.derivedTable(rowsQuery, 'r')],
    });
  } else {
    result = sql.select({ columns: firstItems, from: [sql.derivedTable(rowsQuery, 'r')] });
  }

  // level 3: order and page
  const limit = options.limit ?? query.limit?.limit ?? query.select.top?.count;
  const offset = options.offset ?? query.limit?.offset;
  const final = sql.select({
    columns: columns.map((_, i) => sql.selectItem(sql.column('q', `c${i}`), `c${i}`)),
    from: [sql.derivedTable(result, 'q')],
    orderBy: sortKeys,
    ...(limit !== undefined ? { limit: int(limit) } : {}),
    ...(offset !== undefined && offset > 0 ? { offset: int(offset) } : {}),
  });
  const compiled = compileSql(final);
  return {
    ...compiled,
    namedEhrsOnly: context.namedEhrsOnly && context.scopedEhrIds.size > 0 && [...context.scopedEhrIds].every((id) => isUuid(id)),
    columns: query.select.columns.map((column, index) => ({
      name: column.alias ?? `#${index}`,
      ...(column.expression.kind === 'identifiedPath' ? { path: formatAql(column.expression) } : {}),
    })),
  };
}

/** `e/ehr_id/value = '...'` and `... MATCHES {...}` in a top-level AND name EHRs. */
function noteScopedEhrIds(where: Condition, context: CompileContext): void {
  const conjuncts = where.kind === 'and' ? where.operands : [where];
  const isEhrId = (operand: Operand): boolean =>
    operand.kind === 'identifiedPath' &&
    context.aliases.get(operand.alias)?.kind === 'ehr' &&
    operand.steps.map((s) => s.attribute).join('/') === 'ehr_id/value';
  const note = (operand: Operand): void => {
    const value = operand.kind === 'string' ? operand.value : operand.kind === 'parameter' ? context.options.parameters?.[operand.name] : undefined;
    for (const id of Array.isArray(value) ? value : [value]) {
      if (typeof id === 'string') {
        context.scopedEhrIds.add(id.toLowerCase());
        context.namedEhrsOnly = true;
      }
    }
  };
  for (const condition of conjuncts) {
    if (condition.kind === 'comparison' && condition.operator === '=') {
      if (isEhrId(condition.left)) {
        note(condition.right);
      } else if (isEhrId(condition.right)) {
        note(condition.left);
      }
    } else if (condition.kind === 'matches' && isEhrId(condition.operand) && condition.valueSet.kind === 'valueList') {
      condition.valueSet.items.forEach(note);
    }
  }
}
