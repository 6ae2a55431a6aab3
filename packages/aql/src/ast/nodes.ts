/**
 * The AQL abstract syntax tree: immutable records tagged with `kind`. Every node carries
 * the position of its first character in the query text (1-based line and column).
 *
 * Build nodes with the factory functions in `./factory.ts`; walk them with the visitor
 * in `./visitor.ts`, which is typed against every kind listed in `AqlNode`.
 */

export interface SourcePosition {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column (character) number. */
  readonly column: number;
}

interface Node<K extends string> {
  readonly kind: K;
  readonly position: SourcePosition;
}

// ------------------------------------------------------------------ query

export interface Query extends Node<'query'> {
  readonly select: SelectClause;
  readonly from: FromExpr;
  readonly where: Condition | undefined;
  readonly orderBy: readonly OrderByItem[];
  readonly limit: LimitClause | undefined;
}

export interface SelectClause extends Node<'select'> {
  readonly distinct: boolean;
  readonly top: TopClause | undefined;
  readonly columns: readonly SelectColumn[];
}

/** The deprecated `TOP n [FORWARD|BACKWARD]` of AQL 1.0. */
export interface TopClause extends Node<'top'> {
  readonly count: number;
  readonly direction: 'forward' | 'backward' | undefined;
}

export interface SelectColumn extends Node<'selectColumn'> {
  readonly expression: Operand;
  readonly alias: string | undefined;
  /** The column expression exactly as written in the query (result column `path`). */
  readonly source: string;
}

export interface OrderByItem extends Node<'orderBy'> {
  readonly expression: Operand;
  readonly direction: SortDirection;
}

export type SortDirection = 'asc' | 'desc';

export interface LimitClause extends Node<'limit'> {
  readonly limit: number;
  readonly offset: number | undefined;
}

// ------------------------------------------------------------------ FROM

/** One class expression: `COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1]`, `EHR e[ehr_id/value=$id]`. */
export interface ClassExpr extends Node<'classExpr'> {
  /** The RM type, upper case (`OBSERVATION`); queries may write it in any case. */
  readonly rmType: string;
  readonly alias: string | undefined;
  readonly predicate: Predicate | undefined;
}

/**
 * `VERSION v[LATEST_VERSION]`, `VERSION v[ALL_VERSIONS]` or `VERSION v[<standard predicate>]`.
 * Without a predicate the latest version is meant; a standard predicate selects among all versions.
 */
export interface VersionExpr extends Node<'versionExpr'> {
  readonly alias: string | undefined;
  readonly versions: 'latest' | 'all';
  readonly predicate: Predicate | undefined;
}

export type ClassOperand = ClassExpr | VersionExpr;

/** `container [NOT] CONTAINS contained`. */
export interface Contains extends Node<'contains'> {
  readonly container: ClassOperand;
  readonly negated: boolean;
  readonly contained: FromExpr;
}

/** Sibling containment: `CONTAINS (OBSERVATION o AND EVALUATION v)`. Two or more operands. */
export interface ContainsAnd extends Node<'containsAnd'> {
  readonly operands: readonly FromExpr[];
}

export interface ContainsOr extends Node<'containsOr'> {
  readonly operands: readonly FromExpr[];
}

export type FromExpr = ClassOperand | Contains | ContainsAnd | ContainsOr;

// ------------------------------------------------------------------ WHERE

export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** Two or more conditions that must all hold. */
export interface And extends Node<'and'> {
  readonly operands: readonly Condition[];
}

export interface Or extends Node<'or'> {
  readonly operands: readonly Condition[];
}

export interface Not extends Node<'not'> {
  readonly operand: Condition;
}

export interface Comparison extends Node<'comparison'> {
  readonly operator: ComparisonOperator;
  readonly left: Operand;
  readonly right: Operand;
}

/** `operand LIKE pattern`; the AQL wildcards are `*` and `?`, escaped with a backslash. */
export interface Like extends Node<'like'> {
  readonly operand: Operand;
  readonly pattern: Operand;
}

export interface Matches extends Node<'matches'> {
  readonly operand: Operand;
  readonly valueSet: ValueList | UriValueSet | FunctionCall;
}

export interface ValueList extends Node<'valueList'> {
  readonly items: readonly Operand[];
}

/** `MATCHES {terminology://...}`: a value set held by a terminology service. */
export interface UriValueSet extends Node<'uriValueSet'> {
  readonly uri: string;
}

export interface Exists extends Node<'exists'> {
  readonly operand: Operand;
}

export type Condition = And | Or | Not | Comparison | Like | Matches | Exists;

// ------------------------------------------------------------------ operands

/** An alias followed by an optional path: `c`, `o/data[at0001]/events[at0002]/time/value`. */
export interface IdentifiedPath extends Node<'identifiedPath'> {
  readonly alias: string;
  /** A predicate written directly on the alias (`o[at0001]/...`). */
  readonly predicate: Predicate | undefined;
  /** Empty for the whole object. */
  readonly steps: readonly PathStep[];
}

export interface PathStep extends Node<'pathStep'> {
  readonly attribute: string;
  readonly predicate: Predicate | undefined;
}

/** A relative path inside a predicate: `name/value`, `ehr_id/value`. */
export interface ObjectPath extends Node<'objectPath'> {
  readonly steps: readonly PathStep[];
}

export interface StringLiteral extends Node<'string'> {
  readonly value: string;
}

export interface NumberLiteral extends Node<'number'> {
  readonly value: number;
  /** The number as written (with its sign), for exact decimal handling downstream. */
  readonly text: string;
  readonly integer: boolean;
}

export interface BooleanLiteral extends Node<'boolean'> {
  readonly value: boolean;
}

export type NullLiteral = Node<'null'>;

export type TemporalType = 'date' | 'time' | 'dateTime';

/** A quoted string in ISO 8601 extended form: '2021-03-01', '10:30:00', '2021-03-01T10:30:00.123+01:00'. */
export interface TemporalLiteral extends Node<'temporal'> {
  readonly temporalType: TemporalType;
  readonly value: string;
}

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | TemporalLiteral;

/** `$name`; `name` is stored without the dollar sign. */
export interface Parameter extends Node<'parameter'> {
  readonly name: string;
}

/** A call of a non-aggregate function. Known names are stored upper case (see `functions.ts`). */
export interface FunctionCall extends Node<'functionCall'> {
  readonly name: string;
  readonly args: readonly Operand[];
}

export type AggregateFunction = 'COUNT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

export interface AggregateCall extends Node<'aggregate'> {
  readonly function: AggregateFunction;
  readonly distinct: boolean;
  /** `'*'` only for COUNT(*). */
  readonly argument: Operand | '*';
}

export type Operand = IdentifiedPath | Literal | Parameter | FunctionCall | AggregateCall;

// ------------------------------------------------------------------ predicates

/** `at0001`, `id5`: a node identifier of the archetype formalism. */
export interface NodeCode extends Node<'nodeCode'> {
  readonly code: string;
}

/** `openEHR-EHR-OBSERVATION.blood_pressure.v2` */
export interface ArchetypeId extends Node<'archetypeId'> {
  readonly id: string;
}

/** `SNOMED-CT::271649006`, `snomed_ct(3.1)::3415004|cyanosis|` */
export interface TermCode extends Node<'termCode'> {
  readonly terminology: string;
  readonly terminologyVersion: string | undefined;
  readonly code: string;
  readonly text: string | undefined;
}

/** `[at0001]`, `[at0001, 'Systolic']`, `[openEHR-EHR-CLUSTER.x.v1, $name]`, `[$archetype]`. */
export interface NodePredicate extends Node<'nodePredicate'> {
  readonly node: NodeCode | ArchetypeId | Parameter;
  readonly name: StringLiteral | Parameter | TermCode | NodeCode | undefined;
}

/** `[name/value = 'x']`, `[ehr_id/value = $ehrId]`. */
export interface PredicateComparison extends Node<'predicateComparison'> {
  readonly path: ObjectPath;
  readonly operator: ComparisonOperator;
  readonly value: Literal | Parameter | NodeCode | ArchetypeId | TermCode | ObjectPath;
}

/** `[name/value matches {/^Blood/}]` */
export interface PredicateMatches extends Node<'predicateMatches'> {
  readonly path: ObjectPath;
  readonly pattern: string;
}

export interface PredicateAnd extends Node<'predicateAnd'> {
  readonly operands: readonly Predicate[];
}

export interface PredicateOr extends Node<'predicateOr'> {
  readonly operands: readonly Predicate[];
}

export type Predicate = NodePredicate | PredicateComparison | PredicateMatches | PredicateAnd | PredicateOr;

// ------------------------------------------------------------------ all nodes

export type AqlNode =
  | Query
  | SelectClause
  | TopClause
  | SelectColumn
  | OrderByItem
  | LimitClause
  | ClassExpr
  | VersionExpr
  | Contains
  | ContainsAnd
  | ContainsOr
  | And
  | Or
  | Not
  | Comparison
  | Like
  | Matches
  | ValueList
  | UriValueSet
  | Exists
  | IdentifiedPath
  | PathStep
  | ObjectPath
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | TemporalLiteral
  | Parameter
  | FunctionCall
  | AggregateCall
  | NodeCode
  | ArchetypeId
  | TermCode
  | NodePredicate
  | PredicateComparison
  | PredicateMatches
  | PredicateAnd
  | PredicateOr;

export type AqlNodeKind = AqlNode['kind'];

export type AqlNodeOf<K extends AqlNodeKind> = Extract<AqlNode, { readonly kind: K }>;

const KINDS: Readonly<Record<AqlNodeKind, true>> = {
  query: true,
  select: true,
  top: true,
  selectColumn: true,
  orderBy: true,
  limit: true,
  classExpr: true,
  versionExpr: true,
  contains: true,
  containsAnd: true,
  containsOr: true,
  and: true,
  or: true,
  not: true,
  comparison: true,
  like: true,
  matches: true,
  valueList: true,
  uriValueSet: true,
  exists: true,
  identifiedPath: true,
  pathStep: true,
  objectPath: true,
  string: true,
  number: true,
  boolean: true,
  null: true,
  temporal: true,
  parameter: true,
  functionCall: true,
  aggregate: true,
  nodeCode: true,
  archetypeId: true,
  termCode: true,
  nodePredicate: true,
  predicateComparison: true,
  predicateMatches: true,
  predicateAnd: true,
  predicateOr: true,
};

/** Every node kind at run time (the record above fails to compile if one is missing). */
export const AQL_NODE_KINDS: readonly AqlNodeKind[] = Object.freeze(Object.keys(KINDS) as AqlNodeKind[]);
