/**
 * A visitor typed against every SQL node kind: adding a kind to `SqlNode` breaks the
 * build until every visitor (the compiler first of all) handles it.
 */
import type { SqlNode, SqlNodeKind, SqlNodeOf } from './nodes.js';

export type SqlVisitor<R> = { readonly [K in SqlNodeKind]: (node: SqlNodeOf<K>) => R };

export function visitSql<R>(node: SqlNode, visitor: SqlVisitor<R>): R {
  const handler = visitor[node.kind] as (node: SqlNode) => R;
  return handler(node);
}
