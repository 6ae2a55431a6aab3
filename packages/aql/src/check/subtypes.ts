/** Concrete subtypes of RM classes, computed once per class from the @cdr/rm model table. */
import { concreteSubtypes, isRmClassName } from '@cdr/rm';

const subtypeCache = new Map<string, readonly string[]>();

/** The concrete RM classes a value of a (possibly abstract) class can have; empty for an unknown class. */
export function concreteTypesOf(rmType: string): readonly string[] {
  let cached = subtypeCache.get(rmType);
  if (!cached) {
    cached = isRmClassName(rmType) ? Object.freeze([...concreteSubtypes(rmType)]) : Object.freeze([]);
    subtypeCache.set(rmType, cached);
  }
  return cached;
}

