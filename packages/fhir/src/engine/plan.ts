/**
 * Compiling mappings into plans: every FHIR path resolved against the R4 element table,
 * includes and slots replaced by their fragments' rules, references checked. A rule that
 * cannot be compiled is reported (with where it is written and why) and left out.
 */
import type { FhirElement } from '../model/r4-model.js';
import { elementForJsonName, isFhirPrimitiveType, isKnownComplexType, isKnownFhirType } from '../model/r4-model.js';
import { chooseFhirType, converts } from '../mapping/convert.js';
import type {
  Condition,
  ConditionOperator,
  FhirPath,
  FixedOpenEhrRule,
  FixedRule,
  FragmentMapping,
  GroupRule,
  ReferenceRule,
  ResourceMapping,
  Rule,
  ValueRule,
} from '../mapping/model.js';

export interface ResolvedStep {
  readonly element: FhirElement;
  /** The types the step may have: one when narrowed or not a choice. */
  readonly types: readonly string[];
}

export interface ResolvedFhirPath {
  readonly root: 'here' | 'resource' | 'fragment';
  readonly steps: readonly ResolvedStep[];
  readonly text: string;
  /** The types at the end of the path; for an empty path, the type of the element it starts at. */
  readonly endTypes: readonly string[];
}

/** A condition with its FHIR path resolved (FHIR side) or as written (openEHR side). */
export type PlanCondition =
  | Extract<Condition, { side: 'openehr' }>
  | { readonly side: 'fhir'; readonly path: ResolvedFhirPath; readonly operator: ConditionOperator; readonly values: readonly string[] };

interface PlanBase {
  readonly conditions: readonly PlanCondition[];
}

export interface PlanValue extends PlanBase {
  readonly kind: 'value';
  readonly rule: ValueRule;
  readonly fhir: ResolvedFhirPath;
}
export interface PlanFixed extends PlanBase {
  readonly kind: 'fixed';
  readonly rule: FixedRule;
  readonly fhir: ResolvedFhirPath;
}
export interface PlanFixedOpenEhr extends PlanBase {
  readonly kind: 'fixed-openehr';
  readonly rule: FixedOpenEhrRule;
}
export interface PlanGroup extends PlanBase {
  readonly kind: 'group';
  readonly rule: GroupRule;
  readonly fhir: ResolvedFhirPath;
  /** The FHIR type of the element the group makes. */
  readonly elementType: string;
  readonly rules: readonly PlanRule[];
  /** For a slot: the archetype id of the cluster the group's openEHR node is. */
  readonly archetypeId?: string;
  /** The rules of a fragment: `fragment`-rooted FHIR paths start at this group's element. */
  readonly fragmentRoot: boolean;
}
export interface PlanReference extends PlanBase {
  readonly kind: 'reference';
  readonly rule: ReferenceRule;
  readonly fhir: ResolvedFhirPath;
}

export type PlanRule = PlanValue | PlanFixed | PlanFixedOpenEhr | PlanGroup | PlanReference;

export interface ResourcePlan {
  readonly mapping: ResourceMapping;
  readonly rules: readonly PlanRule[];
  readonly conditions: readonly PlanCondition[];
}

export interface CompileProblem {
  readonly where: string;
  readonly rule: string;
  readonly message: string;
}

export interface MappingLookup {
  fragment(name: string): FragmentMapping | undefined;
  slotFragment(archetypeId: string): FragmentMapping | undefined;
  resource(name: string): ResourceMapping | undefined;
}

class PlanError extends Error {}

/** Resolves a FHIR path from an element of type `from` (or the resource root, or the fragment's element). */
export function resolveFhirPath(path: FhirPath, from: string, resourceType: string, fragmentType: string = resourceType): ResolvedFhirPath {
  let current = path.root === 'resource' ? resourceType : path.root === 'fragment' ? fragmentType : from;
  let currentTypes: readonly string[] = [current];
  const steps: ResolvedStep[] = [];
  path.steps.forEach((s) => {
    if (currentTypes.length !== 1) {
      throw new PlanError(`'${steps[steps.length - 1]?.element.name}' has several types (${currentTypes.join(', ')}); name one with as(Type) to go on to '${s.name}'`);
    }
    if (isFhirPrimitiveType(current)) {
      throw new PlanError(`${current} is a primitive type and has no element '${s.name}'`);
    }
    if (!isKnownComplexType(current)) {
      throw new PlanError(`the engine does not know the elements of FHIR type ${current}`);
    }
    const found = elementForJsonName(current, s.name);
    if (!found) {
      throw new PlanError(`FHIR ${current} has no element '${s.name}'`);
    }
    const { element } = found;
    let types = found.type ? [found.type] : element.types;
    if (s.type) {
      const wanted = s.type;
      if (element.types.includes(wanted)) {
        types = [wanted];
      } else if (element.types.length === 1 && element.types[0] === 'Reference') {
        throw new PlanError(`'${s.name}' is a Reference; narrowing it to the resource type ${wanted} is not supported`);
      } else {
        throw new PlanError(`'${s.name}' of ${current} cannot be a ${wanted} (it is ${element.types.join('|')})`);
      }
    }
    steps.push({ element, types });
    currentTypes = types;
    current = types[0] as string;
  });
  return { root: path.root, steps, text: path.text, endTypes: currentTypes };
}

/** Whether a FHIR element of one of `types` can take a value of one of the RM types. */
function checkConvertible(rule: ValueRule, types: readonly string[]): void {
  const unknown = types.filter((t) => !isKnownFhirType(t));
  if (unknown.length === types.length) {
    throw new PlanError(`the engine has no conversion to FHIR ${unknown.join('|')}`);
  }
  if (rule.dataTypes.length === 0) {
    return;
  }
  const ok = rule.dataTypes.some((rm) => types.some((t) => converts(rm, t)) || chooseFhirType(rm, types) !== undefined);
  if (!ok) {
    throw new PlanError(`no conversion between ${rule.dataTypes.join('|')} and FHIR ${types.join('|')}`);
  }
}

export class Compiler {
  readonly problems: CompileProblem[] = [];
  /** Fragments whose rules were compiled into the plan (through slots and includes). */
  readonly usedFragments = new Set<string>();

  constructor(
    private readonly lookup: MappingLookup,
    private readonly resourceType: string,
  ) {}

  private fail(rule: Rule, message: string): void {
    this.problems.push({ where: rule.where, rule: rule.name, message });
  }

  compile(rules: readonly Rule[], elementType: string, stack: readonly string[] = [], fragmentType: string = this.resourceType): PlanRule[] {
    const plan: PlanRule[] = [];
    for (const rule of rules) {
      try {
        const compiled = this.compileRule(rule, elementType, stack, fragmentType);
        if (compiled) {
          plan.push(compiled);
        }
      } catch (error) {
        if (error instanceof PlanError) {
          this.fail(rule, error.message);
        } else {
          throw error;
        }
      }
    }
    return plan;
  }

  compileConditions(conditions: readonly Condition[], elementType: string, fragmentType: string = this.resourceType): PlanCondition[] {
    return conditions.map((c) => (c.side === 'openehr' ? c : { ...c, path: resolveFhirPath(c.path, elementType, this.resourceType, fragmentType) }));
  }

  private compileRule(rule: Rule, elementType: string, stack: readonly string[], fragmentType: string): PlanRule | undefined {
    const conditions = this.compileConditions(rule.when, elementType, fragmentType);
    const resolve = (path: FhirPath): ResolvedFhirPath => resolveFhirPath(path, elementType, this.resourceType, fragmentType);
    switch (rule.kind) {
      case 'value': {
        const fhir = resolve(rule.fhir);
        checkConvertible(rule, fhir.endTypes);
        return { kind: 'value', rule, fhir, conditions };
      }
      case 'fixed':
        return { kind: 'fixed', rule, fhir: resolve(rule.fhir), conditions };
      case 'fixed-openehr':
        return { kind: 'fixed-openehr', rule, conditions };
      case 'reference': {
        const fhir = resolve(rule.fhir);
        if (!fhir.endTypes.includes('Reference')) {
          throw new PlanError(`'${rule.fhir.text}' is not a Reference`);
        }
        if (!this.lookup.resource(rule.target)) {
          throw new PlanError(`no resource mapping '${rule.target}' to refer to`);
        }
        return { kind: 'reference', rule, fhir, conditions };
      }
      case 'group':
        return this.compileGroup(rule, elementType, stack, conditions, fragmentType);
    }
  }

  private compileGroup(rule: GroupRule, elementType: string, stack: readonly string[], conditions: readonly PlanCondition[], fragmentType: string): PlanGroup {
    const fhir = rule.fhir ? resolveFhirPath(rule.fhir, elementType, this.resourceType, fragmentType) : { root: 'here' as const, steps: [], text: '.', endTypes: [elementType] };
    // a group of openEHR values only (written on the way in) does not need one FHIR type
    const openEhrOnly = rule.rules.length > 0 && rule.rules.every((r) => r.kind === 'fixed-openehr');
    if (fhir.endTypes.length !== 1 && !openEhrOnly) {
      throw new PlanError(`a group needs one FHIR type at '${rule.fhir?.text}', it has ${fhir.endTypes.join('|')}; name one with as(Type)`);
    }
    const groupType = fhir.endTypes[0] as string;
    let fragment: { readonly key: string; readonly rules: readonly Rule[]; readonly archetypeId?: string } | undefined;
    if (rule.include) {
      const found = this.lookup.fragment(rule.include);
      if (!found) {
        throw new PlanError(`no fragment mapping '${rule.include}' to include`);
      }
      fragment = { key: found.name, rules: found.rules };
    }
    if (rule.slot) {
      const found = this.lookup.slotFragment(rule.slot);
      if (!found) {
        throw new PlanError(`no mapping for the slot archetype ${rule.slot}`);
      }
      fragment = { key: found.name, rules: found.rules, archetypeId: found.archetypeId ?? rule.slot };
    }
    if (fragment) {
      this.usedFragments.add(fragment.key);
      if (stack.includes(fragment.key)) {
        throw new PlanError(`'${fragment.key}' includes itself (${[...stack, fragment.key].join(' -> ')})`);
      }
    }
    const inner = [...(fragment?.rules ?? []), ...rule.rules];
    if (isFhirPrimitiveType(groupType) && inner.some((r) => r.kind !== 'fixed-openehr' && (r.kind !== 'fixed' || (r.fhir.root === 'here' && r.fhir.steps.length > 0)))) {
      throw new PlanError(`a group at '${rule.fhir?.text}' of primitive type ${groupType} cannot hold inner elements`);
    }
    // the fragment's rules start their `fragment` paths here; the group's own rules keep the outer start
    const own = this.compile(rule.rules, groupType, stack, fragmentType);
    const rules: PlanRule[] = fragment
      ? [
          {
            kind: 'group',
            rule: { kind: 'group', name: `${rule.name}: ${fragment.key}`, where: rule.where, direction: 'both', when: [], rules: [] },
            fhir: { root: 'here', steps: [], text: '.', endTypes: [groupType] },
            elementType: groupType,
            rules: this.compile(fragment.rules, groupType, [...stack, fragment.key], groupType),
            conditions: [],
            fragmentRoot: true,
          },
          ...own,
        ]
      : own;
    return { kind: 'group', rule, fhir, elementType: groupType, rules, conditions, fragmentRoot: false, ...(fragment?.archetypeId ? { archetypeId: fragment.archetypeId } : {}) };
  }
}

export function compileResource(mapping: ResourceMapping, lookup: MappingLookup): { plan: ResourcePlan; problems: CompileProblem[]; usedFragments: ReadonlySet<string> } {
  const compiler = new Compiler(lookup, mapping.resourceType);
  const rules = compiler.compile(mapping.rules, mapping.resourceType);
  let conditions: PlanCondition[] = [];
  try {
    conditions = compiler.compileConditions(mapping.when, mapping.resourceType);
  } catch (error) {
    if (!(error instanceof PlanError)) {
      throw error;
    }
    compiler.problems.push({ where: mapping.source, rule: 'when', message: error.message });
  }
  return { plan: { mapping, rules, conditions }, problems: compiler.problems, usedFragments: compiler.usedFragments };
}

export { PlanError };
