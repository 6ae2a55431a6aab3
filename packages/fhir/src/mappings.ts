/**
 * A set of compiled mappings: what the server uses to turn compositions into FHIR resources
 * and FHIR resources into compositions.
 */
import { badRequest, isJsonObject, unprocessable } from '@cdr/rm';
import type { JsonObject } from '@cdr/rm';
import { isMappedResourceType } from './model/r4-model.js';
import type { FragmentMapping, MappingDefinition, ResourceMapping } from './mapping/model.js';
import type { CompileProblem, MappingLookup, ResourcePlan } from './engine/plan.js';
import { compileResource } from './engine/plan.js';
import type { FhirResource } from './engine/to-fhir.js';
import { runToFhir } from './engine/to-fhir.js';
import type { FromFhirOptions, FromFhirResult } from './engine/from-fhir.js';
import { fhirConditionHolds, runFromFhir } from './engine/from-fhir.js';
import { carriesIdentity, identifyingRules } from './engine/identity.js';
import type { ResourceIdParts, VersionContext } from './resources/ids.js';
import { checkVersionContext, parseResourceId } from './resources/ids.js';
import type { ParseSearchOptions, SearchParams, SearchRequest } from './search/parse.js';
import { parseSearch } from './search/parse.js';
import type { MappingTargets, OpenEhrCondition, ParameterTargets, SearchTarget } from './search/targets.js';
import { planTargets, targetsOf } from './search/targets.js';
import type { SearchParameterDefinition } from './search/definitions.js';
import type { CapabilityOptions } from './search/capability.js';
import { buildCapabilityStatement } from './search/capability.js';

export class MappingError extends Error {
  constructor(readonly problems: readonly CompileProblem[]) {
    super(`the mappings have ${problems.length} problem(s):\n${problems.map((p) => `  ${p.where} (${p.rule}): ${p.message}`).join('\n')}`);
    this.name = 'MappingError';
  }
}

export interface CompileOptions {
  /** Leave out rules that do not compile (and report them) instead of failing. */
  readonly lenient?: boolean;
}

/** Where a resource id points: the EHR (a Patient) or a composition and the mapping that makes the resource. */
export type ResourceLocation =
  | { readonly kind: 'ehr'; readonly ehrId: string; readonly mapping: ResourceMapping }
  | { readonly kind: 'composition'; readonly compositionId: string; readonly mapping: ResourceMapping; readonly position?: number };

export class Mappings implements MappingLookup {
  readonly definitions: readonly MappingDefinition[];
  readonly plans: readonly ResourcePlan[];
  /** Rules left out (lenient compilation only). */
  readonly problems: readonly CompileProblem[];
  /** Fragments some resource mapping uses. */
  readonly usedFragments: ReadonlySet<string>;
  private readonly byName = new Map<string, MappingDefinition>();
  private readonly bySlot = new Map<string, FragmentMapping>();
  /** Search targets and parameters by resource type, derived once (the mappings do not change after loading). */
  private readonly searchByType = new Map<string, { readonly targets: readonly ParameterTargets[]; readonly parameters: readonly SearchParameterDefinition[] }>();
  private types: readonly string[] | undefined;

  constructor(definitions: readonly MappingDefinition[], options: CompileOptions = {}) {
    this.definitions = definitions;
    const problems: CompileProblem[] = [];
    const idKeys = new Map<string, string>();
    for (const definition of definitions) {
      if (this.byName.has(definition.name)) {
        problems.push({ where: definition.source, rule: definition.name, message: `a second mapping named '${definition.name}' (first in ${this.byName.get(definition.name)?.source})` });
        continue;
      }
      this.byName.set(definition.name, definition);
      if (definition.kind === 'fragment' && definition.archetypeId) {
        const other = this.bySlot.get(definition.archetypeId);
        if (other) {
          problems.push({ where: definition.source, rule: definition.name, message: `a second slot mapping for ${definition.archetypeId} (first: ${other.name})` });
        } else {
          this.bySlot.set(definition.archetypeId, definition);
        }
      }
      if (definition.kind === 'resource') {
        if (!isMappedResourceType(definition.resourceType)) {
          problems.push({ where: definition.source, rule: definition.name, message: `resource type ${definition.resourceType} is not one the engine knows` });
        }
        const other = idKeys.get(definition.idKey);
        if (other && definition.anchor.kind !== 'ehr-status') {
          problems.push({ where: definition.source, rule: definition.name, message: `id key '${definition.idKey}' is used by '${other}' already` });
        }
        idKeys.set(definition.idKey, definition.name);
      }
    }
    const plans: ResourcePlan[] = [];
    const used = new Set<string>();
    for (const definition of definitions) {
      if (definition.kind !== 'resource' || this.byName.get(definition.name) !== definition) {
        continue;
      }
      const compiled = compileResource(definition, this);
      problems.push(...compiled.problems);
      plans.push(compiled.plan);
      compiled.usedFragments.forEach((f) => used.add(f));
    }
    if (problems.length > 0 && !options.lenient) {
      throw new MappingError(problems);
    }
    this.plans = plans;
    this.problems = problems;
    this.usedFragments = used;
  }

  fragment(name: string): FragmentMapping | undefined {
    const found = this.byName.get(name);
    return found?.kind === 'fragment' ? found : undefined;
  }

  slotFragment(archetypeId: string): FragmentMapping | undefined {
    return this.bySlot.get(archetypeId);
  }

  resource(name: string): ResourceMapping | undefined {
    const found = this.byName.get(name);
    return found?.kind === 'resource' ? found : undefined;
  }

  get resourceMappings(): ResourceMapping[] {
    return this.plans.map((p) => p.mapping);
  }

  /** The FHIR resource types the mappings make, sorted. */
  resourceTypes(): string[] {
    return [...this.typeList()];
  }

  private typeList(): readonly string[] {
    this.types ??= Object.freeze([...new Set(this.plans.map((p) => p.mapping.resourceType))].sort());
    return this.types;
  }

  /** The resource mappings that make resources of a type. */
  mappingsFor(resourceType: string): ResourceMapping[] {
    return this.plans.filter((p) => p.mapping.resourceType === resourceType).map((p) => p.mapping);
  }

  /**
   * openEHR -> FHIR: the resources made from one version of a composition (or, for an
   * EHR_STATUS, the Patient), each with its id and provenance. An entry given on its own
   * makes the resources of its archetype (ids still from the composition's version uid).
   * `wanted` picks the resources to make (by type and id); references to the others still resolve.
   */
  toFhir(root: unknown, context: VersionContext, wanted?: (resourceType: string, id: string) => boolean): FhirResource[] {
    if (!isJsonObject(root)) {
      throw badRequest('expected a COMPOSITION, an entry or an EHR_STATUS in canonical JSON');
    }
    const type = root['_type'] ?? 'COMPOSITION';
    // an entry (or cluster) on its own makes what the archetype mappings make of it
    const plans = this.plans.filter((p) =>
      type === 'EHR_STATUS' ? p.mapping.anchor.kind === 'ehr-status' : type === 'COMPOSITION' ? p.mapping.anchor.kind !== 'ehr-status' : p.mapping.anchor.kind === 'archetype',
    );
    return runToFhir(plans, root, checkVersionContext(context), wanted);
  }

  /**
   * The one resource of a type and id made from a version of its composition (or from the
   * EHR_STATUS for a Patient): read and vread. Undefined when that version does not make it.
   */
  read(root: unknown, context: VersionContext, resourceType: string, id: string): FhirResource | undefined {
    return this.toFhir(root, context, (type, made) => type === resourceType && made === id)[0];
  }

  /** Where a resource id of a type points, or undefined (not an id of ours: 404). */
  locate(resourceType: string, id: string): ResourceLocation | undefined {
    const parts: ResourceIdParts | undefined = parseResourceId(id);
    if (!parts) {
      return undefined;
    }
    if (parts.kind === 'ehr') {
      const mapping = this.mappingsFor(resourceType).find((m) => m.anchor.kind === 'ehr-status');
      return mapping ? { kind: 'ehr', ehrId: parts.ehrId, mapping } : undefined;
    }
    const mapping = this.mappingsFor(resourceType).find((m) => m.idKey === parts.key && m.anchor.kind !== 'ehr-status');
    if (!mapping || (mapping.anchor.kind === 'composition') !== (parts.position === undefined)) {
      return undefined;
    }
    return { kind: 'composition', compositionId: parts.compositionId, mapping, ...(parts.position !== undefined ? { position: parts.position } : {}) };
  }

  /** The plan that takes an incoming resource: by resource type and the values that identify a mapping. */
  planFor(resource: JsonObject): ResourcePlan {
    const type = resource['resourceType'];
    if (typeof type !== 'string') {
      throw badRequest('the resource has no resourceType');
    }
    const candidates = this.plans.filter((p) => p.mapping.resourceType === type && p.mapping.templates.length + (p.mapping.anchor.kind === 'ehr-status' ? 1 : 0) > 0);
    if (candidates.length === 0) {
      throw unprocessable(`${type} resources cannot be written: no mapping takes them`);
    }
    const scored = candidates
      .filter((p) => p.conditions.every((c) => c.side !== 'fhir' || fhirConditionHolds(c, resource, resource)))
      .map((p) => ({ plan: p, identity: identifyingRules(p.rules) }))
      .filter((c) => carriesIdentity(c.identity, resource, resource))
      .sort((a, b) => b.identity.length - a.identity.length);
    const best = scored[0];
    if (!best) {
      throw unprocessable(`no ${type} mapping takes this resource (it carries none of the codes that identify one: ${candidates.map((c) => c.mapping.name).join(', ')})`);
    }
    const second = scored[1];
    if (second && second.identity.length === best.identity.length) {
      throw unprocessable(`the ${type} fits more than one mapping (${best.plan.mapping.name}, ${second.plan.mapping.name})`);
    }
    return best.plan;
  }

  /**
   * FHIR -> openEHR: the composition (of the mapping's template) holding the entry the
   * resource maps to, or the EHR_STATUS for a Patient. `templateId` chooses among the
   * mapping's templates (default: its first).
   */
  fromFhir(resource: unknown, options: FromFhirOptions & { readonly templateId?: string } = {}): FromFhirResult {
    if (!isJsonObject(resource)) {
      throw badRequest('expected a FHIR resource (a JSON object)');
    }
    const plan = this.planFor(resource);
    const templateId = options.templateId ?? options.template?.templateId ?? plan.mapping.templates[0] ?? '';
    if (plan.mapping.anchor.kind !== 'ehr-status' && !plan.mapping.templates.includes(templateId)) {
      throw unprocessable(`${plan.mapping.name} writes to ${plan.mapping.templates.join(', ')}, not to '${templateId}'`);
    }
    return runFromFhir(plan, resource, templateId, options);
  }

  /**
   * The FHIR element (`Observation.component.valueQuantity`) that holds the data at an openEHR
   * path of a composition written through a mapping (a validation issue's path), or the
   * resource type when no rule of the mapping reads there; undefined for an unknown mapping.
   */
  fhirElementOf(mappingName: string, openehrPath: string): string | undefined {
    const plan = this.plans.find((p) => p.mapping.name === mappingName);
    if (!plan) {
      return undefined;
    }
    const path = withoutNames(openehrPath);
    const anchor = plan.mapping.anchor;
    const marker = anchor.kind === 'archetype' ? `[${anchor.archetypeId}]` : undefined;
    const at = marker ? path.indexOf(marker) : -1;
    const fromArchetype = marker && at >= 0 ? path.slice(at + marker.length) : undefined;
    let best: { length: number; fhirPath: string } | undefined;
    for (const target of planTargets(plan)) {
      if (target.kind !== 'data') {
        continue;
      }
      const relative = target.location.root === 'composition' ? path : target.location.root === 'archetype' ? fromArchetype : undefined;
      if (relative === undefined) {
        continue;
      }
      const candidate = target.location.path === '/' ? '' : withoutNames(target.location.path);
      const related = relative === candidate || relative.startsWith(`${candidate}/`) || candidate.startsWith(`${relative}/`);
      if (related && (!best || candidate.length > best.length)) {
        best = { length: candidate.length, fhirPath: target.fhirPath };
      }
    }
    return best ? `${plan.mapping.resourceType}.${best.fhirPath}` : plan.mapping.resourceType;
  }

  /**
   * The openEHR targets of each supported search parameter of a resource type (derived from
   * the mappings once per type, then shared: frozen, not to be changed).
   */
  searchTargets(resourceType: string): readonly ParameterTargets[] {
    return this.searchOf(resourceType).targets;
  }

  /** The search parameters answered for a resource type: those with openEHR targets (shared, frozen). */
  searchParameters(resourceType: string): readonly SearchParameterDefinition[] {
    return this.searchOf(resourceType).parameters;
  }

  private searchOf(resourceType: string): { readonly targets: readonly ParameterTargets[]; readonly parameters: readonly SearchParameterDefinition[] } {
    let found = this.searchByType.get(resourceType);
    if (!found) {
      const targets = targetsOf(this.plans, resourceType)
        .filter((t) => t.mappings.length > 0)
        .map((t) => Object.freeze({ parameter: Object.freeze({ ...t.parameter }), mappings: Object.freeze(t.mappings.map(freezeMappingTargets)) }));
      found = Object.freeze({ targets: Object.freeze(targets), parameters: Object.freeze(targets.map((t) => t.parameter)) });
      this.searchByType.set(resourceType, found);
    }
    return found;
  }

  /** Parses a search of a resource type; 400 for an unsupported type or parameter (unless lenient), naming it. */
  parseSearch(resourceType: string, params: SearchParams, options: ParseSearchOptions = {}): SearchRequest {
    const types = this.typeList();
    if (!types.includes(resourceType)) {
      throw badRequest(`resource type '${resourceType}' is not supported (supported: ${types.join(', ')})`, [{ path: resourceType, message: 'unsupported resource type' }]);
    }
    return parseSearch(resourceType, params, options, this.searchParameters(resourceType));
  }

  /** The CapabilityStatement listing exactly the resource types, profiles and search parameters supported. */
  capabilityStatement(baseUrl: string, options: CapabilityOptions = {}): Record<string, unknown> {
    return buildCapabilityStatement(
      baseUrl,
      this.resourceTypes().map((type) => {
        const mappings = this.mappingsFor(type);
        return {
          type,
          profiles: [...new Set(mappings.flatMap((m) => m.profiles))],
          searchParameters: this.searchParameters(type),
          // compositions of a mapping's templates; a Patient is an EHR, created through the openEHR API
          writable: mappings.some((m) => m.templates.length > 0 && m.anchor.kind !== 'ehr-status'),
        };
      }),
      options,
    );
  }
}

/**
 * Freezes what `targetsOf` made for one mapping (the description, its targets and their
 * conditions and locations); values it shares with the mapping definitions (code maps,
 * templates, fixed values) are left as they are.
 */
function freezeMappingTargets(m: MappingTargets): MappingTargets {
  const condition = (c: OpenEhrCondition): OpenEhrCondition => Object.freeze({ ...c, location: Object.freeze({ ...c.location }) });
  const conditions = (list: readonly OpenEhrCondition[]) => Object.freeze(list.map(condition));
  const target = (t: SearchTarget): SearchTarget => {
    switch (t.kind) {
      case 'data':
        return Object.freeze({ ...t, location: Object.freeze({ ...t.location }), when: conditions(t.when) });
      case 'fixed':
      case 'context':
        return Object.freeze({ ...t, when: conditions(t.when) });
      default:
        return Object.freeze({ ...t });
    }
  };
  return Object.freeze({ ...m, when: conditions(m.when), targets: Object.freeze(m.targets.map(target)) });
}

/** An openEHR path without name predicates and list positions: `items[at0004,'Systolic']` -> `items[at0004]`. */
function withoutNames(path: string): string {
  return path
    .replace(/\[([^\],'\s]+)\s*(?:,\s*'(?:[^'\\]|\\.)*'|\s+and\s+name\/value\s*=\s*'(?:[^'\\]|\\.)*')\]/g, '[$1]')
    .replace(/\[\d+\]/g, '');
}
