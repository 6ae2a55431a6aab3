/**
 * Lookups over the RM model table: classes by name, inherited attributes in XSD order,
 * subtyping. Everything is computed once per class and cached.
 */
import { CdrError } from '../errors.js';
import { BASE_TYPE_CLASSES } from './base-types.js';
import { COMMON_CLASSES } from './common.js';
import { DATA_STRUCTURE_CLASSES } from './data-structures.js';
import { DATA_TYPE_CLASSES } from './data-types.js';
import { PRIMITIVE_TYPES, type PrimitiveType, type RmAttribute, type RmClass } from './definition.js';
import { EHR_CLASSES } from './ehr.js';

const CLASSES: ReadonlyMap<string, RmClass> = new Map(
  [...BASE_TYPE_CLASSES, ...DATA_TYPE_CLASSES, ...DATA_STRUCTURE_CLASSES, ...COMMON_CLASSES, ...EHR_CLASSES].map((c) => [
    c.name,
    c,
  ]),
);

const PRIMITIVES: ReadonlySet<string> = new Set(PRIMITIVE_TYPES);

/** Every class of the table, in the order the packages declare them. */
export function allRmClasses(): readonly RmClass[] {
  return [...CLASSES.values()];
}

/** The class of that name, or undefined when the table does not know it. */
export function rmClass(name: string): RmClass | undefined {
  return CLASSES.get(name);
}

export function isRmClassName(name: string): boolean {
  return CLASSES.has(name);
}

export function isPrimitiveType(name: string): name is PrimitiveType {
  return PRIMITIVES.has(name);
}

/** True only for a known abstract class. */
export function isAbstract(name: string): boolean {
  return CLASSES.get(name)?.abstract ?? false;
}

function requireClass(name: string): RmClass {
  const found = CLASSES.get(name);
  if (!found) {
    throw new CdrError('internal', `'${name}' is not an RM class known to the model table`);
  }
  return found;
}

const ancestryCache = new Map<string, { readonly chain: readonly string[]; readonly members: ReadonlySet<string> }>();

function lineage(name: string): { readonly chain: readonly string[]; readonly members: ReadonlySet<string> } {
  const cached = ancestryCache.get(name);
  if (cached) {
    return cached;
  }
  const chain: string[] = [];
  for (let current: RmClass | undefined = requireClass(name); current; current = current.parent ? requireClass(current.parent) : undefined) {
    chain.push(current.name);
  }
  const computed = { chain: Object.freeze(chain), members: new Set(chain) };
  ancestryCache.set(name, computed);
  return computed;
}

/** The class and its ancestors, the class first. */
export function ancestry(name: string): readonly string[] {
  return lineage(name).chain;
}

/** Reflexive: every class is a subtype of itself. False when either name is unknown. */
export function isSubtypeOf(sub: string, sup: string): boolean {
  if (!CLASSES.has(sub) || !CLASSES.has(sup)) {
    return false;
  }
  return lineage(sub).members.has(sup);
}

const attributeCache = new Map<string, readonly RmAttribute[]>();

/**
 * All attributes of a class, inherited first, in XSD order. A redefinition in a subclass
 * replaces the inherited attribute where the ancestor declared it. Throws for an unknown class.
 */
export function allAttributes(name: string): readonly RmAttribute[] {
  const cached = attributeCache.get(name);
  if (cached) {
    return cached;
  }
  const rm = requireClass(name);
  const inherited = rm.parent ? allAttributes(rm.parent) : [];
  const result = [...inherited];
  for (const own of rm.attributes) {
    const index = result.findIndex((a) => a.name === own.name);
    if (index >= 0) {
      result[index] = own;
    } else {
      result.push(own);
    }
  }
  attributeCache.set(name, result);
  return result;
}

const attributeIndex = new Map<string, ReadonlyMap<string, RmAttribute>>();

/** One attribute of a class (own or inherited), or undefined when either is unknown. */
export function attribute(className: string, attributeName: string): RmAttribute | undefined {
  let index = attributeIndex.get(className);
  if (!index) {
    if (!CLASSES.has(className)) {
      return undefined;
    }
    index = new Map(allAttributes(className).map((a) => [a.name, a]));
    attributeIndex.set(className, index);
  }
  return index.get(attributeName);
}

/** The concrete classes that are subtypes of a class (the class itself included when concrete). */
export function concreteSubtypes(name: string): readonly string[] {
  return allRmClasses()
    .filter((c) => !c.abstract && isSubtypeOf(c.name, name))
    .map((c) => c.name);
}

/** LOCATABLE and its descendants carry archetype_node_id and name and give AQL path steps their predicate. */
export function isLocatableType(name: string): boolean {
  return isSubtypeOf(name, 'LOCATABLE');
}
