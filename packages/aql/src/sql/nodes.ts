/**
 * A generic SQL tree for PostgreSQL: immutable records tagged with `kind`, built by the
 * factory functions in `./factory.ts` and turned into `{ sql, params }` by `./compiler.ts`.
 *
 * Values only ever live in `value` nodes and always become `$n` parameters. Identifiers
 * (tables, columns, aliases, CTE names) are quoted by one function. Function names, type
 * names and keywords are checked against strict patterns when the node is built; none of
 * them can carry user input into the SQL text.
 */

interface Node<K extends string> {
  readonly kind: K;
}

// ------------------------------------------------------------------ queries

export interface SelectQuery extends Node<'select'> {
  readonly with: With | undefined;
  /** `true` for DISTINCT, a list for DISTINCT ON (...). */
  readonly distinct: boolean | readonly Expr[];
  readonly columns: readonly SelectItem[];
  readonly from: readonly FromItem[];
  readonly joins: readonly Join[];
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
  readonly orderBy: readonly OrderItem[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

export type SetOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';

/** `q1 UNION ALL q2 ...` (e.g. the two halves of a recursive CTE). */
export interface SetOperation extends Node<'setOperation'> {
  readonly operator: SetOperator;
  readonly queries: readonly QueryExpr[];
}

export type QueryExpr = SelectQuery | SetOperation;

export interface With extends Node<'with'> {
  readonly recursive: boolean;
  readonly ctes: readonly Cte[];
}

export interface Cte extends Node<'cte'> {
  readonly name: string;
  readonly columns: readonly string[];
  readonly materialized: boolean | undefined;
  readonly query: QueryExpr;
}

export interface SelectItem extends Node<'selectItem'> {
  readonly expression: Expr;
  readonly alias: string | undefined;
}

export type SortOrder = 'ASC' | 'DESC';
export type NullsOrder = 'FIRST' | 'LAST';

export interface OrderItem extends Node<'orderItem'> {
  readonly expression: Expr;
  readonly direction: SortOrder | undefined;
  readonly nulls: NullsOrder | undefined;
}

// ------------------------------------------------------------------ FROM

export interface TableRef extends Node<'table'> {
  readonly schema: string | undefined;
  readonly name: string;
  readonly alias: string | undefined;
}

/** `(SELECT ...) AS alias(columns)` */
export interface DerivedTable extends Node<'derivedTable'> {
  readonly query: QueryExpr;
  readonly alias: string;
  readonly columns: readonly string[];
}

/** A set-returning function: `jsonb_array_elements(x) WITH ORDINALITY AS alias(columns)`. */
export interface FunctionTable extends Node<'functionTable'> {
  readonly call: FunctionCall;
  readonly withOrdinality: boolean;
  readonly alias: string;
  readonly columns: readonly string[];
}

export type FromItem = TableRef | DerivedTable | FunctionTable;

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

export interface Join extends Node<'join'> {
  readonly type: JoinType;
  readonly lateral: boolean;
  readonly source: FromItem;
  /** Required except for CROSS joins. */
  readonly on: Expr | undefined;
}

// ------------------------------------------------------------------ expressions

/** `"table"."column"` or `"column"`. */
export interface ColumnRef extends Node<'column'> {
  readonly table: string | undefined;
  readonly name: string;
}

/** `*` or `"table".*` */
export interface Star extends Node<'star'> {
  readonly table: string | undefined;
}

/** A value: always compiled to a `$n` parameter. */
export interface Value extends Node<'value'> {
  readonly value: unknown;
}

/** An SQL keyword used as a value: NULL, TRUE, DEFAULT, CURRENT_TIMESTAMP, ALL ... */
export interface Keyword extends Node<'keyword'> {
  readonly keyword: string;
}

export type BinaryOperator =
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IS DISTINCT FROM'
  | 'IS NOT DISTINCT FROM'
  | 'LIKE'
  | 'NOT LIKE'
  | 'ILIKE'
  | 'NOT ILIKE'
  | '~'
  | '~*'
  | '||'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '->'
  | '->>'
  | '#>'
  | '#>>'
  | '@>'
  | '<@'
  | '?'
  | '?|'
  | '?&'
  | '@?'
  | '@@';

export interface Binary extends Node<'binary'> {
  readonly operator: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export interface And extends Node<'and'> {
  readonly operands: readonly Expr[];
}

export interface Or extends Node<'or'> {
  readonly operands: readonly Expr[];
}

export interface Not extends Node<'not'> {
  readonly operand: Expr;
}

/** `x IS NULL` / `x IS NOT NULL` */
export interface IsNull extends Node<'isNull'> {
  readonly operand: Expr;
  readonly negated: boolean;
}

/** `x IN (a, b)` / `x IN (SELECT ...)` */
export interface In extends Node<'in'> {
  readonly operand: Expr;
  readonly values: readonly Expr[] | QueryExpr;
  readonly negated: boolean;
}

export interface Exists extends Node<'exists'> {
  readonly query: QueryExpr;
  readonly negated: boolean;
}

export interface FunctionCall extends Node<'function'> {
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** ORDER BY inside an aggregate: `jsonb_agg(x ORDER BY y)`. */
  readonly orderBy: readonly OrderItem[];
  readonly filter: Expr | undefined;
}

export interface Cast extends Node<'cast'> {
  readonly expression: Expr;
  readonly type: string;
}

export interface When extends Node<'when'> {
  readonly condition: Expr;
  readonly result: Expr;
}

export interface Case extends Node<'case'> {
  readonly whens: readonly When[];
  readonly otherwise: Expr | undefined;
}

/** A scalar subquery: `(SELECT ...)`. */
export interface Subquery extends Node<'subquery'> {
  readonly query: QueryExpr;
}

/** `ARRAY[a, b]` */
export interface ArrayExpr extends Node<'array'> {
  readonly items: readonly Expr[];
}

export type Expr =
  | ColumnRef
  | Star
  | Value
  | Keyword
  | Binary
  | And
  | Or
  | Not
  | IsNull
  | In
  | Exists
  | FunctionCall
  | Cast
  | Case
  | Subquery
  | ArrayExpr;

// ------------------------------------------------------------------ all nodes

export type SqlNode =
  | SelectQuery
  | SetOperation
  | With
  | Cte
  | SelectItem
  | OrderItem
  | TableRef
  | DerivedTable
  | FunctionTable
  | Join
  | When
  | Expr;

export type SqlNodeKind = SqlNode['kind'];

export type SqlNodeOf<K extends SqlNodeKind> = Extract<SqlNode, { readonly kind: K }>;

export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}
