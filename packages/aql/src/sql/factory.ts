/**
 * Factory functions for the SQL tree. Every node is frozen; names are validated here
 * (and again by the compiler, which also accepts hand-built nodes).
 */
import { CdrError } from '@cdr/rm';
import { assertFunctionName, assertIdentifier, assertKeyword, assertTypeName } from './identifiers.js';
import type {
  And,
  ArrayExpr,
  Binary,
  BinaryOperator,
  Case,
  Cast,
  ColumnRef,
  Cte,
  DerivedTable,
  Exists,
  Expr,
  FromItem,
  FunctionCall,
  FunctionTable,
  In,
  IsNull,
  Join,
  JoinType,
  Keyword,
  Not,
  NullsOrder,
  Or,
  OrderItem,
  QueryExpr,
  SelectItem,
  SelectQuery,
  SetOperation,
  SetOperator,
  SortOrder,
  Star,
  Subquery,
  TableRef,
  Value,
  When,
  With,
} from './nodes.js';

function assertIdentifiers(...names: readonly (string | undefined)[]): void {
  for (const name of names) {
    if (name !== undefined) {
      assertIdentifier(name);
    }
  }
}

function freeze<T extends object>(node: T): T {
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      Object.freeze(value);
    }
  }
  return Object.freeze(node);
}

// ------------------------------------------------------------------ queries

export interface SelectProps {
  readonly with?: With;
  readonly distinct?: boolean | readonly Expr[];
  readonly columns: readonly (SelectItem | Expr)[];
  readonly from?: readonly FromItem[];
  readonly joins?: readonly Join[];
  readonly where?: Expr;
  readonly groupBy?: readonly Expr[];
  readonly having?: Expr;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export function select(props: SelectProps): SelectQuery {
  return freeze({
    kind: 'select',
    with: props.with,
    distinct: Array.isArray(props.distinct) ? [...props.distinct] : (props.distinct ?? false),
    columns: props.columns.map((column) => (column.kind === 'selectItem' ? column : selectItem(column))),
    from: [...(props.from ?? [])],
    joins: [...(props.joins ?? [])],
    where: props.where,
    groupBy: [...(props.groupBy ?? [])],
    having: props.having,
    orderBy: [...(props.orderBy ?? [])],
    limit: props.limit,
    offset: props.offset,
  });
}

export function setOperation(operator: SetOperator, queries: readonly QueryExpr[]): SetOperation {
  if (queries.length < 2) {
    throw new CdrError('internal', `invalid SQL tree: ${operator} needs at least two queries`);
  }
  return freeze({ kind: 'setOperation', operator, queries: [...queries] });
}

export function withClause(ctes: readonly Cte[], recursive = false): With {
  return freeze({ kind: 'with', recursive, ctes: [...ctes] });
}

export function cte(
  name: string,
  query: QueryExpr,
  options: { readonly columns?: readonly string[]; readonly materialized?: boolean } = {},
): Cte {
  assertIdentifiers(name, ...(options.columns ?? []));
  return freeze({ kind: 'cte', name, columns: [...(options.columns ?? [])], materialized: options.materialized, query });
}

export function selectItem(expression: Expr, alias?: string): SelectItem {
  if (alias !== undefined) {
    assertIdentifier(alias);
  }
  return freeze({ kind: 'selectItem', expression, alias });
}

export function orderItem(expression: Expr, direction?: SortOrder, nulls?: NullsOrder): OrderItem {
  return freeze({ kind: 'orderItem', expression, direction, nulls });
}

// ------------------------------------------------------------------ FROM

export function table(name: string, alias?: string, schema?: string): TableRef {
  assertIdentifiers(name, alias, schema);
  return freeze({ kind: 'table', schema, name, alias });
}

export function derivedTable(query: QueryExpr, alias: string, columns: readonly string[] = []): DerivedTable {
  assertIdentifiers(alias, ...columns);
  return freeze({ kind: 'derivedTable', query, alias, columns: [...columns] });
}

export function functionTable(
  call: FunctionCall,
  alias: string,
  options: { readonly columns?: readonly string[]; readonly withOrdinality?: boolean } = {},
): FunctionTable {
  assertIdentifiers(alias, ...(options.columns ?? []));
  return freeze({
    kind: 'functionTable',
    call,
    withOrdinality: options.withOrdinality ?? false,
    alias,
    columns: [...(options.columns ?? [])],
  });
}

export function join(type: JoinType, source: FromItem, on?: Expr, options: { readonly lateral?: boolean } = {}): Join {
  if ((type === 'CROSS') !== (on === undefined)) {
    throw new CdrError('internal', `invalid SQL tree: ${type} JOIN ${type === 'CROSS' ? 'takes no' : 'needs an'} ON condition`);
  }
  return freeze({ kind: 'join', type, lateral: options.lateral ?? false, source, on });
}

export const innerJoin = (source: FromItem, on: Expr): Join => join('INNER', source, on);
export const leftJoin = (source: FromItem, on: Expr): Join => join('LEFT', source, on);
export const crossJoin = (source: FromItem): Join => join('CROSS', source);
/** `CROSS JOIN LATERAL source` */
export const crossJoinLateral = (source: FromItem): Join => join('CROSS', source, undefined, { lateral: true });
/** `LEFT JOIN LATERAL source ON on` (use `keyword('TRUE')` for an unconditional lateral join). */
export const leftJoinLateral = (source: FromItem, on: Expr): Join => join('LEFT', source, on, { lateral: true });

// ------------------------------------------------------------------ expressions

/** `column('c', 'data')` is `"c"."data"`; `column('data')` is `"data"`. */
export function column(tableOrName: string, name?: string): ColumnRef {
  const [tableName, columnName] = name === undefined ? [undefined, tableOrName] : [tableOrName, name];
  assertIdentifiers(tableName, columnName);
  return freeze({ kind: 'column', table: tableName, name: columnName });
}

export function star(tableName?: string): Star {
  if (tableName !== undefined) {
    assertIdentifier(tableName);
  }
  return freeze({ kind: 'star', table: tableName });
}

/** A value; the compiler turns it into a `$n` parameter. */
export function value(content: unknown): Value {
  if (content === undefined) {
    throw new CdrError('internal', 'invalid SQL tree: a value cannot be undefined (use keyword("NULL"))');
  }
  return freeze({ kind: 'value', value: content });
}

export function keyword(word: string): Keyword {
  assertKeyword(word);
  return freeze({ kind: 'keyword', keyword: word });
}

export function binary(operator: BinaryOperator, left: Expr, right: Expr): Binary {
  return freeze({ kind: 'binary', operator, left, right });
}

export const eq = (left: Expr, right: Expr): Binary => binary('=', left, right);
export const ne = (left: Expr, right: Expr): Binary => binary('<>', left, right);
export const lt = (left: Expr, right: Expr): Binary => binary('<', left, right);
export const lte = (left: Expr, right: Expr): Binary => binary('<=', left, right);
export const gt = (left: Expr, right: Expr): Binary => binary('>', left, right);
export const gte = (left: Expr, right: Expr): Binary => binary('>=', left, right);

/** Conjunction; nested ANDs are flattened and a single operand is returned as is. */
export function and(...operands: readonly Expr[]): Expr {
  const flat = operands.flatMap((operand) => (operand.kind === 'and' ? operand.operands : [operand]));
  if (flat.length === 0) {
    return keyword('TRUE');
  }
  return flat.length === 1 ? (flat[0] as Expr) : freeze<And>({ kind: 'and', operands: flat });
}

/** Disjunction; nested ORs are flattened and a single operand is returned as is. */
export function or(...operands: readonly Expr[]): Expr {
  const flat = operands.flatMap((operand) => (operand.kind === 'or' ? operand.operands : [operand]));
  if (flat.length === 0) {
    return keyword('FALSE');
  }
  return flat.length === 1 ? (flat[0] as Expr) : freeze<Or>({ kind: 'or', operands: flat });
}

export function not(operand: Expr): Not {
  return freeze({ kind: 'not', operand });
}

export function isNull(operand: Expr, negated = false): IsNull {
  return freeze({ kind: 'isNull', operand, negated });
}

export const isNotNull = (operand: Expr): IsNull => isNull(operand, true);

export function inList(operand: Expr, values: readonly Expr[] | QueryExpr, negated = false): In {
  if (Array.isArray(values) && values.length === 0) {
    throw new CdrError('internal', 'invalid SQL tree: IN needs at least one value');
  }
  return freeze({ kind: 'in', operand, values: Array.isArray(values) ? [...values] : values, negated });
}

export function exists(query: QueryExpr, negated = false): Exists {
  return freeze({ kind: 'exists', query, negated });
}

export function fn(
  name: string,
  args: readonly Expr[] = [],
  options: { readonly distinct?: boolean; readonly orderBy?: readonly OrderItem[]; readonly filter?: Expr } = {},
): FunctionCall {
  assertFunctionName(name);
  return freeze({
    kind: 'function',
    name,
    args: [...args],
    distinct: options.distinct ?? false,
    orderBy: [...(options.orderBy ?? [])],
    filter: options.filter,
  });
}

/** `count(*)` */
export const countAll = (): FunctionCall => fn('count', [star()]);

export function cast(expression: Expr, type: string): Cast {
  assertTypeName(type);
  return freeze({ kind: 'cast', expression, type });
}

export function when(condition: Expr, result: Expr): When {
  return freeze({ kind: 'when', condition, result });
}

export function caseWhen(whens: readonly When[], otherwise?: Expr): Case {
  if (whens.length === 0) {
    throw new CdrError('internal', 'invalid SQL tree: CASE needs at least one WHEN');
  }
  return freeze({ kind: 'case', whens: [...whens], otherwise });
}

export function subquery(query: QueryExpr): Subquery {
  return freeze({ kind: 'subquery', query });
}

export function array(items: readonly Expr[]): ArrayExpr {
  return freeze({ kind: 'array', items: [...items] });
}

// ------------------------------------------------------------------ JSONB

const textKey = (key: string | number): Expr =>
  typeof key === 'number' ? cast(value(key), 'integer') : cast(value(key), 'text');

/** `target -> key` (an object member by name, an array element by index). */
export const jsonGet = (target: Expr, key: string | number): Binary => binary('->', target, textKey(key));
/** `target ->> key`: the member as text. */
export const jsonGetText = (target: Expr, key: string | number): Binary => binary('->>', target, textKey(key));
/** `target #> path` with the path as a text[] parameter. */
export const jsonPath = (target: Expr, path: readonly (string | number)[]): Binary =>
  binary('#>', target, cast(value(path.map(String)), 'text[]'));
/** `target #>> path`: the value at the path as text. */
export const jsonPathText = (target: Expr, path: readonly (string | number)[]): Binary =>
  binary('#>>', target, cast(value(path.map(String)), 'text[]'));
/** `target @> json`: containment, the JSON given as a value. */
export const jsonContains = (target: Expr, json: unknown): Binary =>
  binary('@>', target, cast(value(JSON.stringify(json)), 'jsonb'));
/** `target @? path`: does the jsonpath return any item. */
export const jsonPathExistsOperator = (target: Expr, path: string): Binary =>
  binary('@?', target, cast(value(path), 'jsonpath'));
/** `target @@ path`: the result of a jsonpath predicate. */
export const jsonPathMatchOperator = (target: Expr, path: string): Binary =>
  binary('@@', target, cast(value(path), 'jsonpath'));

function jsonPathFunction(name: string, target: Expr, path: string, vars?: Readonly<Record<string, unknown>>): FunctionCall {
  const args: Expr[] = [target, cast(value(path), 'jsonpath')];
  if (vars !== undefined) {
    args.push(cast(value(JSON.stringify(vars)), 'jsonb'));
  }
  return fn(name, args);
}

/** `jsonb_path_query(target, path[, vars])`: a set-returning function (use it in FROM via functionTable). */
export const jsonbPathQuery = (target: Expr, path: string, vars?: Readonly<Record<string, unknown>>): FunctionCall =>
  jsonPathFunction('jsonb_path_query', target, path, vars);
export const jsonbPathQueryFirst = (target: Expr, path: string, vars?: Readonly<Record<string, unknown>>): FunctionCall =>
  jsonPathFunction('jsonb_path_query_first', target, path, vars);
export const jsonbPathQueryArray = (target: Expr, path: string, vars?: Readonly<Record<string, unknown>>): FunctionCall =>
  jsonPathFunction('jsonb_path_query_array', target, path, vars);
export const jsonbPathExists = (target: Expr, path: string, vars?: Readonly<Record<string, unknown>>): FunctionCall =>
  jsonPathFunction('jsonb_path_exists', target, path, vars);
export const jsonbPathMatch = (target: Expr, path: string, vars?: Readonly<Record<string, unknown>>): FunctionCall =>
  jsonPathFunction('jsonb_path_match', target, path, vars);
