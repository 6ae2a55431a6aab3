/**
 * A visitor typed against every AQL node kind: an `AqlVisitor<R>` must have one handler
 * per kind, so adding a kind to `AqlNode` breaks the build until every visitor handles it.
 * `childrenOf` (and the walks built on it) is itself such a visitor.
 */
import type { AqlNode, AqlNodeKind, AqlNodeOf, PathStep, Predicate } from './nodes.js';

export type AqlVisitor<R> = { readonly [K in AqlNodeKind]: (node: AqlNodeOf<K>) => R };

export function visitAql<R>(node: AqlNode, visitor: AqlVisitor<R>): R {
  const handler = visitor[node.kind] as (node: AqlNode) => R;
  return handler(node);
}

const none: readonly AqlNode[] = Object.freeze([]);

function present(...nodes: readonly (AqlNode | undefined)[]): readonly AqlNode[] {
  return nodes.filter((node): node is AqlNode => node !== undefined);
}

const steps = (list: readonly PathStep[], predicate?: Predicate): readonly AqlNode[] =>
  predicate ? [predicate, ...list] : list;

const childVisitor: AqlVisitor<readonly AqlNode[]> = {
  query: (node) => present(node.select, node.from, node.where, ...node.orderBy, node.limit),
  select: (node) => present(node.top, ...node.columns),
  top: () => none,
  selectColumn: (node) => [node.expression],
  orderBy: (node) => [node.expression],
  limit: () => none,
  classExpr: (node) => present(node.predicate),
  versionExpr: (node) => present(node.predicate),
  contains: (node) => [node.container, node.contained],
  containsAnd: (node) => node.operands,
  containsOr: (node) => node.operands,
  and: (node) => node.operands,
  or: (node) => node.operands,
  not: (node) => [node.operand],
  comparison: (node) => [node.left, node.right],
  like: (node) => [node.operand, node.pattern],
  matches: (node) => [node.operand, node.valueSet],
  valueList: (node) => node.items,
  uriValueSet: () => none,
  exists: (node) => [node.operand],
  identifiedPath: (node) => steps(node.steps, node.predicate),
  pathStep: (node) => present(node.predicate),
  objectPath: (node) => node.steps,
  string: () => none,
  number: () => none,
  boolean: () => none,
  null: () => none,
  temporal: () => none,
  parameter: () => none,
  functionCall: (node) => node.args,
  aggregate: (node) => (node.argument === '*' ? none : [node.argument]),
  nodeCode: () => none,
  archetypeId: () => none,
  termCode: () => none,
  nodePredicate: (node) => present(node.node, node.name),
  predicateComparison: (node) => [node.path, node.value],
  predicateMatches: (node) => [node.path],
  predicateAnd: (node) => node.operands,
  predicateOr: (node) => node.operands,
};

/** The direct children of a node, in query order. */
export function childrenOf(node: AqlNode): readonly AqlNode[] {
  return visitAql(node, childVisitor);
}

/**
 * Visits a node and its descendants depth-first, in query order. `enter` receives the
 * node and its ancestors (nearest last); returning `false` skips the node's children.
 */
export function walkAql(
  node: AqlNode,
  enter: (node: AqlNode, ancestors: readonly AqlNode[]) => boolean | void,
  ancestors: readonly AqlNode[] = [],
): void {
  if (enter(node, ancestors) === false) {
    return;
  }
  const inside = [...ancestors, node];
  for (const child of childrenOf(node)) {
    walkAql(child, enter, inside);
  }
}

/** Every node of a kind below (and including) `node`, in query order. */
export function findAll<K extends AqlNodeKind>(node: AqlNode, kind: K): AqlNodeOf<K>[] {
  const found: AqlNodeOf<K>[] = [];
  walkAql(node, (current) => {
    if (current.kind === kind) {
      found.push(current as AqlNodeOf<K>);
    }
  });
  return found;
}
