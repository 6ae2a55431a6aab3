/**
 * Where the openEHR side of a rule stands, and evaluating openEHR paths and conditions from there.
 */
import { baseTypeName, isJsonObject, isSubtypeOf, rmClass } from '@cdr/rm';
import type { Condition, OpenEhrPath } from '../mapping/model.js';
import type { RmNode } from './rm-tree.js';
import { follow, isKindOf, nearest, step } from './rm-tree.js';

export interface Scope {
  /** The current node. */
  readonly here: RmNode;
  /** The node the resource is made from. */
  readonly each: RmNode;
  /** The root of the archetype being mapped (a slot's cluster inside a slot). */
  readonly archetype: RmNode;
  readonly archetypeId: string;
  readonly composition: RmNode;
  /** `$context/...` values. */
  readonly context: RmNode;
}

export function startOf(path: OpenEhrPath, scope: Scope): RmNode | undefined {
  switch (path.root) {
    case 'here':
      return scope.here;
    case 'each':
      return scope.each;
    case 'archetype':
      return scope.archetype;
    case 'composition':
      return scope.composition;
    case 'context':
      return scope.context;
    case 'entry':
      return nearest(scope.here, (n) => isKindOf(n, 'ENTRY'));
    case 'event':
      return nearest(scope.here, (n) => isKindOf(n, 'EVENT'));
  }
}

export function evaluate(path: OpenEhrPath, scope: Scope): RmNode[] {
  const start = startOf(path, scope);
  return start ? follow(start, path.steps) : [];
}

/** The data value of a node: an ELEMENT's value (nothing when it has none), anything else itself. */
export function dataOf(node: RmNode): RmNode | undefined {
  if (node.rmType === 'ELEMENT') {
    return step(node, { attribute: 'value' })[0];
  }
  return node;
}

/** Whether a node's RM type is one of `types` (a subtype counts: DV_CODED_TEXT is a DV_TEXT). */
export function hasType(node: RmNode, types: readonly string[]): boolean {
  if (types.length === 0) {
    return true;
  }
  const actual = node.rmType;
  const base = baseTypeName(actual);
  return types.some((t) => t === actual || (rmClass(base) !== undefined && rmClass(baseTypeName(t)) !== undefined && t === baseTypeName(t) && isSubtypeOf(base, t)));
}

/** The primitive a condition compares: a code's code string, a text's value, a primitive itself. */
export function primitiveOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (!isJsonObject(value)) {
    return undefined;
  }
  if (isJsonObject(value['defining_code'])) {
    return primitiveOf(value['defining_code']['code_string']);
  }
  if (typeof value['code_string'] === 'string') {
    return value['code_string'];
  }
  if (value['_type'] === 'ELEMENT' || value['value'] !== undefined) {
    return primitiveOf(value['value']);
  }
  if (typeof value['magnitude'] === 'number') {
    return String(value['magnitude']);
  }
  return undefined;
}

export function openEhrConditionHolds(condition: Extract<Condition, { side: 'openehr' }>, scope: Scope): boolean {
  const reached = evaluate(condition.path, scope)
    .map((n) => dataOf(n) ?? (n.rmType === 'ELEMENT' ? undefined : n))
    .filter((n): n is RmNode => n !== undefined);
  switch (condition.operator) {
    case 'exists':
      return reached.length > 0;
    case 'absent':
      return reached.length === 0;
    case 'in':
      return reached.some((n) => {
        const p = primitiveOf(n.value);
        return p !== undefined && condition.values.includes(p);
      });
    case 'not-in':
      return !reached.some((n) => {
        const p = primitiveOf(n.value);
        return p !== undefined && condition.values.includes(p);
      });
    case 'type':
      return reached.some((n) => hasType(n, condition.values));
  }
}
