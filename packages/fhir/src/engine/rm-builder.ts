/**
 * Building canonical JSON on the way in (FHIR -> openEHR). A cursor stands for a node that
 * may not exist yet; it is created when something is written into it (or below it), so a
 * FHIR element that yields no data leaves no empty structure behind. New nodes get their RM
 * type, name and archetype details from the template when one is given, else from the RM
 * (the declared type of the attribute, an abstract one replaced by its usual concrete type).
 */
import { allAttributes, attribute, baseTypeName, isAbstract, isJsonObject, isLocatableType, isSubtypeOf, nodeIdOf, rmClass } from '@cdr/rm';
import type { PathStep } from '@cdr/rm';
import type { MutableJson } from './fhir-json.js';
import { jsonEqual } from './fhir-json.js';
import type { GuideNode, TemplateGuide } from './template-guide.js';

export const RM_VERSION = '1.1.0';

/** The RM type an archetype id names: `openEHR-EHR-OBSERVATION.x.v1` -> OBSERVATION. */
export function rmTypeOfArchetype(archetypeId: string): string | undefined {
  return /^openEHR-EHR-([A-Z_]+)\./.exec(archetypeId)?.[1];
}

function concreteType(declared: string, nodeId: string | undefined, next: string | undefined): string {
  const fromArchetype = nodeId ? rmTypeOfArchetype(nodeId) : undefined;
  if (fromArchetype) {
    return fromArchetype;
  }
  const base = baseTypeName(declared);
  if (!rmClass(base) || !isAbstract(base)) {
    return declared;
  }
  if (isSubtypeOf('ITEM', base) || base === 'ITEM') {
    return next === 'items' ? 'CLUSTER' : 'ELEMENT';
  }
  const defaults: Readonly<Record<string, string>> = {
    EVENT: 'POINT_EVENT',
    ITEM_STRUCTURE: 'ITEM_TREE',
    PARTY_PROXY: 'PARTY_IDENTIFIED',
    CONTENT_ITEM: 'SECTION',
    ENTRY: 'OBSERVATION',
    CARE_ENTRY: 'OBSERVATION',
    OBJECT_ID: 'GENERIC_ID',
    UID_BASED_ID: 'HIER_OBJECT_ID',
  };
  return defaults[base] ?? base;
}

export interface BuildOptions {
  readonly guide?: TemplateGuide;
  /** ISO 639-1 language of texts and entries. */
  readonly language: string;
  /** When nothing says otherwise: times of events and compositions. */
  readonly now: string;
}

export class RmCursor {
  private node?: MutableJson;
  /** The RM type of the node once it exists (concrete). */
  private actualType?: string;
  /** The RM type this node has or will have (possibly abstract until it exists). */
  readonly expectedType: string;
  readonly guideNode?: GuideNode;

  private constructor(
    private readonly options: BuildOptions,
    readonly parent: RmCursor | undefined,
    readonly step: PathStep | undefined,
    private readonly fresh: boolean,
    existing?: { readonly node: MutableJson; readonly type: string; readonly guide?: GuideNode },
  ) {
    if (existing) {
      this.node = existing.node;
      this.expectedType = existing.type;
      if (existing.guide) {
        this.guideNode = existing.guide;
      }
      return;
    }
    const s = step as PathStep;
    const nodeId = s.predicate?.kind === 'node' ? s.predicate.nodeId : undefined;
    const guide = options.guide?.child(parent?.guideNode, s.attribute, nodeId);
    if (guide) {
      this.guideNode = guide;
    }
    const declared = attribute(baseTypeName(parent?.type ?? ''), s.attribute)?.type ?? 'UNKNOWN';
    this.expectedType = guide ? guide.object.rmTypeName : nodeId ? (rmTypeOfArchetype(nodeId) ?? declared) : declared;
  }

  static root(options: BuildOptions, node: MutableJson, type: string, guide?: GuideNode): RmCursor {
    return new RmCursor(options, undefined, undefined, false, { node, type, ...(guide ? { guide } : {}) });
  }

  get exists(): boolean {
    return this.node !== undefined;
  }

  /** A cursor one step further: `fresh` makes it a new node rather than the existing one. */
  child(step: PathStep, fresh = false): RmCursor {
    return new RmCursor(this.options, this, step, fresh);
  }

  descend(steps: readonly PathStep[], freshLast = false): RmCursor {
    return steps.reduce<RmCursor>((cursor, s, i) => cursor.child(s, freshLast && i === steps.length - 1), this);
  }

  /** The nearest cursor (itself or an ancestor) whose node is of `rmType`. */
  nearest(rmType: string): RmCursor | undefined {
    const base = baseTypeName(this.expectedType);
    if (rmClass(base) && isSubtypeOf(base, rmType)) {
      return this;
    }
    return this.parent?.nearest(rmType);
  }

  /** The type to read attributes of: the concrete one once the node exists, else the usual concrete one. */
  get type(): string {
    if (this.actualType) {
      return this.actualType;
    }
    const base = baseTypeName(this.expectedType);
    return rmClass(base) && isAbstract(base) ? concreteType(this.expectedType, undefined, undefined) : this.expectedType;
  }

  private isMultiple(): boolean {
    const s = this.step as PathStep;
    return attribute(baseTypeName(this.parent?.type ?? ''), s.attribute)?.multiple ?? false;
  }

  private matches(candidate: unknown): boolean {
    const predicate = this.step?.predicate;
    if (!predicate) {
      return true;
    }
    if (predicate.kind === 'node') {
      const name = isJsonObject(candidate) && isJsonObject(candidate['name']) ? candidate['name']['value'] : undefined;
      return nodeIdOf(candidate) === predicate.nodeId && (predicate.name === undefined || name === predicate.name);
    }
    return predicate.kind === 'name' && isJsonObject(candidate) && isJsonObject(candidate['name']) && candidate['name']['value'] === predicate.name;
  }

  /** The node, created (with its ancestors) if it does not exist yet. `next` is the attribute about to be written in it. */
  materialise(next?: string): MutableJson {
    if (this.node) {
      return this.node;
    }
    const parent = this.parent as RmCursor;
    const s = this.step as PathStep;
    const parentNode = parent.materialise(s.attribute);
    const existing = parentNode[s.attribute];
    // a single attribute holds one node: "a new one" means the one there
    if (!this.fresh || !this.isMultiple()) {
      const candidates: unknown[] = Array.isArray(existing) ? existing : existing === undefined ? [] : [existing];
      const found = candidates.find((c) => isJsonObject(c) && this.matches(c));
      if (found) {
        this.node = found as MutableJson;
        this.actualType = typeof this.node['_type'] === 'string' ? this.node['_type'] : this.expectedType;
        return this.node;
      }
    }
    const created = this.create(next);
    if (this.isMultiple()) {
      if (Array.isArray(existing)) {
        existing.push(created);
      } else {
        parentNode[s.attribute] = [created];
      }
    } else {
      parentNode[s.attribute] = created;
    }
    this.node = created;
    this.actualType = created['_type'] as string;
    return created;
  }

  private create(next: string | undefined): MutableJson {
    const s = this.step as PathStep;
    const nodeId = s.predicate?.kind === 'node' ? s.predicate.nodeId : undefined;
    const type = concreteType(this.expectedType, nodeId, next);
    const created: MutableJson = { _type: type };
    if (rmClass(baseTypeName(type)) && isLocatableType(baseTypeName(type))) {
      const name =
        (s.predicate?.kind === 'node' || s.predicate?.kind === 'name' ? s.predicate.name : undefined) ??
        (this.guideNode && this.options.guide ? this.options.guide.name(this.guideNode) : undefined) ??
        nodeId ??
        type;
      created['name'] = { _type: 'DV_TEXT', value: name };
      created['archetype_node_id'] = nodeId ?? (this.guideNode ? this.guideNode.object.nodeId : '') ?? '';
      if (nodeId && rmTypeOfArchetype(nodeId)) {
        created['archetype_details'] = { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: nodeId }, rm_version: RM_VERSION };
      }
    }
    return created;
  }

  /** Sets an attribute of this node (creating it); a value already there is replaced. */
  set(attributeName: string, value: unknown): void {
    this.materialise(attributeName)[attributeName] = value;
  }

  /** Whether the node exists and has the attribute. */
  has(attributeName: string): boolean {
    return this.node !== undefined && this.node[attributeName] !== undefined;
  }
}

/**
 * Writes a data value at `steps` from `cursor`. A last step with a node predicate is an
 * ELEMENT: its value is set, on a new ELEMENT when the one there already has a value (so two
 * values make two elements). Otherwise the last step is an attribute of the node before it.
 */
export function writeRmValue(cursor: RmCursor, steps: readonly PathStep[], value: unknown): void {
  if (steps.length === 0) {
    cursor.set('value', value);
    return;
  }
  const last = steps[steps.length - 1] as PathStep;
  const parent = cursor.descend(steps.slice(0, -1));
  if (last.predicate?.kind === 'node' || last.predicate?.kind === 'name') {
    const existing = peekAll(parent, last);
    // the same value twice (from two FHIR elements saying the same) is written once
    if (existing.some((e) => isJsonObject(e) && jsonEqual(e['value'], value))) {
      return;
    }
    const first = existing[0];
    parent.child(last, isJsonObject(first) && first['value'] !== undefined).set('value', value);
    return;
  }
  parent.set(last.attribute, value);
}

/** The existing nodes one step below a cursor, without creating anything. */
function peekAll(cursor: RmCursor, step: PathStep): unknown[] {
  if (!cursor.exists) {
    return [];
  }
  const child = cursor.materialise()[step.attribute];
  const candidates: unknown[] = Array.isArray(child) ? child : child === undefined ? [] : [child];
  const predicate = step.predicate;
  return candidates.filter((c) => predicate?.kind !== 'node' || nodeIdOf(c) === predicate.nodeId);
}

function codePhrase(terminology: string, code: string): MutableJson {
  return { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code };
}

/** Fills the mandatory attributes the rules did not write, with the usual defaults, below `node`. */
export function completeMandatory(node: unknown, options: BuildOptions): void {
  if (Array.isArray(node)) {
    node.forEach((n) => completeMandatory(n, options));
    return;
  }
  if (!isJsonObject(node)) {
    return;
  }
  const record = node as MutableJson;
  for (const value of Object.values(record)) {
    if (typeof value === 'object' && value !== null) {
      completeMandatory(value, options);
    }
  }
  const type = typeof record['_type'] === 'string' ? baseTypeName(record['_type']) : undefined;
  if (!type || !rmClass(type)) {
    return;
  }
  for (const a of allAttributes(type)) {
    if (!a.mandatory || record[a.name] !== undefined) {
      continue;
    }
    const value = defaultFor(type, a.name, record, options);
    if (value !== undefined) {
      record[a.name] = value;
    }
  }
}

function firstEventTime(history: MutableJson): string | undefined {
  const events = history['events'];
  const first = Array.isArray(events) ? events[0] : undefined;
  const time = isJsonObject(first) ? first['time'] : undefined;
  return isJsonObject(time) && typeof time['value'] === 'string' ? time['value'] : undefined;
}

function defaultFor(type: string, name: string, record: MutableJson, options: BuildOptions): unknown {
  switch (name) {
    case 'language':
      return codePhrase('ISO_639-1', options.language);
    case 'encoding':
      return codePhrase('IANA_character-sets', 'UTF-8');
    case 'subject':
      return { _type: 'PARTY_SELF' };
    case 'origin':
      return { _type: 'DV_DATE_TIME', value: firstEventTime(record) ?? options.now };
    case 'time':
      return { _type: 'DV_DATE_TIME', value: options.now };
    case 'narrative': {
      const entryName = isJsonObject(record['name']) ? record['name']['value'] : undefined;
      return { _type: 'DV_TEXT', value: typeof entryName === 'string' ? entryName : type.toLowerCase() };
    }
    case 'action_archetype_id':
      return '/.*/';
    case 'timing':
      return type === 'ACTIVITY' ? { _type: 'DV_PARSABLE', value: 'R1', formalism: 'timing' } : undefined;
    case 'items':
      return type === 'CLUSTER' ? undefined : [];
    case 'start_time':
      return { _type: 'DV_DATE_TIME', value: options.now };
    case 'setting':
      return { _type: 'DV_CODED_TEXT', value: 'other care', defining_code: codePhrase('openehr', '238') };
    default:
      return undefined;
  }
}
