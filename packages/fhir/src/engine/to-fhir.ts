/**
 * openEHR -> FHIR: running resource plans over a composition (or an EHR_STATUS).
 */
import { baseTypeName, isJsonObject, nodeIdOf } from '@cdr/rm';
import type { JsonObject } from '@cdr/rm';
import { chooseFhirType, rmToFhir } from '../mapping/convert.js';
import type { Condition } from '../mapping/model.js';
import type { ParsedVersionContext } from '../resources/ids.js';
import { compositionResourceId, compositionUrl, openehrSource, TEMPLATE_TAG_SYSTEM } from '../resources/ids.js';
import { toFhirDateTime } from '../mapping/convert.js';
import type { MutableJson } from './fhir-json.js';
import { mergeInto, readAt, writeAt } from './fhir-json.js';
import { carriesIdentity } from './identity.js';
import type { PlanCondition, PlanFixed, PlanGroup, PlanRule, ResourcePlan } from './plan.js';
import { isFhirPrimitiveType } from '../model/r4-model.js';
import type { RmNode } from './rm-tree.js';
import { descendants, follow, nearest, rootNode } from './rm-tree.js';
import type { Scope } from './scope.js';
import { dataOf, evaluate, hasType, openEhrConditionHolds } from './scope.js';

export type FhirResource = { resourceType: string; id?: string; meta?: MutableJson } & MutableJson;

/** One resource a mapping makes: the node it is made from and its id. */
interface Instance {
  readonly plan: ResourcePlan;
  readonly scope: Scope;
  readonly id: string;
}

function conditionsHold(conditions: readonly (Condition | PlanCondition)[], scope: Scope): boolean {
  return conditions.every((c) => c.side !== 'openehr' || openEhrConditionHolds(c, scope));
}

function templateIdOf(root: unknown): string | undefined {
  if (!isJsonObject(root) || !isJsonObject(root['archetype_details'])) {
    return undefined;
  }
  const template = root['archetype_details']['template_id'];
  return isJsonObject(template) && typeof template['value'] === 'string' ? template['value'] : undefined;
}

/** The values `$context/...` paths read. */
export function contextValues(context: ParsedVersionContext, root: unknown): JsonObject {
  const templateId = templateIdOf(root);
  return {
    ehrId: context.ehrId,
    versionUid: context.versionUid,
    compositionId: context.version.objectId,
    systemId: context.version.systemId,
    versionNumber: String(context.version.version),
    timeCommitted: context.timeCommitted,
    patientReference: `Patient/${context.ehrId}`,
    compositionUrl: compositionUrl(context),
    documentStatus: context.latest === false ? 'superseded' : 'current',
    ...(templateId ? { templateId } : {}),
  };
}

/** The archetype roots of a tree by archetype id (one walk for all plans). */
function archetypeIndex(root: RmNode): Map<string, RmNode[]> {
  const index = new Map<string, RmNode[]>();
  for (const node of descendants(root)) {
    const id = nodeIdOf(node.value);
    if (id !== undefined && id.startsWith('openEHR-')) {
      const list = index.get(id);
      if (list) {
        list.push(node);
      } else {
        index.set(id, [node]);
      }
    }
  }
  return index;
}

function anchorsOf(plan: ResourcePlan, root: RmNode, index: ReadonlyMap<string, readonly RmNode[]>): readonly RmNode[] {
  const { anchor, within } = plan.mapping;
  if (anchor.kind !== 'archetype') {
    return [root];
  }
  const found = index.get(anchor.archetypeId) ?? [];
  return within.length === 0 ? found : found.filter((node) => nearest(node.parent, (n) => within.includes(nodeIdOf(n.value) ?? '')) !== undefined);
}

/** Every resource the plans make from one root, with its id, in plan then document order. */
function instancesOf(plans: readonly ResourcePlan[], root: RmNode, context: ParsedVersionContext): Instance[] {
  const contextNode = rootNode(contextValues(context, root.value), 'CONTEXT');
  const index = archetypeIndex(root);
  const instances: Instance[] = [];
  for (const plan of plans) {
    const { mapping } = plan;
    let position = 0;
    const made: Instance[] = [];
    for (const anchor of anchorsOf(plan, root, index)) {
      const anchorId = mapping.anchor.kind === 'archetype' ? mapping.anchor.archetypeId : (nodeIdOf(root.value) ?? '');
      const eachNodes = mapping.each ? follow(anchor, mapping.each.steps) : [anchor];
      for (const each of eachNodes) {
        const scope: Scope = { here: each, each, archetype: anchor, archetypeId: anchorId, composition: root, context: contextNode };
        if (!conditionsHold(mapping.when, scope)) {
          continue;
        }
        position += 1;
        const id =
          mapping.anchor.kind === 'ehr-status'
            ? context.ehrId
            : compositionResourceId(context.version.objectId, mapping.idKey, mapping.anchor.kind === 'composition' ? undefined : position);
        made.push({ plan, scope, id });
      }
    }
    instances.push(...made);
  }
  return instances;
}

/** The elements FHIR paths that do not start `here` start at. */
interface Roots {
  readonly resource: MutableJson;
  readonly fragment: MutableJson;
}

function startOf(path: { readonly root: 'here' | 'resource' | 'fragment' }, element: MutableJson, roots: Roots): MutableJson {
  return path.root === 'resource' ? roots.resource : path.root === 'fragment' ? roots.fragment : element;
}

class ToFhirRun {
  /** mapping name -> the node a resource is made from -> resource reference */
  private readonly references = new Map<string, Map<unknown, string>>();

  constructor(instances: readonly Instance[]) {
    for (const instance of instances) {
      const name = instance.plan.mapping.name;
      let byNode = this.references.get(name);
      if (!byNode) {
        byNode = new Map();
        this.references.set(name, byNode);
      }
      byNode.set(instance.scope.each.value, `${instance.plan.mapping.resourceType}/${instance.id}`);
    }
  }

  /** Runs rules; returns how many data values (not fixed values) they wrote. */
  run(rules: readonly PlanRule[], scope: Scope, element: MutableJson, roots: Roots): number {
    let written = 0;
    const ensured: PlanFixed[] = [];
    for (const rule of rules) {
      if (rule.rule.direction === 'to-openehr' || !conditionsHold(rule.conditions, scope)) {
        continue;
      }
      if (rule.kind === 'fixed' && (rule.rule.ensure || rule.rule.ifMissing)) {
        ensured.push(rule);
        continue;
      }
      written += this.runRule(rule, scope, element, roots);
    }
    for (const rule of ensured) {
      const missing = rule.rule.ifMissing ? readAt(startOf(rule.fhir, element, roots), rule.fhir).length === 0 : !carriesIdentity([rule], element, roots.resource, roots.fragment);
      if (missing) {
        written += this.runRule(rule, scope, element, roots);
      }
    }
    return written;
  }

  private runRule(rule: PlanRule, scope: Scope, element: MutableJson, roots: Roots): number {
    switch (rule.kind) {
      case 'value': {
        const target = startOf(rule.fhir, element, roots);
        let written = 0;
        for (const node of evaluate(rule.rule.openehr, scope)) {
          const data = dataOf(node);
          if (!data || !hasType(data, rule.rule.dataTypes)) {
            continue;
          }
          const fhirType = rule.fhir.endTypes.length === 1 ? rule.fhir.endTypes[0] : chooseFhirType(data.rmType, rule.fhir.endTypes);
          if (!fhirType) {
            continue;
          }
          const options = { archetypeId: scope.archetypeId, ...(rule.rule.map ? { map: rule.rule.map } : {}), ...(rule.rule.units ? { units: rule.rule.units } : {}) };
          const value = rmToFhir(data.value, data.rmType, fhirType, options);
          if (value !== undefined && writeAt(target, rule.fhir, value, fhirType)) {
            written += 1;
          }
        }
        return written;
      }
      case 'fixed': {
        if (rule.rule.openehr && evaluate(rule.rule.openehr, scope).length === 0) {
          return 0;
        }
        writeAt(startOf(rule.fhir, element, roots), rule.fhir, rule.rule.value);
        return 0;
      }
      case 'fixed-openehr':
        return 0;
      case 'reference': {
        let written = 0;
        const byNode = this.references.get(rule.rule.target);
        for (const node of evaluate(rule.rule.openehr, scope)) {
          const reference = byNode?.get(node.value);
          if (reference && writeAt(startOf(rule.fhir, element, roots), rule.fhir, { reference }, 'Reference')) {
            written += 1;
          }
        }
        return written;
      }
      case 'group':
        return this.runGroup(rule, scope, element, roots);
    }
  }

  private runGroup(group: PlanGroup, scope: Scope, element: MutableJson, roots: Roots): number {
    const target = startOf(group.fhir, element, roots);
    const nodes = group.rule.openehr ? evaluate(group.rule.openehr, scope) : [scope.here];
    if (isFhirPrimitiveType(group.elementType)) {
      // a primitive element (a code): its fixed values, where their conditions hold
      for (const node of nodes) {
        const inner: Scope = { ...scope, here: node };
        for (const rule of group.rules) {
          if (rule.kind === 'fixed' && rule.rule.direction !== 'to-openehr' && conditionsHold(rule.conditions, inner)) {
            writeAt(rule.fhir.steps.length === 0 && rule.fhir.root === 'here' ? target : startOf(rule.fhir, element, roots), rule.fhir.steps.length === 0 && rule.fhir.root === 'here' ? group.fhir : rule.fhir, rule.rule.value);
          }
        }
      }
      return 0;
    }
    const dataRules = group.rules.some((r) => r.kind !== 'fixed' && r.kind !== 'fixed-openehr');
    const fragment = group.fragmentRoot;
    let written = 0;
    for (const node of nodes) {
      const inner: Scope = group.archetypeId ? { ...scope, here: node, archetype: node, archetypeId: group.archetypeId } : { ...scope, here: node };
      const draft: MutableJson = {};
      const wrote = this.run(group.rules, inner, draft, fragment ? { ...roots, fragment: draft } : roots);
      if (wrote > 0 || !dataRules) {
        writeAt(target, group.fhir, draft, group.elementType);
        written += wrote;
      }
    }
    if (nodes.length === 0 && group.rule.absent !== undefined) {
      const draft: MutableJson = {};
      for (const rule of group.rules) {
        if (rule.kind === 'fixed' && !rule.rule.openehr && rule.rule.direction !== 'to-openehr') {
          writeAt(startOf(rule.fhir, draft, roots), rule.fhir, rule.rule.value);
        }
      }
      if (isJsonObject(group.rule.absent)) {
        mergeInto(draft, group.rule.absent);
      }
      writeAt(target, group.fhir, draft, group.elementType);
    }
    return written;
  }

  resource(instance: Instance, context: ParsedVersionContext): FhirResource {
    const { mapping } = instance.plan;
    const meta: MutableJson = {
      versionId: String(context.version.version),
      lastUpdated: toFhirDateTime(context.timeCommitted) ?? context.timeCommitted,
      source: openehrSource(context.ehrId, mapping.anchor.kind === 'ehr-status' ? 'ehr_status' : 'composition', context.versionUid),
    };
    if (mapping.profiles.length > 0) {
      meta['profile'] = [...mapping.profiles];
    }
    const templateId = templateIdOf(instance.scope.composition.value);
    if (templateId && mapping.anchor.kind !== 'ehr-status') {
      meta['tag'] = [{ system: TEMPLATE_TAG_SYSTEM, code: templateId }];
    }
    const resource: FhirResource = { resourceType: mapping.resourceType, id: instance.id, meta };
    this.run(instance.plan.rules, instance.scope, resource, { resource, fragment: resource });
    return resource;
  }
}

/**
 * The resources the plans make from one composition (or EHR_STATUS); with `wanted`, only
 * those (by resource type and id) are made, their references to the others still resolved.
 */
export function runToFhir(plans: readonly ResourcePlan[], root: unknown, context: ParsedVersionContext, wanted?: (resourceType: string, id: string) => boolean): FhirResource[] {
  const rootType = isJsonObject(root) && typeof root['_type'] === 'string' ? baseTypeName(root['_type']) : 'COMPOSITION';
  const instances = instancesOf(plans, rootNode(root, rootType), context);
  const run = new ToFhirRun(instances);
  return instances.filter((instance) => !wanted || wanted(instance.plan.mapping.resourceType, instance.id)).map((instance) => run.resource(instance, context));
}


