/**
 * First pass of the web template: one draft node for every constraint object of the
 * template (and for the RM attributes a composition must or may carry), with names,
 * localisations, inputs and AQL paths. `simplify.ts` then removes what the web template
 * does not show.
 */
import type { CArchetypeRoot, CCodePhrase, CComplex, CObject, OperationalTemplate } from '../opt/model.js';
import { isComplex } from '../opt/model.js';
import { resolveInternalRef } from '../opt/internal-refs.js';
import { allAttributes, isLocatableType, isSubtypeOf } from '../rm/rm-model.js';
import { groupForAttributeName, openEhrGroup, openEhrRubric } from '../terminology/openehr-terminology.js';
import { idOf, makeIdsUnique, pathOf, rebase, type DraftNode, type PathStep } from './draft-node.js';
import { finishInput, input, inputsForType, ordinalInput, primitiveInput, quantityInputs, type InputDraft } from './inputs.js';
import type { WebTemplateInputValue } from './model.js';
import { nodeIdFromName } from './node-ids.js';

interface Name {
  readonly label: string;
  readonly localized: Readonly<Record<string, string>>;
}

/** Data value types an unconstrained ELEMENT may hold, in the order the web template lists them. */
const ANY_VALUE_TYPES = [
  'DV_TEXT',
  'DV_CODED_TEXT',
  'DV_MULTIMEDIA',
  'DV_PARSABLE',
  'DV_STATE',
  'DV_BOOLEAN',
  'DV_IDENTIFIER',
  'DV_URI',
  'DV_EHR_URI',
  'DV_DURATION',
  'DV_QUANTITY',
  'DV_COUNT',
  'DV_PROPORTION',
  'DV_DATE_TIME',
  'DV_TIME',
  'DV_ORDINAL',
  'DV_DATE',
] as const;

/** RM attributes shown "in context": filled from the composition's context rather than by a form. */
const CONTEXT_ATTRIBUTES: readonly [string, readonly string[]][] = [
  ['LOCATABLE', ['language']],
  ['ACTION', ['time']],
  ['ACTIVITY', ['timing', 'action_archetype_id']],
  ['INSTRUCTION', ['narrative']],
  ['ISM_TRANSITION', ['current_state', 'careflow_step', 'transition']],
  ['HISTORY', ['origin']],
  ['EVENT', ['time']],
  ['ENTRY', ['language', 'provider', 'other_participations', 'subject', 'encoding']],
  ['EVENT_CONTEXT', ['start_time', 'end_time', 'location', 'setting', 'health_care_facility', 'participations']],
  ['COMPOSITION', ['language', 'territory', 'composer', 'category']],
];

const PRIMITIVE_TYPE_NAMES: Readonly<Record<string, string>> = { String: 'STRING', Boolean: 'BOOLEAN', Integer: 'LONG', Real: 'DOUBLE' };

/** The id of one alternative of a choice of data value types: `quantity_value`, `interval_of_count_value`. */
export function choiceId(rmType: string): string {
  const interval = /^DV_INTERVAL<DV_([A-Z_]+)>$/.exec(rmType);
  if (interval) {
    return `interval_of_${interval[1]!.toLowerCase()}_value`;
  }
  return `${rmType.replace(/^DV_/, '').toLowerCase()}_value`;
}

function isPathable(rmType: string): boolean {
  return isSubtypeOf(rmType, 'PATHABLE') || isSubtypeOf(rmType, 'DV_INTERVAL');
}

export class TreeBuilder {
  private readonly language: string;
  private readonly annotations: ReadonlyMap<string, Readonly<Record<string, string>>>;

  constructor(
    private readonly template: OperationalTemplate,
    language: string,
  ) {
    this.language = language;
    const annotations = new Map<string, Readonly<Record<string, string>>>();
    for (const [path, items] of Object.entries(template.annotations)) {
      annotations.set(path.replace(/^\[[^\]]*\]/, ''), items);
    }
    this.annotations = annotations;
  }

  build(): DraftNode {
    const root = this.buildObject(this.template.definition, [], undefined, this.template.definition)[0];
    if (!root) {
      throw new Error('the template definition gave no web template node');
    }
    return root;
  }

  private buildObject(object: CObject, parentPath: readonly PathStep[], attribute: string | undefined, archetype: CArchetypeRoot): DraftNode[] {
    const withId = (id: string | undefined): PathStep[] => {
      const last = parentPath[parentPath.length - 1];
      if (!last || !id) {
        return [...parentPath];
      }
      return [...parentPath.slice(0, -1), { attribute: last.attribute, nodeId: id }];
    };
    switch (object.kind) {
      case 'C_ARCHETYPE_ROOT': {
        const nodes = this.buildComplex(object, withId(object.archetypeId), attribute, object);
        for (const node of nodes) {
          node.nodeId = object.archetypeId;
        }
        return nodes;
      }
      case 'C_COMPLEX_OBJECT':
        return this.buildComplex(object, withId(isLocatableType(object.rmTypeName) ? object.nodeId : undefined), attribute, archetype);
      case 'C_DV_QUANTITY': {
        const node = this.baseNode(object, attribute, archetype, undefined, withId(undefined));
        node.inputs = quantityInputs(object, (units) => this.localizedTerm(archetype, units));
        this.applyDefault(node, object.defaultValue);
        return [node];
      }
      case 'C_DV_ORDINAL':
      case 'C_DV_SCALE': {
        const node = this.baseNode(object, attribute, archetype, undefined, withId(undefined));
        node.inputs = [ordinalInput(object, (code) => this.describeCode(archetype, code, true))];
        return [node];
      }
      case 'C_CODE_PHRASE': {
        const node = this.baseNode(object, attribute, archetype, undefined, withId(undefined));
        node.inputs = this.codePhraseInputs(object, archetype, parentPath);
        return [node];
      }
      case 'ARCHETYPE_SLOT': {
        const node = this.baseNode(object, attribute, archetype, undefined, withId(object.nodeId));
        node.slot = true;
        return [node];
      }
      case 'ARCHETYPE_INTERNAL_REF': {
        const target = resolveInternalRef(object, archetype, this.template.definition);
        if (!target) {
          return [];
        }
        return this.buildObject({ ...target, occurrences: object.occurrences } as CObject, parentPath, attribute, archetype);
      }
      case 'CONSTRAINT_REF':
      case 'C_PRIMITIVE_OBJECT':
        return [];
    }
  }

  /** Names the template fixes for a node: one or more labels with their translations. */
  private explicitNames(object: CComplex, archetype: CArchetypeRoot): Name[] {
    const nameAttribute = object.attributes.find((a) => a.rmAttributeName === 'name');
    if (!nameAttribute || nameAttribute.children.length !== 1) {
      return [];
    }
    const alternative = nameAttribute.children[0]!;
    if (!isComplex(alternative)) {
      return [];
    }
    const names: Name[] = [];
    for (const attribute of alternative.attributes) {
      for (const child of attribute.children) {
        if (attribute.rmAttributeName === 'value' && child.kind === 'C_PRIMITIVE_OBJECT' && child.item?.type === 'C_STRING') {
          for (const value of child.item.list ?? []) {
            names.push({ label: value, localized: {} });
          }
        }
        if (attribute.rmAttributeName === 'defining_code' && child.kind === 'C_CODE_PHRASE') {
          const local = child.terminologyId === undefined || child.terminologyId === 'local';
          for (const code of child.codeList) {
            const labels = local ? this.localizedTerm(archetype, code) : {};
            const label = labels[this.language];
            if (label !== undefined) {
              names.push({ label, localized: labels });
            }
          }
        }
      }
    }
    return names;
  }

  private buildComplex(object: CComplex, path: PathStep[], attribute: string | undefined, archetype: CArchetypeRoot): DraftNode[] {
    const names = this.explicitNames(object, archetype);
    const variants: (Name | undefined)[] = names.length > 1 ? names : [names[0]];
    return variants.map((name) => {
      let nodePath = path;
      if (name && object.nodeId && nodePath.length > 0) {
        const last = nodePath[nodePath.length - 1]!;
        nodePath = [...nodePath.slice(0, -1), { ...last, name: name.label }];
      }
      const node = this.baseNode(object, attribute, archetype, name, nodePath);
      this.addAnnotations(node);
      this.buildChildren(object, node, archetype);
      return node;
    });
  }

  private baseNode(object: CObject, attribute: string | undefined, archetype: CArchetypeRoot, name: Name | undefined, path: PathStep[]): DraftNode {
    const occurrences = object.occurrences;
    const node: DraftNode = {
      baseId: '',
      name: '',
      rmType: object.rmTypeName,
      min: occurrences.lower ?? -1,
      max: occurrences.upper ?? -1,
      localizedNames: {},
      localizedDescriptions: {},
      path,
      inputs: [],
      cardinalities: [],
      children: [],
    };
    const terms = object.kind === 'C_ARCHETYPE_ROOT' ? object : archetype;
    const nodeId = isLocatableType(object.rmTypeName) || object.kind === 'ARCHETYPE_SLOT' ? object.nodeId : '';
    if (nodeId) {
      const localized = this.localizedTerm(terms, nodeId);
      const label = name?.label ?? localized[this.language] ?? nodeId;
      node.name = label;
      node.baseId = nodeIdFromName(label);
      node.nodeId = nodeId;
      node.localizedName = label;
      node.localizedNames = name ? { ...name.localized } : localized;
      node.localizedNames[this.language] = label;
      node.localizedDescriptions = this.localizedDescription(terms, nodeId);
      const other = terms.termDefinitions[this.language]?.[nodeId]?.other;
      if (other) {
        node.annotations = { ...other };
      }
      const bindings = this.termBindings(terms, nodeId);
      if (bindings) {
        node.termBindings = bindings;
      }
    } else {
      const label = attribute ?? object.rmTypeName;
      node.name = label;
      node.baseId = nodeIdFromName(label);
      node.localizedName = label;
    }
    return node;
  }

  private addAnnotations(node: DraftNode): void {
    const items = this.annotations.get(pathOf(node));
    if (items) {
      node.annotations = { ...node.annotations, ...items };
    }
  }

  private buildChildren(object: CComplex, node: DraftNode, archetype: CArchetypeRoot): void {
    const templateInputs = new Map<string, InputDraft>();
    for (const attribute of object.attributes) {
      if (attribute.rmAttributeName === 'name') {
        continue;
      }
      const attributePath: PathStep[] = [...node.path, { attribute: attribute.rmAttributeName }];
      const children: DraftNode[] = [];
      for (const child of attribute.children) {
        if (child.kind === 'C_PRIMITIVE_OBJECT') {
          templateInputs.set(attribute.rmAttributeName, primitiveInput(child));
          continue;
        }
        const built = this.buildObject(child, attributePath, attribute.rmAttributeName, archetype);
        if (child.kind === 'ARCHETYPE_SLOT') {
          built.forEach((b) => (b.slot = true));
        }
        children.push(...built);
      }
      if (node.rmType === 'ACTION' && attribute.rmAttributeName === 'ism_transition') {
        const merged = this.mergeIsmTransitions(node, children);
        if (merged) {
          node.children.push(merged);
        }
      }
      if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE') {
        const interval = attribute.cardinality.interval;
        const min = interval.lower;
        const max = interval.upper ?? -1;
        const paths = new Set(children.map((c) => pathOf(c)));
        if ((min !== undefined && min > 1) || max !== -1) {
          const ids = children.filter((c) => paths.has(pathOf(c))).map((c) => c.baseId);
          if ((min !== undefined && min > 1) || max < ids.length) {
            node.cardinalities.push({ ...(min !== undefined ? { min } : {}), max, ids });
          }
        }
      }
      this.nameSiblingsWithSharedPaths(children);
      node.children.push(...children);
    }

    this.renameChoices(node);
    if (node.rmType === 'ELEMENT') {
      this.completeElement(node, templateInputs);
    }
    if (node.rmType === 'DV_CODED_TEXT') {
      const codePhrase = findFirst(node, (n) => n.rmType === 'CODE_PHRASE');
      node.inputs.push(...(codePhrase ? codePhrase.inputs.map((i) => ({ ...i })) : [input('TEXT', 'value'), input('TEXT', 'code')]));
    }
    this.addRmAttributes(node);
    if (node.inputs.length === 0) {
      const { inputs, proportionTypes } = inputsForType(node.rmType, templateInputs);
      node.inputs = inputs;
      if (proportionTypes) {
        node.proportionTypes = proportionTypes;
      }
    }
    this.applyDefault(node, object.defaultValue);
    makeIdsUnique(node);
    for (const child of node.children) {
      this.markInContext(node, child);
    }
  }

  /** Siblings that share a path once names are ignored get their name into the path. */
  private nameSiblingsWithSharedPaths(children: DraftNode[]): void {
    for (const child of children) {
      const last = child.path[child.path.length - 1];
      if (!last || last.name !== undefined || !last.nodeId) {
        continue;
      }
      const own = pathOf(child);
      const clash = children.some((other) => other !== child && pathOf(other) !== own && pathOf(other, false) === pathOf(child, false));
      if (clash) {
        const depth = child.path.length;
        rebase(child, depth, [...child.path.slice(0, -1), { ...last, name: child.name }]);
      }
    }
  }

  /** Data value alternatives at one path are told apart by type: `quantity_value`, `count_value`... */
  private renameChoices(node: DraftNode): void {
    const byPath = new Map<string, DraftNode[]>();
    for (const child of node.children) {
      const key = pathOf(child);
      byPath.set(key, [...(byPath.get(key) ?? []), child]);
    }
    for (const group of byPath.values()) {
      if (group.length > 1) {
        for (const child of group) {
          if (child.rmType.startsWith('DV_')) {
            child.baseId = choiceId(child.rmType);
          }
        }
      }
    }
  }

  private completeElement(node: DraftNode, templateInputs: ReadonlyMap<string, InputDraft>): void {
    if (node.children.length === 0) {
      for (const rmType of ANY_VALUE_TYPES) {
        const { inputs, proportionTypes } = inputsForType(rmType, templateInputs);
        node.children.push({
          baseId: choiceId(rmType),
          name: node.name,
          ...(node.localizedName !== undefined ? { localizedName: node.localizedName } : {}),
          rmType,
          min: 0,
          max: 1,
          localizedNames: { ...node.localizedNames },
          localizedDescriptions: { ...node.localizedDescriptions },
          path: [...node.path, { attribute: 'value' }],
          inputs,
          inContext: true,
          cardinalities: [],
          children: [],
          ...(proportionTypes ? { proportionTypes } : {}),
        });
      }
      return;
    }
    const values = trueElementChildren(node);
    for (const value of values) {
      if (node.nodeId !== undefined) {
        value.nodeId = node.nodeId;
      }
      if (node.annotations) {
        value.annotations = node.annotations;
      } else {
        delete value.annotations;
      }
      value.name = node.name;
      if (node.localizedName !== undefined) {
        value.localizedName = node.localizedName;
      }
      value.localizedNames = { ...value.localizedNames, ...node.localizedNames };
      value.localizedDescriptions = { ...value.localizedDescriptions, ...node.localizedDescriptions };
      if (node.termBindings) {
        value.termBindings = node.termBindings;
      }
    }
    const hasChoices = new Set(node.children.map((c) => pathOf(c))).size < node.children.length;
    if (values.length !== 1 && !hasChoices) {
      for (const value of values) {
        if (value.rmType.startsWith('DV_')) {
          value.baseId = choiceId(value.rmType);
        }
      }
    }
  }

  private addRmAttributes(node: DraftNode): void {
    if (!isPathable(node.rmType)) {
      return;
    }
    const isElement = node.rmType === 'ELEMENT';
    const isInterval = isSubtypeOf(node.rmType, 'DV_INTERVAL');
    for (const attribute of allAttributes(node.rmType)) {
      if (attribute.name === 'value' || (isElement && !['name', 'feeder_audit', 'null_flavour'].includes(attribute.name))) {
        continue;
      }
      if (isLocatableType(attribute.type) || (isInterval && attribute.name === 'interval')) {
        continue;
      }
      const id = nodeIdFromName(attribute.name);
      if (node.children.some((c) => idOf(c) === id)) {
        continue;
      }
      const rmType = PRIMITIVE_TYPE_NAMES[attribute.type] ?? (isInterval && (attribute.name === 'lower' || attribute.name === 'upper') ? 'DV_ORDERED' : attribute.type);
      const child: DraftNode = {
        baseId: id,
        name: attribute.name,
        rmType,
        min: attribute.mandatory || attribute.name === 'action_archetype_id' || attribute.name === 'math_function' ? 1 : 0,
        max: attribute.multiple ? -1 : 1,
        localizedNames: {},
        localizedDescriptions: {},
        path: [...node.path, { attribute: attribute.name }],
        inputs: [],
        cardinalities: [],
        children: [],
      };
      const { inputs, proportionTypes } = inputsForType(rmType, new Map());
      child.inputs = inputs;
      if (proportionTypes) {
        child.proportionTypes = proportionTypes;
      }
      this.addRmAttributes(child);
      node.children.push(child);
    }
  }

  private markInContext(parent: DraftNode, child: DraftNode): void {
    for (const [type, attributes] of CONTEXT_ATTRIBUTES) {
      if (isSubtypeOf(parent.rmType, type) && attributes.includes(idOf(child))) {
        child.inContext = true;
      }
    }
  }

  /**
   * An ACTION's ISM_TRANSITION alternatives (one per careflow step) become one
   * `ism_transition` node whose careflow_step lists every step with its allowed states.
   */
  private mergeIsmTransitions(action: DraftNode, alternatives: readonly DraftNode[]): DraftNode | undefined {
    const transitions = alternatives.filter((a) => a.rmType === 'ISM_TRANSITION');
    const first = transitions[0];
    if (!first) {
      return undefined;
    }
    const path = [...action.path, { attribute: 'ism_transition' }];
    const stepProto = first.children.find((c) => c.baseId === 'careflow_step');
    const stateProto = first.children.find((c) => c.baseId === 'current_state');
    const steps: WebTemplateInputValue[] = [];
    const states: WebTemplateInputValue[] = [];
    for (const transition of transitions) {
      const stateValues = transition.children.find((c) => c.baseId === 'current_state')?.inputs[0]?.list ?? [];
      for (const state of stateValues) {
        if (!states.some((s) => s.value === state.value)) {
          states.push(state);
        }
      }
      for (const step of transition.children.find((c) => c.baseId === 'careflow_step')?.inputs[0]?.list ?? []) {
        steps.push({ ...step, currentStates: stateValues.map((v) => v.value) });
      }
    }
    const coded = (id: string, proto: DraftNode | undefined, terminology: string, list: WebTemplateInputValue[], label: string): DraftNode => ({
      baseId: id,
      name: label,
      rmType: 'DV_CODED_TEXT',
      min: proto?.min ?? 1,
      max: proto?.min ?? 1,
      localizedNames: {},
      localizedDescriptions: {},
      path: [...path, { attribute: id }],
      inputs: [{ suffix: 'code', type: 'CODED_TEXT', terminology, list }],
      inContext: true,
      cardinalities: [],
      children: [],
    });
    const merged: DraftNode = {
      baseId: 'ism_transition',
      name: 'ism_transition',
      rmType: 'ISM_TRANSITION',
      min: first.min,
      max: first.max,
      localizedNames: {},
      localizedDescriptions: {},
      path,
      inputs: [],
      inContext: true,
      cardinalities: [],
      children: [coded('careflow_step', stepProto, 'local', steps, 'Careflow_step'), coded('current_state', stateProto, 'openehr', states, 'Current_state')],
    };
    const transition = first.children.find((c) => c.baseId === 'transition');
    if (transition) {
      merged.children.push({ ...transition, path: [...path, { attribute: 'transition' }], inContext: true });
    }
    return merged;
  }

  private codePhraseInputs(object: CCodePhrase, archetype: CArchetypeRoot, parentPath: readonly PathStep[]): InputDraft[] {
    const code: InputDraft = input('TEXT', 'code');
    if (object.assumedValue) {
      code.defaultValue = object.assumedValue.codeString;
    }
    if (object.terminologyId !== undefined && object.terminologyId !== 'local') {
      code.terminology = object.terminologyId;
    }
    const values: WebTemplateInputValue[] = [];
    if (object.terminologyId === 'openehr') {
      const owner = parentPath[parentPath.length - 2];
      for (const value of object.codeList) {
        const label = openEhrRubric(value) ?? value;
        values.push({ value, label, localizedLabels: { [this.language]: label } });
      }
      if (object.codeList.length === 0 && owner) {
        const group = groupForAttributeName(owner.attribute);
        if (group) {
          for (const [value, label] of Object.entries(openEhrGroup(group))) {
            values.push({ value, label, localizedLabels: { [this.language]: label } });
          }
        }
      }
    } else {
      const terminology = object.terminologyId;
      for (const value of object.codeList) {
        const keys = terminology === undefined || terminology === 'local' ? [value] : [`${terminology}::${value}`, value];
        const key = keys.find((k) => this.describeCode(archetype, k, false).label !== undefined);
        if (key !== undefined) {
          values.push({ value, ...this.describeCode(archetype, key, false) });
        }
      }
    }
    if (values.length > 0) {
      code.type = 'CODED_TEXT';
      code.list = values;
      return [code];
    }
    const text = input('TEXT', 'value');
    if (object.terminologyId !== undefined) {
      text.terminology = object.terminologyId;
    }
    return [code, text];
  }

  private applyDefault(node: DraftNode, value: unknown): void {
    if (value === undefined || value === null || typeof value !== 'object') {
      return;
    }
    const v = value as Record<string, unknown>;
    const set = (suffix: string | undefined, text: unknown): void => {
      if (text === undefined || text === null) {
        return;
      }
      const target = node.inputs.find((i) => i.suffix === suffix) ?? (suffix === undefined ? undefined : node.inputs.find((i) => i.suffix === undefined));
      if (target) {
        target.defaultValue = String(text);
      }
    };
    const definingCode = v.defining_code as Record<string, unknown> | undefined;
    if (definingCode) {
      set('code', definingCode.code_string);
      return;
    }
    if ('magnitude' in v) {
      set('magnitude', v.magnitude);
      set('unit', v.units);
      return;
    }
    set(undefined, v.value);
    set('value', v.value);
  }

  private localizedTerm(archetype: CArchetypeRoot, code: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [language, terms] of Object.entries(archetype.termDefinitions)) {
      const term = terms[code];
      if (term) {
        result[language] = term.text;
      }
    }
    return result;
  }

  private localizedDescription(archetype: CArchetypeRoot, code: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [language, terms] of Object.entries(archetype.termDefinitions)) {
      const term = terms[code];
      if (term) {
        result[language] = term.description ?? term.text;
      }
    }
    return result;
  }

  private termBindings(archetype: CArchetypeRoot, code: string): Record<string, { value: string; terminologyId: string }> | undefined {
    let result: Record<string, { value: string; terminologyId: string }> | undefined;
    for (const [terminology, codes] of Object.entries(archetype.termBindings)) {
      const bound = codes[code];
      if (bound) {
        result ??= {};
        result[terminology] = { value: bound.codeString, terminologyId: bound.terminologyId };
      }
    }
    return result;
  }

  /** Label, translations, descriptions and bindings of a local code. */
  private describeCode(archetype: CArchetypeRoot, code: string, ordinal: boolean): Omit<WebTemplateInputValue, 'value'> {
    const labels = this.localizedTerm(archetype, code);
    const descriptions: Record<string, string> = {};
    for (const [language, terms] of Object.entries(archetype.termDefinitions)) {
      const description = terms[code]?.description;
      if (description !== undefined && (ordinal || description.trim().length > 0)) {
        descriptions[language] = description;
      }
    }
    if (descriptions[this.language] === undefined) {
      descriptions[this.language] = '';
    }
    const bindings = this.termBindings(archetype, code);
    const label = labels[this.language];
    return {
      ...(label !== undefined ? { label } : {}),
      localizedLabels: labels,
      localizedDescriptions: descriptions,
      ...(bindings ? { termBindings: bindings } : {}),
    };
  }
}

/** An ELEMENT's value children (not its name, nor an optional null_flavour or feeder_audit). */
export function trueElementChildren(node: DraftNode): DraftNode[] {
  if (node.rmType !== 'ELEMENT') {
    return [];
  }
  return node.children.filter((c) => c.name !== 'name' && (!['null_flavour', 'feeder_audit'].includes(c.name) || c.min !== 0));
}

function findFirst(node: DraftNode, predicate: (n: DraftNode) => boolean): DraftNode | undefined {
  for (const child of node.children) {
    const found = findFirst(child, predicate);
    if (found) {
      return found;
    }
  }
  return predicate(node) ? node : undefined;
}

export { finishInput };
