/**
 * FLAT (simSDT) keys and the tree they describe.
 *
 * A key is a `/`-separated path of web template ids, each optionally indexed (`:0`),
 * optionally ending in an attribute suffix (`|magnitude`, `|code`). Segments starting
 * with `_` name RM attributes the web template does not show (`_uid`, `_feeder_audit`).
 */
import { badRequest } from '@cdr/rm';

export type FlatValue = string | number | boolean | null;
export type FlatComposition = Readonly<Record<string, FlatValue>>;

export interface FlatNode {
  /** The value written without a suffix (`.../temperature`). */
  value?: FlatValue;
  /** Values written with a suffix (`.../temperature|unit`), by suffix (which may carry its own index). */
  readonly suffixes: Map<string, FlatValue>;
  /** Child segments by id, then by index (-1 when the key had no index). */
  readonly children: Map<string, Map<number, FlatNode>>;
}

export function emptyNode(): FlatNode {
  return { suffixes: new Map(), children: new Map() };
}

export interface KeySegment {
  readonly id: string;
  readonly index?: number;
}

export interface ParsedKey {
  readonly segments: readonly KeySegment[];
  readonly suffix?: string;
}

const SEGMENT = /^([^:|]+)(?::(\d+))?$/;

export function parseKey(key: string): ParsedKey {
  const bar = key.indexOf('|');
  const path = bar < 0 ? key : key.slice(0, bar);
  const suffix = bar < 0 ? undefined : key.slice(bar + 1);
  const segments = path.split('/').map((text) => {
    const match = SEGMENT.exec(text);
    if (!match) {
      throw badRequest(`FLAT key '${key}' has an invalid segment '${text}'`, [{ path: key, message: `invalid segment '${text}'` }]);
    }
    return match[2] === undefined ? { id: match[1]! } : { id: match[1]!, index: Number(match[2]) };
  });
  if (suffix !== undefined && suffix.length === 0) {
    throw badRequest(`FLAT key '${key}' has an empty suffix`, [{ path: key, message: 'empty suffix' }]);
  }
  return suffix === undefined ? { segments } : { segments, suffix };
}

export function formatSegment(id: string, index: number | undefined): string {
  return index === undefined || index < 0 ? id : `${id}:${index}`;
}

/** Builds the tree of a FLAT composition (all keys, `ctx/` included). */
export function flatTree(flat: FlatComposition): FlatNode {
  const root = emptyNode();
  for (const [key, value] of Object.entries(flat)) {
    const parsed = parseKey(key);
    let node = root;
    for (const segment of parsed.segments) {
      const byIndex = node.children.get(segment.id) ?? new Map<number, FlatNode>();
      node.children.set(segment.id, byIndex);
      const index = segment.index ?? -1;
      let child = byIndex.get(index);
      if (!child) {
        child = emptyNode();
        byIndex.set(index, child);
      }
      node = child;
    }
    if (parsed.suffix === undefined) {
      node.value = value;
    } else {
      node.suffixes.set(parsed.suffix, value);
    }
  }
  return root;
}

/** The instances of a child: by index, in index order (an unindexed instance counts as 0). */
export function instances(node: FlatNode | undefined, id: string): [number, FlatNode][] {
  const byIndex = node?.children.get(id);
  if (!byIndex) {
    return [];
  }
  const merged = new Map<number, FlatNode>();
  for (const [index, child] of byIndex) {
    const at = index < 0 ? 0 : index;
    const existing = merged.get(at);
    merged.set(at, existing ? mergeNodes(existing, child) : child);
  }
  return [...merged.entries()].sort((a, b) => a[0] - b[0]);
}

function mergeNodes(a: FlatNode, b: FlatNode): FlatNode {
  const merged = emptyNode();
  merged.value = b.value ?? a.value;
  for (const [k, v] of [...a.suffixes, ...b.suffixes]) {
    merged.suffixes.set(k, v);
  }
  for (const source of [a, b]) {
    for (const [id, byIndex] of source.children) {
      const target = merged.children.get(id) ?? new Map<number, FlatNode>();
      for (const [index, child] of byIndex) {
        const existing = target.get(index);
        target.set(index, existing ? mergeNodes(existing, child) : child);
      }
      merged.children.set(id, target);
    }
  }
  return merged;
}

export function hasContent(node: FlatNode | undefined): boolean {
  return node !== undefined && (node.value !== undefined || node.suffixes.size > 0 || node.children.size > 0);
}

/** A node's single instance of a child (index ignored). */
export function child(node: FlatNode | undefined, id: string): FlatNode | undefined {
  return instances(node, id)[0]?.[1];
}
