/**
 * Checks against the RM model table of @cdr/rm: the classes named in FROM (any RM class,
 * abstract ones included: they match every concrete subtype), archetype ids
 * that do not fit their class, and attribute names along every path. Attribute lookup is
 * polymorphic (an attribute of any concrete subtype counts) and stops quietly where the
 * model cannot say more (generic parameters, primitives), so it never rejects a path the
 * RM allows.
 */
import { attribute, baseTypeName, isRmClassName, isSubtypeOf } from '@cdr/rm';
import { concreteTypesOf } from './subtypes.js';
import type { ClassExpr, FromExpr, IdentifiedPath, PathStep, Predicate, Query } from '../ast/nodes.js';
import { walkAql } from '../ast/visitor.js';
import type { AqlProblem } from '../errors.js';
import type { AliasBinding } from './aliases.js';

/** The RM class an archetype id is for: `openEHR-EHR-OBSERVATION.x.v1` gives OBSERVATION. */
export function archetypeRmType(archetypeId: string): string | undefined {
  return /^(?:[^:]*::)?[^-.]+-[^-.]+-([^.]+)\./.exec(archetypeId)?.[1];
}

/** The archetype ids a predicate pins its node to (`[openEHR-...]`, `[openEHR-..., 'name']`, `[openEHR-... and ...]`). */
function archetypeIdsOf(predicate: Predicate | undefined): string[] {
  if (!predicate) {
    return [];
  }
  switch (predicate.kind) {
    case 'nodePredicate':
      return predicate.node.kind === 'archetypeId' ? [predicate.node.id] : [];
    case 'predicateAnd':
      return predicate.operands.flatMap(archetypeIdsOf);
    default:
      return [];
  }
}

function checkClass(node: ClassExpr, problems: AqlProblem[]): void {
  const { rmType } = node;
  if (!isRmClassName(rmType)) {
    problems.push({ position: node.position, message: `unknown RM type '${rmType}' in FROM` });
    return;
  }
  for (const id of archetypeIdsOf(node.predicate)) {
    const archetyped = archetypeRmType(id);
    if (archetyped && isRmClassName(archetyped) && !isSubtypeOf(archetyped, rmType)) {
      problems.push({ position: node.position, message: `archetype ${id} is an archetype of ${archetyped}, not of ${rmType}` });
    }
  }
}

export function checkFromClasses(from: FromExpr, problems: AqlProblem[]): void {
  walkAql(from, (node) => {
    if (node.kind === 'classExpr') {
      checkClass(node, problems);
    }
  });
}

// ------------------------------------------------------------------ paths

/**
 * References AQL follows to the object they name: `e/ehr_status/subject` reads the
 * EHR_STATUS, not the OBJECT_REF the RM declares.
 */
const FOLLOWED_REFERENCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  EHR: { ehr_status: 'EHR_STATUS', ehr_access: 'EHR_ACCESS', directory: 'FOLDER', folders: 'FOLDER', compositions: 'COMPOSITION' },
};

/** The known classes a value of one of `types` can be, subtypes included. */
function candidates(types: readonly string[]): string[] {
  const result = new Set<string>();
  for (const type of types) {
    if (!isRmClassName(type)) {
      continue;
    }
    result.add(type);
    for (const sub of concreteTypesOf(type)) {
      result.add(sub);
    }
  }
  return [...result];
}

function typesOfStep(types: readonly string[], step: PathStep, problems: AqlProblem[]): readonly string[] | undefined {
  const classes = candidates(types);
  if (classes.length === 0) {
    return undefined; // a primitive, a generic parameter or a class the table does not know: nothing more to say
  }
  const next = new Set<string>();
  for (const rmClass of classes) {
    const followed = FOLLOWED_REFERENCES[rmClass]?.[step.attribute];
    const found = attribute(rmClass, step.attribute);
    if (followed) {
      next.add(followed);
    } else if (found) {
      next.add(baseTypeName(found.type));
    }
  }
  if (next.size === 0) {
    problems.push({ position: step.position, message: `${types.join(' or ')} has no attribute '${step.attribute}'` });
    return undefined;
  }
  const pinned = archetypeIdsOf(step.predicate)
    .map(archetypeRmType)
    .filter((type): type is string => type !== undefined && isRmClassName(type));
  const resolved = pinned.length > 0 ? pinned : [...next];
  checkPredicatePaths(step.predicate, resolved, problems);
  return resolved;
}

function resolveSteps(start: readonly string[], steps: readonly PathStep[], problems: AqlProblem[]): void {
  let types: readonly string[] | undefined = start;
  for (const step of steps) {
    if (!types) {
      return;
    }
    types = typesOfStep(types, step, problems);
  }
}

function checkPredicatePaths(predicate: Predicate | undefined, types: readonly string[], problems: AqlProblem[]): void {
  if (!predicate) {
    return;
  }
  switch (predicate.kind) {
    case 'predicateComparison':
      resolveSteps(types, predicate.path.steps, problems);
      if (predicate.value.kind === 'objectPath') {
        resolveSteps(types, predicate.value.steps, problems);
      }
      return;
    case 'predicateMatches':
      resolveSteps(types, predicate.path.steps, problems);
      return;
    case 'predicateAnd':
    case 'predicateOr':
      for (const operand of predicate.operands) {
        checkPredicatePaths(operand, types, problems);
      }
      return;
    case 'nodePredicate':
      return;
  }
}

function checkIdentifiedPath(path: IdentifiedPath, bindings: ReadonlyMap<string, AliasBinding>, problems: AqlProblem[]): void {
  const binding = bindings.get(path.alias);
  if (!binding) {
    return; // reported by the alias pass
  }
  checkPredicatePaths(path.predicate, [binding.rmType], problems);
  resolveSteps([binding.rmType], path.steps, problems);
}

/** Attribute names along every path of the query, FROM predicates included. */
export function checkPathAttributes(query: Query, bindings: ReadonlyMap<string, AliasBinding>, problems: AqlProblem[]): void {
  walkAql(query, (node) => {
    if (node.kind === 'identifiedPath') {
      checkIdentifiedPath(node, bindings, problems);
      return false;
    }
    if (node.kind === 'classExpr' && isRmClassName(node.rmType)) {
      checkPredicatePaths(node.predicate, [node.rmType], problems);
      return false;
    }
    if (node.kind === 'versionExpr') {
      checkPredicatePaths(node.predicate, ['VERSION'], problems);
      return false;
    }
    return undefined;
  });
}
