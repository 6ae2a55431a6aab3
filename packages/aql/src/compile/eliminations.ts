/**
 * Classes of FROM that need no row of their own, found before compiling. Population
 * queries name their containers (`EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION
 * o[...]`) but often ask only about the values below; joining every container row would
 * cost more than finding the values themselves. Two cases, both exact:
 *
 * - an object root (COMPOSITION, EHR_STATUS) directly in EHR, without predicate, whose alias
 *   no path uses and that contains one class (not an AND or OR of classes, which would have
 *   to share it): every node of an object has exactly one root, so "c contains x" becomes
 *   "x is in a composition of e";
 * - a class named by archetype id only, containing nothing, whose every path starts with
 *   node codes (`o/data[at0001]/...`), one of them required by WHERE (compared, LIKE,
 *   MATCHES in a top-level AND): the node that path finds identifies it (same object, same
 *   archetype root), so it is bound to that node instead of being joined.
 */
import type { ClassOperand, Condition, FromExpr, IdentifiedPath, Operand, Query } from '../ast/nodes.js';
import { walkAql } from '../ast/visitor.js';
import type { CheckedQuery } from '../check/check.js';
import { archetypeRmType } from '../check/rm-model.js';
import { attributeOf, concreteTypes, isNodeType } from './schema.js';

export interface Eliminations {
  /** Object roots that are not joined. */
  readonly roots: ReadonlySet<ClassOperand>;
  /** Aliases bound to the first node a required path of theirs finds, with that path. */
  readonly bound: ReadonlyMap<string, IdentifiedPath>;
}

const NODE_CODE = /^(?:at|id)\d+(?:\.\d+)*$/;

function pathsOf(query: Query): { all: IdentifiedPath[]; inExists: Set<string> } {
  const all: IdentifiedPath[] = [];
  const inExists = new Set<string>();
  const collect = (node: Parameters<typeof walkAql>[0] | undefined, exists: boolean) => {
    if (!node) {
      return;
    }
    walkAql(node, (current) => {
      if (current.kind === 'exists') {
        collect(current.operand, true);
        return false;
      }
      if (current.kind === 'identifiedPath') {
        all.push(current);
        if (exists) {
          inExists.add(current.alias);
        }
        return false;
      }
      return undefined;
    });
  };
  query.select.columns.forEach((c) => collect(c, false));
  collect(query.where, false);
  query.orderBy.forEach((o) => collect(o, false));
  return { all, inExists };
}

function conjuncts(condition: Condition | undefined): Condition[] {
  if (!condition) {
    return [];
  }
  return condition.kind === 'and' ? condition.operands.flatMap(conjuncts) : [condition];
}

function isConstant(operand: Operand, parameters: Readonly<Record<string, unknown>>): boolean {
  switch (operand.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'temporal':
      return true;
    case 'parameter':
      return parameters[operand.name] !== null && parameters[operand.name] !== undefined;
    default:
      return false;
  }
}

/** Paths a top-level AND of WHERE requires a value of (a comparison, LIKE or MATCHES that fails on null). */
function requiredPaths(query: Query, parameters: Readonly<Record<string, unknown>>): IdentifiedPath[] {
  const required: IdentifiedPath[] = [];
  for (const condition of conjuncts(query.where)) {
    if (condition.kind === 'comparison') {
      const [path, other] =
        condition.left.kind === 'identifiedPath' ? [condition.left, condition.right] : [condition.right, condition.left];
      if (path.kind === 'identifiedPath' && isConstant(other, parameters)) {
        required.push(path);
      }
    } else if ((condition.kind === 'like' || condition.kind === 'matches') && condition.operand.kind === 'identifiedPath') {
      required.push(condition.operand);
    }
  }
  return required;
}

interface Place {
  readonly outer: ClassOperand | undefined;
  readonly optional: boolean;
  readonly negated: boolean;
  readonly container: boolean;
  /** It contains one class (a chain), not an AND or OR of several, which must share it. */
  readonly single: boolean;
}

function places(from: FromExpr): Map<ClassOperand, Place> {
  const found = new Map<ClassOperand, Place>();
  const visit = (node: FromExpr, outer: ClassOperand | undefined, optional: boolean, negated: boolean): void => {
    switch (node.kind) {
      case 'classExpr':
      case 'versionExpr':
        found.set(node, { outer, optional, negated, container: false, single: false });
        return;
      case 'contains':
        found.set(node.container, {
          outer,
          optional,
          negated,
          container: true,
          single: node.contained.kind !== 'containsAnd' && node.contained.kind !== 'containsOr',
        });
        visit(node.contained, node.container, optional, negated || node.negated);
        return;
      case 'containsAnd':
        node.operands.forEach((o) => visit(o, outer, optional, negated));
        return;
      case 'containsOr':
        node.operands.forEach((o) => visit(o, outer, true, negated));
        return;
    }
  };
  visit(from, undefined, false, false);
  return found;
}

function archetypeOnly(node: ClassOperand, parameters: Readonly<Record<string, unknown>>): string | undefined {
  const predicate = node.kind === 'classExpr' ? node.predicate : undefined;
  if (predicate?.kind !== 'nodePredicate' || predicate.name !== undefined) {
    return undefined;
  }
  const id = predicate.node.kind === 'archetypeId' ? predicate.node.id : predicate.node.kind === 'parameter' ? parameters[predicate.node.name] : undefined;
  return typeof id === 'string' && !NODE_CODE.test(id) && archetypeRmType(id) !== undefined ? id : undefined;
}

export function findEliminations(checked: CheckedQuery, parameters: Readonly<Record<string, unknown>>): Eliminations {
  const query = checked.query;
  const { all, inExists } = pathsOf(query);
  const used = new Set(all.map((p) => p.alias));
  const where = places(query.from);
  const isEhr = (node: ClassOperand | undefined) => node?.kind === 'classExpr' && node.rmType === 'EHR';

  const roots = new Set<ClassOperand>();
  for (const [node, place] of where) {
    if (
      node.kind === 'classExpr' &&
      (node.rmType === 'COMPOSITION' || node.rmType === 'EHR_STATUS') &&
      node.predicate === undefined &&
      (node.alias === undefined || !used.has(node.alias)) &&
      place.container &&
      place.single &&
      isEhr(place.outer) &&
      !place.optional &&
      !place.negated
    ) {
      roots.add(node);
    }
  }

  const bound = new Map<string, IdentifiedPath>();
  const required = requiredPaths(query, parameters);
  for (const [node, place] of where) {
    if (node.kind !== 'classExpr' || node.alias === undefined || place.container || place.optional || place.negated || !place.outer) {
      continue;
    }
    if (archetypeOnly(node, parameters) === undefined || inExists.has(node.alias)) {
      continue;
    }
    const types = concreteTypes(node.rmType).filter(isNodeType);
    if (types.length === 0 || types.some((t) => t === 'COMPOSITION' || t === 'EHR_STATUS' || t === 'FOLDER')) {
      continue;
    }
    const alias = node.alias;
    const mine = all.filter((p) => p.alias === alias);
    const chained = mine.every((p) => {
      const first = p.steps[0];
      if (!first || p.predicate) {
        return false;
      }
      const predicate = first.predicate;
      const code = predicate?.kind === 'nodePredicate' && !predicate.name && predicate.node.kind === 'nodeCode' ? predicate.node.code : undefined;
      return code !== undefined && attributeOf(types, first.attribute).holdsNodes;
    });
    const needed = required.find((p) => p.alias === alias);
    if (chained && needed) {
      bound.set(alias, needed);
    }
  }
  return { roots, bound };
}
