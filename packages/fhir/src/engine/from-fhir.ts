/**
 * FHIR -> openEHR: choosing the mapping for an incoming resource and running its plan
 * backwards into an entry, placed in a new composition of the mapping's template (or into an
 * EHR_STATUS for a Patient).
 */
import { isJsonObject } from '@cdr/rm';
import type { JsonObject, PathStep } from '@cdr/rm';
import { fhirToRm } from '../mapping/convert.js';
import type { PlanCondition, PlanGroup, PlanRule, ResourcePlan } from './plan.js';
import type { FhirValue, MutableJson } from './fhir-json.js';
import { clone, readAt } from './fhir-json.js';
import { carriesIdentity, identifyingRules, startAt } from './identity.js';
import type { BuildOptions } from './rm-builder.js';
import { completeMandatory, RM_VERSION, RmCursor, rmTypeOfArchetype, writeRmValue } from './rm-builder.js';
import type { OpenEhrPath } from '../mapping/model.js';
import { TemplateGuide } from './template-guide.js';
import type { OperationalTemplate } from '@cdr/template';

interface ReverseScope {
  readonly here: RmCursor;
  readonly each: RmCursor;
  readonly archetype: RmCursor;
  readonly composition: RmCursor;
  readonly archetypeId: string;
}

function cursorFor(path: OpenEhrPath, scope: ReverseScope): RmCursor | undefined {
  switch (path.root) {
    case 'here':
      return scope.here;
    case 'each':
      return scope.each;
    case 'archetype':
      return scope.archetype;
    case 'composition':
      return scope.composition;
    case 'entry':
      return scope.here.nearest('ENTRY');
    case 'event':
      return scope.here.nearest('EVENT');
    case 'context':
      return undefined;
  }
}

/** The primitives a FHIR condition compares: codes of codings, values of quantities, texts. */
function fhirPrimitives(value: FhirValue): string[] {
  const v = value.value;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    return [String(v)];
  }
  if (!isJsonObject(v)) {
    return [];
  }
  if (Array.isArray(v['coding'])) {
    return v['coding'].filter(isJsonObject).map((c) => String(c['code']));
  }
  if (v['code'] !== undefined) {
    return [String(v['code'])];
  }
  return v['value'] !== undefined ? [String(v['value'])] : [];
}

export function fhirConditionHolds(condition: Extract<PlanCondition, { side: 'fhir' }>, element: unknown, resource: unknown, fragment: unknown = resource): boolean {
  const reached = readAt(startAt(condition.path.root, element, resource, fragment), condition.path);
  switch (condition.operator) {
    case 'exists':
      return reached.length > 0;
    case 'absent':
      return reached.length === 0;
    case 'in':
      return reached.some((r) => fhirPrimitives(r).some((p) => condition.values.includes(p)));
    case 'not-in':
      return !reached.some((r) => fhirPrimitives(r).some((p) => condition.values.includes(p)));
    case 'type':
      return reached.some((r) => condition.values.includes(r.type));
  }
}

function fhirConditionsHold(conditions: readonly PlanCondition[], element: unknown, resource: unknown, fragment: unknown): boolean {
  return conditions.every((c) => c.side !== 'fhir' || fhirConditionHolds(c, element, resource, fragment));
}

class FromFhirRun {
  constructor(private readonly resource: unknown) {}

  run(rules: readonly PlanRule[], scope: ReverseScope, element: unknown, fragment: unknown = this.resource): void {
    for (const rule of rules) {
      if (rule.rule.direction === 'to-fhir' || !fhirConditionsHold(rule.conditions, element, this.resource, fragment)) {
        continue;
      }
      this.runRule(rule, scope, element, fragment);
    }
  }

  private runRule(rule: PlanRule, scope: ReverseScope, element: unknown, fragment: unknown): void {
    switch (rule.kind) {
      case 'value': {
        const start = cursorFor(rule.rule.openehr, scope);
        if (!start) {
          return;
        }
        const options = { archetypeId: scope.archetypeId, ...(rule.rule.map ? { map: rule.rule.map } : {}), ...(rule.rule.units ? { units: rule.rule.units } : {}) };
        const converted = readAt(startAt(rule.fhir.root, element, this.resource, fragment), rule.fhir)
          .map((value) => fhirToRm(value.value, value.type, rule.rule.dataTypes, options))
          .filter((rm) => rm !== undefined);
        const join = rule.rule.join;
        const texts = converted.map((rm) => (isJsonObject(rm) && rm['_type'] === 'DV_TEXT' && typeof rm['value'] === 'string' ? rm['value'] : undefined));
        if (join !== undefined && converted.length > 1 && texts.every((t) => t !== undefined)) {
          writeRmValue(start, rule.rule.openehr.steps, { _type: 'DV_TEXT', value: texts.join(join) });
          return;
        }
        for (const rm of converted) {
          writeRmValue(start, rule.rule.openehr.steps, rm);
        }
        return;
      }
      case 'fixed-openehr': {
        const start = cursorFor(rule.rule.openehr, scope);
        if (start) {
          writeRmValue(start, rule.rule.openehr.steps, clone(rule.rule.value));
        }
        return;
      }
      case 'group':
        this.runGroup(rule, scope, element, fragment);
        return;
      case 'fixed':
      case 'reference':
        return;
    }
  }

  private runGroup(group: PlanGroup, scope: ReverseScope, element: unknown, fragment: unknown): void {
    const identity = identifyingRules(group.rules);
    const start = startAt(group.fhir.root, element, this.resource, fragment);
    const elements = group.fhir.steps.length === 0 ? [{ value: start, type: group.elementType }] : readAt(start, group.fhir);
    const isFragment = group.fragmentRoot;
    for (const { value } of elements) {
      if (!carriesIdentity(identity, value, this.resource, isFragment ? value : fragment)) {
        continue;
      }
      let here = scope.here;
      if (group.rule.openehr) {
        const from = cursorFor(group.rule.openehr, scope);
        if (!from) {
          continue;
        }
        here = from.descend(group.rule.openehr.steps, group.rule.openehr.steps.length > 0);
      }
      const inner: ReverseScope = group.archetypeId ? { ...scope, here, archetype: here, archetypeId: group.archetypeId } : { ...scope, here };
      this.run(group.rules, inner, value, isFragment ? value : fragment);
    }
  }
}

export interface FromFhirOptions {
  /**
   * The parsed operational template of the target template. With it, new nodes get the
   * template's names and RM types and the entry goes where the template puts it; without it,
   * names fall back to node ids and the entry goes straight into `content`.
   */
  readonly template?: OperationalTemplate;
  /** The composer: the name of who commits (default `unknown`). */
  readonly composer?: string;
  /** ISO 639-1 language (default `en`). */
  readonly language?: string;
  /** ISO 3166-1 territory (default `US`). */
  readonly territory?: string;
  /** The time of the write (default now), used where the resource gives no time. */
  readonly now?: string;
}

export type FromFhirResult =
  | {
      readonly target: 'composition';
      /** The mapping used. */
      readonly mapping: string;
      readonly templateId: string;
      readonly composition: JsonObject;
    }
  | { readonly target: 'ehr_status'; readonly mapping: string; readonly ehrStatus: JsonObject };

function codePhrase(terminology: string, code: string): MutableJson {
  return { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code };
}

const CATEGORY_TEXT: Readonly<Record<string, string>> = { '431': 'persistent', '433': 'event', '451': 'episodic' };

/** Runs a plan backwards over a resource. */
export function runFromFhir(plan: ResourcePlan, resource: JsonObject, templateId: string, options: FromFhirOptions = {}): FromFhirResult {
  const { mapping } = plan;
  const guide = options.template ? new TemplateGuide(options.template) : undefined;
  const build: BuildOptions = { language: options.language ?? 'en', now: options.now ?? new Date().toISOString(), ...(guide ? { guide } : {}) };
  const run = new FromFhirRun(resource);

  if (mapping.anchor.kind === 'ehr-status') {
    const status: MutableJson = {
      _type: 'EHR_STATUS',
      name: { _type: 'DV_TEXT', value: 'EHR Status' },
      archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
      archetype_details: { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-EHR_STATUS.generic.v1' }, rm_version: RM_VERSION },
      subject: { _type: 'PARTY_SELF' },
      is_queryable: true,
      is_modifiable: true,
    };
    const root = RmCursor.root(build, status, 'EHR_STATUS');
    run.run(plan.rules, { here: root, each: root, archetype: root, composition: root, archetypeId: 'openEHR-EHR-EHR_STATUS.generic.v1' }, resource);
    return { target: 'ehr_status', mapping: mapping.name, ehrStatus: status as JsonObject };
  }

  const compositionArchetype = guide ? guide.template.definition.archetypeId : 'openEHR-EHR-COMPOSITION.encounter.v1';
  const categoryCode = guide?.categoryCode() ?? '433';
  const composition: MutableJson = {
    _type: 'COMPOSITION',
    name: { _type: 'DV_TEXT', value: (guide ? guide.name(guide.root) : undefined) ?? templateId },
    archetype_node_id: compositionArchetype,
    archetype_details: {
      _type: 'ARCHETYPED',
      archetype_id: { _type: 'ARCHETYPE_ID', value: compositionArchetype },
      template_id: { _type: 'TEMPLATE_ID', value: templateId },
      rm_version: RM_VERSION,
    },
    language: codePhrase('ISO_639-1', build.language),
    territory: codePhrase('ISO_3166-1', options.territory ?? 'US'),
    category: { _type: 'DV_CODED_TEXT', value: CATEGORY_TEXT[categoryCode] ?? 'event', defining_code: codePhrase('openehr', categoryCode) },
    composer: { _type: 'PARTY_IDENTIFIED', name: options.composer ?? 'unknown' },
  };
  if (categoryCode !== '431') {
    composition['context'] = {
      _type: 'EVENT_CONTEXT',
      start_time: { _type: 'DV_DATE_TIME', value: build.now },
      setting: { _type: 'DV_CODED_TEXT', value: 'other care', defining_code: codePhrase('openehr', '238') },
    };
  }
  const root = RmCursor.root(build, composition, 'COMPOSITION', guide?.root);

  let anchor: RmCursor;
  if (mapping.anchor.kind === 'composition') {
    anchor = root;
  } else {
    const archetypeId = mapping.anchor.archetypeId;
    const placement = guide?.placement(archetypeId);
    const steps: PathStep[] = placement
      ? placement.map((p) => (p.nodeId ? { attribute: p.attribute, predicate: { kind: 'node', nodeId: p.nodeId } } : { attribute: p.attribute }))
      : [{ attribute: 'content', predicate: { kind: 'node', nodeId: archetypeId } }];
    anchor = root.descend(steps, true);
    if (!rmTypeOfArchetype(archetypeId)) {
      throw new Error(`'${archetypeId}' is not an archetype id`);
    }
  }
  const each = mapping.each ? anchor.descend(mapping.each.steps, true) : anchor;
  const archetypeId = mapping.anchor.kind === 'archetype' ? mapping.anchor.archetypeId : compositionArchetype;
  run.run(plan.rules, { here: each, each, archetype: anchor, composition: root, archetypeId }, resource);
  anchor.materialise();
  completeMandatory(composition, build);
  return { target: 'composition', mapping: mapping.name, templateId, composition: composition as JsonObject };
}
