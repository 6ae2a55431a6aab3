/**
 * Identified paths to SQL. A path walks from its alias's position step by step:
 *
 * - into an attribute that holds index nodes (content, data, events, items, context ...):
 *   a join of aql_node. A chain of steps with node codes (`data[at0001]/events[at0006]/...`)
 *   is found in one lookup by its archetype path, unless another path of the query leaves
 *   the chain half way (then the node where they part is joined on its own);
 * - into any other attribute: JSON, from the node's own data. A list is expanded with a
 *   lateral join, so a multi-valued path gives one row per value;
 * - predicates filter the nodes or list elements: node id, archetype id, name, and
 *   comparisons on a relative path.
 *
 * Joins are shared by paths with the same prefix (within one scope).
 */
import type { IdentifiedPath, NodePredicate, PathStep, Predicate, SourcePosition } from '../ast/nodes.js';
import * as sql from '../sql/factory.js';
import type { Expr } from '../sql/nodes.js';
import { compare, type ComparisonOperand } from './compare.js';
import { invalidQuery, notSupported } from './errors.js';
import { prefixKey, stepText } from './path-trie.js';
import { col, constText, jsonObject, nodeColumn, nodeObject, type EhrPosition, type JsonPosition, type NodePosition, type Position, type VersionPosition } from './positions.js';
import { NODE_TABLE, attributeOf, concreteTypes, isNodeType, type AttributeInfo } from './schema.js';
import { existsIn, type Scope } from './scope.js';
import { archetypeRmType } from '../check/rm-model.js';

/** A path's value: its SQL (jsonb) and what comparisons need to know about it. */
export interface PathValue {
  readonly expr: Expr;
  readonly position: Position;
  readonly shape: 'primitive' | 'object' | 'unknown';
}

const NODE_CODE = /^(?:at|id)\d+(?:\.\d+)*$/;

const text = constText;
const fn = (name: string, ...args: Expr[]): Expr => sql.fn(name, args);

interface Chain {
  readonly base: NodePosition;
  readonly steps: PathStep[];
  types: readonly string[];
}

/** The node id a predicate pins a node step to, when that is all it says. */
function simpleNodeCode(scope: Scope, predicate: Predicate | undefined): string | undefined {
  if (predicate?.kind !== 'nodePredicate' || predicate.name !== undefined) {
    return undefined;
  }
  const node = predicate.node;
  const id = node.kind === 'nodeCode' ? node.code : node.kind === 'parameter' ? scope.context.parameter(node.name, node.position) : undefined;
  return typeof id === 'string' && NODE_CODE.test(id) ? id : undefined;
}

export class PathCompiler {
  constructor(readonly scope: Scope) {}

  private get context() {
    return this.scope.context;
  }

  /** The position of a FROM alias. */
  alias(path: IdentifiedPath): Position {
    const position = this.context.aliases.get(path.alias);
    if (!position) {
      throw invalidQuery(path.position, `unknown alias '${path.alias}'`);
    }
    if (path.predicate) {
      throw notSupported(path.predicate.position, 'a predicate directly on an alias in a path');
    }
    return position;
  }

  compile(path: IdentifiedPath): PathValue {
    const position = this.walk(this.alias(path), path.alias, path.steps);
    return this.value(position, path.position);
  }

  /** The value a position stands for. */
  value(position: Position, at: SourcePosition): PathValue {
    switch (position.kind) {
      case 'json':
        return { expr: position.expr, position, shape: position.primitive ? 'primitive' : position.object ? 'object' : 'unknown' };
      case 'node':
        return { expr: nodeObject(this.scope, position), position, shape: 'object' };
      case 'ehr':
        throw notSupported(at, 'selecting a whole EHR');
      case 'version':
        return { expr: this.versionObject(position), position, shape: 'object' };
    }
  }

  /** Walks `steps` from `start`; `key` names the start (an alias or a prefix). */
  walk(start: Position, key: string, steps: readonly PathStep[]): Position {
    let position = start;
    let chain: Chain | undefined;
    let prefix = key;
    for (const [index, step] of steps.entries()) {
      prefix = `${prefix}/${stepText(step)}`;
      const node = chain ? undefined : position.kind === 'node' ? position : undefined;
      if (chain || node) {
        const types = chain ? chain.types : (node as NodePosition).types;
        const info = attributeOf(types, step.attribute);
        if (info.holdsNodes) {
          const code = simpleNodeCode(this.scope, step.predicate);
          const collapsible = code !== undefined || (step.predicate === undefined && info.types.every((t) => !isLocatable(t)));
          if (collapsible) {
            chain ??= { base: node as NodePosition, steps: [], types };
            chain.steps.push(step);
            chain.types = info.types;
            if (this.context.trie.isBranch(prefix) || index === steps.length - 1) {
              position = this.materialize(chain, prefix);
              chain = undefined;
            }
            continue;
          }
          if (chain) {
            position = this.materialize(chain, prefixBefore(prefix, step));
            chain = undefined;
          }
          position = this.childNode(position as NodePosition, step, info, prefix);
          continue;
        }
        if (chain) {
          position = this.materialize(chain, prefixBefore(prefix, step));
          chain = undefined;
        }
        const owner = position as NodePosition;
        const next = steps[index + 1];
        if (step.attribute === 'value' && !step.predicate && next?.attribute === 'magnitude' && !next.predicate && index + 2 === steps.length) {
          // ELEMENT.value.magnitude is also a column of the index
          const column = nodeColumn(owner, 'magnitude');
          return { kind: 'json', expr: sql.fn('to_jsonb', [column]), types: [], primitive: true, key: `${prefix}/magnitude`, special: { kind: 'magnitude', column } };
        }
        if (owner.objectRoot && step.attribute === 'uid' && !step.predicate) {
          position = this.rootUid(owner, prefix);
          continue;
        }
        position = this.jsonStep(sql.jsonGet(nodeColumn(owner, 'data'), step.attribute), info, step, prefix);
        continue;
      }
      if (position.kind === 'json' && position.versionTable && step.attribute === 'uid' && !step.predicate) {
        position = this.versionRootUid(position, position.versionTable, prefix);
        continue;
      }
      position = this.step(position, step, prefix);
    }
    if (chain) {
      position = this.materialize(chain, prefix);
    }
    return position;
  }

  /** One step from a position that is not a node row. */
  private step(position: Position, step: PathStep, prefix: string): Position {
    switch (position.kind) {
      case 'json':
        return this.jsonStep(sql.jsonGet(position.expr, step.attribute), attributeOf(position.types, step.attribute), step, prefix);
      case 'ehr':
        return this.ehrStep(position, step, prefix);
      case 'version':
        return this.versionStep(position, step, prefix);
      case 'node':
        throw new Error('node positions are handled by walk');
    }
  }

  // ---------------------------------------------------------------- node rows

  /** One lookup for a chain of node steps: by archetype path below the chain's base. */
  private materialize(chain: Chain, key: string): NodePosition {
    const known = this.scope.lookup(key);
    if (known?.kind === 'node') {
      return known;
    }
    const base = chain.base;
    const suffix = chain.steps.map((s) => `/${s.attribute}${nodeSuffix(this.scope, s)}`).join('');
    const table = this.context.nextAlias('n');
    const t = (name: string) => col(table, name);
    const conditions: Expr[] = [];
    const virtual = base.virtual;
    const binding = virtual?.kind === 'bound' && virtual.table === undefined;
    if (binding) {
      // the class has no row: this node stands in for it (same object, same archetype root)
      virtual.table = table;
      conditions.push(sql.eq(t('arch_path'), text(suffix)), sql.eq(t('arch_id'), text(base.archetypeId as string)), ...(virtual.deferred?.() ?? []));
    } else {
      const b = (name: string) => nodeColumn(base, name);
      conditions.push(sql.eq(t('ehr_id'), b('ehr_id')), sql.eq(t('vo_id'), b('vo_id')));
      if (base.archetypeRoot) {
        conditions.push(sql.eq(t('arch_root'), b('num')), sql.eq(t('arch_path'), text(suffix)));
        if (base.archetypeId !== undefined) {
          conditions.push(sql.eq(t('arch_id'), text(base.archetypeId)));
        }
      } else {
        conditions.push(
          sql.gt(t('num'), b('num')),
          sql.lte(t('num'), b('num_cap')),
          sql.eq(t('arch_root'), b('arch_root')),
          sql.eq(t('arch_path'), sql.binary('||', b('arch_path'), text(suffix))),
        );
      }
    }
    const last = chain.steps[chain.steps.length - 1] as PathStep;
    if (last.predicate && last.predicate.kind === 'nodePredicate' && last.predicate.name) {
      conditions.push(this.nameCondition(table, last.predicate));
    }
    if (binding && this.scope.kind === 'main') {
      this.scope.joins.push(sql.innerJoin(sql.table(NODE_TABLE, table), sql.and(...conditions)));
    } else {
      this.scope.join(sql.table(NODE_TABLE, table), sql.and(...conditions));
    }
    return this.scope.remember(key, {
      kind: 'node',
      table,
      types: chain.types,
      archetypeRoot: false,
      archetypeId: undefined,
      objectRoot: false,
      key,
    }) as NodePosition;
  }

  /** A child node by its parent, for steps a chain cannot take (no node id, archetype ids, names, comparisons). */
  private childNode(parent: NodePosition, step: PathStep, info: AttributeInfo, key: string): NodePosition {
    const known = this.scope.lookup(key);
    if (known?.kind === 'node') {
      return known;
    }
    const table = this.context.nextAlias('n');
    const t = (name: string) => col(table, name);
    const p = (name: string) => nodeColumn(parent, name);
    const conditions: Expr[] = [
      sql.eq(t('ehr_id'), p('ehr_id')),
      sql.eq(t('vo_id'), p('vo_id')),
      sql.gt(t('num'), p('num')),
      sql.lte(t('num'), p('num_cap')),
      sql.eq(t('parent_num'), p('num')),
      sql.eq(t('attr'), text(step.attribute)),
    ];
    let types = info.types;
    let archetypeId: string | undefined;
    if (step.predicate) {
      const pinned = this.archetypeIdOf(step.predicate);
      if (pinned) {
        archetypeId = pinned;
        const rmType = archetypeRmType(pinned);
        const narrowed = rmType ? types.filter((type) => concreteTypes(rmType).includes(type)) : types;
        types = narrowed.length > 0 ? narrowed : types;
      }
      conditions.push(this.nodeCondition(table, types, step.predicate, key));
    }
    this.scope.join(sql.table(NODE_TABLE, table), sql.and(...conditions));
    return this.scope.remember(key, {
      kind: 'node',
      table,
      types,
      archetypeRoot: archetypeId !== undefined,
      archetypeId,
      objectRoot: false,
      key,
    }) as NodePosition;
  }

  private archetypeIdOf(predicate: Predicate): string | undefined {
    if (predicate.kind === 'predicateAnd') {
      return predicate.operands.map((p) => this.archetypeIdOf(p)).find((id) => id !== undefined);
    }
    if (predicate.kind !== 'nodePredicate') {
      return undefined;
    }
    const node = predicate.node;
    const id = node.kind === 'archetypeId' ? node.id : node.kind === 'parameter' ? this.context.parameter(node.name, node.position) : undefined;
    return typeof id === 'string' && !NODE_CODE.test(id) ? id : undefined;
  }

  private nameCondition(table: string, predicate: NodePredicate): Expr {
    const name = predicate.name;
    if (!name) {
      return sql.keyword('TRUE');
    }
    switch (name.kind) {
      case 'string':
        return sql.eq(col(table, 'name'), text(name.value));
      case 'parameter': {
        const value = this.context.parameter(name.name, name.position);
        return typeof value === 'string' ? sql.eq(col(table, 'name'), text(value)) : sql.keyword('FALSE');
      }
      case 'termCode':
        return this.termCodeCondition(sql.jsonGet(col(table, 'data'), 'name'), name);
      case 'nodeCode':
        throw notSupported(name.position, 'a node code as the name in a node predicate');
    }
  }

  private termCodeCondition(name: Expr, code: Extract<NodePredicate['name'], { kind: 'termCode' }>): Expr {
    const defining = sql.jsonGet(name, 'defining_code');
    return sql.and(
      sql.eq(sql.jsonGetText(defining, 'code_string'), text(code.code)),
      sql.eq(sql.jsonPathText(defining, ['terminology_id', 'value']), text(code.terminology)),
    );
  }

  /** The SQL condition of a predicate on a node row. */
  nodeCondition(table: string, types: readonly string[], predicate: Predicate, key: string): Expr {
    switch (predicate.kind) {
      case 'nodePredicate': {
        const node = predicate.node;
        const id = node.kind === 'parameter' ? this.context.parameter(node.name, node.position) : node.kind === 'nodeCode' ? node.code : node.id;
        const conditions: Expr[] = [typeof id === 'string' ? sql.eq(col(table, 'archetype_node_id'), text(id)) : sql.keyword('FALSE')];
        if (predicate.name) {
          conditions.push(this.nameCondition(table, predicate));
        }
        return sql.and(...conditions);
      }
      case 'predicateAnd':
        return sql.and(...predicate.operands.map((p) => this.nodeCondition(table, types, p, key)));
      case 'predicateOr':
        return sql.or(...predicate.operands.map((p) => this.nodeCondition(table, types, p, key)));
      case 'predicateComparison':
      case 'predicateMatches':
        return this.relativeCondition(
          { kind: 'node', table, types, archetypeRoot: false, archetypeId: undefined, objectRoot: false, key: `${key}#p` },
          predicate,
        );
    }
  }

  /** `[path op value]` evaluated on a position, in a scope of its own (any value that matches). */
  relativeCondition(position: Position, predicate: Extract<Predicate, { kind: 'predicateComparison' | 'predicateMatches' }>): Expr {
    if (predicate.kind === 'predicateMatches') {
      throw notSupported(predicate.position, 'a regular expression in a path predicate');
    }
    const nested = new PathCompiler(this.scope.nested());
    const end = nested.walk(position, position.key, predicate.path.steps);
    const value = nested.value(end, predicate.position);
    const operand = predicate.value;
    let right: ComparisonOperand;
    switch (operand.kind) {
      case 'objectPath':
        throw notSupported(operand.position, 'a path on the right-hand side of a predicate comparison');
      case 'nodeCode':
        right = { kind: 'constant', value: operand.code, position: operand.position };
        break;
      case 'archetypeId':
        right = { kind: 'constant', value: operand.id, position: operand.position };
        break;
      case 'termCode':
        right = { kind: 'constant', value: operand.code, position: operand.position };
        break;
      case 'parameter':
        right = { kind: 'constant', value: this.context.parameter(operand.name, operand.position), position: operand.position };
        break;
      case 'null':
        right = { kind: 'constant', value: null, position: operand.position };
        break;
      default:
        right = { kind: 'constant', value: operand.value, position: operand.position };
    }
    const condition = compare(
      { kind: 'value', expr: value.expr, shape: value.shape, special: end.kind === 'json' ? end.special : undefined },
      predicate.operator,
      right,
      this.context.options.systemId,
    );
    return existsIn(nested.scope, condition);
  }

  /** The uid of a versioned object's root: `uid/value` compares as a version uid. */
  private rootUid(node: NodePosition, key: string): JsonPosition {
    const uid = sql.jsonGet(nodeColumn(node, 'data'), 'uid');
    const valueKey = `${key}/value`;
    this.scope.remember(valueKey, {
      kind: 'json',
      expr: sql.jsonGet(uid, 'value'),
      types: [],
      primitive: true,
      key: valueKey,
      special: { kind: 'versionUid', objectId: nodeColumn(node, 'vo_id'), version: nodeColumn(node, 'version'), text: sql.jsonGetText(uid, 'value') },
    });
    return { kind: 'json', expr: uid, types: ['OBJECT_VERSION_ID'], primitive: false, object: true, key };
  }

  /** The uid of a version's object under ALL_VERSIONS: compares as that version's uid. */
  private versionRootUid(root: JsonPosition, table: string, key: string): JsonPosition {
    const uid = sql.jsonGet(root.expr, 'uid');
    const valueKey = `${key}/value`;
    this.scope.remember(valueKey, {
      kind: 'json',
      expr: sql.jsonGet(uid, 'value'),
      types: [],
      primitive: true,
      key: valueKey,
      special: { kind: 'versionUid', objectId: col(table, 'object_id'), version: col(table, 'version'), text: sql.jsonGetText(uid, 'value') },
    });
    return { kind: 'json', expr: uid, types: ['OBJECT_VERSION_ID'], primitive: false, object: true, key };
  }

  // ---------------------------------------------------------------- JSON

  /** A JSON step: `expr` is the attribute's value; lists are expanded, predicates filter. */
  private jsonStep(expr: Expr, info: AttributeInfo, step: PathStep, key: string): JsonPosition {
    const known = this.scope.lookup(key);
    if (known?.kind === 'json') {
      return known;
    }
    const types = info.types;
    if (info.multiple !== false) {
      const alias = this.context.nextAlias('j');
      const element = col(alias, 'value');
      const condition = step.predicate ? this.jsonCondition(element, types, step.predicate, key) : sql.keyword('TRUE');
      this.scope.joinLateral(sql.functionTable(sql.fn('aql_elements', [expr]), alias, { columns: ['value'] }), condition);
      return this.scope.remember(key, { kind: 'json', expr: element, types, primitive: info.primitive, object: info.object, key }) as JsonPosition;
    }
    const value = step.predicate
      ? sql.caseWhen([sql.when(this.jsonCondition(expr, types, step.predicate, key), expr)])
      : expr;
    return { kind: 'json', expr: value, types, primitive: info.primitive, object: info.object, key };
  }

  /** A predicate on a JSON position (a class under VERSION[ALL_VERSIONS]). */
  predicateOn(position: JsonPosition, predicate: Predicate): Expr {
    return this.jsonCondition(position.expr, position.types, predicate, position.key);
  }

  /** The condition of a predicate on a JSON object (LOCATABLE or not). */
  private jsonCondition(value: Expr, types: readonly string[], predicate: Predicate, key: string): Expr {
    switch (predicate.kind) {
      case 'nodePredicate': {
        const node = predicate.node;
        const id = node.kind === 'parameter' ? this.context.parameter(node.name, node.position) : node.kind === 'nodeCode' ? node.code : node.id;
        const conditions: Expr[] = [typeof id === 'string' ? sql.eq(sql.jsonGetText(value, 'archetype_node_id'), text(id)) : sql.keyword('FALSE')];
        const name = predicate.name;
        if (name?.kind === 'string') {
          conditions.push(sql.eq(sql.jsonPathText(value, ['name', 'value']), text(name.value)));
        } else if (name?.kind === 'parameter') {
          const v = this.context.parameter(name.name, name.position);
          conditions.push(typeof v === 'string' ? sql.eq(sql.jsonPathText(value, ['name', 'value']), text(v)) : sql.keyword('FALSE'));
        } else if (name?.kind === 'termCode') {
          conditions.push(this.termCodeCondition(sql.jsonGet(value, 'name'), name));
        } else if (name) {
          throw notSupported(name.position, 'a node code as the name in a node predicate');
        }
        return sql.and(...conditions);
      }
      case 'predicateAnd':
        return sql.and(...predicate.operands.map((p) => this.jsonCondition(value, types, p, key)));
      case 'predicateOr':
        return sql.or(...predicate.operands.map((p) => this.jsonCondition(value, types, p, key)));
      case 'predicateComparison':
      case 'predicateMatches':
        return this.relativeCondition({ kind: 'json', expr: value, types, primitive: false, key: `${key}#p` }, predicate);
    }
  }

  // ---------------------------------------------------------------- EHR

  private ehrStep(ehr: EhrPosition, step: PathStep, key: string): Position {
    if (step.predicate) {
      throw notSupported(step.predicate.position, `a predicate on EHR.${step.attribute}`);
    }
    const e = (name: string) => col(ehr.table, name);
    switch (step.attribute) {
      case 'ehr_id':
        return this.idObject('HIER_OBJECT_ID', sql.cast(e('ehr_id'), 'text'), key, { kind: 'ehrId', column: e('ehr_id') });
      case 'system_id':
        return this.idObject('HIER_OBJECT_ID', e('system_id'), key);
      case 'time_created':
        return this.idObject('DV_DATE_TIME', isoTimestamp(e('time_created')), key);
      case 'ehr_status':
      case 'directory':
        return this.objectRootOf(ehr, step.attribute === 'ehr_status' ? 'ehr_status_id' : 'directory_id', step.attribute === 'ehr_status' ? 'EHR_STATUS' : 'FOLDER', key);
      default:
        throw notSupported(step.position, `the EHR attribute '${step.attribute}'`);
    }
  }

  /** `{_type, value}` built from a column; a following `/value` reads the column itself. */
  private idObject(type: string, value: Expr, key: string, special?: JsonPosition['special']): JsonPosition {
    const object = jsonObject([
      ['_type', sql.fn('to_jsonb', [text(type)])],
      ['value', sql.fn('to_jsonb', [value])],
    ]);
    const position: JsonPosition = { kind: 'json', expr: object, types: [type], primitive: false, object: true, key };
    const valueKey = `${key}/value`;
    this.scope.remember(valueKey, {
      kind: 'json',
      expr: sql.fn('to_jsonb', [value]),
      types: [],
      primitive: true,
      key: valueKey,
      ...(special ? { special } : {}),
    });
    return position;
  }

  private objectRootOf(ehr: EhrPosition, column: string, rmType: string, key: string): NodePosition {
    const known = this.scope.lookup(key);
    if (known?.kind === 'node') {
      return known;
    }
    const table = this.context.nextAlias('n');
    this.scope.join(
      sql.table(NODE_TABLE, table),
      sql.and(
        sql.eq(col(table, 'ehr_id'), col(ehr.table, 'ehr_id')),
        sql.eq(col(table, 'vo_id'), col(ehr.table, column)),
        sql.eq(col(table, 'num'), sql.cast(sql.value(0), 'integer')),
      ),
    );
    return this.scope.remember(key, {
      kind: 'node',
      table,
      types: [rmType],
      archetypeRoot: true,
      archetypeId: undefined,
      objectRoot: true,
      key,
    }) as NodePosition;
  }

  // ---------------------------------------------------------------- VERSION

  private versionStep(version: VersionPosition, step: PathStep, key: string): Position {
    if (step.predicate) {
      throw notSupported(step.predicate.position, `a predicate on VERSION.${step.attribute}`);
    }
    const v = (name: string) => col(version.table, name);
    switch (step.attribute) {
      case 'uid': {
        const uid = versionUid(version.table);
        return this.idObject('OBJECT_VERSION_ID', uid, key, {
          kind: 'versionUid',
          objectId: v('object_id'),
          version: v('version'),
          text: uid,
        });
      }
      case 'commit_audit':
        return { kind: 'json', expr: auditWithTerms(v('audit')), types: ['AUDIT_DETAILS'], primitive: false, object: true, key };
      case 'contribution':
        return {
          kind: 'json',
          expr: objectRef(sql.cast(v('contribution_id'), 'text'), 'CONTRIBUTION'),
          types: ['OBJECT_REF'],
          primitive: false,
          object: true,
          key,
        };
      case 'lifecycle_state':
        return { kind: 'json', expr: lifecycleState(v('lifecycle_state')), types: ['DV_CODED_TEXT'], primitive: false, object: true, key };
      case 'preceding_version_uid':
        return {
          kind: 'json',
          expr: sql.caseWhen([
            sql.when(
              sql.gt(v('version'), sql.cast(sql.value(1), 'integer')),
              jsonObject([
                ['_type', sql.fn('to_jsonb', [text('OBJECT_VERSION_ID')])],
                ['value', sql.fn('to_jsonb', [precedingUid(version.table)])],
              ]),
            ),
          ]),
          types: ['OBJECT_VERSION_ID'],
          primitive: false,
          object: true,
          key,
        };
      case 'data':
        if (version.contained) {
          return version.contained;
        }
        return { kind: 'json', expr: v('data'), types: [], primitive: false, key };
      default:
        throw notSupported(step.position, `the VERSION attribute '${step.attribute}'`);
    }
  }

  /** ORIGINAL_VERSION as the REST API represents it. */
  private versionObject(version: VersionPosition): Expr {
    const v = (name: string) => col(version.table, name);
    const data = version.contained ? nodeObject(this.scope, version.contained) : v('data');
    return fn(
      'jsonb_strip_nulls',
      jsonObject([
        ['_type', sql.fn('to_jsonb', [text('ORIGINAL_VERSION')])],
        [
          'uid',
          jsonObject([
            ['_type', sql.fn('to_jsonb', [text('OBJECT_VERSION_ID')])],
            ['value', sql.fn('to_jsonb', [versionUid(version.table)])],
          ]),
        ],
        [
          'preceding_version_uid',
          sql.caseWhen([
            sql.when(
              sql.gt(v('version'), sql.cast(sql.value(1), 'integer')),
              jsonObject([
                ['_type', sql.fn('to_jsonb', [text('OBJECT_VERSION_ID')])],
                ['value', sql.fn('to_jsonb', [precedingUid(version.table)])],
              ]),
            ),
          ]),
        ],
        ['contribution', objectRef(sql.cast(v('contribution_id'), 'text'), 'CONTRIBUTION')],
        ['commit_audit', auditWithTerms(v('audit'))],
        ['lifecycle_state', lifecycleState(v('lifecycle_state'))],
        ['data', data],
      ]),
    );
  }
}

function prefixBefore(prefix: string, step: PathStep): string {
  return prefix.slice(0, prefix.length - stepText(step).length - 1);
}

function isLocatable(type: string): boolean {
  return isNodeType(type) && !['EVENT_CONTEXT', 'ISM_TRANSITION', 'INSTRUCTION_DETAILS', 'FEEDER_AUDIT'].includes(type);
}

/** `[at0004]` as it appears in the index's archetype paths (nothing for classes without node ids). */
function nodeSuffix(scope: Scope, step: PathStep): string {
  const code = simpleNodeCode(scope, step.predicate);
  return code === undefined ? '' : `[${code}]`;
}

/** ISO 8601 in UTC with milliseconds, as the REST API writes EHR.time_created. */
export function isoTimestamp(column: Expr): Expr {
  return sql.fn('to_char', [sql.fn('timezone', [text('UTC'), column]), text('YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')]);
}

export function versionUid(table: string): Expr {
  return sql.binary(
    '||',
    sql.binary('||', sql.binary('||', sql.cast(col(table, 'object_id'), 'text'), text('::')), sql.binary('||', col(table, 'system_id'), text('::'))),
    sql.cast(col(table, 'version'), 'text'),
  );
}

function precedingUid(table: string): Expr {
  return sql.binary(
    '||',
    sql.binary('||', sql.binary('||', sql.cast(col(table, 'object_id'), 'text'), text('::')), sql.binary('||', col(table, 'system_id'), text('::'))),
    sql.cast(sql.binary('-', col(table, 'version'), sql.cast(sql.value(1), 'integer')), 'text'),
  );
}

function objectRef(id: Expr, type: string): Expr {
  return jsonObject([
    ['_type', sql.fn('to_jsonb', [text('OBJECT_REF')])],
    ['id', jsonObject([['_type', sql.fn('to_jsonb', [text('HIER_OBJECT_ID')])], ['value', sql.fn('to_jsonb', [id])]])],
    ['namespace', sql.fn('to_jsonb', [text('local')])],
    ['type', sql.fn('to_jsonb', [text(type)])],
  ]);
}

/**
 * The audit as canonical JSON: the openEHR term of its change type in
 * CODE_PHRASE.preferred_term, and the description typed DV_TEXT when it was stored untyped.
 */
function auditWithTerms(audit: Expr): Expr {
  const withTerm = sql.fn('jsonb_set', [
    audit,
    sql.cast(sql.value(['change_type', 'defining_code', 'preferred_term']), 'text[]'),
    sql.jsonPath(audit, ['change_type', 'value']),
  ]);
  const untyped = sql.and(
    sql.binary('?', audit, text('description')),
    sql.not(sql.binary('?', sql.jsonGet(audit, 'description'), text('_type'))),
  );
  return sql.caseWhen(
    [sql.when(untyped, sql.fn('jsonb_set', [withTerm, sql.cast(sql.value(['description', '_type']), 'text[]'), sql.fn('to_jsonb', [text('DV_TEXT')])]))],
    withTerm,
  );
}

function lifecycleState(code: Expr): Expr {
  const name = sql.caseWhen(
    [
      sql.when(sql.eq(code, text('532')), text('complete')),
      sql.when(sql.eq(code, text('553')), text('incomplete')),
      sql.when(sql.eq(code, text('523')), text('deleted')),
    ],
    text('unknown'),
  );
  return jsonObject([
    ['_type', sql.fn('to_jsonb', [text('DV_CODED_TEXT')])],
    ['value', sql.fn('to_jsonb', [name])],
    [
      'defining_code',
      jsonObject([
        ['_type', sql.fn('to_jsonb', [text('CODE_PHRASE')])],
        ['terminology_id', jsonObject([['_type', sql.fn('to_jsonb', [text('TERMINOLOGY_ID')])], ['value', sql.fn('to_jsonb', [text('openehr')])]])],
        ['code_string', sql.fn('to_jsonb', [code])],
      ]),
    ],
  ]);
}

export { prefixKey };
