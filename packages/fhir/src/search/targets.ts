/**
 * What openEHR data each FHIR search parameter reads, derived from the compiled mappings (not
 * written twice): for every resource mapping of the type, the rules whose FHIR element the
 * parameter reads, as
 * - `data`: an openEHR path (from the mapped archetype's root, the composition, or the
 *   enclosing event or entry) with the RM types found there, and the code map or units the
 *   rule converts with, so a FHIR code can be turned into the openEHR one;
 * - `fixed`: a value every resource of the mapping has (a LOINC code, a category), so the
 *   parameter selects mappings (archetypes) rather than data;
 * - `ehr`: the EHR the composition belongs to (patient, subject);
 * - `context`: a value of the version (`timeCommitted`, `templateId`, `documentStatus`);
 * - `id`, `last-updated`: the resource id (composition uid and id key) and the commit time.
 * Conditions under which a rule applies come along (`when`), e.g. a default status that
 * applies only when no status is recorded.
 */
import type { JsonValue, PathStep } from '@cdr/rm';
import { formatPath } from '@cdr/rm';
import type { CodeMap, OpenEhrRoot, ResourceMapping } from '../mapping/model.js';
import type { PlanCondition, PlanRule, ResourcePlan, ResolvedFhirPath } from '../engine/plan.js';
import type { SearchParameterDefinition } from './definitions.js';
import { parametersOf } from './definitions.js';

/** Where openEHR data is: a root and an AQL-style path from it. */
export interface OpenEhrLocation {
  /** `archetype`: the mapped archetype's root (the entry or cluster), `composition`, `event`, `entry`. */
  readonly root: Exclude<OpenEhrRoot, 'here' | 'each' | 'context'>;
  readonly path: string;
}

export type SearchTarget =
  | { readonly kind: 'id' }
  | { readonly kind: 'last-updated' }
  | { readonly kind: 'ehr'; readonly fhirPath: string }
  | { readonly kind: 'context'; readonly name: string; readonly fhirPath: string; readonly when: readonly OpenEhrCondition[] }
  | {
      readonly kind: 'fixed';
      readonly value: JsonValue;
      readonly fhirPath: string;
      readonly when: readonly OpenEhrCondition[];
      /** A default: the resource carries it only when no other target wrote the element. */
      readonly ifMissing?: boolean;
    }
  | {
      readonly kind: 'data';
      readonly location: OpenEhrLocation;
      /** RM types at the location; empty: any. */
      readonly rmTypes: readonly string[];
      readonly fhirPath: string;
      readonly map?: CodeMap;
      readonly units?: Readonly<Record<string, string>>;
      readonly when: readonly OpenEhrCondition[];
    };

/** An openEHR condition with its path written out from a root (as a data location). */
export interface OpenEhrCondition {
  readonly location: OpenEhrLocation | { readonly root: 'context'; readonly path: string };
  readonly operator: string;
  readonly values: readonly string[];
}

export interface MappingTargets {
  readonly mapping: string;
  /** The archetype the mapping makes resources from (undefined: the composition or EHR_STATUS). */
  readonly archetypeId?: string;
  /** Archetypes that must enclose it. */
  readonly within: readonly string[];
  /** Path from the archetype root to the node each resource is made from. */
  readonly each?: string;
  readonly templates: readonly string[];
  /** Conditions on the mapping itself (e.g. only encounter compositions). */
  readonly when: readonly OpenEhrCondition[];
  readonly targets: readonly SearchTarget[];
}

export interface ParameterTargets {
  readonly parameter: SearchParameterDefinition;
  readonly mappings: readonly MappingTargets[];
}

interface Base {
  /** The current openEHR node as a location. */
  readonly node: OpenEhrLocation;
  /** The each node as a location. */
  readonly each: OpenEhrLocation;
  /** The archetype root as a location (a slot cluster inside a slot). */
  readonly archetype: OpenEhrLocation;
  /** FHIR element names from the resource root to the current element. */
  readonly fhir: readonly string[];
  /** ... to the fragment's element. */
  readonly fragment: readonly string[];
  readonly when: readonly OpenEhrCondition[];
}

function join(path: string, steps: readonly PathStep[]): string {
  const tail = formatPath(steps);
  if (steps.length === 0) {
    return path;
  }
  return path === '/' ? tail : `${path}${tail}`;
}

function locate(root: OpenEhrRoot, steps: readonly PathStep[], base: Base): OpenEhrLocation | { readonly root: 'context'; readonly path: string } {
  switch (root) {
    case 'here':
      return { root: base.node.root, path: join(base.node.path, steps) };
    case 'each':
      return { root: base.each.root, path: join(base.each.path, steps) };
    case 'archetype':
      return { root: base.archetype.root, path: join(base.archetype.path, steps) };
    case 'context':
      return { root: 'context', path: formatPath(steps).slice(1) };
    default:
      return { root, path: formatPath(steps) };
  }
}

function fhirSteps(path: ResolvedFhirPath, base: Base): string[] {
  const from = path.root === 'resource' ? [] : path.root === 'fragment' ? base.fragment : base.fhir;
  return [...from, ...path.steps.map((s) => s.element.name)];
}

function conditions(list: readonly PlanCondition[], base: Base): OpenEhrCondition[] {
  return list.filter((c): c is Extract<PlanCondition, { side: 'openehr' }> => c.side === 'openehr').map((c) => ({ location: locate(c.path.root, c.path.steps, base), operator: c.operator, values: c.values }));
}

/** Every rule target of a plan with its FHIR element path, flattened. */
function collect(rules: readonly PlanRule[], base: Base, out: { readonly fhir: readonly string[]; readonly target: SearchTarget }[]): void {
  for (const rule of rules) {
    if (rule.rule.direction === 'to-openehr') {
      continue;
    }
    const when = [...base.when, ...conditions(rule.conditions, base)];
    switch (rule.kind) {
      case 'value': {
        const fhir = fhirSteps(rule.fhir, base);
        const fhirPath = fhir.join('.');
        const location = locate(rule.rule.openehr.root, rule.rule.openehr.steps, base);
        if (location.root === 'context') {
          const target: SearchTarget = location.path === 'patientReference' ? { kind: 'ehr', fhirPath } : { kind: 'context', name: location.path, fhirPath, when };
          out.push({ fhir, target });
          break;
        }
        const last = rule.rule.openehr.steps[rule.rule.openehr.steps.length - 1];
        const valuePath = last?.predicate?.kind === 'node' ? `${location.path}/value` : location.path;
        out.push({
          fhir,
          target: {
            kind: 'data',
            location: { root: location.root, path: valuePath },
            rmTypes: rule.rule.dataTypes,
            fhirPath,
            ...(rule.rule.map ? { map: rule.rule.map } : {}),
            ...(rule.rule.units ? { units: rule.rule.units } : {}),
            when,
          },
        });
        break;
      }
      case 'fixed': {
        const fhir = fhirSteps(rule.fhir, base);
        // a fixed value with an openEHR path is written only where that path reaches something
        const reached = rule.rule.openehr ? [{ location: locate(rule.rule.openehr.root, rule.rule.openehr.steps, base), operator: 'exists', values: [] }] : [];
        out.push({
          fhir,
          target: { kind: 'fixed', value: rule.rule.value, fhirPath: fhir.join('.'), when: [...when, ...reached], ...(rule.rule.ifMissing ? { ifMissing: true } : {}) },
        });
        break;
      }
      case 'group': {
        const fhir = fhirSteps(rule.fhir, base);
        const node = rule.rule.openehr ? locate(rule.rule.openehr.root, rule.rule.openehr.steps, base) : base.node;
        if (node.root === 'context') {
          break;
        }
        const fragment = rule.fragmentRoot;
        collect(rule.rules, { ...base, node, fhir, ...(rule.archetypeId ? { archetype: node } : {}), ...(fragment ? { fragment: fhir } : {}), when }, out);
        break;
      }
      case 'reference':
      case 'fixed-openehr':
        break;
    }
  }
}

/** Every data, fixed and context target of a plan with its FHIR element path (all rules, not one parameter's). */
export function planTargets(plan: ResourcePlan): SearchTarget[] {
  const root: OpenEhrLocation = plan.mapping.anchor.kind === 'archetype' ? { root: 'archetype', path: '/' } : { root: 'composition', path: '/' };
  const each: OpenEhrLocation = plan.mapping.each ? { root: root.root, path: join(root.path, plan.mapping.each.steps) } : root;
  const found: { readonly fhir: readonly string[]; readonly target: SearchTarget }[] = [];
  collect(plan.rules, { node: each, each, archetype: root, fhir: [], fragment: [], when: [] }, found);
  return found.map((f) => f.target);
}

function reads(parameter: SearchParameterDefinition, fhir: readonly string[]): boolean {
  return parameter.paths.some((p) => {
    const steps = p.split('.');
    return steps.length <= fhir.length && steps.every((s, i) => fhir[i] === s);
  });
}

function mappingTargets(plan: ResourcePlan, parameter: SearchParameterDefinition): MappingTargets | undefined {
  const mapping: ResourceMapping = plan.mapping;
  const root: OpenEhrLocation = mapping.anchor.kind === 'archetype' ? { root: 'archetype', path: '/' } : { root: 'composition', path: '/' };
  const each: OpenEhrLocation = mapping.each ? { root: root.root, path: join(root.path, mapping.each.steps) } : root;
  const base: Base = { node: each, each, archetype: root, fhir: [], fragment: [], when: [] };
  let targets: SearchTarget[];
  if (parameter.code === '_id') {
    targets = [{ kind: 'id' }];
  } else if (parameter.code === '_lastUpdated') {
    targets = [{ kind: 'last-updated' }];
  } else if (parameter.type === 'reference' && parameter.target === 'Patient' && mapping.anchor.kind === 'ehr-status') {
    targets = [];
  } else {
    const found: { readonly fhir: readonly string[]; readonly target: SearchTarget }[] = [];
    collect(plan.rules, base, found);
    targets = found.filter((f) => reads(parameter, f.fhir)).map((f) => f.target);
  }
  if (targets.length === 0) {
    return undefined;
  }
  return {
    mapping: mapping.name,
    ...(mapping.anchor.kind === 'archetype' ? { archetypeId: mapping.anchor.archetypeId } : {}),
    within: mapping.within,
    ...(mapping.each ? { each: formatPath(mapping.each.steps) } : {}),
    templates: mapping.templates,
    when: conditions(plan.conditions, base),
    targets,
  };
}

/** The openEHR targets of every supported search parameter of a resource type. */
export function targetsOf(plans: readonly ResourcePlan[], resourceType: string): ParameterTargets[] {
  const own = plans.filter((p) => p.mapping.resourceType === resourceType);
  return parametersOf(resourceType).map((parameter) => ({
    parameter,
    mappings: own.map((plan) => mappingTargets(plan, parameter)).filter((m): m is MappingTargets => m !== undefined),
  }));
}
