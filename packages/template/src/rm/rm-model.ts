/**
 * The RM class model as this package uses it, over the model table of `@cdr/rm`:
 * type names may carry generic parameters (`DV_INTERVAL<DV_COUNT>`), unknown classes have
 * no attributes instead of throwing, and primitive types use four names (String, Integer,
 * Real, Boolean: Integer64 counts as Integer, Double as Real, Octets as String).
 */
import {
  allAttributes as tableAttributes,
  baseTypeName,
  concreteSubtypes as tableConcreteSubtypes,
  isRmClassName,
  isSubtypeOf as tableIsSubtypeOf,
  rmClass as tableClass,
  type RmClass,
} from '@cdr/rm';

export { baseTypeName, type RmClass };

export interface RmAttribute {
  readonly name: string;
  /** An RM class name or one of String, Integer, Real, Boolean. */
  readonly type: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
}

const PRIMITIVE_ALIASES: Readonly<Record<string, string>> = { Integer64: 'Integer', Double: 'Real', Octets: 'String' };

/** Classes the RM makes PATHABLE without being LOCATABLE. */
const PATHABLE_PARTS = new Set(['EVENT_CONTEXT', 'ISM_TRANSITION', 'INSTRUCTION_DETAILS']);

/** The generic parameter of a type name: `DV_INTERVAL<DV_COUNT>` -> `DV_COUNT`. */
export function typeParameter(type: string): string | undefined {
  const match = /<\s*([A-Z_]+)\s*>/.exec(type);
  return match?.[1];
}

export function isKnownType(name: string): boolean {
  return isRmClassName(baseTypeName(name));
}

export function rmClass(name: string): RmClass | undefined {
  return tableClass(baseTypeName(name));
}

export function isSubtypeOf(sub: string, sup: string): boolean {
  const base = baseTypeName(sup);
  if (base === 'PATHABLE' && PATHABLE_PARTS.has(baseTypeName(sub))) {
    return true;
  }
  return tableIsSubtypeOf(baseTypeName(sub), base);
}

const attributeCache = new Map<string, readonly RmAttribute[]>();

/** All attributes of a class, inherited first; empty for an unknown class. */
export function allAttributes(name: string): readonly RmAttribute[] {
  const base = baseTypeName(name);
  const cached = attributeCache.get(base);
  if (cached) {
    return cached;
  }
  const result = isRmClassName(base)
    ? tableAttributes(base).map((a) => ({ name: a.name, type: PRIMITIVE_ALIASES[a.type] ?? a.type, multiple: a.multiple, mandatory: a.mandatory }))
    : [];
  attributeCache.set(base, result);
  return result;
}

export function attribute(className: string, attributeName: string): RmAttribute | undefined {
  return allAttributes(className).find((a) => a.name === attributeName);
}

export function concreteSubtypes(name: string): string[] {
  return isKnownType(name) ? [...tableConcreteSubtypes(baseTypeName(name))] : [];
}

export function isLocatableType(name: string): boolean {
  return isSubtypeOf(name, 'LOCATABLE');
}
