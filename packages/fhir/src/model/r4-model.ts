/**
 * Lookups over the FHIR R4 element table: which elements a type has, their types, whether
 * they repeat, and how a choice element (`value[x]`) is spelled in JSON (`valueQuantity`).
 */
import { R4_ELEMENTS, R4_RESOURCE_TYPES } from './r4-elements.js';

export interface FhirElement {
  /** The type (or backbone path) that owns the element. */
  readonly owner: string;
  /** The element name without `[x]`. */
  readonly name: string;
  readonly choice: boolean;
  /** FHIR type codes; a backbone element's type is its path, e.g. `Observation.component`. */
  readonly types: readonly string[];
  readonly list: boolean;
}

const PRIMITIVE_TYPES = new Set([
  'base64Binary',
  'boolean',
  'canonical',
  'code',
  'date',
  'dateTime',
  'decimal',
  'id',
  'instant',
  'integer',
  'markdown',
  'oid',
  'positiveInt',
  'string',
  'time',
  'unsignedInt',
  'uri',
  'url',
  'uuid',
  'xhtml',
]);

/** Quantity profiles with Quantity's elements. */
const QUANTITY_PROFILES = new Set(['SimpleQuantity', 'MoneyQuantity']);

const RESOURCE_COMMON = 'id id, meta Meta, implicitRules uri, language code, text Narrative, contained Resource*, extension Extension*, modifierExtension Extension*';
const TYPE_COMMON = 'id string, extension Extension*';
const BACKBONE_COMMON = 'id string, extension Extension*, modifierExtension Extension*';

function parseLine(owner: string, line: string): Map<string, FhirElement> {
  const elements = new Map<string, FhirElement>();
  for (const part of line.split(',')) {
    const [rawName, rawTypes] = part.trim().split(' ');
    if (!rawName || !rawTypes) {
      throw new Error(`bad FHIR element table entry for ${owner}: '${part}'`);
    }
    const choice = rawName.endsWith('[x]');
    const name = choice ? rawName.slice(0, -3) : rawName;
    const list = rawTypes.endsWith('*');
    const types = (list ? rawTypes.slice(0, -1) : rawTypes).split('|');
    elements.set(name, { owner, name, choice, types, list });
  }
  return elements;
}

const RESOURCES = new Set<string>(R4_RESOURCE_TYPES);
const TABLE = new Map<string, Map<string, FhirElement>>();
for (const [owner, line] of Object.entries(R4_ELEMENTS)) {
  const common = RESOURCES.has(owner) ? RESOURCE_COMMON : owner.includes('.') ? BACKBONE_COMMON : TYPE_COMMON;
  TABLE.set(owner, new Map([...parseLine(owner, common), ...parseLine(owner, line)]));
}

export function isFhirPrimitiveType(type: string): boolean {
  return PRIMITIVE_TYPES.has(type);
}

export function isMappedResourceType(type: string): boolean {
  return RESOURCES.has(type);
}

/** A type (or backbone path) whose elements the table knows. */
export function isKnownComplexType(type: string): boolean {
  return TABLE.has(QUANTITY_PROFILES.has(type) ? 'Quantity' : type);
}

export function isKnownFhirType(type: string): boolean {
  return isFhirPrimitiveType(type) || isKnownComplexType(type) || type === 'Resource';
}

/** The elements of a type in definition order. */
export function fhirElements(type: string): readonly FhirElement[] {
  return [...(TABLE.get(QUANTITY_PROFILES.has(type) ? 'Quantity' : type)?.values() ?? [])];
}

/** An element by its name (`value` for `value[x]`). */
export function fhirElement(type: string, name: string): FhirElement | undefined {
  return TABLE.get(QUANTITY_PROFILES.has(type) ? 'Quantity' : type)?.get(name);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The JSON property of one type of a choice element: `value` + `Quantity` -> `valueQuantity`. */
export function choiceJsonName(element: FhirElement, type: string): string {
  return element.choice ? `${element.name}${capitalise(type)}` : element.name;
}

/**
 * Reads a JSON property name: a plain element (`code`), or one type of a choice element
 * (`valueQuantity` -> value[x] with Quantity). Undefined when the type has no such element.
 */
export function elementForJsonName(type: string, jsonName: string): { readonly element: FhirElement; readonly type?: string } | undefined {
  const direct = fhirElement(type, jsonName);
  if (direct) {
    return { element: direct };
  }
  for (const element of fhirElements(type)) {
    if (!element.choice || !jsonName.startsWith(element.name)) {
      continue;
    }
    const chosen = element.types.find((t) => choiceJsonName(element, t) === jsonName);
    if (chosen) {
      return { element, type: chosen };
    }
  }
  return undefined;
}

/** The one value of a choice element present in a JSON object, with its type. */
export function presentChoice(object: Readonly<Record<string, unknown>>, element: FhirElement): { readonly type: string; readonly value: unknown } | undefined {
  for (const type of element.types) {
    const value = object[choiceJsonName(element, type)];
    if (value !== undefined) {
      return { type, value };
    }
  }
  return undefined;
}
