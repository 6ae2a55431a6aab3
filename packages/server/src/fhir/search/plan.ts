/**
 * FHIR search planned into SQL over the AQL query index (migrations/002_aql_index.sql).
 *
 * A resource made from a composition is one row of `aql_node`: the node the mapping makes it
 * from (the `each` node, e.g. an EVENT of a blood pressure OBSERVATION, or the archetype root,
 * or the composition itself). Each mapping of the searched type becomes one SELECT of those
 * rows; the search criteria become predicates on them, derived from the mapping's search
 * targets (`searchTargets` of @cdr/fhir): data at an openEHR path becomes a correlated
 * EXISTS over the nodes of the same composition (placed by archetype root and archetype path,
 * and by nested-set interval where the path runs below the resource's node), fixed values are
 * decided here (a `code=8867-4` leaves only the pulse mapping in the query), the EHR is the
 * row's `ehr_id`. The SELECTs are joined with UNION ALL; sorting, keyset paging and counting
 * happen in the database. Every value (and every archetype id, path and code from a mapping)
 * is a parameter.
 *
 * Only the latest version of a composition is in the index, so a search sees the current
 * resources. Population searches leave out EHRs whose EHR_STATUS says is_queryable=false;
 * a search limited to named patients sees them, and reads each patient's rows from that
 * patient by key (a lateral subquery per patient): a plan good for any patients, so those
 * statements are marked `generic` (prepared once per database session, see search-handler.ts),
 * while a population search is planned for its values every time.
 */
import { parsePath, type PathStep } from '@cdr/rm';
import {
  parseResourceId,
  type Criterion,
  type DateValue,
  type MappingTargets,
  type Mappings,
  type OpenEhrCondition,
  type OpenEhrLocation,
  type ResourceMapping,
  type SearchRequest,
  type SearchTarget,
  type SortKey,
  type TokenValue,
} from '@cdr/fhir';
import { isArchetypeId } from '@cdr/store';
import { FALSE, TRUE, and, not, or, render, sql, Params, type Predicate } from './sql.js';
import { keysetAfter, type SortColumn } from './keyset.js';
import { codedMatches, dateValueMatches, fixedCodings, identifierMatches, instantMatches, rangeEnd, rangeMatches, rangeStart, tokenMatches } from './values.js';

/** Non-LOCATABLE classes with rows of their own in the index, by the attribute that holds them. */
const NODE_ATTRIBUTES = new Set(['context', 'ism_transition', 'instruction_details', 'feeder_audit']);
const EVENT_TYPES = ['POINT_EVENT', 'INTERVAL_EVENT', 'EVENT'];
const ENTRY_TYPES = ['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION', 'ADMIN_ENTRY', 'GENERIC_ENTRY'];
/** RM types a value of these types may have (a subtype is accepted where its parent is). */
const SUBTYPES: Readonly<Record<string, readonly string[]>> = {
  DV_TEXT: ['DV_TEXT', 'DV_CODED_TEXT'],
  EVENT: EVENT_TYPES,
};

export class SearchPlanError extends Error {}

/** Where the search may look. */
export interface SearchScope {
  /** The EHRs it is limited to (named patients, a patient-context token); undefined: the population. */
  readonly ehrIds?: readonly string[];
}

/** A keyset page: rows after `after` (the sort keys of the last row shown), created no later than `snapshot`. */
export interface PageRequest {
  readonly snapshot: string;
  readonly after?: readonly unknown[];
  readonly offset: number;
  readonly count: number;
}

export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
  /**
   * Its good plan is the same whatever the values: it may be prepared once per session and
   * run with a generic plan (limited to named EHRs, reached by key); otherwise it is planned
   * for the values of each call.
   */
  readonly generic?: boolean;
}

/** One row of a page: the resource's node, and the keys it sorts by. */
export interface PageRow {
  readonly keys: readonly unknown[];
  readonly ehrId: string;
  readonly objectId: string;
  readonly version: number;
  readonly mapping: ResourceMapping;
  /** The resource's position among those its mapping makes from the composition (absent: one per composition). */
  readonly position: number | undefined;
}

interface Branch {
  readonly mapping: ResourceMapping;
  readonly index: number;
  readonly targets: ReadonlyMap<string, MappingTargets>;
}

/** Where a node is reached from: a row of the query, or a node found in a subquery. */
interface Start {
  readonly alias: string;
  /** The num of its nearest archetype root. */
  readonly root: string;
  /** Its archetype path (SQL). */
  readonly archPath: string;
  /** It is an archetype root itself: nodes of its archetype below it need no interval check. */
  readonly isRoot: boolean;
}

/** How a node is reached from the resource's row: subquery tables with their conditions, and the node's value. */
interface Access {
  readonly from: readonly string[];
  readonly where: readonly string[];
  readonly value: string;
}

function sameStep(a: PathStep | undefined, b: PathStep | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.attribute === b.attribute &&
    a.predicate?.kind === 'node' &&
    b.predicate?.kind === 'node' &&
    a.predicate.nodeId === b.predicate.nodeId
  );
}

function stepText(step: PathStep): string {
  return step.predicate?.kind === 'node' ? `/${step.attribute}[${step.predicate.nodeId}]` : `/${step.attribute}`;
}

/** One mapping's SELECT: its joins and predicates, built while its criteria are planned. */
class BranchQuery {
  private aliases = 0;
  needsAnchor = false;
  needsVersion = false;
  private readonly eachSteps: readonly PathStep[];

  constructor(
    readonly branch: Branch,
    private readonly params: Params,
    /** The EHR of the row as the criteria compare it: `r.ehr_id`, or the named EHR it is read for (`s.ehr_id`). */
    private readonly ehr: string,
  ) {
    const base = this.base;
    this.eachSteps = base.each ? parsePath(base.each) : [];
  }

  get mapping(): ResourceMapping {
    return this.branch.mapping;
  }

  /** The mapping's own description (archetype, each, within, conditions), from any parameter's targets. */
  get base(): MappingTargets {
    const found = this.branch.targets.get('_id') ?? [...this.branch.targets.values()][0];
    if (!found) {
      throw new SearchPlanError(`mapping ${this.mapping.name} has no search targets`);
    }
    return found;
  }

  private alias(prefix: string): string {
    this.aliases += 1;
    return `${prefix}${this.aliases}`;
  }

  /** The conditions that make a node (alias `x`) one the mapping makes a resource from. */
  anchorFilter(x: string): string {
    const base = this.base;
    const parts: string[] = [];
    if (this.mapping.anchor.kind !== 'archetype') {
      parts.push(`${x}.num = 0 and ${x}.obj_type = 'COMPOSITION'`);
    } else if (base.each) {
      const last = this.eachSteps[this.eachSteps.length - 1];
      parts.push(`${x}.arch_id = ${this.params.add(this.mapping.anchor.archetypeId)} and ${x}.arch_path = ${this.params.add(base.each)}`);
      if (last?.predicate?.kind === 'node') {
        parts.push(`${x}.archetype_node_id = ${this.params.add(last.predicate.nodeId)}`);
      }
    } else {
      parts.push(`${x}.archetype_node_id = ${this.params.add(this.mapping.anchor.archetypeId)} and ${x}.arch_path = ''`);
    }
    if (base.within.length > 0) {
      const w = this.alias('w');
      const anchorNum = base.each ? `${x}.arch_root` : `${x}.num`;
      parts.push(
        `exists (select 1 from aql_node ${w} where ${w}.ehr_id = ${x}.ehr_id and ${w}.vo_id = ${x}.vo_id and ${w}.archetype_node_id = any(${this.params.add(base.within, 'text[]')}) and ${w}.num < ${anchorNum} and ${w}.num_cap >= ${anchorNum})`,
      );
    }
    return parts.join(' and ');
  }

  /** The 1-based position of a node (its EHR, composition and num) among the resources the mapping makes from its composition. */
  positionOf(node: { readonly ehrId: string; readonly voId: string; readonly num: string }): string {
    if (this.mapping.anchor.kind !== 'archetype') {
      return 'null::integer';
    }
    const p = this.alias('p');
    return `(select count(*)::integer from aql_node ${p} where ${p}.ehr_id = ${node.ehrId} and ${p}.vo_id = ${node.voId} and ${p}.num <= ${node.num} and ${this.anchorFilter(p)})`;
  }

  // ------------------------------------------------------------ reaching openEHR data

  private get resourceStart(): Start {
    if (this.mapping.anchor.kind !== 'archetype') {
      return { alias: 'r', root: '0', archPath: "''", isRoot: true };
    }
    return this.base.each ? { alias: 'r', root: 'r.arch_root', archPath: 'r.arch_path', isRoot: false } : { alias: 'r', root: 'r.num', archPath: "''", isRoot: true };
  }

  private get anchorStart(): Start {
    if (this.mapping.anchor.kind !== 'archetype' || !this.base.each) {
      return this.resourceStart;
    }
    this.needsAnchor = true;
    return { alias: 'a', root: 'a.num', archPath: "''", isRoot: true };
  }

  private valueOf(alias: string, tail: readonly string[]): string {
    return tail.length === 0 ? `(case when ${alias}.rm_type = 'ELEMENT' then ${alias}.data->'value' else ${alias}.data end)` : `(${alias}.data #> ${this.params.add(tail, 'text[]')})`;
  }

  /** The node a location names, reached from the resource's row. */
  access(location: OpenEhrLocation): Access {
    const steps = location.path === '/' ? [] : parsePath(location.path);
    const nodeSteps: PathStep[] = [];
    const tail: string[] = [];
    for (const step of steps) {
      const isNode = tail.length === 0 && (step.predicate?.kind === 'node' || (step.predicate === undefined && NODE_ATTRIBUTES.has(step.attribute)));
      if (step.predicate?.kind === 'node' && step.predicate.name !== undefined) {
        throw new SearchPlanError(`${location.path}: name predicates are not planned`);
      }
      if (isNode) {
        nodeSteps.push(step);
      } else if (step.predicate !== undefined) {
        throw new SearchPlanError(`${location.path}: a predicate below a data value`);
      } else {
        tail.push(step.attribute);
      }
    }
    const from: string[] = [];
    const where: string[] = [];
    let start: Start | 'composition';
    let rest = nodeSteps;
    switch (location.root) {
      case 'archetype': {
        const each = this.eachSteps;
        if (each.length > 0 && each.every((s, i) => sameStep(s, nodeSteps[i]))) {
          start = this.resourceStart;
          rest = nodeSteps.slice(each.length);
        } else {
          start = this.anchorStart;
        }
        break;
      }
      case 'composition':
        start = this.mapping.anchor.kind === 'archetype' ? 'composition' : this.resourceStart;
        break;
      case 'event':
      case 'entry': {
        const e = this.alias(location.root === 'event' ? 'ev' : 'en');
        from.push(`aql_node ${e}`);
        where.push(
          `${e}.ehr_id = r.ehr_id and ${e}.vo_id = r.vo_id and ${e}.rm_type = any(${this.params.add(location.root === 'event' ? EVENT_TYPES : ENTRY_TYPES, 'text[]')}) and ${e}.num <= r.num and ${e}.num_cap >= r.num`,
        );
        start = location.root === 'event' ? { alias: e, root: `${e}.arch_root`, archPath: `${e}.arch_path`, isRoot: false } : { alias: e, root: `${e}.num`, archPath: "''", isRoot: true };
        break;
      }
    }
    if (rest.length === 0 && start !== 'composition') {
      return { from, where, value: this.valueOf(start.alias, tail) };
    }
    const t = this.alias('t');
    from.push(`aql_node ${t}`);
    where.push(`${t}.ehr_id = r.ehr_id and ${t}.vo_id = r.vo_id`);
    const lastArchetype = rest.map((s, i) => (s.predicate?.kind === 'node' && isArchetypeId(s.predicate.nodeId) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    if (start === 'composition') {
      if (lastArchetype < 0) {
        where.push(rest.length === 0 ? `${t}.num = 0` : `${t}.arch_root = 0 and ${t}.arch_path = ${this.params.add(rest.map(stepText).join(''))}`);
      } else {
        const archetype = rest[lastArchetype]?.predicate as { nodeId: string };
        where.push(`${t}.arch_id = ${this.params.add(archetype.nodeId)} and ${t}.arch_path = ${this.params.add(rest.slice(lastArchetype + 1).map(stepText).join(''))}`);
      }
      return { from, where, value: this.valueOf(t, tail) };
    }
    const below = `${t}.num > ${start.alias}.num and ${t}.num <= ${start.alias}.num_cap`;
    if (lastArchetype < 0) {
      const path = this.params.add(rest.map(stepText).join(''));
      where.push(`${t}.arch_root = ${start.root} and ${t}.arch_path = ${start.archPath === "''" ? path : `${start.archPath} || ${path}`}`);
      if (!start.isRoot) {
        where.push(below);
      }
    } else {
      const archetype = rest[lastArchetype]?.predicate as { nodeId: string };
      where.push(`${t}.arch_id = ${this.params.add(archetype.nodeId)} and ${t}.arch_path = ${this.params.add(rest.slice(lastArchetype + 1).map(stepText).join(''))}`, below);
    }
    return { from, where, value: this.valueOf(t, tail) };
  }

  /** Some node the location reaches satisfies `test`. */
  exists(location: OpenEhrLocation, test: (value: string) => Predicate): Predicate {
    const access = this.access(location);
    const inner = test(access.value);
    if (access.from.length === 0 || inner.kind === 'false') {
      return inner;
    }
    return sql(`exists (select 1 from ${access.from.join(', ')} where ${[...access.where, render(inner)].join(' and ')})`);
  }

  /** The least value of `expression` over the nodes the location reaches (null: none). */
  scalar(location: OpenEhrLocation, expression: (value: string) => string): string {
    const access = this.access(location);
    const value = expression(access.value);
    if (access.from.length === 0) {
      return value;
    }
    return `(select min(${value}) from ${access.from.join(', ')} where ${access.where.join(' and ')})`;
  }

  // ------------------------------------------------------------ conditions

  conditions(list: readonly OpenEhrCondition[]): Predicate {
    return and(...list.map((c) => this.condition(c)));
  }

  private condition(condition: OpenEhrCondition): Predicate {
    const { location } = condition;
    if (location.root === 'context') {
      return this.contextCondition(location.path, condition);
    }
    const present = (value: string) => sql(`${value} is not null and jsonb_typeof(${value}) <> 'null'`);
    const inValues = (value: string) => sql(`${primitiveOf(value)} = any(${this.params.add(condition.values, 'text[]')})`);
    switch (condition.operator) {
      case 'exists':
        return this.exists(location, present);
      case 'absent':
        return not(this.exists(location, present));
      case 'in':
        return this.exists(location, inValues);
      case 'not-in':
        return not(this.exists(location, inValues));
      case 'type':
        return this.exists(location, (value) => sql(`${value}->>'_type' = any(${this.params.add(expandTypes(condition.values), 'text[]')})`));
      default:
        throw new SearchPlanError(`condition operator ${condition.operator} is not planned`);
    }
  }

  private contextCondition(name: string, condition: OpenEhrCondition): Predicate {
    let value: string;
    if (name === 'documentStatus') {
      value = "'current'";
    } else if (name === 'templateId') {
      this.needsVersion = true;
      value = 'ov.template_id';
    } else {
      throw new SearchPlanError(`a condition on $context/${name} is not planned`);
    }
    const inValues = sql(`${value} = any(${this.params.add(condition.values, 'text[]')})`);
    switch (condition.operator) {
      case 'exists':
        return sql(`${value} is not null`);
      case 'absent':
        return sql(`${value} is null`);
      case 'in':
        return inValues;
      case 'not-in':
        return not(inValues);
      default:
        throw new SearchPlanError(`condition operator ${condition.operator} on $context/${name} is not planned`);
    }
  }

  // ------------------------------------------------------------ criteria

  /** The predicate of one criterion (an OR of its values) for this mapping. */
  criterion(criterion: Criterion): Predicate {
    const code = criterion.parameter.code;
    const targets = this.branch.targets.get(code)?.targets ?? [];
    if (targets.length === 0) {
      return FALSE;
    }
    switch (criterion.kind) {
      case 'reference': {
        const ids = criterion.values.map((v) => parseResourceId(v.id)).filter((p) => p?.kind === 'ehr').map((p) => (p as { ehrId: string }).ehrId);
        return targets.some((t) => t.kind === 'ehr') && ids.length > 0 ? sql(`${this.ehr} = any(${this.params.add(ids, 'uuid[]')})`) : FALSE;
      }
      case 'token':
        return or(...criterion.values.map((value) => this.token(code, targets, value)));
      case 'date':
        return this.date(targets, criterion.values);
    }
  }

  private token(parameter: string, targets: readonly SearchTarget[], token: TokenValue): Predicate {
    if (targets.some((t) => t.kind === 'id')) {
      return this.id(token);
    }
    return or(...targets.map((target) => this.tokenTarget(parameter, targets, target, token)));
  }

  private id(token: TokenValue): Predicate {
    if (token.code === undefined || (token.system !== undefined && token.system !== '')) {
      return FALSE;
    }
    const parts = parseResourceId(token.code);
    if (parts?.kind !== 'composition' || parts.key !== this.mapping.idKey) {
      return FALSE;
    }
    const composition = sql(`r.vo_id = ${this.params.add(parts.compositionId, 'uuid')}`);
    if (this.mapping.anchor.kind !== 'archetype') {
      return parts.position === undefined ? composition : FALSE;
    }
    return parts.position === undefined ? FALSE : and(composition, sql(`${this.positionOf({ ehrId: 'r.ehr_id', voId: 'r.vo_id', num: 'r.num' })} = ${this.params.add(parts.position, 'integer')}`));
  }

  private tokenTarget(parameter: string, all: readonly SearchTarget[], target: SearchTarget, token: TokenValue): Predicate {
    switch (target.kind) {
      case 'fixed': {
        if (target.fhirPath.endsWith('.system')) {
          return FALSE; // the system of a coding whose code another target gives: matched there
        }
        const matches = fixedCodings(target.value).some((c) => tokenMatches(token, c.system, c.code));
        if (!matches) {
          return FALSE;
        }
        const applies = this.conditions(target.when);
        return target.ifMissing ? and(applies, not(this.written(all.filter((o) => o !== target && 'fhirPath' in o && o.fhirPath === target.fhirPath)))) : applies;
      }
      case 'context': {
        const system = pairedSystem(all, target.fhirPath);
        if (target.name === 'documentStatus') {
          return tokenMatches(token, system, 'current') ? this.conditions(target.when) : FALSE;
        }
        if (target.name === 'templateId') {
          if (token.system !== undefined && token.system !== (system ?? '')) {
            return FALSE;
          }
          this.needsVersion = true;
          return and(this.conditions(target.when), token.code === undefined ? TRUE : sql(`ov.template_id = ${this.params.add(token.code)}`));
        }
        return FALSE;
      }
      case 'data': {
        const isIdentifier = parameter === 'identifier' || parameter === 'accession' || target.rmTypes.includes('DV_IDENTIFIER');
        const test = isIdentifier
          ? (value: string) => identifierMatches(value, token, this.params)
          : (value: string) => codedMatches(value, token, target.map, this.params);
        return and(this.conditions(target.when), this.exists(target.location, test));
      }
      default:
        return FALSE;
    }
  }

  /** Some of these targets writes a value (what a default `if_missing` waits for). */
  private written(targets: readonly SearchTarget[]): Predicate {
    return or(
      ...targets.map((target) => {
        switch (target.kind) {
          case 'fixed':
            return target.ifMissing ? FALSE : this.conditions(target.when);
          case 'context':
            return this.conditions(target.when);
          case 'data': {
            const map = target.map;
            const test = (value: string): Predicate => {
              const present = sql(`${value} is not null and jsonb_typeof(${value}) <> 'null'`);
              if (!map || map.unmapped === 'keep') {
                return present;
              }
              return sql(
                `(${value})->'defining_code'->'terminology_id'->>'value' = ${this.params.add(map.terminology)} and (${value})->'defining_code'->>'code_string' = any(${this.params.add(
                  map.entries.map((e) => e.openehr),
                  'text[]',
                )})`,
              );
            };
            return and(this.conditions(target.when), this.exists(target.location, test));
          }
          default:
            return FALSE;
        }
      }),
    );
  }

  private date(targets: readonly SearchTarget[], values: readonly DateValue[]): Predicate {
    const range = this.periodRange(targets);
    if (range) {
      return rangeMatches(values, range.start, range.end, this.params);
    }
    return or(
      ...targets.map((target) => {
        switch (target.kind) {
          case 'last-updated':
            this.needsVersion = true;
            return instantMatches(values, 'ov.time_committed', this.params);
          case 'context':
            if (target.name !== 'timeCommitted') {
              return FALSE;
            }
            this.needsVersion = true;
            return and(this.conditions(target.when), instantMatches(values, 'ov.time_committed', this.params));
          case 'data':
            return and(this.conditions(target.when), this.exists(target.location, (value) => dateValueMatches(values, value, this.params)));
          default:
            return FALSE;
        }
      }),
    );
  }

  /** A Period's start and end given by two targets: one range from the start's start to the end's end (open without one). */
  private periodRange(targets: readonly SearchTarget[]): { start: string; end: string } | undefined {
    const data = targets.filter((t): t is Extract<SearchTarget, { kind: 'data' }> => t.kind === 'data');
    const start = data.find((t) => t.fhirPath.endsWith('.start'));
    const end = data.find((t) => t.fhirPath.endsWith('.end') && start && t.fhirPath.slice(0, -4) === start.fhirPath.slice(0, -6));
    if (!start || !end || data.length !== 2 || targets.length !== 2 || start.when.length + end.when.length > 0) {
      return undefined;
    }
    const text = (value: string) => `((${value})->>'value')`;
    return {
      start: this.scalar(start.location, (value) => rangeStart(text(value))),
      end: `coalesce(${this.scalar(end.location, (value) => rangeEnd(text(value)))}, 'infinity'::timestamptz)`,
    };
  }

  /** The value a date parameter sorts this mapping's rows by (the start of the resource's range). */
  sortValue(parameter: string): string {
    const targets = this.branch.targets.get(parameter)?.targets ?? [];
    const range = this.periodRange(targets);
    if (range) {
      return range.start;
    }
    for (const target of targets) {
      if (target.kind === 'last-updated' || (target.kind === 'context' && target.name === 'timeCommitted')) {
        this.needsVersion = true;
        return 'ov.time_committed';
      }
      if (target.kind === 'data') {
        return this.scalar(target.location, (value) => rangeStart(`((${value})->>'value')`));
      }
    }
    return 'null::timestamptz';
  }
}

/** The primitive a condition compares: a code's code string, a text's value, a primitive itself. */
function primitiveOf(value: string): string {
  return `coalesce((${value})->'defining_code'->>'code_string', (${value})->>'code_string', case when jsonb_typeof(${value}) in ('string', 'number', 'boolean') then (${value}) #>> '{}' end, aql_text((${value})->'value'), (${value})->>'magnitude')`;
}

function expandTypes(types: readonly string[]): string[] {
  return [...new Set(types.flatMap((t) => SUBTYPES[t] ?? [t]))];
}

/** The fixed system of a coding whose code is at `<path>.code`. */
function pairedSystem(targets: readonly SearchTarget[], fhirPath: string): string | undefined {
  if (!fhirPath.endsWith('.code')) {
    return undefined;
  }
  const systemPath = `${fhirPath.slice(0, -'.code'.length)}.system`;
  const fixed = targets.find((t) => t.kind === 'fixed' && t.fhirPath === systemPath);
  return fixed?.kind === 'fixed' && typeof fixed.value === 'string' ? fixed.value : undefined;
}

/** A planned search of one resource type made from compositions. */
export class CompositionSearch {
  private readonly branches: Branch[];
  private readonly sort: readonly SortKey[];

  constructor(
    private readonly mappings: Mappings,
    readonly request: SearchRequest,
    private readonly scope: SearchScope,
  ) {
    const byMapping = new Map<string, Map<string, MappingTargets>>();
    for (const { parameter, mappings: list } of mappings.searchTargets(request.resourceType)) {
      for (const m of list) {
        let entry = byMapping.get(m.mapping);
        if (!entry) {
          entry = new Map();
          byMapping.set(m.mapping, entry);
        }
        entry.set(parameter.code, m);
      }
    }
    this.branches = mappings
      .mappingsFor(request.resourceType)
      .filter((m) => m.anchor.kind !== 'ehr-status')
      .map((mapping, index) => ({ mapping, index, targets: byMapping.get(mapping.name) ?? new Map() }));
    this.sort = request.sort;
  }

  /** The mapping of a row's `m` column. */
  mappingAt(index: number): ResourceMapping {
    const branch = this.branches[index];
    if (!branch) {
      throw new SearchPlanError(`no mapping ${index}`);
    }
    return branch.mapping;
  }

  /** The sort columns: the requested ones, then creation time, EHR, composition, node and mapping. */
  get columns(): SortColumn[] {
    const requested = this.sort.flatMap((key): SortColumn[] =>
      key.parameter.code === '_id'
        ? [
            { descending: key.descending, type: 'text' },
            { descending: key.descending, type: 'integer' },
          ]
        : [{ descending: key.descending, type: 'timestamptz' }],
    );
    return [...requested, { descending: false, type: 'timestamptz' }, { descending: false, type: 'uuid' }, { descending: false, type: 'uuid' }, { descending: false, type: 'integer' }, { descending: false, type: 'integer' }];
  }

  /** Limited to named EHRs: its statements are read EHR by EHR and planned once for any EHRs (`Statement.generic`). */
  get generic(): boolean {
    return this.scope.ehrIds !== undefined;
  }

  /**
   * The UNION ALL of the mappings' SELECTs (undefined when no mapping can match). Limited to
   * named EHRs, each SELECT runs once per EHR (a lateral subquery over the list, `offset 0`
   * keeping it one): every access then starts from that one EHR by key, a plan that holds
   * for any EHR, where `ehr_id = any($n)` over an array of unknown length is costed for ten
   * EHRs and a generic plan would rather scan the archetype path across the population.
   */
  private union(params: Params, snapshot: string): { text: string; queries: Map<number, BranchQuery> } | undefined {
    const selects: string[] = [];
    const queries = new Map<number, BranchQuery>();
    const snapshotParam = params.add(snapshot, 'timestamptz');
    const scopeParam = this.scope.ehrIds ? params.add([...new Set(this.scope.ehrIds.map((id) => id.toLowerCase()))], 'uuid[]') : undefined;
    for (const branch of this.branches) {
      const query = new BranchQuery(branch, params, scopeParam ? 's.ehr_id' : 'r.ehr_id');
      const predicate = and(...this.request.criteria.map((c) => query.criterion(c)));
      if (predicate.kind === 'false') {
        continue;
      }
      const mappingWhen = query.conditions(query.base.when);
      if (mappingWhen.kind === 'false') {
        continue;
      }
      const keys = this.sort.flatMap((key) => {
        if (key.parameter.code === '_id') {
          return [`r.vo_id::text || '.' || ${params.add(branch.mapping.idKey)}`, 'r.num'];
        }
        const value = query.sortValue(key.parameter.code);
        return [`coalesce(${value}, '${key.descending ? '-' : ''}infinity'::timestamptz)`];
      });
      const anchor = query.anchorFilter('r');
      const where = [...(scopeParam ? ['r.ehr_id = s.ehr_id'] : []), anchor, `vo.time_created <= ${snapshotParam}`, ...(scopeParam ? [] : ['e.is_queryable']), render(mappingWhen), render(predicate)];
      const joins = [
        'join versioned_object vo on vo.ehr_id = r.ehr_id and vo.object_id = r.vo_id',
        ...(query.needsAnchor ? ['join aql_node a on a.ehr_id = r.ehr_id and a.vo_id = r.vo_id and a.num = r.arch_root'] : []),
        ...(query.needsVersion ? ['join object_version ov on ov.ehr_id = r.ehr_id and ov.object_id = r.vo_id and ov.version = r.version'] : []),
        ...(scopeParam ? [] : ['join ehr e on e.ehr_id = r.ehr_id']),
      ];
      const columns = [...keys, 'vo.time_created', 'r.ehr_id', 'r.vo_id', 'r.num', `${branch.index}`].map((k, i) => `${k} as k${i}`);
      const select = `select ${columns.join(', ')}, r.version from aql_node r ${joins.join(' ')} where ${where.filter((w) => w !== 'true').join(' and ')}`;
      selects.push(scopeParam ? `select x.* from unnest(${scopeParam}) as s(ehr_id) cross join lateral (${select} offset 0) x` : select);
      queries.set(branch.index, query);
    }
    if (selects.length === 0) {
      return undefined;
    }
    return { text: selects.map((s) => `(${s})`).join(' union all '), queries };
  }

  /** The statement of one page (one row more than asked, to tell whether another page follows). */
  page(page: PageRequest): Statement | undefined {
    const params = new Params();
    const union = this.union(params, page.snapshot);
    if (!union) {
      return undefined;
    }
    const columns = this.columns;
    const names = columns.map((_, i) => `u.k${i}`);
    const after = page.after ? keysetAfter(columns, names, page.after, params) : undefined;
    const order = columns.map((c, i) => `k${i}${c.descending ? ' desc' : ''}`).join(', ');
    const limit = params.add(page.count + 1, 'integer');
    const offset = params.add(page.offset, 'integer');
    const n = columns.length;
    const node = { ehrId: `h.k${n - 4}`, voId: `h.k${n - 3}`, num: `h.k${n - 2}` };
    const positions = [...union.queries.entries()]
      .filter(([, q]) => q.mapping.anchor.kind === 'archetype')
      .map(([index, q]) => `when ${index} then ${q.positionOf(node)}`);
    const position = positions.length > 0 ? `case h.k${n - 1} ${positions.join(' ')} end` : 'null::integer';
    const text = `select h.*, ${position} as position from (select u.* from (${union.text}) u${after ? ` where ${after}` : ''} order by ${order} limit ${limit} offset ${offset}) h order by ${columns.map((c, i) => `h.k${i}${c.descending ? ' desc' : ''}`).join(', ')}`;
    return { ...Params.compact(text, params.values), generic: this.generic };
  }

  /** The statement that counts every match (at the same snapshot). */
  count(snapshot: string): Statement | undefined {
    const params = new Params();
    const union = this.union(params, snapshot);
    if (!union) {
      return undefined;
    }
    return { ...Params.compact(`select count(*)::integer as total from (${union.text}) u`, params.values), generic: this.generic };
  }

  /** Reads the rows of a page statement. */
  rows(result: readonly Record<string, unknown>[]): PageRow[] {
    const n = this.columns.length;
    return result.map((row) => {
      const keys = Array.from({ length: n }, (_, i) => row[`k${i}`]);
      const position = row['position'];
      return {
        keys,
        ehrId: String(row[`k${n - 4}`]),
        objectId: String(row[`k${n - 3}`]),
        version: Number(row['version']),
        mapping: this.mappingAt(Number(row[`k${n - 1}`])),
        position: position === null || position === undefined ? undefined : Number(position),
      };
    });
  }
}
