/**
 * The rows of the AQL query index for one object (see migrations/002_aql_index.sql): one
 * per containable node, numbered in pre-order with nested-set intervals, each with its own
 * attributes (its JSON without the attributes that hold child nodes). Pure.
 *
 * Containable are the LOCATABLE classes and the four other classes AQL's FROM can name
 * inside a composition: EVENT_CONTEXT, ISM_TRANSITION, INSTRUCTION_DETAILS and
 * FEEDER_AUDIT. A node is recognised by its `_type` (stored canonical JSON carries every
 * `_type`); objects of other classes stay inside their node's data.
 */
import { isLocatableType, isRmClassName } from '@cdr/rm';
import type { Json, JsonObject } from '../model.js';

/** The non-LOCATABLE classes that are nodes of the index. */
export const NON_LOCATABLE_NODE_TYPES: readonly string[] = Object.freeze([
  'EVENT_CONTEXT',
  'ISM_TRANSITION',
  'INSTRUCTION_DETAILS',
  'FEEDER_AUDIT',
]);

const containableCache = new Map<string, boolean>();

/** Whether objects of an RM class get their own index row. */
export function isContainableType(rmType: string): boolean {
  let known = containableCache.get(rmType);
  if (known === undefined) {
    known = NON_LOCATABLE_NODE_TYPES.includes(rmType) || (isRmClassName(rmType) && isLocatableType(rmType));
    containableCache.set(rmType, known);
  }
  return known;
}

/** `openEHR-EHR-OBSERVATION.blood_pressure.v2` rather than a node code such as `at0004`. */
export function isArchetypeId(nodeId: string): boolean {
  return /^[A-Za-z][\w]*-[A-Za-z][\w]*-[A-Za-z_]+\.[^.]+\.v\d/.test(nodeId);
}

export interface IndexNode {
  readonly num: number;
  numCap: number;
  readonly parentNum: number | null;
  readonly attr: string | null;
  readonly rmType: string;
  readonly archetypeNodeId: string | null;
  readonly name: string | null;
  readonly archRoot: number;
  readonly archId: string | null;
  readonly archPath: string;
  readonly jsonPath: readonly string[];
  readonly data: JsonObject;
  /** ELEMENT.value.magnitude, when it is a number. */
  readonly magnitude: number | null;
}

export interface FolderItem {
  /** The folder's node. */
  readonly num: number;
  /** The versioned object id the folder lists. */
  readonly target: string;
}

export interface IndexRows {
  readonly nodes: readonly IndexNode[];
  readonly folderItems: readonly FolderItem[];
}

function isNode(value: Json | undefined): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value._type === 'string' &&
    isContainableType(value._type)
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function folderTargets(data: JsonObject): string[] {
  const items = data.items;
  if (!Array.isArray(items)) {
    return [];
  }
  const targets = new Set<string>();
  for (const item of items) {
    const id = typeof item === 'object' && item !== null && !Array.isArray(item) ? item.id : undefined;
    const value = typeof id === 'object' && id !== null && !Array.isArray(id) ? id.value : undefined;
    const uuid = typeof value === 'string' ? UUID.exec(value.trim())?.[0] : undefined;
    if (uuid) {
      targets.add(uuid.toLowerCase());
    }
  }
  return [...targets];
}

function magnitudeOf(rmType: string, data: JsonObject): number | null {
  const value = data.value;
  if (rmType !== 'ELEMENT' || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return null;
  }
  return typeof value.magnitude === 'number' && Number.isFinite(value.magnitude) ? value.magnitude : null;
}

/** Where a node is: its parent, the parent's attribute that holds it, its JSON path. */
interface Place {
  readonly num: number | null;
  readonly attr: string | null;
  readonly jsonPath: readonly string[];
  readonly archRoot: number;
  readonly archId: string | null;
  readonly archPath: string;
}

/** The index rows of an object in canonical JSON (a COMPOSITION, EHR_STATUS or FOLDER). */
export function indexRows(object: JsonObject): IndexRows {
  const nodes: IndexNode[] = [];
  const folderItems: FolderItem[] = [];

  const visit = (value: JsonObject, parent: Place): void => {
    const num = nodes.length;
    const rmType = String(value._type);
    const nodeId = typeof value.archetype_node_id === 'string' ? value.archetype_node_id : null;
    const nameObject = value.name;
    const name =
      typeof nameObject === 'object' && nameObject !== null && !Array.isArray(nameObject) && typeof nameObject.value === 'string'
        ? nameObject.value
        : null;
    const isRoot = num === 0 || (nodeId !== null && isArchetypeId(nodeId));
    const step = parent.attr === null ? '' : `/${parent.attr}${nodeId === null ? '' : `[${nodeId}]`}`;
    const data: JsonObject = {};
    const children: [string, JsonObject, readonly string[]][] = [];
    for (const [key, member] of Object.entries(value)) {
      if (isNode(member)) {
        children.push([key, member, [...parent.jsonPath, key]]);
      } else if (Array.isArray(member) && member.length > 0 && member.every(isNode)) {
        member.forEach((element, index) => children.push([key, element as JsonObject, [...parent.jsonPath, key, String(index)]]));
      } else {
        data[key] = member;
      }
    }
    const node: IndexNode = {
      num,
      numCap: num,
      parentNum: parent.num,
      attr: parent.attr,
      rmType,
      archetypeNodeId: nodeId,
      name,
      archRoot: isRoot ? num : parent.archRoot,
      archId: isRoot ? nodeId : parent.archId,
      archPath: isRoot ? '' : `${parent.archPath}${step}`,
      jsonPath: parent.jsonPath,
      data,
      magnitude: magnitudeOf(rmType, data),
    };
    nodes.push(node);
    if (rmType === 'FOLDER') {
      for (const target of folderTargets(value)) {
        folderItems.push({ num, target });
      }
    }
    for (const [key, child, jsonPath] of children) {
      visit(child, { num, attr: key, jsonPath, archRoot: node.archRoot, archId: node.archId, archPath: node.archPath });
    }
    node.numCap = nodes.length - 1;
  };

  visit(object, { num: null, attr: null, jsonPath: [], archRoot: 0, archId: null, archPath: '' });
  return { nodes, folderItems };
}
