/**
 * Parses the constraint objects of an OPT definition (C_COMPLEX_OBJECT, C_ARCHETYPE_ROOT,
 * C_ATTRIBUTE, slots, references, primitive and domain-type constraints).
 */
import type {
  ArchetypeSlot,
  ArchetypeTerm,
  CArchetypeRoot,
  CAttribute,
  CCodePhrase,
  CDvOrdinal,
  CDvQuantity,
  CObject,
  CodePhrase,
  CPrimitive,
  CPrimitiveObject,
  Interval,
  OrdinalItem,
  QuantityItem,
  SlotAssertion,
  TermBindings,
  TermDefinitions,
  ValidityKind,
} from './model.js';
import { OptNode } from './opt-node.js';

/** Terms of one archetype gathered from the template's ontology sections. */
export interface ComponentOntology {
  readonly termDefinitions: Record<string, Record<string, ArchetypeTerm>>;
  readonly constraintDefinitions: Record<string, Record<string, ArchetypeTerm>>;
  readonly termBindings: Record<string, Record<string, CodePhrase>>;
}

export interface ConstraintContext {
  /** The template's original language: the language of the term definitions inside archetype roots. */
  readonly language: string;
  /** archetype id -> terms from `ontology` / `component_ontologies`. */
  readonly ontologies: ReadonlyMap<string, ComponentOntology>;
}

export function parseIntervalOfInteger(node: OptNode): Interval<number> {
  return parseInterval(node, (n, name) => n.optionalInteger(name));
}

export function parseIntervalOfReal(node: OptNode): Interval<number> {
  return parseInterval(node, (n, name) => n.optionalReal(name));
}

export function parseIntervalOfText(node: OptNode): Interval<string> {
  return parseInterval(node, (n, name) => n.optionalText(name));
}

function parseInterval<T>(node: OptNode, read: (node: OptNode, name: string) => T | undefined): Interval<T> {
  const lowerUnbounded = node.optionalBoolean('lower_unbounded');
  const upperUnbounded = node.optionalBoolean('upper_unbounded');
  const lower = lowerUnbounded === true ? undefined : read(node, 'lower');
  const upper = upperUnbounded === true ? undefined : read(node, 'upper');
  if (lowerUnbounded === false && lower === undefined) {
    throw node.error('the interval is bounded below but has no <lower>');
  }
  if (upperUnbounded === false && upper === undefined) {
    throw node.error('the interval is bounded above but has no <upper>');
  }
  if (typeof lower === 'number' && typeof upper === 'number' && lower > upper) {
    throw node.error(`the interval's lower bound ${lower} is above its upper bound ${upper}`);
  }
  const interval: { lower?: T; upper?: T; lowerIncluded: boolean; upperIncluded: boolean } = {
    lowerIncluded: node.optionalBoolean('lower_included') ?? lower !== undefined,
    upperIncluded: node.optionalBoolean('upper_included') ?? upper !== undefined,
  };
  if (lower !== undefined) {
    interval.lower = lower;
  }
  if (upper !== undefined) {
    interval.upper = upper;
  }
  return interval;
}

export function parseCodePhrase(node: OptNode): CodePhrase {
  const terminology = node.required('terminology_id').requiredText('value');
  return { terminologyId: terminology, codeString: node.requiredText('code_string') };
}

function items(node: OptNode): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of node.all('items')) {
    result[item.requiredAttribute('id')] = item.text;
  }
  return result;
}

/** An ARCHETYPE_TERM: `<x code="at0001"><items id="text">..</items>...</x>` */
export function parseArchetypeTerm(node: OptNode): ArchetypeTerm {
  const { text, description, ...other } = items(node);
  const term: { text: string; description?: string; other?: Record<string, string> } = { text: text ?? '' };
  if (description !== undefined) {
    term.description = description;
  }
  if (Object.keys(other).length > 0) {
    term.other = other;
  }
  return term;
}

/** TermBindingSet elements: `<term_bindings terminology="X"><items code="at1"><value>CODE_PHRASE</value></items>` */
export function parseTermBindings(nodes: readonly OptNode[], into: Record<string, Record<string, CodePhrase>>): void {
  for (const set of nodes) {
    const terminology = set.requiredAttribute('terminology');
    const codes = (into[terminology] ??= {});
    for (const item of set.all('items')) {
      const value = item.optional('value');
      if (value) {
        codes[item.requiredAttribute('code')] = parseCodePhrase(value);
      }
    }
  }
}

function assertionPattern(assertion: OptNode): string | undefined {
  const expression = assertion.optional('expression');
  const right = expression?.optional('right_operand');
  const item = right?.optional('item');
  const pattern = item?.optionalText('pattern');
  if (pattern !== undefined && pattern.length > 0) {
    return pattern;
  }
  const text = assertion.optionalText('string_expression') ?? '';
  const match = /archetype_id\/value\s+matches\s+\{\/(.*)\/\}/.exec(text);
  return match?.[1];
}

function parseAssertions(nodes: readonly OptNode[]): SlotAssertion[] {
  return nodes.map((assertion) => {
    const pattern = assertionPattern(assertion);
    const expression = assertion.optionalText('string_expression') ?? (pattern ? `archetype_id/value matches {/${pattern}/}` : '');
    if (pattern !== undefined) {
      try {
        new RegExp(`^(?:${pattern})$`);
      } catch {
        throw assertion.error(`the slot pattern '${pattern}' is not a valid regular expression`);
      }
    }
    return pattern === undefined ? { expression } : { expression, archetypeIdPattern: pattern };
  });
}

const VALIDITY: Readonly<Record<string, ValidityKind>> = { '1001': 'mandatory', '1002': 'optional', '1003': 'disallowed' };

function parsePrimitive(node: OptNode): CPrimitive {
  const type = node.xsiType;
  switch (type) {
    case 'C_STRING': {
      const pattern = node.optionalText('pattern');
      const list = node.all('list').map((n) => n.element.text);
      const listOpen = node.optionalBoolean('list_open');
      const assumed = node.optional('assumed_value')?.element.text;
      if (pattern !== undefined) {
        try {
          new RegExp(pattern, 'u');
        } catch {
          throw node.error(`the string pattern '${pattern}' is not a valid regular expression`);
        }
      }
      return {
        type,
        ...(pattern !== undefined && pattern.length > 0 ? { pattern } : {}),
        ...(list.length > 0 ? { list } : {}),
        ...(listOpen !== undefined ? { listOpen } : {}),
        ...(assumed !== undefined ? { assumedValue: assumed } : {}),
      };
    }
    case 'C_INTEGER':
    case 'C_REAL': {
      const list = node.all('list').map((n) => {
        const value = Number(n.text);
        if (n.text.length === 0 || !Number.isFinite(value) || (type === 'C_INTEGER' && !Number.isInteger(value))) {
          throw n.error(`<list> must be ${type === 'C_INTEGER' ? 'an integer' : 'a number'}, found '${n.text}'`);
        }
        return value;
      });
      const rangeNode = node.optional('range');
      const range = rangeNode ? (type === 'C_INTEGER' ? parseIntervalOfInteger(rangeNode) : parseIntervalOfReal(rangeNode)) : undefined;
      const assumed = type === 'C_INTEGER' ? node.optionalInteger('assumed_value') : node.optionalReal('assumed_value');
      return {
        type,
        ...(list.length > 0 ? { list } : {}),
        ...(range ? { range } : {}),
        ...(assumed !== undefined ? { assumedValue: assumed } : {}),
      };
    }
    case 'C_BOOLEAN': {
      const trueValid = node.requiredBoolean('true_valid');
      const falseValid = node.requiredBoolean('false_valid');
      if (!trueValid && !falseValid) {
        throw node.error('a C_BOOLEAN must allow true or false');
      }
      const assumed = node.optionalBoolean('assumed_value');
      return { type, trueValid, falseValid, ...(assumed !== undefined ? { assumedValue: assumed } : {}) };
    }
    case 'C_DATE':
    case 'C_TIME':
    case 'C_DATE_TIME': {
      const pattern = node.optionalText('pattern');
      const validityNode = node.optional('timezone_validity');
      let timezoneValidity: ValidityKind | undefined;
      if (validityNode) {
        timezoneValidity = VALIDITY[validityNode.text];
        if (!timezoneValidity) {
          throw validityNode.error(`<timezone_validity> must be 1001, 1002 or 1003, found '${validityNode.text}'`);
        }
      }
      const rangeNode = node.optional('range');
      const assumed = node.optionalText('assumed_value');
      return {
        type,
        ...(pattern ? { pattern } : {}),
        ...(timezoneValidity ? { timezoneValidity } : {}),
        ...(rangeNode ? { range: parseIntervalOfText(rangeNode) } : {}),
        ...(assumed ? { assumedValue: assumed } : {}),
      };
    }
    case 'C_DURATION': {
      const pattern = node.optionalText('pattern');
      const rangeNode = node.optional('range');
      const assumed = node.optionalText('assumed_value');
      return {
        type,
        ...(pattern ? { pattern } : {}),
        ...(rangeNode ? { range: parseIntervalOfText(rangeNode) } : {}),
        ...(assumed ? { assumedValue: assumed } : {}),
      };
    }
    default:
      throw node.error(`unknown primitive constraint type '${type ?? '(none)'}'`);
  }
}

function parseOrdinalItem(node: OptNode): OrdinalItem {
  const valueText = node.requiredText('value');
  const value = Number(valueText);
  if (!Number.isFinite(value)) {
    throw node.error(`the ordinal value must be a number, found '${valueText}'`);
  }
  const symbol = node.required('symbol');
  return { value, symbol: parseCodePhrase(symbol.required('defining_code')) };
}

export class ConstraintParser {
  constructor(private readonly context: ConstraintContext) {}

  parseObject(node: OptNode, defaultType?: string): CObject {
    const kind = node.xsiType ?? defaultType;
    const rmTypeName = node.requiredText('rm_type_name');
    const occurrences = parseIntervalOfInteger(node.required('occurrences'));
    const nodeId = node.optionalText('node_id') ?? '';
    const base = { rmTypeName, nodeId, occurrences };
    switch (kind) {
      case 'C_ARCHETYPE_ROOT':
        return this.parseArchetypeRoot(node, base);
      case 'C_COMPLEX_OBJECT':
      case 'T_COMPLEX_OBJECT': {
        const defaultValue = node.optional('default_value');
        return {
          kind: 'C_COMPLEX_OBJECT',
          ...base,
          attributes: this.parseAttributes(node),
          ...(defaultValue ? { defaultValue: dataValueJson(defaultValue) } : {}),
        };
      }
      case 'ARCHETYPE_SLOT':
        return this.parseSlot(node, base);
      case 'ARCHETYPE_INTERNAL_REF':
        return { kind: 'ARCHETYPE_INTERNAL_REF', ...base, targetPath: node.requiredText('target_path') };
      case 'CONSTRAINT_REF':
        return { kind: 'CONSTRAINT_REF', ...base, reference: node.requiredText('reference') };
      case 'C_PRIMITIVE_OBJECT': {
        const item = node.optional('item');
        const result: CPrimitiveObject = item ? { kind: 'C_PRIMITIVE_OBJECT', ...base, item: parsePrimitive(item) } : { kind: 'C_PRIMITIVE_OBJECT', ...base };
        return result;
      }
      case 'C_DV_QUANTITY':
        return this.parseQuantity(node, base);
      case 'C_CODE_PHRASE':
      case 'C_CODE_REFERENCE':
        return this.parseCodePhraseConstraint(node, base, kind);
      case 'C_DV_ORDINAL':
      case 'C_DV_SCALE': {
        const list = node.all('list').map(parseOrdinalItem);
        const assumed = node.optional('assumed_value');
        const result: CDvOrdinal = { kind, ...base, list, ...(assumed ? { assumedValue: parseOrdinalItem(assumed) } : {}) };
        return result;
      }
      case 'C_DV_STATE':
        throw node.error('C_DV_STATE (state machine) constraints are not supported');
      default:
        throw node.error(`unknown constraint type '${kind ?? '(no xsi:type)'}'`);
    }
  }

  parseArchetypeRoot(node: OptNode, base: { rmTypeName: string; nodeId: string; occurrences: Interval<number> }): CArchetypeRoot {
    const archetypeId = node.required('archetype_id').requiredText('value');
    if (!/^[A-Za-z][\w-]*-[\w-]+-[A-Za-z_][\w]*\.[\w-]+(\.[\w-]+)*\.v\d+.*$/.test(archetypeId)) {
      throw node.error(`'${archetypeId}' is not a valid archetype id`);
    }
    const ontology = this.context.ontologies.get(archetypeId);
    const termDefinitions: Record<string, Record<string, ArchetypeTerm>> = {};
    for (const [language, terms] of Object.entries(ontology?.termDefinitions ?? {})) {
      termDefinitions[language] = { ...terms };
    }
    const own = node.all('term_definitions');
    if (own.length > 0) {
      const inLanguage = (termDefinitions[this.context.language] ??= {});
      for (const term of own) {
        inLanguage[term.requiredAttribute('code')] = parseArchetypeTerm(term);
      }
    }
    const termBindings: Record<string, Record<string, CodePhrase>> = {};
    for (const [terminology, codes] of Object.entries(ontology?.termBindings ?? {})) {
      termBindings[terminology] = { ...codes };
    }
    parseTermBindings(node.all('term_bindings'), termBindings);
    const constraintDefinitions = ontology?.constraintDefinitions ?? {};
    const defaultValue = node.optional('default_value');
    return {
      kind: 'C_ARCHETYPE_ROOT',
      ...base,
      nodeId: base.nodeId,
      archetypeId,
      attributes: this.parseAttributes(node),
      termDefinitions: termDefinitions as TermDefinitions,
      ...(Object.keys(constraintDefinitions).length > 0 ? { constraintDefinitions } : {}),
      termBindings: termBindings as TermBindings,
      ...(defaultValue ? { defaultValue: dataValueJson(defaultValue) } : {}),
    };
  }

  private parseAttributes(node: OptNode): CAttribute[] {
    const names = new Set<string>();
    return node.all('attributes').map((attribute) => {
      const rmAttributeName = attribute.requiredText('rm_attribute_name');
      if (names.has(rmAttributeName)) {
        throw attribute.error(`attribute '${rmAttributeName}' is constrained twice in the same object`);
      }
      names.add(rmAttributeName);
      const existenceNode = attribute.optional('existence');
      const existence = existenceNode ? parseIntervalOfInteger(existenceNode) : { lower: 0, upper: 1, lowerIncluded: true, upperIncluded: true };
      const children = attribute.all('children').map((child) => this.parseObject(child));
      const type = attribute.xsiType;
      if (type === 'C_MULTIPLE_ATTRIBUTE') {
        const cardinalityNode = attribute.required('cardinality');
        return {
          kind: 'C_MULTIPLE_ATTRIBUTE',
          rmAttributeName,
          existence,
          cardinality: {
            isOrdered: cardinalityNode.optionalBoolean('is_ordered') ?? true,
            isUnique: cardinalityNode.optionalBoolean('is_unique') ?? false,
            interval: parseIntervalOfInteger(cardinalityNode.required('interval')),
          },
          children,
        };
      }
      if (type !== 'C_SINGLE_ATTRIBUTE' && type !== undefined) {
        throw attribute.error(`unknown attribute type '${type}'`);
      }
      return { kind: 'C_SINGLE_ATTRIBUTE', rmAttributeName, existence, children };
    });
  }

  private parseSlot(node: OptNode, base: { rmTypeName: string; nodeId: string; occurrences: Interval<number> }): ArchetypeSlot {
    return { kind: 'ARCHETYPE_SLOT', ...base, includes: parseAssertions(node.all('includes')), excludes: parseAssertions(node.all('excludes')) };
  }

  private parseQuantity(node: OptNode, base: { rmTypeName: string; nodeId: string; occurrences: Interval<number> }): CDvQuantity {
    const property = node.optional('property');
    const list: QuantityItem[] = node.all('list').map((item) => {
      const magnitude = item.optional('magnitude');
      const precision = item.optional('precision');
      return {
        units: item.requiredText('units', true),
        ...(magnitude ? { magnitude: parseIntervalOfReal(magnitude) } : {}),
        ...(precision ? { precision: parseIntervalOfInteger(precision) } : {}),
      };
    });
    const assumed = node.optional('assumed_value');
    let assumedValue: CDvQuantity['assumedValue'];
    if (assumed) {
      const magnitude = assumed.optionalReal('magnitude');
      const units = assumed.optionalText('units');
      const precision = assumed.optionalInteger('precision');
      assumedValue = {
        ...(magnitude !== undefined ? { magnitude } : {}),
        ...(units !== undefined ? { units } : {}),
        ...(precision !== undefined ? { precision } : {}),
      };
    }
    return {
      kind: 'C_DV_QUANTITY',
      ...base,
      ...(property ? { property: parseCodePhrase(property) } : {}),
      list,
      ...(assumedValue ? { assumedValue } : {}),
    };
  }

  private parseCodePhraseConstraint(
    node: OptNode,
    base: { rmTypeName: string; nodeId: string; occurrences: Interval<number> },
    kind: 'C_CODE_PHRASE' | 'C_CODE_REFERENCE',
  ): CCodePhrase {
    const terminologyNode = node.optional('terminology_id');
    let terminologyId = terminologyNode?.requiredText('value');
    const codeList = node.all('code_list').map((c) => c.text);
    const assumed = node.optional('assumed_value');
    let referenceSetUri: string | undefined;
    if (kind === 'C_CODE_REFERENCE') {
      referenceSetUri = node.optionalText('referenceSetUri');
      if (terminologyId === undefined && referenceSetUri?.startsWith('terminology:')) {
        terminologyId = referenceSetUri.slice('terminology:'.length);
      }
    }
    return {
      kind: 'C_CODE_PHRASE',
      ...base,
      ...(terminologyId !== undefined ? { terminologyId } : {}),
      codeList,
      ...(referenceSetUri !== undefined ? { referenceSetUri } : {}),
      ...(assumed ? { assumedValue: parseCodePhrase(assumed) } : {}),
    };
  }
}

const NUMERIC_FIELDS = new Set(['magnitude', 'precision', 'numerator', 'denominator', 'size', 'accuracy']);
const BOOLEAN_FIELDS = new Set(['lower_included', 'upper_included', 'lower_unbounded', 'upper_unbounded', 'is_terminal', 'accuracy_is_percent']);

/**
 * Converts an RM data value written in OPT XML (a template default value) to canonical JSON.
 */
export function dataValueJson(node: OptNode): unknown {
  const type = node.xsiType;
  if (node.element.children.length === 0) {
    return node.element.text;
  }
  const result: Record<string, unknown> = {};
  if (type) {
    result._type = type;
  }
  for (const child of node.element.children) {
    const childNode = new OptNode(child, `${node.path}/${child.name}`);
    let value: unknown = dataValueJson(childNode);
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (NUMERIC_FIELDS.has(child.name) || (child.name === 'value' && (type === 'DV_ORDINAL' || type === 'DV_SCALE'))) {
        value = Number(trimmed);
      } else if ((child.name === 'value' && type === 'DV_BOOLEAN') || BOOLEAN_FIELDS.has(child.name)) {
        value = trimmed === 'true';
      } else if (child.name === 'type' && type === 'DV_PROPORTION') {
        value = Number(trimmed);
      }
    }
    result[child.name] = value;
  }
  return result;
}
