/**
 * Factory functions for AQL AST nodes. Each returns a frozen record; arrays passed in
 * are copied and frozen, so a node never changes after it is built.
 */
import type {
  AggregateCall,
  And,
  AqlNodeKind,
  AqlNodeOf,
  ArchetypeId,
  BooleanLiteral,
  ClassExpr,
  Comparison,
  Contains,
  ContainsAnd,
  ContainsOr,
  Exists,
  FunctionCall,
  IdentifiedPath,
  Like,
  LimitClause,
  Matches,
  NodeCode,
  NodePredicate,
  Not,
  NullLiteral,
  NumberLiteral,
  ObjectPath,
  Or,
  OrderByItem,
  Parameter,
  PathStep,
  PredicateAnd,
  PredicateComparison,
  PredicateMatches,
  PredicateOr,
  Query,
  SelectClause,
  SelectColumn,
  SourcePosition,
  StringLiteral,
  TemporalLiteral,
  TermCode,
  TopClause,
  UriValueSet,
  ValueList,
  VersionExpr,
} from './nodes.js';

/** The fields of a node other than `kind` and `position`. */
export type NodeProps<K extends AqlNodeKind> = Omit<AqlNodeOf<K>, 'kind' | 'position'>;

function make<K extends AqlNodeKind>(kind: K, props: NodeProps<K>, position: SourcePosition): AqlNodeOf<K> {
  const fields: Record<string, unknown> = { kind, position: Object.freeze({ line: position.line, column: position.column }) };
  for (const [key, value] of Object.entries(props)) {
    fields[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }
  return Object.freeze(fields) as unknown as AqlNodeOf<K>;
}

export const position = (line: number, column: number): SourcePosition => Object.freeze({ line, column });

export const query = (props: NodeProps<'query'>, at: SourcePosition): Query => make('query', props, at);
export const selectClause = (props: NodeProps<'select'>, at: SourcePosition): SelectClause => make('select', props, at);
export const topClause = (props: NodeProps<'top'>, at: SourcePosition): TopClause => make('top', props, at);
export const selectColumn = (props: NodeProps<'selectColumn'>, at: SourcePosition): SelectColumn =>
  make('selectColumn', props, at);
export const orderByItem = (props: NodeProps<'orderBy'>, at: SourcePosition): OrderByItem => make('orderBy', props, at);
export const limitClause = (props: NodeProps<'limit'>, at: SourcePosition): LimitClause => make('limit', props, at);

export const classExpr = (props: NodeProps<'classExpr'>, at: SourcePosition): ClassExpr => make('classExpr', props, at);
export const versionExpr = (props: NodeProps<'versionExpr'>, at: SourcePosition): VersionExpr =>
  make('versionExpr', props, at);
export const contains = (props: NodeProps<'contains'>, at: SourcePosition): Contains => make('contains', props, at);
export const containsAnd = (props: NodeProps<'containsAnd'>, at: SourcePosition): ContainsAnd =>
  make('containsAnd', props, at);
export const containsOr = (props: NodeProps<'containsOr'>, at: SourcePosition): ContainsOr =>
  make('containsOr', props, at);

export const andCondition = (props: NodeProps<'and'>, at: SourcePosition): And => make('and', props, at);
export const orCondition = (props: NodeProps<'or'>, at: SourcePosition): Or => make('or', props, at);
export const notCondition = (props: NodeProps<'not'>, at: SourcePosition): Not => make('not', props, at);
export const comparison = (props: NodeProps<'comparison'>, at: SourcePosition): Comparison =>
  make('comparison', props, at);
export const like = (props: NodeProps<'like'>, at: SourcePosition): Like => make('like', props, at);
export const matches = (props: NodeProps<'matches'>, at: SourcePosition): Matches => make('matches', props, at);
export const valueList = (props: NodeProps<'valueList'>, at: SourcePosition): ValueList => make('valueList', props, at);
export const uriValueSet = (props: NodeProps<'uriValueSet'>, at: SourcePosition): UriValueSet =>
  make('uriValueSet', props, at);
export const exists = (props: NodeProps<'exists'>, at: SourcePosition): Exists => make('exists', props, at);

export const identifiedPath = (props: NodeProps<'identifiedPath'>, at: SourcePosition): IdentifiedPath =>
  make('identifiedPath', props, at);
export const pathStep = (props: NodeProps<'pathStep'>, at: SourcePosition): PathStep => make('pathStep', props, at);
export const objectPath = (props: NodeProps<'objectPath'>, at: SourcePosition): ObjectPath =>
  make('objectPath', props, at);

export const stringLiteral = (value: string, at: SourcePosition): StringLiteral => make('string', { value }, at);
export const numberLiteral = (text: string, at: SourcePosition): NumberLiteral =>
  make('number', { value: Number(text), text, integer: /^-?\d+$/.test(text) }, at);
export const booleanLiteral = (value: boolean, at: SourcePosition): BooleanLiteral => make('boolean', { value }, at);
export const nullLiteral = (at: SourcePosition): NullLiteral => make('null', {}, at);
export const temporalLiteral = (props: NodeProps<'temporal'>, at: SourcePosition): TemporalLiteral =>
  make('temporal', props, at);
export const parameter = (name: string, at: SourcePosition): Parameter => make('parameter', { name }, at);
export const functionCall = (props: NodeProps<'functionCall'>, at: SourcePosition): FunctionCall =>
  make('functionCall', props, at);
export const aggregateCall = (props: NodeProps<'aggregate'>, at: SourcePosition): AggregateCall =>
  make('aggregate', props, at);

export const nodeCode = (code: string, at: SourcePosition): NodeCode => make('nodeCode', { code }, at);
export const archetypeId = (id: string, at: SourcePosition): ArchetypeId => make('archetypeId', { id }, at);
export const termCode = (props: NodeProps<'termCode'>, at: SourcePosition): TermCode => make('termCode', props, at);
export const nodePredicate = (props: NodeProps<'nodePredicate'>, at: SourcePosition): NodePredicate =>
  make('nodePredicate', props, at);
export const predicateComparison = (props: NodeProps<'predicateComparison'>, at: SourcePosition): PredicateComparison =>
  make('predicateComparison', props, at);
export const predicateMatches = (props: NodeProps<'predicateMatches'>, at: SourcePosition): PredicateMatches =>
  make('predicateMatches', props, at);
export const predicateAnd = (props: NodeProps<'predicateAnd'>, at: SourcePosition): PredicateAnd =>
  make('predicateAnd', props, at);
export const predicateOr = (props: NodeProps<'predicateOr'>, at: SourcePosition): PredicateOr =>
  make('predicateOr', props, at);
