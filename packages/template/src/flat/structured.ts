/**
 * STRUCTURED: the FLAT paths as nested JSON. Every web template id is a key holding a list
 * (one entry per occurrence); an entry is either the value written without a suffix or an
 * object with its `|suffix` values and its children (there the value FLAT writes without a
 * suffix is `|value`). `ctx` holds plain values.
 */
import { badRequest } from '@cdr/rm';
import type { WebTemplateNode } from '../webtemplate/model.js';
import { compositionToFlat } from './composition-to-flat.js';
import { flatToComposition } from './flat-to-composition.js';
import { flatTree, instances, type FlatComposition, type FlatNode, type FlatValue } from './flat-tree.js';
import { webTemplateOf, type TemplateSource } from './template-source.js';
import type { Json } from './value-codecs.js';

export type StructuredComposition = Readonly<Record<string, unknown>>;

/** Types whose value FLAT writes without a suffix; in a STRUCTURED object it is `|value`. */
const INLINE_VALUE_TYPES = new Set([
  'DV_TEXT', 'DV_PARSABLE', 'DV_PROPORTION', 'DV_IDENTIFIER', 'DV_COUNT', 'DV_DATE', 'DV_DATE_TIME', 'DV_TIME',
  'DV_DURATION', 'DV_BOOLEAN', 'DV_URI', 'DV_EHR_URI', 'DV_MULTIMEDIA',
]);

/** RM attributes written as `_name` segments that hold lists. */
const LIST_ATTRIBUTES = new Set(['_other_participation', '_participation', '_link', '_mapping', '_identifier', '_reason', '_other_reference_ranges', 'originating_system_item_id', 'feeder_system_item_id']);

function nodeToStructured(node: FlatNode): unknown {
  if (node.suffixes.size === 0 && node.children.size === 0) {
    return node.value;
  }
  const result: Record<string, unknown> = {};
  if (node.value !== undefined) {
    result[node.suffixes.has('value') ? '' : '|value'] = node.value;
  }
  for (const [suffix, value] of node.suffixes) {
    result[`|${suffix}`] = value;
  }
  for (const id of node.children.keys()) {
    result[id] = instances(node, id).map(([, child]) => nodeToStructured(child));
  }
  return result;
}

/** FLAT to STRUCTURED. */
export function flatToStructured(flat: FlatComposition): StructuredComposition {
  const tree = flatTree(flat);
  const result: Record<string, unknown> = {};
  for (const id of tree.children.keys()) {
    const node = instances(tree, id)[0]?.[1];
    if (!node) {
      continue;
    }
    if (id === 'ctx') {
      const ctx: Record<string, unknown> = {};
      for (const [key, byIndex] of node.children) {
        for (const [index, child] of byIndex) {
          const name = index < 0 ? key : `${key}:${index}`;
          if (child.value !== undefined) {
            ctx[name] = child.value;
          }
          for (const [suffix, value] of child.suffixes) {
            ctx[`${name}|${suffix}`] = value;
          }
        }
      }
      result.ctx = ctx;
    } else {
      result[id] = nodeToStructured(node);
    }
  }
  return result;
}

function structuredToEntries(value: unknown, key: string, node: WebTemplateNode | undefined, out: Record<string, FlatValue>): void {
  if (value === null || typeof value !== 'object') {
    out[key] = value as FlatValue;
    return;
  }
  if (Array.isArray(value)) {
    throw badRequest(`STRUCTURED value at '${key}' is a list where an entry was expected`);
  }
  const entry = value as Record<string, unknown>;
  const inlineValue = INLINE_VALUE_TYPES.has(node?.rmType ?? '') && !('|code' in entry);
  for (const [k, v] of Object.entries(entry)) {
    if (k === '' || (k === '|value' && inlineValue)) {
      out[key] = v as FlatValue;
    } else if (k.startsWith('|')) {
      out[`${key}${k}`] = v as FlatValue;
    } else {
      const childNode = node?.children?.find((c) => c.id === k);
      const list = Array.isArray(v) ? v : [v];
      const indexed = list.length > 1 || (childNode ? childNode.max !== 1 : LIST_ATTRIBUTES.has(k));
      list.forEach((item, i) => structuredToEntries(item, `${key}/${indexed ? `${k}:${i}` : k}`, childNode, out));
    }
  }
}

/** STRUCTURED to FLAT, using the web template to know which nodes repeat. */
export function structuredToFlat(source: TemplateSource, structured: StructuredComposition): Record<string, FlatValue> {
  const { webTemplate } = webTemplateOf(source);
  const out: Record<string, FlatValue> = {};
  for (const [id, value] of Object.entries(structured)) {
    if (id.startsWith('ctx/')) {
      out[id] = value as FlatValue;
      continue;
    }
    if (id === 'ctx') {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        out[`ctx/${k}`] = v as FlatValue;
      }
      continue;
    }
    const root = id === webTemplate.tree.id ? webTemplate.tree : undefined;
    const entry = Array.isArray(value) ? value[0] : value;
    structuredToEntries(entry, id, root, out);
  }
  return out;
}

export function structuredToComposition(source: TemplateSource, structured: StructuredComposition): Json {
  return flatToComposition(source, structuredToFlat(source, structured));
}

export function compositionToStructured(source: TemplateSource, composition: Json): StructuredComposition {
  return flatToStructured(compositionToFlat(source, composition));
}
