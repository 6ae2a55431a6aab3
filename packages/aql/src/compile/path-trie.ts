/**
 * The prefixes of every path a query's SELECT, WHERE and ORDER BY use. Where paths part
 * ways (or one ends) below a multi-valued node, that node must be joined on its own so
 * that both continue from the same node; elsewhere a chain of steps can be found in one
 * lookup of the index.
 */
import type { AqlNode, IdentifiedPath, PathStep } from '../ast/nodes.js';
import { formatAql } from '../ast/printer.js';
import { walkAql } from '../ast/visitor.js';

export function stepText(step: PathStep): string {
  return formatAql(step);
}

export function prefixKey(alias: string, steps: readonly PathStep[]): string {
  return [alias, ...steps.map(stepText)].join('/');
}

export class PathTrie {
  private readonly children = new Map<string, Set<string>>();
  private readonly ends = new Set<string>();

  add(path: IdentifiedPath): void {
    let key = path.alias;
    for (const step of path.steps) {
      const next = `${key}/${stepText(step)}`;
      let set = this.children.get(key);
      if (!set) {
        set = new Set();
        this.children.set(key, set);
      }
      set.add(next);
      key = next;
    }
    this.ends.add(key);
  }

  /** Paths part ways or end at this prefix. */
  isBranch(key: string): boolean {
    return this.ends.has(key) || (this.children.get(key)?.size ?? 0) > 1;
  }

  static of(nodes: readonly (AqlNode | undefined)[]): PathTrie {
    const trie = new PathTrie();
    for (const node of nodes) {
      if (!node) {
        continue;
      }
      walkAql(node, (current) => {
        if (current.kind === 'exists') {
          return false;
        }
        if (current.kind === 'identifiedPath') {
          trie.add(current);
          return false;
        }
        return undefined;
      });
    }
    return trie;
  }
}
