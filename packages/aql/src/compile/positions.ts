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
}

/** Values that compare in their own way. */
export type SpecialValue =
  | { readonly kind: 'ehrId'; readonly column: Expr }
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
      sql.eq(col(table, 'ehr_id'), col(node.table, 'ehr_id')),
      sql.eq(col(table, 'object_id'), col(node.table, 'vo_id')),
      sql.eq(col(table, 'version'), col(node.table, 'version')),
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
  return sql.binary('#>', col(version, 'data'), col(node.table, 'json_path'));
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
