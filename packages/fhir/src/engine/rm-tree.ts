/**
 * Walking canonical JSON with the way back: each node reached by a path knows its parent,
 * the attribute it sits in and its RM type (its `_type`, or the type its attribute declares).
 * The mapping engine needs the way back for `$entry`, `$event` and `$archetype` paths.
 */
import { attribute, baseTypeName, isJsonObject, isSubtypeOf, nameOf, nodeIdOf, rmClass } from '@cdr/rm';
import type { PathPredicate, PathStep } from '@cdr/rm';

export interface RmNode {
  readonly value: unknown;
  /** RM type name; generic intervals carry their parameter (`DV_INTERVAL<DV_QUANTITY>`). */
  readonly rmType: string;
  readonly parent?: RmNode;
}

function intervalParameter(value: Readonly<Record<string, unknown>>): string | undefined {
  for (const bound of ['lower', 'upper']) {
    const b = value[bound];
    if (isJsonObject(b) && typeof b['_type'] === 'string') {
      return baseTypeName(b['_type']);
    }
  }
  return undefined;
}

/** The RM type of a value found in `attributeName` of an object of `parentType`. */
export function typeOf(value: unknown, parentType: string | undefined, attributeName: string | undefined): string {
  let type: string | undefined;
  if (isJsonObject(value) && typeof value['_type'] === 'string') {
    type = value['_type'];
  } else if (parentType && attributeName) {
    type = attribute(baseTypeName(parentType), attributeName)?.type;
  }
  if (type === undefined) {
    if (typeof value === 'string') {
      return 'String';
    }
    if (typeof value === 'number') {
      return Number.isInteger(value) ? 'Integer' : 'Real';
    }
    if (typeof value === 'boolean') {
      return 'Boolean';
    }
    return 'UNKNOWN';
  }
  if (type === 'DV_INTERVAL' && isJsonObject(value)) {
    const parameter = intervalParameter(value);
    return parameter ? `DV_INTERVAL<${parameter}>` : type;
  }
  return type;
}

export function rootNode(value: unknown, rmType?: string): RmNode {
  return { value, rmType: rmType ?? typeOf(value, undefined, undefined) };
}

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

const ELEMENT_OWN = new Set(['value', 'null_flavour', 'null_reason', 'name', 'archetype_node_id', 'uid', 'links', 'archetype_details', 'feeder_audit', '_type']);

/**
 * The nodes one step reaches from `node`, in document order. A step from an ELEMENT to an
 * attribute of its value (`items[at0004]/defining_code`) goes through the value.
 */
export function step(node: RmNode, pathStep: PathStep): RmNode[] {
  if (!isJsonObject(node.value)) {
    return [];
  }
  if (node.rmType === 'ELEMENT' && !ELEMENT_OWN.has(pathStep.attribute)) {
    return step({ value: node.value['value'], rmType: typeOf(node.value['value'], 'ELEMENT', 'value'), parent: node }, pathStep);
  }
  const child = node.value[pathStep.attribute];
  if (child === undefined || child === null) {
    return [];
  }
  const candidates: readonly unknown[] = Array.isArray(child) ? child : [child];
  const reached: RmNode[] = [];
  candidates.forEach((candidate, index) => {
    if (accepts(pathStep.predicate, candidate, index + 1)) {
      reached.push({ value: candidate, rmType: typeOf(candidate, node.rmType, pathStep.attribute), parent: node });
    }
  });
  return reached;
}

export function follow(node: RmNode, steps: readonly PathStep[]): RmNode[] {
  return steps.reduce<RmNode[]>((nodes, s) => nodes.flatMap((n) => step(n, s)), [node]);
}

/** The node itself or its nearest ancestor accepted by `test`. */
export function nearest(node: RmNode | undefined, test: (node: RmNode) => boolean): RmNode | undefined {
  for (let current = node; current; current = current.parent) {
    if (test(current)) {
      return current;
    }
  }
  return undefined;
}

export function isKindOf(node: RmNode, rmType: string): boolean {
  const base = baseTypeName(node.rmType);
  return rmClass(base) !== undefined && isSubtypeOf(base, rmType);
}

/** The archetype id of a node that is an archetype root. */
export function archetypeIdOf(value: unknown): string | undefined {
  if (!isJsonObject(value)) {
    return undefined;
  }
  const details = value['archetype_details'];
  if (isJsonObject(details) && isJsonObject(details['archetype_id']) && typeof details['archetype_id']['value'] === 'string') {
    return details['archetype_id']['value'];
  }
  const nodeId = value['archetype_node_id'];
  return typeof nodeId === 'string' && nodeId.startsWith('openEHR-') ? nodeId : undefined;
}

/** Every node of the tree below (and including) `node`, depth first in document order. */
export function* descendants(node: RmNode): Generator<RmNode> {
  yield node;
  if (!isJsonObject(node.value)) {
    return;
  }
  for (const [key, child] of Object.entries(node.value)) {
    if (key === '_type' || child === null || child === undefined) {
      continue;
    }
    const items: readonly unknown[] = Array.isArray(child) ? child : [child];
    for (const item of items) {
      if (isJsonObject(item)) {
        yield* descendants({ value: item, rmType: typeOf(item, node.rmType, key), parent: node });
      }
    }
  }
}
