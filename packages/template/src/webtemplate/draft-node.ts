/**
 * The mutable node the web template is built from before it is simplified and frozen,
 * and its AQL path (segments with node id and name predicates).
 */
import type { WebTemplateInputValue, WebTemplateTerm } from './model.js';
import type { InputDraft } from './inputs.js';

export interface PathStep {
  readonly attribute: string;
  readonly nodeId?: string;
  readonly name?: string;
}

export type AqlSteps = readonly PathStep[];

function quote(name: string): string {
  return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function formatAqlPath(steps: AqlSteps, withNames = true): string {
  return steps
    .map((s) => {
      if (s.nodeId === undefined || s.nodeId === '') {
        return `/${s.attribute}`;
      }
      return withNames && s.name !== undefined ? `/${s.attribute}[${s.nodeId},${quote(s.name)}]` : `/${s.attribute}[${s.nodeId}]`;
    })
    .join('');
}

export interface DraftCardinality {
  min?: number;
  max?: number;
  ids: string[];
}

export interface DraftNode {
  baseId: string;
  idNumber?: number;
  name: string;
  localizedName?: string;
  rmType: string;
  nodeId?: string;
  min: number;
  max: number;
  localizedNames: Record<string, string>;
  localizedDescriptions: Record<string, string>;
  annotations?: Record<string, string>;
  path: PathStep[];
  inputs: InputDraft[];
  inContext?: boolean;
  termBindings?: Record<string, WebTemplateTerm>;
  proportionTypes?: string[];
  cardinalities: DraftCardinality[];
  children: DraftNode[];
  /** Came from an archetype slot: dropped from the web template. */
  slot?: boolean;
  /** For ISM transition alternatives: the careflow step values with their states. */
  careflowValues?: WebTemplateInputValue[];
}

export function idOf(node: DraftNode): string {
  return node.idNumber === undefined ? node.baseId : `${node.baseId}${node.idNumber}`;
}

export function pathOf(node: DraftNode, withNames = true): string {
  return formatAqlPath(node.path, withNames);
}

/** Replaces the path prefix `from` with `to` in a node and its descendants. */
export function rebase(node: DraftNode, from: number, to: readonly PathStep[]): void {
  node.path = [...to, ...node.path.slice(from)];
  for (const child of node.children) {
    rebase(child, from, to);
  }
}

/** Numbers the ids of siblings that share one (the second becomes `id2`, the third `id3`...). */
export function makeIdsUnique(node: DraftNode): void {
  const groups = new Map<string, DraftNode[]>();
  for (const child of node.children) {
    const group = groups.get(child.baseId) ?? [];
    group.push(child);
    groups.set(child.baseId, group);
  }
  for (const group of groups.values()) {
    group.forEach((child, index) => {
      const number = index === 0 ? undefined : index + 1;
      child.idNumber = number;
      if (child.rmType === 'ELEMENT' && number !== undefined) {
        for (const value of child.children) {
          if (value.baseId === child.baseId) {
            value.idNumber = number;
          }
        }
      }
    });
  }
}
