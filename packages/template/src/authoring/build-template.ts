/**
 * Builds an operational template (the parsed-template model of `../opt/model.ts`) from a
 * template description and the facts of the archetypes it uses, checking on the way that
 * the template only narrows what the archetypes allow.
 */
import type {
  ArchetypeSlot,
  ArchetypeTerm,
  CArchetypeRoot,
  CAttribute,
  CComplexObject,
  CObject,
  CodePhrase,
  Interval,
  OperationalTemplate,
  QuantityItem,
  TermBindings,
} from '../opt/model.js';
import { TEMPLATE_FORMAT_VERSION } from '../opt/model.js';
import { attribute as rmAttribute, isSubtypeOf } from '../rm/rm-model.js';
import type { ArchetypeFacts, FactAttribute, FactNode, QuantityUnit, ValueConstraint } from './facts.js';
import { AuthoringError, formatInterval, isWithin } from './intervals.js';
import type { ArchetypeUse, Narrowing, TemplateSpec } from './template-spec.js';

const ONE: Interval<number> = { lower: 1, upper: 1, lowerIncluded: true, upperIncluded: true };
const OPTIONAL: Interval<number> = { lower: 0, upper: 1, lowerIncluded: true, upperIncluded: true };
const ANY_NUMBER: Interval<number> = { lower: 0, lowerIncluded: true, upperIncluded: false };
const NONE: Interval<number> = { lower: 0, upper: 0, lowerIncluded: true, upperIncluded: true };

export type ArchetypeRegistry = ReadonlyMap<string, ArchetypeFacts>;

/** Orders at-codes numerically: at0002 < at0010 < at0010.1 < at1000. */
export function compareCodes(a: string, b: string): number {
  const parts = (code: string): number[] => code.replace(/^[a-z]+/, '').split('.').map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) {
      return d;
    }
  }
  return a.localeCompare(b);
}

function isPrefixPath(prefix: string, path: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

function childPath(parentPath: string, attributeName: string, node: FactNode): string {
  return `${parentPath}/${attributeName}${node.nodeId ? `[${node.nodeId}]` : ''}`;
}

/** Every node path of an archetype's facts, with the node and the attribute holding it. */
function indexPaths(node: FactNode, path: string, into: Map<string, { node: FactNode; attribute?: FactAttribute; parent?: FactNode }>): void {
  for (const attribute of node.attributes) {
    for (const child of attribute.children) {
      const p = childPath(path, attribute.name, child);
      into.set(p, { node: child, attribute, parent: node });
      indexPaths(child, p, into);
    }
  }
}

/**
 * Whether a slot admits an archetype: an include pattern matches it and no exclude pattern
 * does; an exclude of everything (`.*`) only closes the slot to what the includes do not name.
 */
function slotAdmits(slot: NonNullable<FactNode['slot']>, archetypeId: string): boolean {
  const matches = (pattern: string): boolean => new RegExp(`^(?:${pattern})$`).test(archetypeId);
  return slot.include.some(matches) && !slot.exclude.some((pattern) => pattern !== '.*' && matches(pattern));
}

function codePhrase(terminologyId: string, codeString: string): CodePhrase {
  return { terminologyId, codeString };
}

function primitive(rmTypeName: string, item: NonNullable<Extract<CObject, { kind: 'C_PRIMITIVE_OBJECT' }>['item']>): CObject {
  return { kind: 'C_PRIMITIVE_OBJECT', rmTypeName, nodeId: '', occurrences: ONE, item };
}

function single(rmAttributeName: string, children: CObject[], existence: Interval<number> = ONE): CAttribute {
  return { kind: 'C_SINGLE_ATTRIBUTE', rmAttributeName, existence, children };
}

function complex(rmTypeName: string, attributes: CAttribute[], nodeId = '', occurrences: Interval<number> = ONE): CComplexObject {
  return { kind: 'C_COMPLEX_OBJECT', rmTypeName, nodeId, occurrences, attributes };
}

function quantityItem(unit: QuantityUnit): QuantityItem {
  return { units: unit.units, ...(unit.magnitude ? { magnitude: unit.magnitude } : {}), ...(unit.precision ? { precision: unit.precision } : {}) };
}

/** The constraint objects of one data value alternative. */
export function valueObject(value: ValueConstraint): CObject {
  switch (value.kind) {
    case 'plain':
      return complex(value.rmType, []);
    case 'coded':
      return complex('DV_CODED_TEXT', [
        single('defining_code', [{ kind: 'C_CODE_PHRASE', rmTypeName: 'CODE_PHRASE', nodeId: '', occurrences: ONE, terminologyId: value.terminology, codeList: value.codes }]),
      ]);
    case 'quantity':
      return {
        kind: 'C_DV_QUANTITY',
        rmTypeName: 'DV_QUANTITY',
        nodeId: '',
        occurrences: ONE,
        ...(value.property ? { property: codePhrase('openehr', value.property) } : {}),
        list: value.units.map(quantityItem),
      };
    case 'count':
      return complex('DV_COUNT', value.magnitude ? [single('magnitude', [primitive('INTEGER', { type: 'C_INTEGER', range: value.magnitude })])] : []);
    case 'proportion': {
      const attributes: CAttribute[] = [];
      if (value.numerator) {
        attributes.push(single('numerator', [primitive('REAL', { type: 'C_REAL', range: value.numerator })]));
      }
      if (value.types) {
        attributes.push(single('type', [primitive('INTEGER', { type: 'C_INTEGER', list: value.types })]));
      }
      return complex('DV_PROPORTION', attributes);
    }
    case 'duration':
      return complex(
        'DV_DURATION',
        value.pattern || value.range ? [single('value', [primitive('DURATION', { type: 'C_DURATION', ...(value.pattern ? { pattern: value.pattern } : {}), ...(value.range ? { range: value.range } : {}) })])] : [],
      );
    case 'boolean':
      return complex('DV_BOOLEAN', value.trueValid && value.falseValid ? [] : [single('value', [primitive('BOOLEAN', { type: 'C_BOOLEAN', trueValid: value.trueValid, falseValid: value.falseValid })])]);
  }
}

function valueTypeName(value: ValueConstraint): string {
  switch (value.kind) {
    case 'plain':
      return value.rmType;
    case 'coded':
      return 'DV_CODED_TEXT';
    case 'quantity':
      return 'DV_QUANTITY';
    case 'count':
      return 'DV_COUNT';
    case 'proportion':
      return 'DV_PROPORTION';
    case 'duration':
      return 'DV_DURATION';
    case 'boolean':
      return 'DV_BOOLEAN';
  }
}

/** Whether a template's value alternative narrows (or equals) one of the archetype's. */
function conformsToAlternative(narrow: ValueConstraint, wide: ValueConstraint): boolean {
  const narrowType = valueTypeName(narrow);
  const wideType = valueTypeName(wide);
  if (wide.kind === 'plain') {
    return narrowType === wideType || isSubtypeOf(narrowType, wideType);
  }
  if (narrow.kind !== wide.kind) {
    return false;
  }
  if (narrow.kind === 'quantity' && wide.kind === 'quantity') {
    if (wide.units.length === 0) {
      return true;
    }
    return (
      narrow.units.length > 0 &&
      narrow.units.every((u) => {
        const match = wide.units.find((w) => w.units === u.units);
        return match !== undefined && (!match.magnitude || (u.magnitude !== undefined && isWithin(u.magnitude, match.magnitude)));
      })
    );
  }
  if (narrow.kind === 'coded' && wide.kind === 'coded') {
    return narrow.terminology === wide.terminology && (wide.codes.length === 0 || (narrow.codes.length > 0 && narrow.codes.every((c) => wide.codes.includes(c))));
  }
  if (narrow.kind === 'count' && wide.kind === 'count') {
    return !wide.magnitude || (narrow.magnitude !== undefined && isWithin(narrow.magnitude, wide.magnitude));
  }
  return JSON.stringify(narrow) === JSON.stringify(wide);
}

class ArchetypeBuilder {
  private readonly paths = new Map<string, { node: FactNode; attribute?: FactAttribute; parent?: FactNode }>();
  private readonly keepPaths: string[] | undefined;
  private readonly usedConstraints = new Set<string>();
  private readonly usedFills = new Set<string>();

  constructor(
    private readonly facts: ArchetypeFacts,
    private readonly use: ArchetypeUse,
    private readonly registry: ArchetypeRegistry,
  ) {
    indexPaths(facts.definition, '', this.paths);
    const fail = (what: string, path: string): never => this.fail(`${what} '${path}' is not a node of ${facts.archetypeId}`);
    for (const path of [...(use.keep ?? []), ...use.drop, ...use.constrain.keys()]) {
      if (!this.paths.has(path)) {
        fail('the path', path);
      }
    }
    for (const path of use.fill.keys()) {
      if (!this.paths.get(path)?.node.slot && !this.attributeFillTarget(path)) {
        this.fail(`'${path}' is neither a slot of ${facts.archetypeId} nor an attribute that can hold archetypes`);
      }
    }
    this.keepPaths = use.keep ? [...use.keep, ...use.fill.keys()] : undefined;
  }

  private fail(message: string): never {
    throw new AuthoringError(`${this.use.where}: ${message}`);
  }

  /** For a fill path that names an attribute (`/content`, `/items`): its owner's path and name. */
  private attributeFillTarget(path: string): { ownerPath: string; owner: FactNode; name: string } | undefined {
    const match = /^(.*)\/([a-z_]+)$/.exec(path);
    if (!match) {
      return undefined;
    }
    const ownerPath = match[1]!;
    const owner = ownerPath === '' ? this.facts.definition : this.paths.get(ownerPath)?.node;
    const rm = owner ? rmAttribute(owner.rmType, match[2]!) : undefined;
    if (!owner || !rm || !rm.multiple || !/^(CONTENT_ITEM|ITEM|ENTRY|CARE_ENTRY)$/.test(rm.type)) {
      return undefined;
    }
    return { ownerPath, owner, name: match[2]! };
  }

  /**
   * A node stays when it is not dropped and either `keep` is missing, a kept path runs
   * through or below it, or it has no at-code (the data value of COMPOSITION.category, an
   * EVENT_CONTEXT): such a node is part of its parent's structure and stays with it.
   */
  private isKept(path: string, node: FactNode): boolean {
    if (this.use.drop.some((d) => isPrefixPath(d, path))) {
      return false;
    }
    return this.keepPaths === undefined || node.nodeId === '' || this.keepPaths.some((k) => isPrefixPath(path, k) || isPrefixPath(k, path));
  }

  build(conceptAsNodeId: string, occurrences: Interval<number>): CArchetypeRoot {
    const root = this.buildComplex(this.facts.definition, '', occurrences);
    for (const path of this.use.constrain.keys()) {
      if (!this.usedConstraints.has(path)) {
        this.fail(`the constraint on '${path}' applies to a node the template removes`);
      }
    }
    for (const path of this.use.fill.keys()) {
      if (!this.usedFills.has(path)) {
        this.fail(`the fill of '${path}' lands on a node the template removes`);
      }
    }
    const language: Record<string, ArchetypeTerm> = {};
    for (const code of [...this.facts.terms.keys()].sort(compareCodes)) {
      const term = this.facts.terms.get(code)!;
      language[code] = { text: term.text, description: term.description, ...(term.comment ? { other: { comment: term.comment } } : {}) };
    }
    const bindings: Record<string, Record<string, CodePhrase>> = {};
    for (const code of [...this.facts.bindings.keys()].sort(compareCodes)) {
      for (const [terminology, value] of this.facts.bindings.get(code)!) {
        (bindings[terminology] ??= {})[code] = codePhrase(terminology, value);
      }
    }
    const sortedBindings: Record<string, Record<string, CodePhrase>> = {};
    for (const terminology of Object.keys(bindings).sort()) {
      sortedBindings[terminology] = bindings[terminology]!;
    }
    return {
      kind: 'C_ARCHETYPE_ROOT',
      rmTypeName: this.facts.rmType,
      nodeId: conceptAsNodeId,
      occurrences: root.occurrences,
      archetypeId: this.facts.archetypeId,
      attributes: root.attributes,
      termDefinitions: { en: language },
      termBindings: sortedBindings as TermBindings,
    };
  }

  private narrowing(path: string): Narrowing | undefined {
    const narrowing = this.use.constrain.get(path);
    if (narrowing) {
      this.usedConstraints.add(path);
    }
    return narrowing;
  }

  private buildComplex(node: FactNode, path: string, occurrences: Interval<number>): CComplexObject {
    const attributes: CAttribute[] = [];
    const stated = new Set(node.attributes.map((a) => a.name));
    for (const attribute of node.attributes) {
      const built = this.buildAttribute(node, attribute, path);
      if (built) {
        attributes.push(built);
      }
    }
    for (const [fillPath, uses] of this.use.fill) {
      const target = this.attributeFillTarget(fillPath);
      if (target && target.ownerPath === path && !stated.has(target.name)) {
        this.usedFills.add(fillPath);
        const rm = rmAttribute(node.rmType, target.name)!;
        attributes.push({
          kind: 'C_MULTIPLE_ATTRIBUTE',
          rmAttributeName: target.name,
          existence: rm.mandatory ? ONE : OPTIONAL,
          cardinality: { isOrdered: false, isUnique: false, interval: ANY_NUMBER },
          children: uses.map((u) => this.buildFiller(u, rm.type, undefined)),
        });
      }
    }
    return complex(node.rmType, attributes, node.nodeId, occurrences);
  }

  private buildAttribute(owner: FactNode, attribute: FactAttribute, ownerPath: string): CAttribute | undefined {
    const rm = rmAttribute(owner.rmType, attribute.name)!;
    const children: CObject[] = [];
    let existence = attribute.existence ?? (rm.mandatory ? ONE : OPTIONAL);
    for (const child of attribute.children) {
      const path = childPath(ownerPath, attribute.name, child);
      const fills = this.use.fill.get(path);
      if (child.slot && fills) {
        this.usedFills.add(path);
        for (const fill of fills) {
          children.push(this.buildFiller(fill, child.rmType, child));
        }
        continue;
      }
      if (!this.isKept(path, child)) {
        if (rm.multiple && child.occurrences.lower !== undefined && child.occurrences.lower > 0 && !child.slot) {
          this.fail(`${child.rmType}[${child.nodeId}] at '${path}' is mandatory in ${this.facts.archetypeId} and cannot be removed`);
        }
        continue;
      }
      const narrowing = this.narrowing(path);
      if (narrowing?.existence) {
        if (!isWithin(narrowing.existence, existence)) {
          this.fail(`existence ${formatInterval(narrowing.existence)} of '${ownerPath}/${attribute.name}' is wider than ${formatInterval(existence)}`);
        }
        existence = narrowing.existence;
      }
      const occurrences = narrowing?.occurrences ?? child.occurrences;
      if (!isWithin(occurrences, child.occurrences)) {
        this.fail(`occurrences ${formatInterval(occurrences)} of '${path}' are wider than the archetype's ${formatInterval(child.occurrences)}`);
      }
      children.push(child.slot ? this.slotObject(child, occurrences) : this.buildNode(child, path, occurrences, narrowing));
    }
    const attributePath = `${ownerPath}/${attribute.name}`;
    const attributeFills = this.use.fill.get(attributePath);
    if (attributeFills && this.attributeFillTarget(attributePath)) {
      this.usedFills.add(attributePath);
      children.push(...attributeFills.map((u) => this.buildFiller(u, rm.type, undefined)));
    }
    if (children.length === 0) {
      if (attribute.children.length === 0) {
        return rm.multiple
          ? { kind: 'C_MULTIPLE_ATTRIBUTE', rmAttributeName: attribute.name, existence, cardinality: { isOrdered: attribute.ordered, isUnique: false, interval: attribute.cardinality ?? ANY_NUMBER }, children }
          : single(attribute.name, children, existence);
      }
      if (rm.mandatory || (existence.lower ?? 0) > 0) {
        this.fail(`every node of the mandatory attribute '${ownerPath}/${attribute.name}' was removed`);
      }
      if (rm.multiple) {
        this.fail(`every node of '${ownerPath}/${attribute.name}' was removed: remove '${ownerPath}' instead`);
      }
      return single(attribute.name, [], NONE);
    }
    if (rm.multiple) {
      return {
        kind: 'C_MULTIPLE_ATTRIBUTE',
        rmAttributeName: attribute.name,
        existence,
        cardinality: { isOrdered: attribute.ordered, isUnique: false, interval: attribute.cardinality ?? ANY_NUMBER },
        children,
      };
    }
    return single(attribute.name, children, existence);
  }

  private slotObject(node: FactNode, occurrences: Interval<number>): ArchetypeSlot {
    const assertion = (pattern: string): { expression: string; archetypeIdPattern: string } => ({ expression: `archetype_id/value matches {/${pattern}/}`, archetypeIdPattern: pattern });
    return {
      kind: 'ARCHETYPE_SLOT',
      rmTypeName: node.rmType,
      nodeId: node.nodeId,
      occurrences,
      includes: node.slot!.include.map(assertion),
      excludes: node.slot!.exclude.map(assertion),
    };
  }

  private buildNode(node: FactNode, path: string, occurrences: Interval<number>, narrowing: Narrowing | undefined): CObject {
    if (node.dataValue) {
      if (narrowing) {
        this.fail(`'${path}' is a data value of the archetype; the template cannot narrow it`);
      }
      return valueObject(node.dataValue);
    }
    if (node.rmType !== 'ELEMENT') {
      if (narrowing?.value || narrowing?.units || narrowing?.codes) {
        this.fail(`'${path}' is a ${node.rmType}: only an ELEMENT's value can be narrowed`);
      }
      return this.buildComplex(node, path, occurrences);
    }
    let alternatives = node.value;
    if (narrowing?.value) {
      for (const value of narrowing.value) {
        if (alternatives && !alternatives.some((a) => conformsToAlternative(value, a))) {
          this.fail(`the value ${valueTypeName(value)} set at '${path}' does not narrow any of the archetype's (${alternatives.map(valueTypeName).join(', ')})`);
        }
      }
      alternatives = narrowing.value;
    }
    if (narrowing?.units) {
      const units = narrowing.units;
      const quantity = alternatives?.find((a) => a.kind === 'quantity');
      if (!quantity || quantity.kind !== 'quantity') {
        this.fail(`'${path}' has no DV_QUANTITY value whose units could be narrowed`);
      }
      for (const u of units) {
        if (!quantity.units.some((q) => q.units === u)) {
          this.fail(`'${path}' does not allow the units '${u}' (it allows ${quantity.units.map((q) => q.units).join(', ')})`);
        }
      }
      alternatives = alternatives!.map((a) => (a === quantity ? { ...quantity, units: quantity.units.filter((q) => units.includes(q.units)) } : a));
    }
    if (narrowing?.codes) {
      const codes = narrowing.codes;
      const coded = alternatives?.find((a) => a.kind === 'coded');
      if (!coded || coded.kind !== 'coded') {
        this.fail(`'${path}' has no coded value whose codes could be narrowed`);
      }
      for (const c of codes) {
        if (!coded.codes.includes(c)) {
          this.fail(`'${path}' does not allow the code '${c}'`);
        }
      }
      alternatives = alternatives!.map((a) => (a === coded ? { ...coded, codes: coded.codes.filter((c) => codes.includes(c)) } : a));
    }
    const attributes = alternatives ? [single('value', alternatives.map(valueObject), OPTIONAL)] : [];
    return complex('ELEMENT', attributes, node.nodeId, occurrences);
  }

  private buildFiller(use: ArchetypeUse, expectedType: string, slot: FactNode | undefined): CArchetypeRoot {
    const facts = this.registry.get(use.archetypeId) ?? this.fail(`no facts for ${use.archetypeId} under archetypes/`);
    if (facts.rmType !== expectedType && !isSubtypeOf(facts.rmType, expectedType)) {
      this.fail(`${use.archetypeId} is a ${facts.rmType}; this place holds ${expectedType}`);
    }
    const defaultOccurrences = slot?.occurrences ?? ANY_NUMBER;
    const occurrences = use.occurrences ?? defaultOccurrences;
    if (slot) {
      const admitted = slotAdmits(slot.slot!, use.archetypeId);
      if (!admitted && !use.outsideSlot) {
        this.fail(`the slot ${slot.rmType}[${slot.nodeId}] of ${this.facts.archetypeId} does not admit ${use.archetypeId} (it includes ${slot.slot!.include.join(' | ')})`);
      }
      if (admitted && use.outsideSlot) {
        this.fail(`outside_slot is set for ${use.archetypeId}, but the slot ${slot.rmType}[${slot.nodeId}] admits it`);
      }
      if (!isWithin(occurrences, slot.occurrences)) {
        this.fail(`occurrences ${formatInterval(occurrences)} of ${use.archetypeId} are wider than its slot's ${formatInterval(slot.occurrences)}`);
      }
    }
    return new ArchetypeBuilder(facts, use, this.registry).build(facts.conceptCode, occurrences);
  }
}

/** Builds the operational template a description asks for. */
export function buildTemplate(spec: TemplateSpec, registry: ArchetypeRegistry): OperationalTemplate {
  const facts = registry.get(spec.root.archetypeId) ?? (() => {
    throw new AuthoringError(`${spec.root.where}: no facts for ${spec.root.archetypeId} under archetypes/`);
  })();
  if (facts.rmType !== 'COMPOSITION') {
    throw new AuthoringError(`${spec.root.where}: a template's root archetype is a COMPOSITION, ${facts.archetypeId} is a ${facts.rmType}`);
  }
  const definition = new ArchetypeBuilder(facts, spec.root, registry).build(facts.conceptCode, ONE);
  return {
    formatVersion: TEMPLATE_FORMAT_VERSION,
    templateId: spec.templateId,
    concept: spec.concept,
    language: spec.language,
    languages: [spec.language],
    description: {
      originalAuthor: spec.author,
      lifecycleState: spec.lifecycleState,
      otherDetails: {},
      details: {
        [spec.language]: {
          purpose: spec.purpose,
          ...(spec.use ? { use: spec.use } : {}),
          ...(spec.misuse ? { misuse: spec.misuse } : {}),
          ...(spec.keywords.length > 0 ? { keywords: spec.keywords } : {}),
        },
      },
    },
    definition,
    annotations: {},
  };
}
