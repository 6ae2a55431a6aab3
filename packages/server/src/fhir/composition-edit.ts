/**
 * Where a resource sits in a composition, and replacing it there: what a FHIR update does to
 * the composition a resource is made from. The resource's node (its entry, or its event
 * when an entry records several events) is found in document order the way the mappings
 * number resources, and replaced by the node a FHIR write of the new resource makes; the rest
 * of the composition (other entries, other events, its context) stays as it was. Pure.
 */
import type { ResourceMapping } from '@cdr/fhir';
import { parsePath } from '@cdr/rm';

type JsonObject = Record<string, unknown>;

type Container = JsonObject | unknown[];

interface Holder {
  readonly container: Container;
  readonly key: string | number;
  readonly node: JsonObject;
}

interface Anchor extends Holder {
  readonly each: readonly Holder[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodeId(value: unknown): string | undefined {
  return isObject(value) && typeof value['archetype_node_id'] === 'string' ? value['archetype_node_id'] : undefined;
}

/** The anchors of a mapping in document order, each with the nodes its resources are made from. */
export function anchorsOf(composition: JsonObject, mapping: ResourceMapping): Anchor[] {
  const anchor = mapping.anchor;
  if (anchor.kind !== 'archetype') {
    return [];
  }
  const steps = mapping.each ? parsePath(formatEach(mapping)) : [];
  const found: Anchor[] = [];
  const visit = (value: unknown, container: Container | undefined, key: string | number | undefined, enclosing: readonly string[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, value, i, enclosing));
      return;
    }
    if (!isObject(value)) {
      return;
    }
    const id = nodeId(value);
    if (id === anchor.archetypeId && container !== undefined && key !== undefined && (mapping.within.length === 0 || enclosing.some((e) => mapping.within.includes(e)))) {
      found.push({ container, key, node: value, each: mapping.each ? follow({ container, key, node: value }, steps) : [{ container, key, node: value }] });
    }
    const inner = id !== undefined && id.startsWith('openEHR-') ? [...enclosing, id] : enclosing;
    for (const [k, v] of Object.entries(value)) {
      visit(v, value, k, inner);
    }
  };
  visit(composition, undefined, undefined, []);
  return found;
}

function formatEach(mapping: ResourceMapping): string {
  const each = mapping.each;
  if (!each) {
    return '/';
  }
  return each.steps.map((s) => `/${s.attribute}${s.predicate?.kind === 'node' ? `[${s.predicate.nodeId}]` : ''}`).join('') || '/';
}

function follow(start: Holder, steps: ReturnType<typeof parsePath>): Holder[] {
  let current: Holder[] = [start];
  for (const step of steps) {
    const next: Holder[] = [];
    for (const holder of current) {
      const value = holder.node[step.attribute];
      const wanted = step.predicate?.kind === 'node' ? step.predicate.nodeId : undefined;
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isObject(item) && (wanted === undefined || nodeId(item) === wanted)) {
            next.push({ container: value, key: i, node: item });
          }
        });
      } else if (isObject(value) && (wanted === undefined || nodeId(value) === wanted)) {
        next.push({ container: holder.node, key: step.attribute, node: value });
      }
    }
    current = next;
  }
  return current;
}

function put(holder: Holder, node: JsonObject): void {
  if (Array.isArray(holder.container)) {
    holder.container[holder.key as number] = node;
  } else {
    holder.container[holder.key as string] = node;
  }
}

/**
 * The composition with the resource at `position` (1-based, as in its id) replaced by the one
 * `incoming` (a composition a FHIR write made) holds; undefined when the composition makes no
 * such resource or the incoming one holds none.
 */
export function replaceResource(existing: JsonObject, incoming: JsonObject, mapping: ResourceMapping, position: number): JsonObject | undefined {
  const result = structuredClone(existing);
  const targets = anchorsOf(result, mapping).flatMap((anchor) => anchor.each.map((each) => ({ anchor, each })));
  const target = targets[position - 1];
  const source = anchorsOf(incoming, mapping)[0];
  const sourceEach = source?.each[0];
  if (!target || !source || !sourceEach) {
    return undefined;
  }
  if (!mapping.each || target.anchor.each.length === 1) {
    put(target.anchor, structuredClone(source.node));
  } else {
    put(target.each, structuredClone(sourceEach.node));
  }
  return result;
}
