/**
 * FROM to SQL. Every class in FROM becomes a row source: EHR the ehr table, VERSION
 * object_version, any other class a row of the index (aql_node), and, under
 * VERSION[ALL_VERSIONS], a JSON value inside the version's data. CONTAINS becomes:
 *
 * - EHR contains X: same ehr_id;
 * - VERSION contains X: X is in that version's object (the index holds latest versions only);
 * - node contains node: the same object and a nested-set interval (num in (num, num_cap]);
 * - FOLDER contains anything but a folder: the folder or one of its sub-folders lists the
 *   composition in FOLDER.items (aql_folder_item);
 * - AND: each operand inside the same container (one row per combination);
 * - OR: each operand optional (LEFT JOIN), at least one present; a branch's first class
 *   is only present when the rest of its branch is (an EXISTS in its join);
 * - NOT CONTAINS: NOT EXISTS.
 */
import type { ClassExpr, ClassOperand, FromExpr, Predicate, VersionExpr } from '../ast/nodes.js';
import * as sql from '../sql/factory.js';
import type { Expr, FromItem, Join } from '../sql/nodes.js';
import { archetypeRmType } from '../check/rm-model.js';
import { notSupported } from './errors.js';
import { PathCompiler } from './paths.js';
import { col, constText, nodeColumn, type NodePosition, type Position, type VersionPosition } from './positions.js';
import type { Eliminations } from './eliminations.js';
import { EHR_TABLE, FOLDER_ITEM_TABLE, NODE_TABLE, VERSION_TABLE, VERSIONED_OBJECT_TABLE, concreteTypes, isNodeType } from './schema.js';
import { existsIn, type Scope } from './scope.js';

const text = constText;
const int = (value: number): Expr => sql.cast(sql.value(value), 'integer');

export interface CompiledFrom {
  readonly from: FromItem;
  readonly joins: readonly Join[];
  readonly where: readonly Expr[];
  /** The ehr_id of every row (all classes of a row are in one EHR). */
  readonly ehrId: Expr;
  /** The EHR row, when FROM names EHR at its root. */
  readonly ehrTable: string | undefined;
}

interface Source {
  readonly item: FromItem;
  readonly position: Position;
  readonly conditions: Expr[];
  readonly lateral: boolean;
}

const OBJECT_ROOTS = ['COMPOSITION', 'EHR_STATUS'];

function archetypeIdOf(predicate: Predicate | undefined, parameter: (name: string, at: ClassExpr['position']) => unknown): string | undefined {
  if (!predicate) {
    return undefined;
  }
  if (predicate.kind === 'predicateAnd') {
    return predicate.operands.map((p) => archetypeIdOf(p, parameter)).find((id) => id !== undefined);
  }
  if (predicate.kind !== 'nodePredicate') {
    return undefined;
  }
  const node = predicate.node;
  const id = node.kind === 'archetypeId' ? node.id : node.kind === 'parameter' ? parameter(node.name, node.position) : undefined;
  return typeof id === 'string' && archetypeRmType(id) !== undefined && !/^(?:at|id)\d/.test(id) ? id : undefined;
}

export class FromCompiler {
  private readonly joins: Join[] = [];
  private readonly where: Expr[] = [];
  private first: Source | undefined;
  /** VERSION[LATEST_VERSION] aliases: latest by their contained node, or by a condition of their own. */
  private readonly latest: VersionPosition[] = [];

  constructor(
    private readonly scope: Scope,
    private readonly eliminated: Eliminations = { roots: new Set(), bound: new Map() },
  ) {}

  private get context() {
    return this.scope.context;
  }

  compile(from: FromExpr): CompiledFrom {
    this.visit(from, undefined, false);
    for (const version of this.latest) {
      if (!version.contained) {
        this.where.push(latestVersion(version.table));
      }
    }
    const first = this.first as Source;
    this.where.unshift(...first.conditions);
    const root = first.position;
    const ehrTable = root.kind === 'ehr' ? root.table : undefined;
    return { from: first.item, joins: this.joins, where: this.where, ehrId: ehrIdOf(root), ehrTable };
  }

  // ---------------------------------------------------------------- the tree

  private visit(node: FromExpr, outer: Position | undefined, optional: boolean): void {
    switch (node.kind) {
      case 'classExpr':
      case 'versionExpr':
        this.operand(node, outer, optional, undefined);
        return;
      case 'contains': {
        const position = this.operand(node.container, outer, optional, node);
        if (node.negated) {
          this.where.push(sql.not(this.existsUnder(this.scope, position, node.contained)));
        } else {
          this.visit(node.contained, position, optional);
        }
        return;
      }
      case 'containsAnd':
        for (const operand of node.operands) {
          this.visit(operand, outer, optional);
        }
        return;
      case 'containsOr': {
        if (!outer) {
          throw notSupported(node.position, 'OR between classes that no class contains');
        }
        const present: Expr[] = [];
        for (const operand of node.operands) {
          this.visit(operand, outer, true);
          present.push(this.presence(operand));
        }
        if (!optional) {
          this.where.push(sql.or(...present));
        }
        return;
      }
    }
  }

  /** Whether an optional branch matched: its first class is present. */
  private presence(node: FromExpr): Expr {
    switch (node.kind) {
      case 'classExpr':
      case 'versionExpr':
        return sql.isNotNull(keyColumn(this.positionOf(node)));
      case 'contains':
        return sql.isNotNull(keyColumn(this.positionOf(node.container)));
      case 'containsAnd':
        return sql.and(...node.operands.map((o) => this.presence(o)));
      case 'containsOr':
        return sql.or(...node.operands.map((o) => this.presence(o)));
    }
  }

  private readonly operandPositions = new Map<ClassOperand, Position>();

  private positionOf(node: ClassOperand): Position {
    return this.operandPositions.get(node) as Position;
  }

  private operand(node: ClassOperand, outer: Position | undefined, optional: boolean, containment: Extract<FromExpr, { kind: 'contains' }> | undefined): Position {
    const virtual = outer ? this.virtualSource(node, outer) : undefined;
    if (virtual) {
      this.operandPositions.set(node, virtual);
      if (node.alias !== undefined) {
        this.context.aliases.set(node.alias, virtual);
      }
      if (virtual.virtual?.kind === 'bound') {
        const container = outer as Position;
        virtual.virtual.deferred = () => this.containment(this.scope, container, virtual, node);
      }
      return virtual;
    }
    const source = this.source(this.scope, node, outer);
    this.operandPositions.set(node, source.position);
    if (node.alias !== undefined) {
      this.context.aliases.set(node.alias, source.position);
    }
    const conditions = [...source.conditions];
    if (outer) {
      conditions.push(...this.containment(this.scope, outer, source.position, node));
      if (outer.kind === 'version' && source.position.kind === 'node' && source.position.objectRoot) {
        outer.contained = source.position;
      }
    }
    if (source.position.kind === 'version' && !source.position.allVersions) {
      this.latest.push(source.position);
    }
    if (optional && containment && !containment.negated) {
      conditions.push(this.existsUnder(this.scope, source.position, containment.contained));
    }
    if (!this.first) {
      if (outer) {
        throw new Error('the first class has no container');
      }
      this.first = { ...source, conditions };
      return source.position;
    }
    const on = sql.and(...conditions);
    this.joins.push(sql.join(optional ? 'LEFT' : 'INNER', source.item, on, { lateral: source.lateral }));
    return source.position;
  }

  // ---------------------------------------------------------------- row sources

  /** A class that gets no row of its own (see eliminations.ts), or undefined. */
  private virtualSource(node: ClassOperand, outer: Position): NodePosition | undefined {
    if (node.kind !== 'classExpr') {
      return undefined;
    }
    const types = concreteTypes(node.rmType).filter(isNodeType);
    const key = node.alias ?? this.context.nextAlias('n');
    if (this.eliminated.roots.has(node) && outer.kind === 'ehr') {
      return {
        kind: 'node',
        table: key,
        types,
        archetypeRoot: true,
        archetypeId: undefined,
        objectRoot: true,
        key,
        virtual: { kind: 'root', ehrId: col(outer.table, 'ehr_id') },
      };
    }
    if (node.alias !== undefined && this.eliminated.bound.has(node.alias)) {
      return {
        kind: 'node',
        table: key,
        types,
        archetypeRoot: true,
        archetypeId: archetypeIdOf(node.predicate, (name, at) => this.context.parameter(name, at)),
        objectRoot: false,
        key,
        virtual: { kind: 'bound' },
      };
    }
    return undefined;
  }

  /** The row source of a class, its position and its own conditions (class, predicate). */
  private source(scope: Scope, node: ClassOperand, outer: Position | undefined): Source {
    if (node.kind === 'versionExpr') {
      return this.versionSource(scope, node);
    }
    if (node.rmType === 'EHR') {
      if (outer) {
        throw notSupported(node.position, 'EHR inside CONTAINS');
      }
      const table = this.context.nextAlias('e');
      const position: Position = { kind: 'ehr', table, key: node.alias ?? table };
      const conditions = node.predicate ? [this.predicateOn(scope, position, node.predicate)] : [];
      return { item: sql.table(EHR_TABLE, table), position, conditions, lateral: false };
    }
    const types = concreteTypes(node.rmType).filter(isNodeType);
    if (types.length === 0) {
      throw notSupported(node.position, `FROM ${node.rmType}`);
    }
    if (outer && (outer.kind === 'json' || (outer.kind === 'version' && outer.allVersions))) {
      return this.jsonSource(scope, node, outer, types);
    }
    const table = this.context.nextAlias('n');
    const archetypeId = archetypeIdOf(node.predicate, (name, at) => this.context.parameter(name, at));
    const objectRoot = types.every((t) => OBJECT_ROOTS.includes(t));
    const position: NodePosition = {
      kind: 'node',
      table,
      types,
      archetypeRoot: objectRoot || archetypeId !== undefined,
      archetypeId: archetypeId ?? undefined,
      objectRoot,
      key: node.alias ?? table,
    };
    const conditions: Expr[] = [typeCondition(col(table, 'rm_type'), types)];
    if (objectRoot) {
      conditions.push(sql.eq(col(table, 'num'), int(0)));
    }
    if (node.predicate) {
      conditions.push(this.predicateOn(scope, position, node.predicate));
    }
    return { item: sql.table(NODE_TABLE, table), position, conditions, lateral: false };
  }

  private versionSource(scope: Scope, node: VersionExpr): Source {
    const table = this.context.nextAlias('v');
    const all = node.versions === 'all' || node.predicate !== undefined;
    const position: VersionPosition = { kind: 'version', table, key: node.alias ?? table, contained: undefined, allVersions: all };
    const conditions: Expr[] = [sql.isNotNull(col(table, 'data'))];
    if (node.predicate) {
      conditions.push(this.predicateOn(scope, position, node.predicate));
    }
    return { item: sql.table(VERSION_TABLE, table), position, conditions, lateral: false };
  }

  /** A class inside a JSON value (VERSION[ALL_VERSIONS]): the objects of that class below it. */
  private jsonSource(scope: Scope, node: ClassExpr, outer: Position, types: readonly string[]): Source {
    const alias = this.context.nextAlias('j');
    const container = outer.kind === 'version' ? col(outer.table, 'data') : outer.kind === 'json' ? outer.expr : undefined;
    if (!container) {
      throw notSupported(node.position, `${node.rmType} inside this container`);
    }
    const vars: Record<string, string> = {};
    types.forEach((t, i) => (vars[`t${i}`] = t));
    const filter = types.map((_, i) => `@._type == $t${i}`).join(' || ');
    const levels = outer.kind === 'version' ? '{0 to last}' : '{1 to last}';
    const call = sql.jsonbPathQuery(container, `strict $.**${levels} ? (@.type() == "object" && (${filter}))`, vars);
    const root = outer.kind === 'version' && types.every((t) => OBJECT_ROOTS.includes(t) || t === 'FOLDER');
    const position: Position = {
      kind: 'json',
      expr: col(alias, 'value'),
      types,
      primitive: false,
      object: true,
      key: node.alias ?? alias,
      ...(root ? { versionTable: outer.table } : {}),
    };
    const conditions = node.predicate ? [this.predicateOn(scope, position, node.predicate)] : [];
    return { item: sql.functionTable(call, alias, { columns: ['value'] }), position, conditions, lateral: true };
  }

  /** A FROM predicate (node id, archetype id, name, comparisons on paths of the class). */
  private predicateOn(scope: Scope, position: Position, predicate: Predicate, required = true): Expr {
    const paths = new PathCompiler(scope);
    switch (predicate.kind) {
      case 'predicateAnd':
        return sql.and(...predicate.operands.map((p) => this.predicateOn(scope, position, p, required)));
      case 'predicateOr':
        return sql.or(...predicate.operands.map((p) => this.predicateOn(scope, position, p, false)));
      case 'nodePredicate':
        if (position.kind === 'node') {
          return paths.nodeCondition(position.table, position.types, predicate, position.key);
        }
        if (position.kind === 'json') {
          return paths.predicateOn(position, predicate);
        }
        throw notSupported(predicate.position, 'a node predicate on EHR or VERSION');
      case 'predicateComparison':
        this.noteScopedEhr(position, predicate, required);
        return paths.relativeCondition(position, predicate);
      case 'predicateMatches':
        throw notSupported(predicate.position, 'a regular expression in a path predicate');
    }
  }

  /**
   * `EHR e[ehr_id/value = '...']` names an EHR: it stays visible even when not queryable.
   * Outside an OR (`required`), the query is limited to it.
   */
  private noteScopedEhr(position: Position, predicate: Extract<Predicate, { kind: 'predicateComparison' }>, required: boolean): void {
    const steps = predicate.path.steps.map((s) => s.attribute).join('/');
    if (position.kind !== 'ehr' || steps !== 'ehr_id/value' || predicate.operator !== '=') {
      return;
    }
    const value = predicate.value;
    const id = value.kind === 'string' ? value.value : value.kind === 'parameter' ? this.context.parameter(value.name, value.position) : undefined;
    if (typeof id === 'string') {
      this.context.scopedEhrIds.add(id.toLowerCase());
      this.context.namedEhrsOnly ||= required;
    }
  }

  // ---------------------------------------------------------------- containment

  private containment(scope: Scope, outer: Position, inner: Position, node: ClassOperand): Expr[] {
    if (inner.kind === 'json') {
      return [];
    }
    const c = (position: Position, name: string): Expr => (position.kind === 'node' ? nodeColumn(position, name) : col(tableOf(position), name));
    if (outer.kind === 'ehr') {
      return [sql.eq(c(inner, 'ehr_id'), col(outer.table, 'ehr_id'))];
    }
    if (outer.kind === 'node' && outer.virtual?.kind === 'root') {
      if (inner.kind !== 'node') {
        throw notSupported(node.position, `${inner.kind} inside a composition`);
      }
      return [
        sql.eq(c(inner, 'ehr_id'), outer.virtual.ehrId as Expr),
        sql.eq(c(inner, 'obj_type'), text(outer.types[0] as string)),
        sql.gt(c(inner, 'num'), int(0)),
      ];
    }
    if (outer.kind === 'version') {
      if (inner.kind === 'version') {
        throw notSupported(node.position, 'VERSION inside VERSION');
      }
      if (inner.kind !== 'node') {
        throw notSupported(node.position, `${inner.kind} inside VERSION`);
      }
      return [
        sql.eq(c(inner, 'ehr_id'), col(outer.table, 'ehr_id')),
        sql.eq(c(inner, 'vo_id'), col(outer.table, 'object_id')),
        sql.eq(c(inner, 'version'), col(outer.table, 'version')),
      ];
    }
    if (outer.kind !== 'node') {
      throw notSupported(node.position, 'this containment');
    }
    const folder = outer.types.every((t) => t === 'FOLDER') && !(inner.kind === 'node' && inner.types.includes('FOLDER'));
    if (folder) {
      const objectId = inner.kind === 'version' ? col(inner.table, 'object_id') : c(inner, 'vo_id');
      const item = this.context.nextAlias('f');
      const listed = sql.exists(
        sql.select({
          columns: [sql.keyword('TRUE')],
          from: [sql.table(FOLDER_ITEM_TABLE, item)],
          where: sql.and(
            sql.eq(col(item, 'ehr_id'), col(outer.table, 'ehr_id')),
            sql.eq(col(item, 'vo_id'), col(outer.table, 'vo_id')),
            sql.gte(col(item, 'num'), col(outer.table, 'num')),
            sql.lte(col(item, 'num'), col(outer.table, 'num_cap')),
            sql.eq(col(item, 'target'), objectId),
          ),
        }),
      );
      const conditions: Expr[] = [sql.eq(c(inner, 'ehr_id'), col(outer.table, 'ehr_id')), listed];
      if (inner.kind === 'node') {
        conditions.push(sql.eq(c(inner, 'obj_type'), text('COMPOSITION')));
      } else if (inner.kind === 'version') {
        conditions.push(latestVersion(inner.table));
      }
      return conditions;
    }
    if (inner.kind !== 'node') {
      throw notSupported(node.position, `VERSION inside ${outer.types.join('/')}`);
    }
    return [
      sql.eq(c(inner, 'ehr_id'), col(outer.table, 'ehr_id')),
      sql.eq(c(inner, 'vo_id'), col(outer.table, 'vo_id')),
      sql.gt(c(inner, 'num'), col(outer.table, 'num')),
      sql.lte(c(inner, 'num'), col(outer.table, 'num_cap')),
    ];
  }

  /** Whether `contained` is satisfied below `outer` (an EXISTS; binds no alias). */
  private existsUnder(scope: Scope, outer: Position, contained: FromExpr): Expr {
    switch (contained.kind) {
      case 'classExpr':
      case 'versionExpr':
        return this.existsClass(scope, outer, contained, undefined);
      case 'contains': {
        const inner = contained;
        return this.existsClass(scope, outer, inner.container, (position, nested) => {
          const below = this.existsUnder(nested, position, inner.contained);
          return inner.negated ? sql.not(below) : below;
        });
      }
      case 'containsAnd':
        return sql.and(...contained.operands.map((o) => this.existsUnder(scope, outer, o)));
      case 'containsOr':
        return sql.or(...contained.operands.map((o) => this.existsUnder(scope, outer, o)));
    }
  }

  private existsClass(scope: Scope, outer: Position, node: ClassOperand, then: ((position: Position, scope: Scope) => Expr) | undefined): Expr {
    const nested = scope.nested();
    const source = this.source(nested, node, outer);
    const conditions = [...source.conditions, ...this.containment(nested, outer, source.position, node)];
    if (source.position.kind === 'version' && !source.position.allVersions) {
      conditions.push(latestVersion(source.position.table));
    }
    if (then) {
      conditions.push(then(source.position, nested));
    }
    nested.joins.unshift(sql.innerJoin(source.item, sql.and(...conditions)));
    return existsIn(nested, sql.keyword('TRUE'));
  }
}

function typeCondition(column: Expr, types: readonly string[]): Expr {
  return types.length === 1 ? sql.eq(column, text(types[0] as string)) : sql.inList(column, types.map(text));
}

function tableOf(position: Position): string {
  if (position.kind === 'json') {
    throw new Error('a JSON position has no table');
  }
  return position.table;
}

function keyColumn(position: Position): Expr {
  switch (position.kind) {
    case 'ehr':
      return col(position.table, 'ehr_id');
    case 'node':
      return col(position.table, 'num');
    case 'version':
      return col(position.table, 'version');
    case 'json':
      return position.expr;
  }
}

function ehrIdOf(position: Position): Expr {
  return col(tableOf(position), 'ehr_id');
}

/** The version is its object's latest (and not a deletion). */
function latestVersion(table: string): Expr {
  const vo = `${table}_o`;
  return sql.exists(
    sql.select({
      columns: [sql.keyword('TRUE')],
      from: [sql.table(VERSIONED_OBJECT_TABLE, vo)],
      where: sql.and(
        sql.eq(col(vo, 'ehr_id'), col(table, 'ehr_id')),
        sql.eq(col(vo, 'object_id'), col(table, 'object_id')),
        sql.eq(col(vo, 'latest_version'), col(table, 'version')),
      ),
    }),
  );
}

export { latestVersion };
