/**
 * Evaluates an AQL-style path against a canonical JSON object and returns every value it
 * reaches. A step into a list visits each element its predicate accepts; a step without a
 * predicate visits them all. Nothing is thrown for a path that reaches nothing: the result is empty.
 */
import { nameOf, nodeIdOf, parsePath, type PathPredicate, type PathStep } from './paths.js';
import { isJsonObject } from './types/json.js';

function accepts(predicate: PathPredicate | undefined, value: unknown, position: number): boolean {
  if (!predicate) {
    return true;
  }
  switch (predicate.kind) {
    case 'position':
      return predicate.position === position;
    case 'name':
      return nameOf(value) === predicate.name;
    case 'node':
      return nodeIdOf(value) === predicate.nodeId && (predicate.name === undefined || nameOf(value) === predicate.name);
  }
}

function applyStep(values: readonly unknown[], step: PathStep): unknown[] {
  const reached: unknown[] = [];
  for (const value of values) {
    if (!isJsonObject(value)) {
      continue;
    }
    const child = value[step.attribute];
    if (child === undefined || child === null) {
      continue;
    }
    const candidates: readonly unknown[] = Array.isArray(child) ? child : [child];
    candidates.forEach((candidate, index) => {
      // a position addresses list elements only; a single value is at position 1
      if (accepts(step.predicate, candidate, index + 1)) {
        reached.push(candidate);
      }
    });
  }
  return reached;
}

/** The values a path reaches from `root`, in document order. `/` gives the root itself. */
export function evaluatePath(root: unknown, path: string | readonly PathStep[]): unknown[] {
  const steps = typeof path === 'string' ? parsePath(path) : path;
  return steps.reduce<unknown[]>((values, step) => applyStep(values, step), [root]);
}

/** The single value a path reaches, or undefined when it reaches none or several. */
export function evaluatePathSingle(root: unknown, path: string | readonly PathStep[]): unknown {
  const values = evaluatePath(root, path);
  return values.length === 1 ? values[0] : undefined;
}
