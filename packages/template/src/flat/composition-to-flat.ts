/**
 * Canonical JSON to FLAT (simSDT): the composition is walked along the web template;
 * every web template node present in the data gives its FLAT key (indexed where the node
 * may repeat) and its values; RM attributes the web template does not show are written
 * as `_attribute` keys.
 */
import { conformsTo } from '../validation/validate-composition.js';
import { allAttributes, attribute as rmAttribute, baseTypeName, isLocatableType, isSubtypeOf } from '../rm/rm-model.js';
import type { WebTemplateNode } from '../webtemplate/model.js';
import { aqlSteps, relativeSteps, type Step } from './aql-steps.js';
import type { FlatValue } from './flat-tree.js';
import { encodeRm, flatAttributeName } from './rm-codec.js';
import { webTemplateOf, type TemplateSource } from './template-source.js';
import { valueCodec, type CodecContext, type Json } from './value-codecs.js';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const PRIMITIVE_NODE_TYPES = new Set(['STRING', 'LONG', 'INTEGER', 'BOOLEAN', 'DOUBLE']);
const INTERVAL_FLAGS = ['lower_included', 'upper_included', 'lower_unbounded', 'upper_unbounded'];
const STRUCTURAL = new Set(['_type', 'archetype_node_id', 'archetype_details', 'name']);

interface Match {
  readonly value: unknown;
  readonly type: string;
  /** The nearest LOCATABLE the match is or sits in (an ELEMENT for a collapsed value). */
  readonly owner?: { readonly object: Json; readonly type: string };
}

function typeOf(value: unknown, declared: string): string {
  return isObject(value) && typeof value._type === 'string' ? value._type : declared;
}

function fits(node: WebTemplateNode, type: string): boolean {
  if (PRIMITIVE_NODE_TYPES.has(node.rmType)) {
    return true;
  }
  if (conformsTo(type, node.rmType) || baseTypeName(type) === baseTypeName(node.rmType)) {
    return true;
  }
  return node.rmType === 'DV_CODED_TEXT' && type === 'DV_TEXT' && (node.inputs ?? []).some((i) => i.suffix === 'other' || i.listOpen === true);
}

class FlatWriter {
  readonly out: Record<string, FlatValue> = {};

  constructor(private readonly language: string) {}

  private emitter(key: string) {
    return (relative: string, value: FlatValue): void => {
      if (value !== undefined) {
        this.out[`${key}${relative}`] = value;
      }
    };
  }

  private context(node: WebTemplateNode): CodecContext {
    return { language: this.language, node };
  }

  writeNode(node: WebTemplateNode, object: Json, type: string, key: string): void {
    const covered = new Set(STRUCTURAL);
    const base = aqlSteps(node.aqlPath);
    for (const child of node.children ?? []) {
      const steps = relativeSteps(base, aqlSteps(child.aqlPath));
      if (!steps || steps.length === 0 || steps[0]!.attribute === 'instruction_details') {
        continue;
      }
      covered.add(steps[0]!.attribute);
      const matches = this.follow(object, type, steps, child);
      const many = child.max !== 1;
      (many ? matches : matches.slice(0, 1)).forEach((match, i) => {
        this.writeMatch(child, match, `${key}/${many ? `${child.id}:${i}` : child.id}`);
      });
    }
    if (isSubtypeOf(type, 'DV_INTERVAL')) {
      for (const flag of INTERVAL_FLAGS) {
        covered.add(flag);
        if (object[flag] !== undefined) {
          this.out[`${key}|${flag}`] = object[flag] as FlatValue;
        }
      }
    }
    if (type === 'OBSERVATION' && isObject(object.data) && isObject(object.data.origin)) {
      this.out[`${key}/history_origin`] = object.data.origin.value as FlatValue;
    }
    this.writeExtras(object, type, covered, key, node);
  }

  /** The root's name when it is not the template's. */
  writeRootName(node: WebTemplateNode, composition: Json, key: string): void {
    const expected = node.localizedNames?.[this.language] ?? node.localizedName ?? node.name;
    if (isObject(composition.name) && composition.name.value !== expected) {
      encodeRm(composition.name, 'DV_TEXT', this.emitter(`${key}/_name`), { language: this.language });
    }
  }

  private writeMatch(node: WebTemplateNode, match: Match, key: string): void {
    const { value, type, owner } = match;
    if (value !== undefined) {
      const base = baseTypeName(type);
      const leaf = (node.children?.length ?? 0) === 0 && (PRIMITIVE_NODE_TYPES.has(node.rmType) || valueCodec(base) !== undefined || !isLocatableType(base));
      if (leaf) {
        encodeRm(value, type, this.emitter(key), this.context(node));
      } else if (isObject(value)) {
        this.writeNode(node, value, type, key);
      }
    }
    if (owner && owner.object !== value && owner.type === 'ELEMENT') {
      this.writeExtras(owner.object, owner.type, new Set([...STRUCTURAL, 'value']), key, node);
    }
    const named = owner?.object ?? (isObject(value) && isLocatableType(type) ? value : undefined);
    const expected = node.localizedNames?.[this.language] ?? node.localizedName ?? node.name;
    const steps = aqlSteps(node.aqlPath);
    const fixedByPath = steps.some((s) => s.name !== undefined) && steps[steps.length - 1]?.name !== undefined;
    if (named && isObject(named.name) && named.name.value !== expected && !fixedByPath && node.nodeId !== undefined) {
      encodeRm(named.name, 'DV_TEXT', this.emitter(`${key}/_name`), { language: this.language });
    }
  }

  /** RM attributes present in the data that no web template node covers, as `_attribute` keys. */
  private writeExtras(object: Json, type: string, covered: ReadonlySet<string>, key: string, node: WebTemplateNode): void {
    for (const attribute of allAttributes(type)) {
      const value = object[attribute.name];
      if (value === undefined || covered.has(attribute.name) || isLocatableType(attribute.type)) {
        continue;
      }
      if (isSubtypeOf(type, 'DV_INTERVAL') && INTERVAL_FLAGS.includes(attribute.name)) {
        continue;
      }
      if (['Integer', 'Real', 'Boolean'].includes(attribute.type)) {
        this.out[`${key}|${attribute.name}`] = value as FlatValue;
        continue;
      }
      const flatName = type === 'INTERVAL_EVENT' && (attribute.name === 'width' || attribute.name === 'math_function') ? attribute.name : flatAttributeName(attribute.name);
      const items = attribute.multiple && Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        const segment = attribute.multiple ? `${flatName}:${i}` : flatName;
        const declared = attribute.name === 'normal_range' ? `DV_INTERVAL<${type}>` : attribute.type;
        encodeRm(item, declared, this.emitter(`${key}/${segment}`), this.context(node));
      });
    }
  }

  /** The data objects a web template node stands for, from its parent's object. */
  private follow(object: Json, type: string, steps: readonly Step[], node: WebTemplateNode): Match[] {
    let frontier: Match[] = [{ value: object, type }];
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const last = i === steps.length - 1;
      const next: Match[] = [];
      for (const current of frontier) {
        if (!isObject(current.value)) {
          continue;
        }
        const raw = current.value[step.attribute];
        const declared = rmAttribute(current.type, step.attribute)?.type ?? 'ANY';
        if (raw === undefined && last && step.attribute === 'value' && current.type === 'ELEMENT' && current.owner) {
          if (current.value.null_flavour !== undefined || current.value.null_reason !== undefined) {
            next.push({ value: undefined, type: node.rmType, owner: current.owner });
          }
          continue;
        }
        for (const item of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
          const itemType = typeOf(item, declared);
          if (step.nodeId !== undefined && (!isObject(item) || item.archetype_node_id !== step.nodeId)) {
            continue;
          }
          if (step.name !== undefined && (!isObject(item) || !isObject(item.name) || item.name.value !== step.name)) {
            continue;
          }
          if (last && !fits(node, itemType)) {
            continue;
          }
          const owner = isObject(item) && isLocatableType(itemType) ? { object: item, type: itemType } : current.owner;
          next.push(owner ? { value: item, type: itemType, owner } : { value: item, type: itemType });
        }
      }
      frontier = next;
    }
    return frontier;
  }
}

/** Writes a canonical JSON composition as FLAT (simSDT). */
export function compositionToFlat(source: TemplateSource, composition: Json): Record<string, FlatValue> {
  const { webTemplate } = webTemplateOf(source);
  const languageCode = isObject(composition.language) ? composition.language.code_string : undefined;
  const language = typeof languageCode === 'string' ? languageCode : webTemplate.defaultLanguage;
  const writer = new FlatWriter(language);
  writer.writeNode(webTemplate.tree, composition, typeof composition._type === 'string' ? composition._type : webTemplate.tree.rmType, webTemplate.tree.id);
  writer.writeRootName(webTemplate.tree, composition, webTemplate.tree.id);
  return writer.out;
}
