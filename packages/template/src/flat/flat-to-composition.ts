/**
 * FLAT (simSDT) to canonical JSON: the FLAT paths are followed through the web template,
 * and through the operational template for the objects the web template leaves out
 * (histories, item trees, single events, elements), creating the RM objects on the way.
 */
import { badRequest } from '@cdr/rm';
import { isComplex, type OperationalTemplate } from '../opt/model.js';
import { attribute as rmAttribute, baseTypeName, isLocatableType, isSubtypeOf } from '../rm/rm-model.js';
import type { WebTemplate, WebTemplateNode } from '../webtemplate/model.js';
import { aqlSteps, indexedStep, relativeSteps, type Step } from './aql-steps.js';
import { applyContext } from './flat-context.js';
import { child, flatTree, hasContent, instances, type FlatComposition, type FlatNode } from './flat-tree.js';
import { decodeRm, rmAttributeOfFlatName } from './rm-codec.js';
import { TemplateCursor, type Cursor } from './template-cursor.js';
import { text, valueCodec, type CodecContext, type Json } from './value-codecs.js';
import { webTemplateOf, type TemplateSource } from './template-source.js';

const RM_VERSION = '1.0.4';

const PRIMITIVE_NODE_TYPES = new Set(['STRING', 'LONG', 'INTEGER', 'BOOLEAN', 'DOUBLE']);

/** Item structures the RM allows without content. */
const EMPTY_STRUCTURES = new Set(['ITEM_TREE', 'ITEM_LIST', 'ITEM_TABLE']);

const CODE_TERMINOLOGIES: Readonly<Record<string, string>> = {
  language: 'ISO_639-1',
  territory: 'ISO_3166-1',
  encoding: 'IANA_character-sets',
  charset: 'IANA_character-sets',
};

function isArchetypeId(id: string | undefined): boolean {
  return id !== undefined && /^[A-Za-z][\w-]*-[\w-]+-[A-Za-z_]\w*\./.test(id);
}

class FlatReader {
  private readonly objects = new WeakMap<Json, Map<string, Json>>();
  /** Every object created, with its type and constraint, for `completeStructures` at the end. */
  private readonly created: { readonly object: Json; readonly type: string; readonly cursor: Cursor }[] = [];
  private readonly cursor: TemplateCursor;

  constructor(
    private readonly template: OperationalTemplate | undefined,
    private readonly webTemplate: WebTemplate,
    private readonly language: string,
  ) {
    this.cursor = new TemplateCursor(template, language);
  }

  read(root: FlatNode): Json {
    const tree = this.webTemplate.tree;
    const rootType = tree.rmType;
    const composition: Json = { _type: rootType };
    const name = this.cursor.nameFor(this.cursor.root(), { attribute: '', ...(tree.nodeId ? { nodeId: tree.nodeId } : {}) });
    composition.name = { _type: 'DV_TEXT', value: name };
    if (tree.nodeId) {
      composition.archetype_details = {
        _type: 'ARCHETYPED',
        archetype_id: { _type: 'ARCHETYPE_ID', value: tree.nodeId },
        template_id: { _type: 'TEMPLATE_ID', value: this.webTemplate.templateId },
        rm_version: RM_VERSION,
      };
      composition.archetype_node_id = tree.nodeId;
    }
    this.fill(tree, root, composition, rootType, this.cursor.root(), undefined);
    this.completeStructures(composition, rootType, this.cursor.root());
    for (const { object, type, cursor } of this.created) {
      this.completeStructures(object, type, cursor);
    }
    return composition;
  }

  private fill(node: WebTemplateNode, flat: FlatNode, object: Json, type: string, cursor: Cursor, owner: { object: Json; type: string } | undefined): void {
    const base = aqlSteps(node.aqlPath);
    const known = new Set((node.children ?? []).map((c) => c.id));
    for (const id of flat.children.keys()) {
      if (!known.has(id) && !id.startsWith('_') && id !== 'history_origin' && rmAttribute(type, id) !== undefined) {
        flat.children.set(`_${id}`, flat.children.get(id)!);
      }
    }
    for (const childNode of node.children ?? []) {
      const steps = relativeSteps(base, aqlSteps(childNode.aqlPath));
      if (!steps || steps.length === 0) {
        continue;
      }
      for (const [index, childFlat] of instances(flat, childNode.id)) {
        if (hasContent(childFlat)) {
          this.place(childNode, childFlat, index, steps, object, type, cursor);
        }
      }
    }
    for (const [suffix, value] of flat.suffixes) {
      const rm = rmAttribute(type, suffix);
      if (rm && !rm.multiple && ['Boolean', 'Integer', 'Real', 'String'].includes(rm.type)) {
        object[suffix] = rm.type === 'Boolean' ? value === true || value === 'true' : rm.type === 'String' ? text(value) : Number(value);
      }
    }
    const origin = text(child(flat, 'history_origin')?.value);
    if (origin !== undefined && type === 'OBSERVATION' && typeof object.data === 'object' && object.data !== null) {
      (object.data as Json).origin = { _type: 'DV_DATE_TIME', value: origin };
    }
    this.applyUnderscores(flat, object, type, node, owner);
  }

  /**
   * A mandatory item structure that no FLAT path reached (its template leaves it empty, or
   * everything inside it is optional and absent) is created empty, so that the composition
   * keeps the structure its template requires. Only ITEM_TREE, ITEM_LIST and ITEM_TABLE
   * are valid empty; an ITEM_SINGLE needs its item and stays missing.
   */
  private completeStructures(object: Json, type: string, cursor: Cursor): void {
    const constraint = cursor.object;
    if (!constraint || !isComplex(constraint)) {
      return;
    }
    for (const attribute of constraint.attributes) {
      const only = attribute.children.length === 1 ? attribute.children[0] : undefined;
      if ((attribute.existence.lower ?? 0) < 1 || object[attribute.rmAttributeName] !== undefined || only?.kind !== 'C_COMPLEX_OBJECT') {
        continue;
      }
      const step: Step = { attribute: attribute.rmAttributeName, nodeId: only.nodeId };
      const next = this.cursor.step(cursor, step);
      const structure = this.cursor.typeFor(next, type, step);
      if (EMPTY_STRUCTURES.has(structure)) {
        this.insert(object, type, step.attribute, this.create(structure, step, next, undefined));
      }
    }
  }

  private context(node: WebTemplateNode, attribute?: string): CodecContext {
    const terminology = attribute === undefined ? undefined : CODE_TERMINOLOGIES[attribute];
    return { language: this.language, node, ...(terminology ? { codeTerminology: terminology } : {}) };
  }

  private place(node: WebTemplateNode, flat: FlatNode, index: number, steps: readonly Step[], parent: Json, parentType: string, cursor: Cursor): void {
    const indexed = indexedStep(steps);
    let current = parent;
    let currentType = parentType;
    let currentCursor = cursor;
    let owner: { object: Json; type: string } | undefined;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const last = i === steps.length - 1;
      const wanted = last ? node.rmType : undefined;
      const nextCursor = this.cursor.step(currentCursor, step, wanted);
      let type = this.cursor.typeFor(nextCursor, currentType, step, wanted);
      if (type === 'EVENT') {
        type = last && (flat.children.has('width') || flat.children.has('math_function')) ? 'INTERVAL_EVENT' : 'POINT_EVENT';
      }
      if (last && this.isLeaf(node, type)) {
        const value = this.decodeLeaf(node, flat, type, step.attribute);
        if (value !== undefined) {
          this.insert(current, currentType, step.attribute, value);
        }
        if (value !== undefined && typeof value === 'object') {
          this.applyUnderscores(flat, value as Json, baseTypeName(String((value as Json)._type ?? type)), node, owner);
        } else if (owner) {
          this.applyUnderscores(flat, owner.object, owner.type, node, undefined);
        }
        return;
      }
      const key = `${step.attribute}|${step.nodeId ?? ''}|${step.name ?? ''}|${i === indexed ? index : ''}`;
      let registry = this.objects.get(current);
      if (!registry) {
        registry = new Map();
        this.objects.set(current, registry);
      }
      let object = registry.get(key);
      if (!object) {
        object = this.create(type, step, nextCursor, last ? node : undefined);
        this.created.push({ object, type, cursor: nextCursor });
        registry.set(key, object);
        this.insert(current, currentType, step.attribute, object);
      }
      if (isLocatableType(type)) {
        owner = { object, type };
      }
      current = object;
      currentType = type;
      currentCursor = nextCursor;
    }
    this.fill(node, flat, current, currentType, currentCursor, owner && owner.object !== current ? owner : undefined);
  }

  private isLeaf(node: WebTemplateNode, type: string): boolean {
    if ((node.children?.length ?? 0) > 0) {
      return false;
    }
    const base = baseTypeName(type);
    return PRIMITIVE_NODE_TYPES.has(base) || valueCodec(base) !== undefined || isSubtypeOf(base, 'PARTY_PROXY') || base === 'LOCATABLE_REF' || base === 'PARTICIPATION';
  }

  private decodeLeaf(node: WebTemplateNode, flat: FlatNode, type: string, attribute: string): unknown {
    const base = baseTypeName(type);
    if (PRIMITIVE_NODE_TYPES.has(base)) {
      return text(flat.value);
    }
    let decoded: unknown;
    if (base === 'DV_CODED_TEXT' || base === 'DV_TEXT') {
      const coded = flat.suffixes.has('code') || (base === 'DV_CODED_TEXT' && !flat.suffixes.has('other'));
      decoded = coded ? valueCodec('DV_CODED_TEXT')!.decode(flat, this.context(node, attribute)) : valueCodec('DV_TEXT')!.decode(flat, this.context(node, attribute));
      if (decoded === undefined && base === 'DV_CODED_TEXT') {
        decoded = valueCodec('DV_TEXT')!.decode(flat, this.context(node, attribute));
      }
    } else {
      decoded = decodeRm(flat, type, this.context(node, attribute));
    }
    return decoded;
  }

  private create(type: string, step: Step, cursor: Cursor, node: WebTemplateNode | undefined): Json {
    const object: Json = { _type: type };
    if (isLocatableType(type)) {
      const name = step.name ?? node?.localizedNames?.[this.language] ?? (node?.nodeId ? node.localizedName ?? node.name : undefined) ?? this.cursor.nameFor(cursor, step);
      object.name = this.cursor.codedName(cursor, name) ?? { _type: 'DV_TEXT', value: name };
      if (isArchetypeId(step.nodeId)) {
        object.archetype_details = { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: step.nodeId }, rm_version: RM_VERSION };
      }
      object.archetype_node_id = step.nodeId ?? cursor.object?.nodeId ?? 'at0000';
    }
    return object;
  }

  private insert(target: Json, type: string, attribute: string, value: unknown): void {
    const rm = rmAttribute(type, attribute);
    if (rm?.multiple) {
      const list = (Array.isArray(target[attribute]) ? target[attribute] : []) as unknown[];
      list.push(value);
      target[attribute] = list;
    } else {
      target[attribute] = value;
    }
  }

  /** `_attribute` children: RM attributes the web template does not show. */
  private applyUnderscores(flat: FlatNode, object: Json, type: string, node: WebTemplateNode, owner: { object: Json; type: string } | undefined): void {
    for (const id of flat.children.keys()) {
      if (!id.startsWith('_')) {
        continue;
      }
      let target = object;
      let targetType = type;
      let attribute = rmAttributeOfFlatName(type, id);
      if (!attribute && owner) {
        attribute = rmAttributeOfFlatName(owner.type, id);
        target = owner.object;
        targetType = owner.type;
      }
      if (!attribute) {
        continue;
      }
      if (attribute === 'name') {
        const nameNode = child(flat, id)!;
        const name = valueCodec('DV_CODED_TEXT')!.decode(nameNode, { language: this.language });
        if (name) {
          target.name = name;
        }
        continue;
      }
      const rm = rmAttribute(targetType, attribute)!;
      const declared = attribute === 'normal_range' ? `DV_INTERVAL<${targetType}>` : rm.type;
      const context: CodecContext = { language: this.language, node: { ...node, rmType: targetType }, ...(CODE_TERMINOLOGIES[attribute] ? { codeTerminology: CODE_TERMINOLOGIES[attribute] } : {}) };
      const values = instances(flat, id)
        .map(([, n]) => decodeRm(n, declared, attribute === 'null_flavour' ? { ...context, codeTerminology: 'openehr', node: { id: '', rmType: 'DV_CODED_TEXT', min: 0, max: 1, aqlPath: '', inputs: [{ suffix: 'code', type: 'CODED_TEXT', terminology: 'openehr' }] } } : context))
        .filter((v) => v !== undefined);
      if (values.length > 0) {
        target[attribute] = rm.multiple ? values : values[0];
      }
    }
  }
}

/**
 * Reads a FLAT (simSDT) composition into canonical JSON. With an operational template the
 * objects the web template leaves out get their template names and types; with only a
 * web template they get RM defaults.
 */
export function flatToComposition(source: TemplateSource, flat: FlatComposition): Json {
  const { template, webTemplate } = webTemplateOf(source);
  const tree = flatTree(flat);
  const rootId = webTemplate.tree.id;
  const unknown = [...tree.children.keys()].filter((id) => id !== rootId && id !== 'ctx');
  if (unknown.length > 0) {
    throw badRequest(`FLAT keys must start with '${rootId}/' or 'ctx/'; found ${unknown.map((u) => `'${u}'`).join(', ')}`, unknown.map((u) => ({ path: u, message: `unknown root '${u}'` })));
  }
  const ctx = child(tree, 'ctx');
  const root = child(tree, rootId);
  if (!root) {
    throw badRequest(`the FLAT composition has no values under '${rootId}'`);
  }
  const languageNode = child(root, 'language');
  const language = text(child(ctx, 'language')?.value) ?? text(languageNode?.suffixes.get('code')) ?? template?.language ?? webTemplate.defaultLanguage;
  const composition = new FlatReader(template, webTemplate, language).read(root);
  applyContext(composition, ctx, { language, template, webTemplate });
  return composition;
}
