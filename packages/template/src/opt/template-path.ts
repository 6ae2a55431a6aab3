/**
 * Archetype paths inside a template (`/data[at0001]/events[at0006]`, optionally starting
 * with `[archetype-id]`) and navigation of the constraint tree along them.
 */
import type { CArchetypeRoot, CAttribute, CComplex, CObject } from './model.js';
import { isComplex } from './model.js';
import { constrainedTextNames } from './node-names.js';

export interface PathSegment {
  readonly attribute: string;
  /** Node id or archetype id in the predicate, if any. */
  readonly nodeId?: string;
  /** Name in the predicate (`[at0001, 'Systolic']`), if any. */
  readonly name?: string;
}

/** Splits `/a[at1]/b/c[openEHR-EHR-CLUSTER.x.v1]` into segments; a leading `[id]` is returned as `root`. */
export function splitArchetypePath(path: string): { root?: string; segments: PathSegment[] } {
  let rest = path.trim();
  let root: string | undefined;
  const rootMatch = /^\[([^\]]+)\]/.exec(rest);
  if (rootMatch) {
    root = rootMatch[1];
    rest = rest.slice(rootMatch[0].length);
  }
  const segments: PathSegment[] = [];
  const pattern = /\/([a-zA-Z_][a-zA-Z0-9_]*)(?:\[((?:[^\]']|'(?:[^'\\]|\\.)*')*)\])?/y;
  let position = 0;
  while (position < rest.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(rest);
    if (!match) {
      if (rest.slice(position) === '/') {
        break;
      }
      throw new Error(`'${path}' is not an archetype path`);
    }
    position = pattern.lastIndex;
    const predicate = match[2];
    if (predicate === undefined) {
      segments.push({ attribute: match[1]! });
      continue;
    }
    const comma = /^\s*([^,\s]+)\s*(?:,\s*'((?:[^'\\]|\\.)*)'\s*)?$/.exec(predicate);
    if (!comma) {
      throw new Error(`'${path}' has an unsupported predicate [${predicate}]`);
    }
    const name = comma[2];
    segments.push(name === undefined ? { attribute: match[1]!, nodeId: comma[1]! } : { attribute: match[1]!, nodeId: comma[1]!, name: name.replace(/\\(.)/g, '$1') });
  }
  return root === undefined ? { segments } : { root, segments };
}

export function objectId(object: CObject): string {
  return object.kind === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
}

export function findAttribute(object: CComplex, name: string): CAttribute | undefined {
  return object.attributes.find((a) => a.rmAttributeName === name);
}

/** Follows segments from an object; returns the object reached, or undefined. */
export function followPath(from: CObject, segments: readonly PathSegment[]): CObject | undefined {
  let current: CObject = from;
  for (const segment of segments) {
    if (!isComplex(current)) {
      return undefined;
    }
    const attribute = findAttribute(current, segment.attribute);
    if (!attribute) {
      return undefined;
    }
    let candidates: CObject[] = segment.nodeId === undefined ? [...attribute.children] : attribute.children.filter((c) => objectId(c) === segment.nodeId);
    if (segment.name !== undefined && candidates.length > 1) {
      const named = candidates.filter((c) => constrainedTextNames(c).includes(segment.name!));
      if (named.length > 0) {
        candidates = named;
      }
    }
    const next = candidates[0];
    if (next === undefined || (segment.nodeId === undefined && candidates.length > 1 && attribute.kind === 'C_MULTIPLE_ATTRIBUTE')) {
      return undefined;
    }
    current = next;
  }
  return current;
}

/** Resolves an archetype-relative path from an archetype root. */
export function resolveArchetypePath(root: CArchetypeRoot, path: string): CObject | undefined {
  const { root: rootId, segments } = splitArchetypePath(path);
  if (rootId !== undefined && rootId !== root.archetypeId) {
    return undefined;
  }
  return followPath(root, segments);
}
