/**
 * Archetype facts: what the project's templates rely on about one archetype (its id, RM
 * type, nodes with at-codes, texts, occurrences, data value constraints and term bindings),
 * read from the compact YAML files under `archetypes/`.
 *
 * File shape (see archetypes/README.md):
 *
 * ```yaml
 * archetype_id: openEHR-EHR-OBSERVATION.blood_pressure.v2
 * text: Blood pressure                 # the concept (at0000)
 * description: ...
 * purpose: ...                         # resource description
 * bindings: { SNOMED-CT: "364090009" }
 * definition:                          # attributes of the root object
 *   data:
 *     HISTORY[at0001]:
 *       text: History
 *       events:
 *         cardinality: 1..*
 *         EVENT[at0006]:
 *           occurrences: 0..*
 *           ...
 *               ELEMENT[at0004]:
 *                 occurrences: 0..1
 *                 text: Systolic
 *                 value:
 *                   DV_QUANTITY: { property: 125, units: { "mm[Hg]": { magnitude: 0..<1000, precision: 0 } } }
 * ```
 */
import type { Interval } from '../opt/model.js';
import { attribute as rmAttribute, isKnownType, rmClass } from '../rm/rm-model.js';
import { AuthoringError, durationBound, integerBound, numberBound, parseInterval } from './intervals.js';

export interface TermText {
  readonly text: string;
  readonly description: string;
  readonly comment?: string;
}

export interface QuantityUnit {
  readonly units: string;
  readonly magnitude?: Interval<number>;
  readonly precision?: Interval<number>;
}

/** One alternative of an ELEMENT's value. */
export type ValueConstraint =
  /** Any value of the type (DV_TEXT, DV_DATE_TIME, DV_IDENTIFIER, ...). */
  | { readonly kind: 'plain'; readonly rmType: string }
  /** DV_CODED_TEXT from a terminology; no codes means any code of it (any terminology: a plain DV_CODED_TEXT). */
  | { readonly kind: 'coded'; readonly terminology: string; readonly codes: readonly string[] }
  /** DV_QUANTITY; no units means any units. `property` is an openEHR property code (125 = pressure). */
  | { readonly kind: 'quantity'; readonly property?: string; readonly units: readonly QuantityUnit[] }
  | { readonly kind: 'count'; readonly magnitude?: Interval<number> }
  | { readonly kind: 'proportion'; readonly numerator?: Interval<number>; readonly types?: readonly number[] }
  | { readonly kind: 'duration'; readonly pattern?: string; readonly range?: Interval<string> }
  | { readonly kind: 'boolean'; readonly trueValid: boolean; readonly falseValid: boolean };

export interface SlotFacts {
  /** Regular expressions on archetype ids (alternatives within one expression use `|`). */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface FactAttribute {
  readonly name: string;
  /** Stated existence; when missing the RM decides (mandatory: 1..1, else 0..1). */
  readonly existence?: Interval<number>;
  /** Stated cardinality of a container attribute; when missing 0..*. */
  readonly cardinality?: Interval<number>;
  readonly ordered: boolean;
  readonly children: readonly FactNode[];
}

export interface FactNode {
  readonly rmType: string;
  /** at-code, or '' for a node without one (EVENT_CONTEXT). */
  readonly nodeId: string;
  readonly occurrences: Interval<number>;
  readonly slot?: SlotFacts;
  /** The alternatives of an ELEMENT's value; missing when the archetype leaves the value open. */
  readonly value?: readonly ValueConstraint[];
  /** A data value placed directly in an RM attribute (COMPOSITION.category, INTERVAL_EVENT.math_function). */
  readonly dataValue?: ValueConstraint;
  readonly attributes: readonly FactAttribute[];
}

export interface ResourceText {
  readonly purpose?: string;
  readonly use?: string;
  readonly misuse?: string;
  readonly keywords?: readonly string[];
  readonly copyright?: string;
}

export interface ArchetypeFacts {
  readonly archetypeId: string;
  readonly rmType: string;
  /** The concept's at-code: at0000, or at0000.1 for a specialisation. */
  readonly conceptCode: string;
  readonly description: ResourceText;
  /** Every at-code's English text, the concept and local codes included. */
  readonly terms: ReadonlyMap<string, TermText>;
  /** at-code -> terminology -> code */
  readonly bindings: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The root object (rmType, conceptCode) and its attributes. */
  readonly definition: FactNode;
}

const ARCHETYPE_ID = /^openEHR-EHR-([A-Z_]+)\.[a-z0-9_-]+(\.[a-z0-9_-]+)*\.v\d+$/i;
const NODE_KEY = /^([A-Z][A-Z_]*(?:<[A-Z_]+>)?)(?:\[(at\d{4}(?:\.\d+)*)\])?$/;
const AT_CODE = /^at\d{4}(\.\d+)*$/;
const NODE_PROPERTIES = new Set(['text', 'description', 'comment', 'occurrences', 'bindings', 'slot', 'value']);
const ATTRIBUTE_PROPERTIES = new Set(['existence', 'cardinality', 'ordered']);
const TOP_LEVEL = new Set(['archetype_id', 'concept', 'text', 'description', 'comment', 'purpose', 'use', 'misuse', 'keywords', 'copyright', 'bindings', 'terms', 'definition']);

type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value of an authoring document with the place it came from, for error messages. */
export class Source {
  constructor(
    readonly value: unknown,
    readonly where: string,
  ) {}

  fail(message: string): never {
    throw new AuthoringError(`${this.where}: ${message}`);
  }

  record(): Json {
    if (this.value === null || this.value === undefined) {
      return {};
    }
    return isRecord(this.value) ? this.value : this.fail(`expected a mapping, found ${JSON.stringify(this.value)}`);
  }

  child(key: string): Source {
    return new Source(this.record()[key], `${this.where}.${key}`);
  }

  has(key: string): boolean {
    return this.record()[key] !== undefined && this.record()[key] !== null;
  }

  string(): string {
    if (typeof this.value === 'number') {
      return String(this.value);
    }
    return typeof this.value === 'string' && this.value.trim().length > 0 ? this.value.trim() : this.fail(`expected text, found ${JSON.stringify(this.value)}`);
  }

  optionalString(): string | undefined {
    return this.value === undefined || this.value === null ? undefined : this.string();
  }

  list(): Source[] {
    if (this.value === undefined || this.value === null) {
      return [];
    }
    return Array.isArray(this.value) ? this.value.map((v, i) => new Source(v, `${this.where}[${i}]`)) : this.fail(`expected a list, found ${JSON.stringify(this.value)}`);
  }

  entries(): [string, Source][] {
    return Object.entries(this.record()).map(([k, v]) => [k, new Source(v, `${this.where}.${k}`)]);
  }

  onlyKeys(allowed: ReadonlySet<string>, extra?: (key: string) => boolean): void {
    for (const key of Object.keys(this.record())) {
      if (!allowed.has(key) && !(extra?.(key) ?? false)) {
        this.fail(`unknown key '${key}' (expected ${[...allowed].join(', ')}${extra ? ' or an RM attribute' : ''})`);
      }
    }
  }
}

/** Collects terms while reading, refusing a code defined twice with different texts. */
export class TermCollector {
  readonly terms = new Map<string, TermText>();
  readonly bindings = new Map<string, Map<string, string>>();

  add(code: string, term: TermText, source: Source): void {
    if (!AT_CODE.test(code)) {
      source.fail(`'${code}' is not an at-code`);
    }
    const existing = this.terms.get(code);
    if (existing && (existing.text !== term.text || existing.description !== term.description)) {
      source.fail(`${code} is defined twice with different texts ('${existing.text}' and '${term.text}')`);
    }
    this.terms.set(code, term);
  }

  bind(code: string, source: Source): void {
    for (const [terminology, value] of source.entries()) {
      const codes = this.bindings.get(code) ?? new Map<string, string>();
      codes.set(terminology, value.string());
      this.bindings.set(code, codes);
    }
  }
}

const TERM_KEYS = new Set(['text', 'description', 'comment', 'bindings']);

/** A code's term, in a code list or under `terms:` (a node's own keys are checked by readNode). */
function readCodeTerm(source: Source): TermText {
  source.onlyKeys(TERM_KEYS);
  return readTerm(source);
}

function readTerm(source: Source): TermText {
  const text = source.child('text').string();
  const description = source.child('description').optionalString() ?? text;
  const comment = source.child('comment').optionalString();
  return comment === undefined ? { text, description } : { text, description, comment };
}

function readQuantityUnits(source: Source): QuantityUnit[] {
  return source.entries().map(([units, spec]) => {
    const magnitude = spec.has('magnitude') ? parseInterval(spec.record().magnitude, numberBound, `${spec.where}.magnitude`) : undefined;
    const precision = spec.has('precision') ? parseInterval(spec.record().precision, integerBound, `${spec.where}.precision`) : undefined;
    spec.onlyKeys(new Set(['magnitude', 'precision']));
    return { units, ...(magnitude ? { magnitude } : {}), ...(precision ? { precision } : {}) };
  });
}

/** Reads one value alternative (`DV_QUANTITY: {...}`); local code texts go into `terms`. */
export function readValueConstraint(rmType: string, spec: Source, terms: TermCollector | undefined): ValueConstraint {
  if (!isKnownType(rmType) || !rmType.startsWith('DV_')) {
    spec.fail(`'${rmType}' is not an RM data value type`);
  }
  switch (rmType) {
    case 'DV_CODED_TEXT': {
      if (spec.value === null || spec.value === undefined) {
        return { kind: 'plain', rmType };
      }
      spec.onlyKeys(new Set(['terminology', 'codes']));
      const terminology = spec.child('terminology').optionalString() ?? 'local';
      const codesSource = spec.child('codes');
      let codes: string[];
      if (Array.isArray(codesSource.value)) {
        codes = codesSource.list().map((c) => c.string());
      } else {
        codes = [];
        for (const [code, term] of codesSource.entries()) {
          codes.push(code);
          if (terminology !== 'local') {
            term.fail(`codes of '${terminology}' are listed without texts (write codes: [${code}, ...])`);
          }
          const collector = terms ?? term.fail('a template cannot define new local codes; only the archetype can');
          collector.add(code, readCodeTerm(term), term);
          if (term.has('bindings')) {
            collector.bind(code, term.child('bindings'));
          }
        }
      }
      if (terminology === 'local' && codes.length === 0) {
        spec.fail('a local DV_CODED_TEXT needs its codes');
      }
      return { kind: 'coded', terminology, codes };
    }
    case 'DV_QUANTITY': {
      spec.onlyKeys(new Set(['property', 'units']));
      const property = spec.child('property').optionalString();
      return { kind: 'quantity', ...(property ? { property } : {}), units: readQuantityUnits(spec.child('units')) };
    }
    case 'DV_COUNT': {
      spec.onlyKeys(new Set(['magnitude']));
      const magnitude = spec.has('magnitude') ? parseInterval(spec.record().magnitude, integerBound, `${spec.where}.magnitude`) : undefined;
      return { kind: 'count', ...(magnitude ? { magnitude } : {}) };
    }
    case 'DV_PROPORTION': {
      spec.onlyKeys(new Set(['numerator', 'type']));
      const numerator = spec.has('numerator') ? parseInterval(spec.record().numerator, numberBound, `${spec.where}.numerator`) : undefined;
      const typeSource = spec.child('type');
      const types = typeSource.value === undefined ? undefined : (Array.isArray(typeSource.value) ? typeSource.list() : [typeSource]).map((t) => integerBound(t.string()) ?? t.fail('a proportion type is an integer (0 ratio, 1 unitary, 2 percent, 3 fraction, 4 integer fraction)'));
      return { kind: 'proportion', ...(numerator ? { numerator } : {}), ...(types ? { types } : {}) };
    }
    case 'DV_DURATION': {
      spec.onlyKeys(new Set(['pattern', 'range']));
      const pattern = spec.child('pattern').optionalString();
      const range = spec.has('range') ? parseInterval(spec.record().range, durationBound, `${spec.where}.range`) : undefined;
      return { kind: 'duration', ...(pattern ? { pattern } : {}), ...(range ? { range } : {}) };
    }
    case 'DV_BOOLEAN': {
      spec.onlyKeys(new Set(['values']));
      const values = spec.child('values').list().map((v) => (typeof v.value === 'boolean' ? v.value : v.fail('expected true or false')));
      return values.length === 0 ? { kind: 'boolean', trueValid: true, falseValid: true } : { kind: 'boolean', trueValid: values.includes(true), falseValid: values.includes(false) };
    }
    default:
      spec.onlyKeys(new Set());
      return { kind: 'plain', rmType };
  }
}

/** Reads `value:` of an ELEMENT: a mapping from data value types to their constraints. */
export function readValueAlternatives(source: Source, terms: TermCollector | undefined): ValueConstraint[] {
  const alternatives = source.entries().map(([rmType, spec]) => readValueConstraint(rmType, spec, terms));
  if (alternatives.length === 0) {
    source.fail('a value constraint lists at least one data value type');
  }
  return alternatives;
}

function readNode(key: string, source: Source, parentType: string, attributeName: string, terms: TermCollector): FactNode {
  const match = NODE_KEY.exec(key);
  if (!match) {
    source.fail(`'${key}' is not a node key: write an RM type with its at-code, e.g. ELEMENT[at0004]`);
  }
  const rmType = match[1]!;
  const nodeId = match[2] ?? '';
  if (!isKnownType(rmType)) {
    source.fail(`unknown RM type '${rmType}'`);
  }
  const rmAttr = rmAttribute(parentType, attributeName);
  if (!rmAttr) {
    source.fail(`${parentType} has no attribute '${attributeName}'`);
  }
  if (rmType.startsWith('DV_')) {
    if (nodeId) {
      source.fail(`a data value (${rmType}) has no at-code`);
    }
    return { rmType, nodeId, occurrences: parseInterval('1..1', integerBound, ''), dataValue: readValueConstraint(rmType, source, terms), attributes: [] };
  }
  const body = source.record();
  if (nodeId) {
    if (!('text' in body)) {
      source.fail(`${key} needs its text (and description)`);
    }
    terms.add(nodeId, readTerm(source), source);
    if (body.bindings !== undefined) {
      terms.bind(nodeId, source.child('bindings'));
    }
  } else if ('text' in body) {
    source.fail(`${key} has no at-code, so it has no text`);
  }
  const occurrences = body.occurrences === undefined ? parseInterval('1..1', integerBound, '') : parseInterval(body.occurrences, integerBound, `${source.where}.occurrences`);
  if (body.slot !== undefined) {
    const slotSource = source.child('slot');
    slotSource.onlyKeys(new Set(['include', 'exclude']));
    const patterns = (s: Source): string[] => (Array.isArray(s.value) ? s.list().map((p) => p.string()) : s.value === undefined ? [] : [s.string()]);
    const include = patterns(slotSource.child('include'));
    const exclude = patterns(slotSource.child('exclude'));
    for (const pattern of [...include, ...exclude]) {
      try {
        new RegExp(`^(?:${pattern})$`);
      } catch {
        slotSource.fail(`'${pattern}' is not a regular expression`);
      }
    }
    source.onlyKeys(new Set(['text', 'description', 'comment', 'occurrences', 'bindings', 'slot']));
    return { rmType, nodeId, occurrences, slot: { include, exclude }, attributes: [] };
  }
  source.onlyKeys(NODE_PROPERTIES, (k) => rmAttribute(rmType, k.replace(/^\./, '')) !== undefined);
  const value = body.value === undefined ? undefined : rmType === 'ELEMENT' ? readValueAlternatives(source.child('value'), terms) : source.fail('only an ELEMENT has a value constraint');
  const attributes = readAttributes(source, rmType, terms);
  return { rmType, nodeId, occurrences, ...(value ? { value } : {}), attributes };
}

/**
 * The RM attributes of a node body: every key that is not one of the node's own properties.
 * An attribute may be written with a leading dot (`.description`), which is how an attribute
 * whose name is also a node property (ACTIVITY.description) is written.
 */
function readAttributes(source: Source, rmType: string, terms: TermCollector): FactAttribute[] {
  const attributes: FactAttribute[] = [];
  for (const [key, attributeSource] of source.entries()) {
    if (NODE_PROPERTIES.has(key)) {
      continue;
    }
    const name = key.startsWith('.') ? key.slice(1) : key;
    const rmAttr = rmAttribute(rmType, name);
    if (!rmAttr) {
      source.fail(`${rmType} has no attribute '${name}'`);
    }
    const body = attributeSource.record();
    const children: FactNode[] = [];
    for (const [key, child] of attributeSource.entries()) {
      if (!ATTRIBUTE_PROPERTIES.has(key)) {
        children.push(readNode(key, child, rmType, name, terms));
      }
    }
    if (!rmAttr.multiple && (body.cardinality !== undefined || body.ordered !== undefined)) {
      attributeSource.fail(`${rmType}.${name} is a single attribute: it has no cardinality`);
    }
    if (!rmAttr.multiple && children.length > 1 && children.some((c) => c.nodeId === '')) {
      attributeSource.fail(`alternatives of the single attribute ${rmType}.${name} need at-codes`);
    }
    const ids = new Set<string>();
    for (const child of children) {
      const id = `${child.rmType}[${child.nodeId}]`;
      if (child.nodeId && [...ids].some((i) => i.endsWith(`[${child.nodeId}]`))) {
        attributeSource.fail(`two children of ${name} have the node id ${child.nodeId}`);
      }
      ids.add(id);
    }
    attributes.push({
      name,
      ...(body.existence !== undefined ? { existence: parseInterval(body.existence, integerBound, `${attributeSource.where}.existence`) } : {}),
      ...(body.cardinality !== undefined ? { cardinality: parseInterval(body.cardinality, integerBound, `${attributeSource.where}.cardinality`) } : {}),
      ordered: body.ordered === true,
      children,
    });
  }
  return attributes;
}

/** Reads one archetype facts document (already parsed from YAML); `where` names the file. */
export function readArchetypeFacts(document: unknown, where: string): ArchetypeFacts {
  const source = new Source(document, where);
  source.onlyKeys(TOP_LEVEL);
  const archetypeId = source.child('archetype_id').string();
  const idMatch = ARCHETYPE_ID.exec(archetypeId) ?? source.fail(`'${archetypeId}' is not an openEHR-EHR archetype id`);
  const rmType = idMatch[1]!;
  if (!rmClass(rmType)) {
    source.fail(`unknown RM type '${rmType}' in the archetype id`);
  }
  const conceptCode = source.child('concept').optionalString() ?? 'at0000';
  const terms = new TermCollector();
  terms.add(conceptCode, readTerm(source), source);
  if (source.has('bindings')) {
    terms.bind(conceptCode, source.child('bindings'));
  }
  for (const [code, term] of source.child('terms').entries()) {
    terms.add(code, readCodeTerm(term), term);
    if (term.has('bindings')) {
      terms.bind(code, term.child('bindings'));
    }
  }
  const keywords = source.child('keywords').list().map((k) => k.string());
  const use = source.child('use').optionalString();
  const misuse = source.child('misuse').optionalString();
  const copyright = source.child('copyright').optionalString();
  const purpose = source.child('purpose').optionalString();
  const description: ResourceText = {
    ...(purpose ? { purpose } : {}),
    ...(use ? { use } : {}),
    ...(misuse ? { misuse } : {}),
    ...(keywords.length > 0 ? { keywords } : {}),
    ...(copyright ? { copyright } : {}),
  };
  const definitionSource = source.child('definition');
  const attributes = readAttributes(definitionSource, rmType, terms);
  const definition: FactNode = { rmType, nodeId: conceptCode, occurrences: parseInterval('1..1', integerBound, ''), attributes };
  checkCodesDefined(definition, terms, source);
  return { archetypeId, rmType, conceptCode, description, terms: terms.terms, bindings: terms.bindings, definition };
}

/** Every local code used in a code list has a term. */
function checkCodesDefined(node: FactNode, terms: TermCollector, source: Source): void {
  for (const value of node.value ?? []) {
    if (value.kind === 'coded' && value.terminology === 'local') {
      for (const code of value.codes) {
        if (!terms.terms.has(code)) {
          source.fail(`the local code ${code} (in ${node.rmType}[${node.nodeId}]) has no text`);
        }
      }
    }
  }
  for (const attribute of node.attributes) {
    for (const child of attribute.children) {
      checkCodesDefined(child, terms, source);
    }
  }
}
