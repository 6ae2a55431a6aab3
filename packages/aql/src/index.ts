/**
 * @cdr/aql: the AQL 1.1 front end (parser -> AST -> checked AST) and a generic SQL tree
 * with its PostgreSQL compiler.
 */
export * from './ast/nodes.js';
export * as aqlAst from './ast/factory.js';
export { childrenOf, findAll, visitAql, walkAql, type AqlVisitor } from './ast/visitor.js';
export { formatAql } from './ast/printer.js';
export { parseAql, MAX_QUERY_LENGTH } from './parse/parse.js';
export { checkAql, prepareAql, type CheckOptions, type CheckedQuery } from './check/check.js';
export type { AliasBinding } from './check/aliases.js';
export { archetypeRmType } from './check/rm-model.js';
export { AQL_FUNCTIONS, AGGREGATE_FUNCTIONS, functionSignature, type FunctionSignature, type ValueType } from './functions.js';
export { positionText, type AqlProblem } from './errors.js';

// the SQL tree and its PostgreSQL compiler
export type * as SqlTree from './sql/nodes.js';
export type { CompiledSql, SqlNode, SqlNodeKind, QueryExpr } from './sql/nodes.js';
export * as sql from './sql/factory.js';
export { compileSql } from './sql/compiler.js';
export { sanitizeIdentifier } from './sql/identifiers.js';
export { visitSql, type SqlVisitor } from './sql/visitor.js';

// AQL to SQL on the CDR's schema
export { compileAql, type CompiledAql, type ResultColumn } from './compile/compile-query.js';
export type { CompileOptions } from './compile/scope.js';
export { NON_LOCATABLE_NODE_TYPES as INDEX_NON_LOCATABLE_NODE_TYPES, isNodeType as isIndexNodeType } from './compile/schema.js';
