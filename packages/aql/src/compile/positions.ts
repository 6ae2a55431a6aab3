/**
 * Where a path stands while it is compiled: on an index node row, on a JSON value, on the
 * EHR row, or on a version row. `valueOf` gives the SQL expression (jsonb) of the object
 * or value a path ends on.
 */
import * as sql from '../sql/factory.js';
import type { Expr } from '../sql/nodes.js';
import { VERSION_TABLE } from './schema.js';
import type { Scope } from './scope.js';

/** A row of the index (aql_node). */
export interface NodePosition {
  readonly kind: 'node';
  readonly table: string;
  /** The classes the node can be. */
  readonly types: readonly string[];
  /** Known statically to be an archetype root (the object root, or named by archetype id). */
  readonly archetypeRoot: boolean;
  /** Its archetype id, when known statically. */
  readonly archetypeId: string | undefined;
  /** Known statically to be the root of its versioned object. */
  readonly objectRoot: boolean;
  readonly key: string;
  /** A class of FROM without a row of its own (see eliminations.ts). */
  readonly virtual?: VirtualNode;
}

/**
 * 'root': an object root known only through the classes it contains (their EHR and object
 * type); 'bound': a class whose identity is taken from the first node its required path
 * finds (`table`, once bound), its own conditions then applied to that node (`deferred`).
 */
export interface VirtualNode {
  readonly kind: 'root' | 'bound';
  /** root: the ehr_id of its EHR. */
  readonly ehrId?: Expr;
  table?: string;
  deferred?: () => Expr[];
}

/** A column of a node row; for a bound class, the one its node stands in for. */
export function nodeColumn(node: NodePosition, name: string): Expr {
  const virtual = node.virtual;
  if (!virtual) {
    return col(node.table, name);
  }
  if (virtual.kind === 'bound' && virtual.table) {
    const mapped: Readonly<Record<string, string>> = { ehr_id: 'ehr_id', vo_id: 'vo_id', num: 'arch_root', version: 'version', obj_type: 'obj_type' };
    const column = mapped[name];
    if (column) {
      return col(virtual.table, column);
    }
  }
  throw new Error(`internal: the class ${node.key} has no row for its column ${name}`);
}

/** A JSON value (jsonb). */
export interface JsonPosition {
  readonly kind: 'json';
  readonly expr: Expr;
  /** The classes the value can be (empty when unknown or primitive). */
  readonly types: readonly string[];
  /** Declared as a primitive by the model. */
  readonly primitive: boolean;
  /** Declared as an RM object by the model (false when unknown or mixed). */
  readonly object?: boolean;
  readonly key: string;
  /** What comparisons need to know of special values. */
  readonly special?: SpecialValue;
  /** The root of a version's object under VERSION[ALL_VERSIONS]: that version's row. */
  readonly versionTable?: string;
}

/** Values that compare in their own way. */
export type SpecialValue =
  | { readonly kind: 'ehrId'; readonly column: Expr }
  /** ELEMENT.value.magnitude, also kept as a numeric column of the index. */
  | { readonly kind: 'magnitude'; readonly column: Expr }
  | { readonly kind: 'versionUid'; readonly objectId: Expr; readonly version: Expr; readonly text: Expr };

/** A row of the ehr table. */
export interface EhrPosition {
  readonly kind: 'ehr';
  readonly table: string;
  readonly key: string;
}

/** A row of object_version: a VERSION alias. */
export interface VersionPosition {
  readonly kind: 'version';
  readonly table: string;
  readonly key: string;
  /** The root node of the versioned object it contains (latest versions only); set by FROM. */
  contained: NodePosition | undefined;
  /** ALL_VERSIONS: its object is only in object_version.data. */
  readonly allVersions: boolean;
}

export type Position = NodePosition | JsonPosition | EhrPosition | VersionPosition;

export const col = (table: string, name: string): Expr => sql.column(table, name);

/** The object_version row of a node's object (joined once per node). */
export function versionRowOf(scope: Scope, node: NodePosition): string {
  const key = `${node.key}#version`;
  const known = scope.lookup(key);
  if (known?.kind === 'version') {
    return known.table;
  }
  const table = scope.context.nextAlias('v');
  scope.join(
    sql.table(VERSION_TABLE, table),
    sql.and(
      sql.eq(col(table, 'ehr_id'), nodeColumn(node, 'ehr_id')),
      sql.eq(col(table, 'object_id'), nodeColumn(node, 'vo_id')),
      sql.eq(col(table, 'version'), nodeColumn(node, 'version')),
    ),
  );
  scope.remember(key, { kind: 'version', table, key, contained: node, allVersions: false });
  return table;
}

/** The whole object a node stands for: its place in the stored canonical JSON. */
export function nodeObject(scope: Scope, node: NodePosition): Expr {
  const version = versionRowOf(scope, node);
  if (node.objectRoot) {
    return col(version, 'data');
  }
  return sql.binary('#>', col(version, 'data'), nodeColumn(node, 'json_path'));
}

const text = (value: string): Expr => sql.cast(sql.value(value), 'text');

/** `jsonb_build_object(k1, v1, ...)` with constant keys. */
export function jsonObject(members: readonly (readonly [string, Expr])[]): Expr {
  return sql.fn(
    'jsonb_build_object',
    members.flatMap(([key, value]) => [text(key), value]),
  );
}

export const constText = text;
