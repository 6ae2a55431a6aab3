/**
 * Second pass of the web template: removes what users of web templates and FLAT paths do
 * not see: item structures and histories, a single event, ELEMENTs with one value (the
 * value takes their place), archetype slots, optional RM attributes and the CODE_PHRASE
 * inside a DV_CODED_TEXT. Children of a removed node take its place.
 */
import { allAttributes, isSubtypeOf } from '../rm/rm-model.js';
import { idOf, makeIdsUnique, pathOf, type DraftNode } from './draft-node.js';
import { input } from './inputs.js';
import { trueElementChildren } from './build-tree.js';

const STRUCTURE_TYPES = new Set(['HISTORY', 'ITEM_TREE', 'ITEM_LIST', 'ITEM_SINGLE', 'ITEM_TABLE', 'ITEM_STRUCTURE']);

/** RM attributes never shown, mandatory or not. */
const HIDDEN_ATTRIBUTES = new Set(['name', 'archetype_node_id', 'archetype_details', 'origin', 'media_type', 'upper_included', 'lower_included', 'upper_unbounded', 'lower_unbounded']);

/** Optional RM attributes that are shown all the same. */
const SHOWN_OPTIONAL: readonly [string, string][] = [
  ['ACTIVITY', 'timing'],
  ['INSTRUCTION', 'expiry_time'],
  ['ISM_TRANSITION', 'transition'],
  ['COMPOSITION', 'context'],
];

function isEvent(node: DraftNode): boolean {
  return isSubtypeOf(node.rmType, 'EVENT');
}

function isHiddenRmAttribute(node: DraftNode, parent: DraftNode): boolean {
  const optional = node.min === 0 && allAttributes(parent.rmType).some((a) => a.name === node.name);
  const shown = SHOWN_OPTIONAL.some(([type, name]) => parent.rmType === type && node.name === name);
  return (optional || HIDDEN_ATTRIBUTES.has(node.name)) && !shown;
}

function mergeTextChoice(element: DraftNode): DraftNode | undefined {
  const values = trueElementChildren(element);
  const ids = values.map(idOf).sort();
  const hasChoices = new Set(element.children.map((c) => pathOf(c))).size < element.children.length;
  if (ids.length !== 2 || ids[0] !== 'coded_text_value' || ids[1] !== 'text_value' || !hasChoices) {
    return undefined;
  }
  const coded = values.find((v) => idOf(v) === 'coded_text_value')!;
  const inputs = coded.inputs.map((i) => (i.suffix === 'code' ? { ...i, listOpen: true } : { ...i }));
  inputs.push(input('TEXT', 'other'));
  return {
    ...coded,
    baseId: element.baseId,
    idNumber: element.idNumber,
    name: element.name,
    min: element.min,
    max: element.max,
    rmType: 'DV_CODED_TEXT',
    localizedNames: { ...element.localizedNames },
    localizedDescriptions: { ...element.localizedDescriptions },
    ...(element.localizedName !== undefined ? { localizedName: element.localizedName } : {}),
    inputs,
    children: [],
  };
}

function prepare(node: DraftNode): void {
  const transitions = node.children.filter((c) => c.rmType === 'ISM_TRANSITION');
  if (transitions.length > 0) {
    node.children = [...node.children.filter((c) => c.rmType !== 'ISM_TRANSITION'), transitions[0]!];
  }
  if (node.rmType === 'ELEMENT') {
    const merged = mergeTextChoice(node);
    if (merged) {
      node.children = [merged];
    } else {
      const values = trueElementChildren(node);
      if (values.length === 1) {
        values[0]!.baseId = node.baseId;
        values[0]!.idNumber = node.idNumber;
      }
    }
  }
}

function skip(node: DraftNode, parent: DraftNode | undefined, siblingsBefore: readonly DraftNode[]): boolean {
  if (node.slot) {
    return true;
  }
  if (parent && isHiddenRmAttribute(node, parent)) {
    return true;
  }
  if (STRUCTURE_TYPES.has(node.rmType)) {
    return true;
  }
  if (parent && isEvent(node)) {
    return siblingsBefore.filter(isEvent).length === 1 && node.max === 1;
  }
  if (node.rmType === 'ELEMENT') {
    return node.children.length === 1;
  }
  return node.rmType === 'CODE_PHRASE' && parent?.rmType === 'DV_CODED_TEXT';
}

/**
 * Simplifies a node; returns what takes its place in its parent (itself, or its children).
 * `siblings` are the parent's children before simplification (a single event is removed).
 */
export function simplify(node: DraftNode, parent?: DraftNode, siblings: readonly DraftNode[] = []): DraftNode[] {
  prepare(node);
  const original = [...node.children];
  node.children = original.flatMap((child) => simplify(child, node, original));
  let result: DraftNode[] = [node];
  if (skip(node, parent, siblings)) {
    if (node.rmType === 'ELEMENT') {
      for (const child of node.children) {
        child.min = node.min;
        child.max = node.max;
      }
    }
    result = node.children;
  }
  makeIdsUnique(node);
  return result;
}
