/**
 * The alias pass: which aliases FROM defines (and where), duplicate aliases, and every
 * identified path in SELECT, WHERE and ORDER BY resolved against them.
 */
import type { AqlNode, ClassOperand, FromExpr, IdentifiedPath, Query, SelectColumn } from '../ast/nodes.js';
import { walkAql } from '../ast/visitor.js';
import { functionSignature } from '../functions.js';
import { positionText } from '../errors.js';
import { concreteTypesOf } from './subtypes.js';
import type { AqlProblem } from '../errors.js';

export interface AliasBinding {
  readonly alias: string;
  readonly node: ClassOperand;
  /** The RM type the alias stands for: the class name, or VERSION. */
  readonly rmType: string;
  /**
   * The concrete RM classes the alias can match: the class itself, or every concrete
   * subtype of an abstract class (`ENTRY` gives ADMIN_ENTRY, OBSERVATION, ...).
   */
  readonly concreteTypes: readonly string[];
  /** The class expressions that contain this one, outermost first. */
  readonly containers: readonly ClassOperand[];
  /** Under NOT CONTAINS: the alias only constrains, it has no value to select or compare. */
  readonly negated: boolean;
  /** In one branch of an OR: the alias may have no value in a result row. */
  readonly optional: boolean;
}

interface Scope {
  readonly containers: readonly ClassOperand[];
  readonly negated: boolean;
  readonly optional: boolean;
}

/** The aliases FROM defines, in query order. Duplicates are reported, the first one wins. */
export function collectAliases(from: FromExpr, problems: AqlProblem[]): Map<string, AliasBinding> {
  const bindings = new Map<string, AliasBinding>();

  const bind = (node: ClassOperand, scope: Scope): void => {
    if (node.alias === undefined) {
      return;
    }
    const existing = bindings.get(node.alias);
    if (existing) {
      problems.push({
        position: node.position,
        message: `alias '${node.alias}' is already defined at ${positionText(existing.node.position)}`,
      });
      return;
    }
    const rmType = node.kind === 'versionExpr' ? 'VERSION' : node.rmType;
    bindings.set(node.alias, {
      alias: node.alias,
      node,
      rmType,
      concreteTypes: concreteTypesOf(rmType),
      containers: scope.containers,
      negated: scope.negated,
      optional: scope.optional,
    });
  };

  const visit = (node: FromExpr, scope: Scope): void => {
    switch (node.kind) {
      case 'classExpr':
      case 'versionExpr':
        bind(node, scope);
        return;
      case 'contains':
        bind(node.container, scope);
        visit(node.contained, {
          containers: [...scope.containers, node.container],
          negated: scope.negated || node.negated,
          optional: scope.optional,
        });
        return;
      case 'containsAnd':
        for (const operand of node.operands) {
          visit(operand, scope);
        }
        return;
      case 'containsOr':
        for (const operand of node.operands) {
          visit(operand, { ...scope, optional: true });
        }
        return;
    }
  };

  visit(from, { containers: [], negated: false, optional: false });
  return bindings;
}

function aliasList(bindings: ReadonlyMap<string, AliasBinding>): string {
  const names = [...bindings.keys()];
  return names.length === 0 ? 'FROM defines no aliases' : `FROM defines ${names.join(', ')}`;
}

function checkPath(path: IdentifiedPath, bindings: ReadonlyMap<string, AliasBinding>, problems: AqlProblem[]): void {
  const binding = bindings.get(path.alias);
  if (!binding) {
    const looksLikeFunction = path.steps.length === 0 && !path.predicate && functionSignature(path.alias) !== undefined;
    const hint = looksLikeFunction ? `; to call the function write ${path.alias.toUpperCase()}()` : `; ${aliasList(bindings)}`;
    problems.push({ position: path.position, message: `unknown alias '${path.alias}'${hint}` });
    return;
  }
  if (binding.negated) {
    problems.push({
      position: path.position,
      message: `alias '${path.alias}' is inside NOT CONTAINS and has no value to select or compare`,
    });
  }
}

/** Reports unknown aliases in every identified path below `node` (predicates' relative paths aside). */
export function checkPathsIn(node: AqlNode, bindings: ReadonlyMap<string, AliasBinding>, problems: AqlProblem[]): void {
  walkAql(node, (current) => {
    if (current.kind === 'identifiedPath') {
      checkPath(current, bindings, problems);
      return false;
    }
    return undefined;
  });
}

/** Duplicate column aliases in SELECT. */
export function checkColumnAliases(columns: readonly SelectColumn[], problems: AqlProblem[]): void {
  const seen = new Map<string, SelectColumn>();
  for (const column of columns) {
    if (column.alias === undefined) {
      continue;
    }
    const first = seen.get(column.alias);
    if (first) {
      problems.push({
        position: column.position,
        message: `column alias '${column.alias}' is already used at ${positionText(first.position)}`,
      });
    } else {
      seen.set(column.alias, column);
    }
  }
}

/**
 * The SELECT column an ORDER BY item names by its alias (`SELECT COUNT(*) AS n ... ORDER BY n`),
 * when the name is not also a FROM alias.
 */
export function orderByColumn(
  query: Query,
  expression: AqlNode,
  bindings: ReadonlyMap<string, AliasBinding>,
): SelectColumn | undefined {
  if (expression.kind !== 'identifiedPath' || expression.steps.length > 0 || expression.predicate) {
    return undefined;
  }
  if (bindings.has(expression.alias)) {
    return undefined;
  }
  return query.select.columns.find((column) => column.alias === expression.alias);
}
