/**
 * The `ctx/` part of FLAT and the defaults a FLAT composition gets: composition language,
 * territory, composer, context times, setting and facility, and for every entry its
 * language, encoding and subject, event and action times, history origins.
 */
import type { OperationalTemplate } from '../opt/model.js';
import { isSubtypeOf } from '../rm/rm-model.js';
import { openEhrGroup, openEhrRubric } from '../terminology/openehr-terminology.js';
import type { WebTemplate } from '../webtemplate/model.js';
import { child, instances, type FlatNode } from './flat-tree.js';
import { decodeParty } from './rm-codec.js';
import { codePhrase, text, type Json } from './value-codecs.js';

interface ContextOptions {
  readonly language: string;
  readonly template: OperationalTemplate | undefined;
  readonly webTemplate: WebTemplate;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function ctxValue(ctx: FlatNode | undefined, id: string, suffix?: string): string | undefined {
  const node = child(ctx, id);
  return text(suffix === undefined ? node?.value : node?.suffixes.get(suffix));
}

function codedSetting(value: string): Json {
  const byCode = openEhrGroup('setting')[value];
  if (byCode) {
    return { _type: 'DV_CODED_TEXT', value: byCode, defining_code: codePhrase('openehr', value) };
  }
  const entry = Object.entries(openEhrGroup('setting')).find(([, rubric]) => rubric === value);
  return { _type: 'DV_CODED_TEXT', value, defining_code: codePhrase('openehr', entry?.[0] ?? '238') };
}

function composerFrom(ctx: FlatNode | undefined, language: string): Json | undefined {
  if (ctxValue(ctx, 'composer_self') === 'true') {
    return { _type: 'PARTY_SELF' };
  }
  const name = ctxValue(ctx, 'composer_name');
  const id = ctxValue(ctx, 'composer_id');
  if (name === undefined && id === undefined) {
    return undefined;
  }
  const party: Json = { _type: 'PARTY_IDENTIFIED' };
  if (id !== undefined) {
    const scheme = ctxValue(ctx, 'id_scheme');
    party.external_ref = {
      _type: 'PARTY_REF',
      id: scheme !== undefined ? { _type: 'GENERIC_ID', value: id, scheme } : { _type: 'HIER_OBJECT_ID', value: id },
      namespace: ctxValue(ctx, 'id_namespace') ?? 'local',
      type: 'PERSON',
    };
  }
  if (name !== undefined) {
    party.name = name;
  }
  void language;
  return party;
}

function participationsFrom(ctx: FlatNode | undefined, language: string): Json[] {
  const result: Json[] = [];
  for (const [index, nameNode] of instances(ctx, 'participation_name')) {
    const pick = (id: string): string | undefined => {
      const found = instances(ctx, id).find(([i]) => i === index)?.[1];
      return text(found?.value);
    };
    const performer: Json = { _type: 'PARTY_IDENTIFIED', name: text(nameNode.value) };
    const id = pick('participation_id');
    if (id !== undefined) {
      const scheme = ctxValue(ctx, 'id_scheme');
      performer.external_ref = {
        _type: 'PARTY_REF',
        id: scheme !== undefined ? { _type: 'GENERIC_ID', value: id, scheme } : { _type: 'HIER_OBJECT_ID', value: id },
        namespace: ctxValue(ctx, 'id_namespace') ?? 'local',
        type: 'PERSON',
      };
    }
    const participation: Json = { _type: 'PARTICIPATION', function: { _type: 'DV_TEXT', value: pick('participation_function') ?? 'unknown' } };
    const mode = pick('participation_mode');
    if (mode !== undefined) {
      const code = Object.entries(openEhrGroup('participation mode')).find(([, r]) => r === mode)?.[0];
      participation.mode = code ? { _type: 'DV_CODED_TEXT', value: mode, defining_code: codePhrase('openehr', code) } : { _type: 'DV_TEXT', value: mode };
    }
    participation.performer = performer;
    result.push(participation);
  }
  void language;
  return result;
}

function walk(value: unknown, visit: (object: Json, parents: readonly Json[]) => void, parents: Json[] = []): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      walk(item, visit, parents);
    }
    return;
  }
  if (!isObject(value)) {
    return;
  }
  visit(value, parents);
  parents.push(value);
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'name' && typeof v === 'object') {
      walk(v, visit, parents);
    }
  }
  parents.pop();
}

export function applyContext(composition: Json, ctx: FlatNode | undefined, options: ContextOptions): void {
  const { language } = options;
  composition.language ??= codePhrase('ISO_639-1', language);
  const territory = ctxValue(ctx, 'territory');
  if (composition.territory === undefined && territory !== undefined) {
    composition.territory = codePhrase('ISO_3166-1', territory);
  }
  if (composition.category === undefined) {
    const category = options.webTemplate.tree.children?.find((c) => c.id === 'category');
    const code = category?.inputs?.[0]?.list?.length === 1 ? category.inputs[0].list[0]?.value : undefined;
    if (code !== undefined) {
      composition.category = { _type: 'DV_CODED_TEXT', value: openEhrRubric(code, 'composition category') ?? code, defining_code: codePhrase('openehr', code) };
    }
  }
  composition.composer ??= composerFrom(ctx, language);
  if (composition.composer === undefined) {
    delete composition.composer;
  }
  const time = ctxValue(ctx, 'time');
  const hasContext = options.webTemplate.tree.children?.some((c) => c.id === 'context');
  if (hasContext && (composition.context !== undefined || time !== undefined || ctx !== undefined)) {
    const context = (isObject(composition.context) ? composition.context : {}) as Json;
    context._type ??= 'EVENT_CONTEXT';
    if (context.start_time === undefined && time !== undefined) {
      context.start_time = { _type: 'DV_DATE_TIME', value: time };
    }
    const end = ctxValue(ctx, 'end_time');
    if (context.end_time === undefined && end !== undefined) {
      context.end_time = { _type: 'DV_DATE_TIME', value: end };
    }
    const location = ctxValue(ctx, 'location');
    if (context.location === undefined && location !== undefined) {
      context.location = location;
    }
    context.start_time ??= { _type: 'DV_DATE_TIME', value: new Date().toISOString() };
    const setting = ctxValue(ctx, 'setting');
    context.setting ??= codedSetting(setting ?? '238');
    const facility = child(ctx, 'health_care_facility');
    if (context.health_care_facility === undefined && facility) {
      const party = decodeParty(facility, 'PARTY_IDENTIFIED', { language });
      if (party) {
        context.health_care_facility = party;
      }
    }
    if (Object.keys(context).length > 1) {
      composition.context = context;
    }
  }
  const startTime = isObject(composition.context) && isObject(composition.context.start_time) ? composition.context.start_time.value : undefined;
  const defaultTime = time ?? (typeof startTime === 'string' ? startTime : undefined);
  const participations = participationsFrom(ctx, language);
  const workflow = child(ctx, 'work_flow_id');
  const providerName = ctxValue(ctx, 'provider_name');
  const providerId = ctxValue(ctx, 'provider_id');

  walk(composition, (object, parents) => {
    const type = typeof object._type === 'string' ? object._type : '';
    if (isSubtypeOf(type, 'ENTRY')) {
      object.language ??= codePhrase('ISO_639-1', language);
      object.encoding ??= codePhrase('IANA_character-sets', ctxValue(ctx, 'encoding') ?? 'UTF-8');
      object.subject ??= { _type: 'PARTY_SELF' };
      if (object.other_participations === undefined && participations.length > 0) {
        object.other_participations = participations.map((p) => structuredClone(p));
      }
      if (object.workflow_id === undefined && workflow) {
        const id = text(workflow.suffixes.get('id'));
        if (id !== undefined) {
          const scheme = text(workflow.suffixes.get('id_scheme'));
          object.workflow_id = {
            _type: 'OBJECT_REF',
            id: scheme ? { _type: 'GENERIC_ID', value: id, scheme } : { _type: 'HIER_OBJECT_ID', value: id },
            namespace: text(workflow.suffixes.get('namespace')) ?? 'local',
            type: text(workflow.suffixes.get('type')) ?? 'ANY',
          };
        }
      }
      if (object.provider === undefined && (providerName !== undefined || providerId !== undefined)) {
        const provider: Json = { _type: 'PARTY_IDENTIFIED' };
        if (providerName !== undefined) {
          provider.name = providerName;
        }
        if (providerId !== undefined) {
          provider.external_ref = { _type: 'PARTY_REF', id: { _type: 'HIER_OBJECT_ID', value: providerId }, namespace: ctxValue(ctx, 'id_namespace') ?? 'local', type: 'PERSON' };
        }
        object.provider = provider;
      }
    }
    if ((isSubtypeOf(type, 'EVENT') || type === 'ACTION') && object.time === undefined && defaultTime !== undefined) {
      object.time = { _type: 'DV_DATE_TIME', value: defaultTime };
    }
    if (type === 'HISTORY' && object.origin === undefined) {
      const events = Array.isArray(object.events) ? object.events : [];
      const first = events.find((e): e is Json => isObject(e) && isObject(e.time));
      const origin = first ? (first.time as Json).value : defaultTime;
      if (typeof origin === 'string') {
        object.origin = { _type: 'DV_DATE_TIME', value: origin };
      }
    }
    if (type === 'ACTIVITY') {
      object.action_archetype_id ??= '/.*/';
    }
    if (type.startsWith('DV_INTERVAL')) {
      object.lower_included ??= object.lower !== undefined;
      object.upper_included ??= object.upper !== undefined;
      object.lower_unbounded ??= object.lower === undefined;
      object.upper_unbounded ??= object.upper === undefined;
    }
    void parents;
  });
}
