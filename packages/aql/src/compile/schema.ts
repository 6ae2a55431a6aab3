/**
 * What the compiler knows of the storage schema: the tables of the persistence core and
 * of the AQL query index (migrations/001_core.sql, 002_aql_index.sql), and which RM
 * classes the index keeps as rows of their own. The store's indexer follows the same rule
 * (packages/store/src/aql/node-rows.ts); a test in the server checks that they agree.
 */
import { attribute, baseTypeName, concreteSubtypes, isLocatableType, isRmClassName } from '@cdr/rm';

export const EHR_TABLE = 'ehr';
export const NODE_TABLE = 'aql_node';
export const FOLDER_ITEM_TABLE = 'aql_folder_item';
export const VERSION_TABLE = 'object_version';
export const VERSIONED_OBJECT_TABLE = 'versioned_object';

/** The non-LOCATABLE classes that are index nodes (besides every LOCATABLE). */
export const NON_LOCATABLE_NODE_TYPES: readonly string[] = Object.freeze([
  'EVENT_CONTEXT',
  'ISM_TRANSITION',
  'INSTRUCTION_DETAILS',
  'FEEDER_AUDIT',
]);

/** The classes whose objects are the roots of versioned objects. */
export const VERSIONED_TYPES: readonly string[] = Object.freeze(['COMPOSITION', 'EHR_STATUS', 'FOLDER']);

const nodeTypes = new Map<string, boolean>();
const concrete = new Map<string, readonly string[]>();
const attributes = new Map<string, AttributeInfo>();

/** Whether objects of a (concrete) class have rows of their own in the index. */
export function isNodeType(rmType: string): boolean {
  let known = nodeTypes.get(rmType);
  if (known === undefined) {
    known = NON_LOCATABLE_NODE_TYPES.includes(rmType) || (isRmClassName(rmType) && isLocatableType(rmType));
    nodeTypes.set(rmType, known);
  }
  return known;
}

/** The concrete classes of a class name (itself when concrete; an unknown name gives none). */
export function concreteTypes(rmType: string): readonly string[] {
  let known = concrete.get(rmType);
  if (!known) {
    const base = baseTypeName(rmType);
    known = Object.freeze(isRmClassName(base) ? [...concreteSubtypes(base)] : []);
    concrete.set(rmType, known);
  }
  return known;
}

export interface AttributeInfo {
  /** The concrete classes a value of the attribute can be; empty for primitives and unknown types. */
  readonly types: readonly string[];
  /** A list in any of the owner's classes; 'unknown' when no owner class declares it. */
  readonly multiple: boolean | 'unknown';
  /** Declared as a primitive (String, Integer, Real, Boolean ...) in every owner class that has it. */
  readonly primitive: boolean;
  /** Declared as a class (an RM object) in every owner class that has it. */
  readonly object: boolean;
  /** Its values are index nodes (they have rows of their own). */
  readonly holdsNodes: boolean;
  /** No owner class declares it (generic parameters, unknown classes). */
  readonly unknown: boolean;
}

/** The attribute `name` of a value whose class is one of `owners` (polymorphic lookup). */
export function attributeOf(owners: readonly string[], name: string): AttributeInfo {
  const key = `${owners.join(',')}.${name}`;
  let known = attributes.get(key);
  if (!known) {
    known = lookupAttribute(owners, name);
    attributes.set(key, known);
  }
  return known;
}

function lookupAttribute(owners: readonly string[], name: string): AttributeInfo {
  const found = owners.map((owner) => attribute(owner, name)).filter((a) => a !== undefined);
  if (found.length === 0) {
    return { types: [], multiple: 'unknown', primitive: false, object: false, holdsNodes: false, unknown: true };
  }
  const types = new Set<string>();
  let primitive = true;
  let object = true;
  for (const declared of found) {
    const base = baseTypeName(declared.type);
    const concrete = concreteTypes(base);
    concrete.forEach((t) => types.add(t));
    if (concrete.length > 0 || !isPrimitiveName(base)) {
      primitive = false;
    }
    if (concrete.length === 0) {
      object = false;
    }
  }
  const typeList = [...types];
  return {
    types: typeList,
    multiple: found.some((a) => a.multiple),
    primitive,
    object,
    holdsNodes: typeList.length > 0 && typeList.every(isNodeType),
    unknown: false,
  };
}

const PRIMITIVES = new Set(['String', 'Integer', 'Integer64', 'Real', 'Double', 'Boolean', 'Octets', 'Character', 'Any']);

function isPrimitiveName(name: string): boolean {
  return PRIMITIVES.has(name) && name !== 'Any';
}
