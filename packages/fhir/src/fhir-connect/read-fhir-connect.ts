/**
 * Reading FHIR Connect (FHIRconnect) model and extension files into our mapping model, so the
 * engine can run them. What a file uses that the engine does not execute is reported per
 * mapping entry, with the reason, and left out; the rest runs.
 *
 * How FHIR Connect reads here:
 * - a model file maps one archetype (`spec.openEhrConfig.archetype`) to a resource type (the
 *   last part of `spec.fhirConfig.structureDefinition`); a model of a BackboneElement,
 *   Dosage or other data type is a fragment, used by `slotArchetype`;
 * - `preprocessor.hierarchy` with `split.fhir.create: resource` makes one resource per node
 *   of its openEHR path (our `each`); `$archetype/...` paths through that node start there;
 * - `preprocessor.fhirCondition(s)` with `one of` identify the mapping on the way in and are
 *   written on the way out when the resource does not carry them already;
 * - `with.fhir`/`with.openehr` become a value rule (its `type` narrows the conversion), a
 *   group when `followedBy` follows, a slot with `slotArchetype`;
 * - `manual` entries become fixed FHIR values (written when their `openehrCondition` holds)
 *   and fixed openEHR values (written on the way in when their `fhirCondition` holds);
 * - a `fhirCondition` with `one of` on the element a rule makes (`$resource.component` with
 *   `code.coding.code`) identifies that element (a slice); other FHIR conditions filter on
 *   the way in; `openehrCondition` filters on the way out;
 * - extension files (`type: extension`) add, overwrite or append to the rules of the model
 *   they extend.
 */
import { isJsonObject } from '@cdr/rm';
import type { JsonValue } from '@cdr/rm';
import type { Condition, ConditionOperator, Direction, FhirPath, FixedOpenEhrRule, FixedRule, MappingDefinition, OpenEhrPath, Rule } from '../mapping/model.js';
import { parseFhirPath, parseOpenEhrPath } from '../mapping/paths.js';
import { isMappedResourceType } from '../model/r4-model.js';
import { SYSTEM_ALIASES } from '../mapping/terminology.js';

/** One `mappings` entry of a FHIR Connect file and whether the engine runs it. */
export interface EntryReport {
  readonly file: string;
  /** Location in the file: `mappings[2].followedBy[0]`. */
  readonly where: string;
  readonly name: string;
  /** Reasons it is not executed; empty when it is. */
  readonly unsupported: string[];
}

export interface FhirConnectFile {
  readonly name: string;
  readonly document: unknown;
}

export interface ReadFhirConnectResult {
  readonly definitions: MappingDefinition[];
  readonly entries: EntryReport[];
  /** File-level reasons (a file that cannot be read at all). */
  readonly fileProblems: { readonly file: string; readonly message: string }[];
}

type Json = Readonly<Record<string, unknown>>;

const rec = (value: unknown): Json | undefined => (isJsonObject(value) ? (value as Json) : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

export function normaliseArchetypeId(id: string): string {
  return id.startsWith('openEHR-') ? id : `openEHR-EHR-${id}`;
}

const FC_TYPES: Readonly<Record<string, { readonly rm: readonly string[]; readonly fhir?: string }>> = {
  QUANTITY: { rm: ['DV_QUANTITY', 'DV_COUNT'], fhir: 'Quantity' },
  DATETIME: { rm: ['DV_DATE_TIME', 'DV_DATE'] },
  CODEABLECONCEPT: { rm: ['DV_CODED_TEXT', 'DV_TEXT'], fhir: 'CodeableConcept' },
  CODING: { rm: ['DV_CODED_TEXT'], fhir: 'Coding' },
  STRING: { rm: ['DV_TEXT', 'String'] },
  IDENTIFIER: { rm: ['DV_IDENTIFIER'], fhir: 'Identifier' },
  PROPORTION: { rm: ['DV_PROPORTION'] },
};

const OPERATORS: Readonly<Record<string, ConditionOperator>> = {
  'one of': 'in',
  'not of': 'not-in',
  empty: 'absent',
  'not empty': 'exists',
  type: 'type',
};

function direction(value: unknown): Direction {
  const text = str(value)?.toLowerCase().replace(/\s/g, '');
  if (text === 'openehr->fhir') {
    return 'to-fhir';
  }
  if (text === 'fhir->openehr') {
    return 'to-openehr';
  }
  return 'both';
}

/** Criteria of a condition as a list of values; `$loinc.8310-5` keeps its system. */
function criteria(condition: Json): { readonly values: string[]; readonly systems: (string | undefined)[] } {
  const raw = [...list(condition['criteria']), ...list(condition['criterias'])];
  const values: string[] = [];
  const systems: (string | undefined)[] = [];
  for (const item of raw) {
    const text = str(item);
    if (text === undefined) {
      continue;
    }
    const parts = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).split(',') : [text];
    for (const part of parts) {
      const trimmed = part.trim();
      const qualified = /^\$([a-z]+)\.(.+)$/.exec(trimmed);
      if (qualified && SYSTEM_ALIASES[qualified[1] as string]) {
        values.push(qualified[2] as string);
        systems.push(SYSTEM_ALIASES[qualified[1] as string]);
      } else {
        values.push(trimmed);
        systems.push(undefined);
      }
    }
  }
  return { values, systems };
}

class Unsupported extends Error {}

interface Context {
  readonly file: string;
  /** The hierarchy node's path from the archetype root (each), as text steps. */
  readonly each?: OpenEhrPath;
  /** Whether `$resource` means the element a fragment is applied to. */
  readonly fragment: boolean;
  readonly entries: EntryReport[];
  /**
   * Where the children of a group make their elements when some of them pick their element
   * by a condition on `$fhirRoot` (each such child makes its own entry of the group's list).
   */
  readonly sliceAt?: FhirPath;
}

/** A child that picks its element by a `one of` condition on `$fhirRoot` itself. */
function isRootSlice(entry: Json): boolean {
  const w = rec(entry['with']);
  const fhir = str(w?.['fhir']);
  const condition = rec(entry['fhirCondition']);
  return (fhir === undefined || fhir === '$fhirRoot') && condition !== undefined && (str(condition['targetRoot']) ?? '$fhirRoot') === '$fhirRoot' && str(condition['operator']) === 'one of';
}

function joinPath(...parts: (string | undefined)[]): string {
  return parts
    .filter((p): p is string => p !== undefined && p !== '')
    .join('/')
    .replace(/\/+/g, '/');
}

function openehrPath(text: string | undefined, ctx: Context): OpenEhrPath | undefined {
  if (text === undefined) {
    return undefined;
  }
  let t = text.trim();
  if (t.startsWith('$reference')) {
    throw new Unsupported("'$reference' (a separate resource made from the rule's reference mappings) is not executed");
  }
  t = t.replace(/^\$openEHRRoot|^\$openehrRoot/, '');
  if (t.startsWith('/')) {
    t = t.slice(1);
  }
  const path = parseOpenEhrPath(t);
  // a path through the hierarchy node starts at it
  if (path.root === 'archetype' && ctx.each) {
    const prefix = ctx.each.steps;
    const matches =
      path.steps.length >= prefix.length &&
      prefix.every((s, i) => {
        const p = path.steps[i];
        return p?.attribute === s.attribute && JSON.stringify(p.predicate) === JSON.stringify(s.predicate);
      });
    if (matches) {
      return { root: 'each', steps: path.steps.slice(prefix.length), text };
    }
  }
  return { ...path, text };
}

function fhirPath(text: string | undefined, ctx: Context): FhirPath {
  if (text === undefined) {
    return { root: 'here', steps: [], text: '.' };
  }
  const path = parseFhirPath(text);
  return ctx.fragment && path.root === 'resource' ? { ...path, root: 'fragment' } : path;
}

function appendFhir(base: FhirPath, more: string): FhirPath {
  const extra = parseFhirPath(more);
  if (extra.root === 'resource') {
    return extra;
  }
  return { root: base.root, steps: [...base.steps, ...extra.steps], text: `${base.text}.${more}` };
}

function conditionPath(condition: Json): string {
  const root = str(condition['targetRoot']) ?? '';
  const attribute = str(condition['targetAttribute']);
  if (condition['targetAttributes'] !== undefined) {
    throw new Unsupported('conditions on several targetAttributes are not executed');
  }
  return attribute === undefined ? root : root === '' ? attribute : `${root}.${attribute}`;
}

function operatorOf(condition: Json): ConditionOperator {
  const op = OPERATORS[str(condition['operator']) ?? ''];
  if (!op) {
    throw new Unsupported(`condition operator '${String(condition['operator'])}' is not executed`);
  }
  return op;
}

function openehrCondition(condition: Json, ctx: Context): Condition {
  const root = str(condition['targetRoot']) ?? '$openehrRoot';
  const attribute = str(condition['targetAttribute']);
  if (condition['targetAttributes'] !== undefined) {
    throw new Unsupported('conditions on several targetAttributes are not executed');
  }
  const path = openehrPath(joinPath(root, attribute), ctx);
  return { side: 'openehr', path: path ?? { root: 'here', steps: [], text: '.' }, operator: operatorOf(condition), values: criteria(condition).values };
}

/** A FHIR condition; a targetRoot naming the rule's own element (`withFhir`) starts at that element. */
function fhirConditionOf(condition: Json, ctx: Context, withFhir?: string): Condition {
  const root = str(condition['targetRoot']);
  const own = root !== undefined && withFhir !== undefined && (root === withFhir || root === '$fhirRoot');
  const text = (own ? (str(condition['targetAttribute']) ?? '') : conditionPath(condition)).replace(/^\$fhirRoot\.?/, '');
  return { side: 'fhir', path: fhirPath(text, ctx), operator: operatorOf(condition), values: criteria(condition).values };
}

/**
 * A FHIR value that makes `path` carry the condition's first value: `code.coding.code` with
 * `8480-6` gives `code.coding` = `{ code: 8480-6 }` (with the system when the criteria name one).
 */
function identifyingValue(path: string, condition: Json): { readonly path: string; readonly value: JsonValue } {
  const { values, systems } = criteria(condition);
  const first = values[0];
  if (first === undefined) {
    throw new Unsupported('a condition without criteria');
  }
  const steps = path.split('.');
  if (steps.length >= 2 && steps[steps.length - 1] === 'code' && steps[steps.length - 2] === 'coding') {
    const system = systems[0];
    return { path: steps.slice(0, -1).join('.'), value: system ? { system, code: first } : { code: first } };
  }
  return { path, value: first };
}

function fixedFromCondition(name: string, where: string, fhirBase: FhirPath, relative: string, condition: Json): FixedRule {
  const { path, value } = identifyingValue(relative, condition);
  return {
    kind: 'fixed',
    name,
    where,
    direction: 'both',
    when: [],
    fhir: path === '' ? fhirBase : appendFhir(fhirBase, path),
    value,
    identifies: true,
    ensure: true,
  };
}

function manualRules(entry: Json, where: string, fhirBase: FhirPath, openehrBase: OpenEhrPath | undefined, ctx: Context): Rule[] {
  const withFhir = str(rec(entry['with'])?.['fhir']);
  const rules: Rule[] = [];
  list(entry['manual']).forEach((m, i) => {
    const manual = rec(m);
    if (!manual) {
      return;
    }
    const at = `${where}.manual[${i}]`;
    const name = str(manual['name']) ?? `manual ${i}`;
    const dir = direction(manual['unidirectional']);
    const openehrWhen = rec(manual['openehrCondition']) ? [openehrCondition(rec(manual['openehrCondition']) as Json, ctx)] : [];
    const fhirWhen = rec(manual['fhirCondition']) ? [fhirConditionOf(rec(manual['fhirCondition']) as Json, ctx, withFhir)] : [];
    if (manual['value'] !== undefined) {
      throw new Unsupported("a manual entry's bare 'value' is not executed");
    }
    for (const f of list(manual['fhir'])) {
      const item = rec(f);
      const p = str(item?.['path']);
      if (!item || p === undefined) {
        continue;
      }
      const fixed: FixedRule = {
        kind: 'fixed',
        name,
        where: at,
        direction: dir === 'to-openehr' ? 'to-openehr' : 'to-fhir',
        when: openehrWhen,
        fhir: p === '$fhirRoot' ? fhirBase : appendFhir(fhirBase, p.replace(/^\$fhirRoot\.?/, '')),
        value: item['value'] as JsonValue,
        identifies: false,
      };
      rules.push(fixed);
    }
    for (const o of list(manual['openehr'])) {
      const item = rec(o);
      const p = str(item?.['path']);
      if (!item || p === undefined) {
        continue;
      }
      const base = openehrBase ?? { root: 'here' as const, steps: [], text: '.' };
      const path = p === '$openehrRoot' || p === '$openEHRRoot' ? base : openehrPath(joinPath(base.text === '.' ? undefined : base.text, p.replace(/\./g, '/')), ctx);
      if (!path) {
        continue;
      }
      const fixed: FixedOpenEhrRule = {
        kind: 'fixed-openehr',
        name,
        where: at,
        direction: dir === 'to-fhir' ? 'to-fhir' : 'to-openehr',
        when: fhirWhen,
        openehr: path,
        value: item['value'] as JsonValue,
      };
      rules.push(fixed);
    }
  });
  return rules;
}

const KNOWN_KEYS = new Set([
  'name',
  'type',
  'with',
  'manual',
  'fhirCondition',
  'openehrCondition',
  'followedBy',
  'slotArchetype',
  'unidirectional',
  'extension',
  'appendTo',
  'reference',
  'terminology',
  'link',
]);

/** Reads one mapping entry (and the entries below it); returns undefined when it is not executed. */
function readEntry(raw: Json, where: string, outer: Context, ancestorsUnsupported: boolean): Rule | undefined {
  // an entry an extension file put here is reported as that file's
  const { __from, ...entry } = raw as Record<string, unknown>;
  const ctx: Context = typeof __from === 'string' ? { ...outer, file: __from } : outer;
  const name = str(entry['name']) ?? where;
  const report: EntryReport = { file: ctx.file, where, name, unsupported: [] };
  const at = `${ctx.file}: ${where}`;
  ctx.entries.push(report);
  const children = (key: string, base: Json | undefined, failed: boolean, sliceAt?: FhirPath): Rule[] =>
    list(rec(base)?.['mappings']).flatMap((c, i) => {
      const child = rec(c);
      const { sliceAt: _outer, ...rest } = ctx;
      const childCtx: Context = sliceAt ? { ...rest, sliceAt } : rest;
      const rule = child ? readEntry(child, `${where}.${key}[${i}]`, childCtx, failed) : undefined;
      return rule ? [rule] : [];
    });
  if (ancestorsUnsupported) {
    report.unsupported.push('inside a rule that is not executed');
    children('followedBy', rec(entry['followedBy']), true);
    children('reference', rec(entry['reference']), true);
    return undefined;
  }
  try {
    for (const key of Object.keys(entry)) {
      if (!KNOWN_KEYS.has(key)) {
        throw new Unsupported(`unknown key '${key}'`);
      }
    }
    if (entry['reference'] !== undefined) {
      throw new Unsupported('reference (an ad-hoc resource made for the rule and referred to) is not executed');
    }
    if (entry['link'] !== undefined) {
      throw new Unsupported('link (an openEHR LINK between entries) is not executed');
    }
    const w = rec(entry['with']) ?? {};
    const fhirText = str(w['fhir']);
    const openehrText = str(w['openehr']) ?? str(w['openEHR']);
    if (w['value'] !== undefined) {
      throw new Unsupported("'with.value' is not executed");
    }
    let fhir = fhirPath(fhirText, ctx);
    // inside a group whose children pick their own entries, every child starts at the group's element
    if (ctx.sliceAt && fhir.root === 'here' && !isRootSlice(entry)) {
      fhir = { root: ctx.sliceAt.root, steps: [...ctx.sliceAt.steps, ...fhir.steps], text: `${ctx.sliceAt.text}.${fhir.text}` };
    }
    const openehr = openehrText === undefined || openehrText === '$archetype' ? undefined : openehrPath(openehrText, ctx);
    const dir = direction(entry['unidirectional']);
    const when: Condition[] = [];
    const openehrCond = rec(entry['openehrCondition']);
    if (openehrCond) {
      when.push(openehrCondition(openehrCond, ctx));
    }
    // a FHIR condition `one of` on the element the rule makes (or one above it) identifies
    // that element: the rule becomes a group there holding the identity and the content
    let slice: { readonly at: FhirPath; readonly identity: FixedRule; readonly rest: FhirPath } | undefined;
    const fhirCond = rec(entry['fhirCondition']);
    if (fhirCond) {
      const operator = operatorOf(fhirCond);
      const root = str(fhirCond['targetRoot']) ?? '$fhirRoot';
      const rootPath: FhirPath = root === '$fhirRoot' ? (ctx.sliceAt ?? { root: 'here', steps: [], text: '.' }) : fhirPath(root, ctx);
      if (root === '$fhirRoot' && ctx.sliceAt && isRootSlice(entry)) {
        fhir = ctx.sliceAt;
      }
      const prefix = rootPath.root === fhir.root && rootPath.steps.length <= fhir.steps.length && rootPath.steps.every((s, i) => fhir.steps[i]?.name === s.name);
      if (operator === 'in' && prefix && rootPath.steps.length > 0) {
        const restSteps = fhir.steps.slice(rootPath.steps.length);
        slice = {
          at: rootPath,
          identity: fixedFromCondition(`${name}: identity`, `${at}.fhirCondition`, { root: 'here', steps: [], text: '.' }, str(fhirCond['targetAttribute']) ?? '', fhirCond),
          rest: { root: 'here', steps: restSteps, text: restSteps.map((s) => s.name).join('.') || '.' },
        };
      } else {
        when.push(fhirConditionOf(fhirCond, ctx));
      }
    }
    if (entry['terminology'] !== undefined && str(rec(entry['terminology'])?.['type']) !== 'inline') {
      throw new Unsupported("terminology other than 'inline' is not executed");
    }
    const units: Record<string, string> = {};
    for (const m of list(rec(entry['terminology'])?.['mappings'])) {
      const from = str(rec(rec(m)?.['openehr'])?.['code']);
      const to = str(rec(rec(m)?.['fhir'])?.['code']);
      if (from && to) {
        units[from] = to;
      }
    }
    const typeName = str(w['type']) ?? str(entry['type']);
    const fcType = typeName && typeName !== 'NONE' ? FC_TYPES[typeName] : undefined;
    if (typeName && typeName !== 'NONE' && !fcType) {
      throw new Unsupported(`type ${typeName} is not executed`);
    }
    const slot = str(entry['slotArchetype']);
    const followed = rec(entry['followedBy']);
    const isGroup = followed !== undefined || slot !== undefined || entry['manual'] !== undefined;
    // children that pick their own entries: the group keeps to its openEHR node, they make the elements
    const pushDown = followed !== undefined && fhir.steps.length > 0 && list(followed['mappings']).some((c) => rec(c) !== undefined && isRootSlice(rec(c) as Json));
    const sliceAt = pushDown ? fhir : undefined;
    if (pushDown) {
      fhir = { root: 'here', steps: [], text: '.' };
    }
    const content: Rule[] = isGroup ? [...manualRules(entry, at, { root: 'here', steps: [], text: '.' }, undefined, ctx), ...children('followedBy', followed, false, sliceAt)] : [];
    const here: OpenEhrPath = { root: 'here', steps: [], text: '.' };
    const make = (source: OpenEhrPath | undefined, target: FhirPath, conditions: Condition[], d: Direction): Rule => {
      if (isGroup) {
        return { kind: 'group', name, where: at, direction: d, when: conditions, ...(source ? { openehr: source } : {}), fhir: target, rules: content, ...(slot ? { slot: normaliseArchetypeId(slot) } : {}) };
      }
      if (!source) {
        throw new Unsupported('a rule without an openEHR path (and without manual values) maps nothing');
      }
      return { kind: 'value', name, where: at, direction: d, when: conditions, openehr: source, fhir: target, dataTypes: fcType?.rm ?? [], ...(Object.keys(units).length ? { units } : {}) };
    };
    const rule: Rule = slice
      ? { kind: 'group', name, where: at, direction: dir, when, ...(openehr ? { openehr } : {}), fhir: slice.at, rules: [slice.identity, make(isGroup ? undefined : here, slice.rest, [], 'both')] }
      : make(openehr, fhir, when, dir);
    return rule;
  } catch (error) {
    if (error instanceof Unsupported || (error instanceof Error && error.name === 'MappingSyntaxError')) {
      report.unsupported.push(error.message);
      children('followedBy', rec(entry['followedBy']), true);
      children('reference', rec(entry['reference']), true);
      return undefined;
    }
    throw error;
  }
}

function resourceTypeOf(structureDefinition: string | undefined): string | undefined {
  return structureDefinition?.split('/').pop();
}

/**
 * Replaces the rule named `name` (at any depth below `followedBy`; `a.b` names rule b inside
 * rule a) by `replacement`; undefined when there is no such rule.
 */
function replaceNamed(mappings: readonly unknown[], name: string, replacement: Json): unknown[] | undefined {
  const [head, ...rest] = name.split('.');
  for (let i = 0; i < mappings.length; i += 1) {
    const entry = rec(mappings[i]);
    if (!entry) {
      continue;
    }
    const inner = list(rec(entry['followedBy'])?.['mappings']);
    if (rest.length > 0 && str(entry['name']) === head) {
      const replaced = replaceNamed(inner, rest.join('.'), replacement);
      if (replaced) {
        return mappings.map((m, j) => (j === i ? { ...entry, followedBy: { mappings: replaced } } : m));
      }
    }
    if (rest.length === 0 && str(entry['name']) === name) {
      return mappings.map((m, j) => (j === i ? replacement : m));
    }
    if (rest.length === 0) {
      const replaced = replaceNamed(inner, name, replacement);
      if (replaced) {
        return mappings.map((m, j) => (j === i ? { ...entry, followedBy: { mappings: replaced } } : m));
      }
    }
  }
  return undefined;
}

/** Merges extension files into the model files they extend (by metadata name or archetype). */
function applyExtensions(models: Map<string, Json>, extensions: readonly { readonly name: string; readonly document: Json }[], problems: { file: string; message: string }[]): Map<string, Json> {
  const merged = new Map(models);
  for (const extension of extensions) {
    const target = str(rec(extension.document['spec'])?.['extends']);
    const key = [...merged.keys()].find((k) => {
      const doc = merged.get(k) as Json;
      const meta = str(rec(doc['metadata'])?.['name']);
      const archetype = str(rec(rec(doc['spec'])?.['openEhrConfig'])?.['archetype']);
      return target !== undefined && (meta === target || (archetype !== undefined && normaliseArchetypeId(target) === archetype));
    });
    if (!key) {
      problems.push({ file: extension.name, message: `extends '${target}', which is not among the model files read with it` });
      continue;
    }
    const base = merged.get(key) as Json;
    let mappings = [...list(base['mappings'])];
    for (const m of list(extension.document['mappings'])) {
      const entry = rec(m);
      if (!entry) {
        continue;
      }
      const mode = str(entry['extension']) ?? 'add';
      const { extension: _mode, appendTo, ...body } = entry;
      void _mode;
      if (mode === 'add') {
        mappings.push({ ...body, __from: extension.name });
      } else if (mode === 'overwrite') {
        const replaced = replaceNamed(mappings, str(entry['name']) ?? '', { ...body, __from: extension.name });
        if (replaced) {
          mappings = replaced;
        } else {
          mappings.push({ ...body, __from: extension.name, __overwriteMissing: true });
        }
      } else if (mode === 'append') {
        const index = mappings.findIndex((x) => str(rec(x)?.['name']) === str(appendTo));
        const host = rec(mappings[index]);
        if (!host) {
          mappings.push({ ...body, __from: extension.name, __appendMissing: str(appendTo) });
          continue;
        }
        const followed = rec(host['followedBy']) ?? { mappings: [] };
        const extra = list(rec(body['followedBy'])?.['mappings']).map((x) => ({ ...(rec(x) ?? {}), __from: extension.name }));
        mappings = mappings.map((x, i) => (i === index ? { ...host, followedBy: { mappings: [...list(followed['mappings']), ...extra] } } : x));
      } else {
        mappings.push({ ...body, __from: extension.name, __badMode: mode });
      }
    }
    merged.set(key, { ...base, mappings });
  }
  return merged;
}

/** Reads FHIR Connect model files (and extension files extending them) read together. */
export function readFhirConnect(files: readonly FhirConnectFile[]): ReadFhirConnectResult {
  const entries: EntryReport[] = [];
  const fileProblems: { file: string; message: string }[] = [];
  const models = new Map<string, Json>();
  const extensions: { name: string; document: Json }[] = [];
  for (const file of files) {
    const doc = rec(file.document);
    const type = str(doc?.['type']);
    if (!doc) {
      fileProblems.push({ file: file.name, message: 'not a YAML mapping' });
    } else if (type === 'model') {
      models.set(file.name, doc);
    } else if (type === 'extension') {
      extensions.push({ name: file.name, document: doc });
    } else {
      fileProblems.push({ file: file.name, message: `a '${type}' file maps nothing by itself` });
    }
  }
  const merged = applyExtensions(models, extensions, fileProblems);
  const definitions: MappingDefinition[] = [];
  let key = 0;
  for (const [name, doc] of merged) {
    const spec = rec(doc['spec']) ?? {};
    const archetype = str(rec(spec['openEhrConfig'])?.['archetype']);
    const resourceType = resourceTypeOf(str(rec(spec['fhirConfig'])?.['structureDefinition']));
    if (!archetype || !resourceType) {
      fileProblems.push({ file: name, message: 'a model file without spec.openEhrConfig.archetype or spec.fhirConfig.structureDefinition' });
      continue;
    }
    const archetypeId = normaliseArchetypeId(archetype);
    const pre = rec(doc['preprocessor']) ?? rec(spec['preprocessor']) ?? {};
    const hierarchy = rec(pre['hierarchy']);
    const isResource = isMappedResourceType(resourceType);
    let each: OpenEhrPath | undefined;
    const hierarchyPath = str(rec(hierarchy?.['with'])?.['openehr']) ?? str(rec(hierarchy?.['with'])?.['openEHR']);
    if (hierarchyPath && str(rec(rec(hierarchy?.['split'])?.['fhir'])?.['create']) === 'resource') {
      const parsed = parseOpenEhrPath(hierarchyPath);
      each = { root: 'archetype', steps: parsed.steps, text: hierarchyPath };
    }
    const ctx: Context = { file: name, fragment: !isResource, entries, ...(each ? { each } : {}) };
    const rules: Rule[] = [];
    // preprocessor conditions: identity of the mapping
    const conditions = [...list(pre['fhirCondition']), ...list(pre['fhirConditions'])];
    conditions.forEach((c, i) => {
      const condition = rec(c);
      if (!condition) {
        return;
      }
      const local = `preprocessor.fhirCondition[${i}]`;
      const where = `${name}: ${local}`;
      const report: EntryReport = { file: name, where: local, name: 'preprocessor condition', unsupported: [] };
      entries.push(report);
      try {
        const operator = operatorOf(condition);
        const path = conditionPath(condition).replace(/^\$resource\.?/, '');
        if (operator === 'in') {
          rules.push(fixedFromCondition('identity', where, { root: 'here', steps: [], text: '.' }, path, condition));
        } else {
          rules.push({ kind: 'group', name: 'filter', where, direction: 'to-openehr', when: [fhirConditionOf(condition, ctx)], rules: [] });
        }
      } catch (error) {
        if (error instanceof Unsupported) {
          report.unsupported.push(error.message);
        } else {
          throw error;
        }
      }
    });
    const mappingList = list(doc['mappings']);
    mappingList.forEach((m, i) => {
      const entry = rec(m);
      if (!entry) {
        return;
      }
      const { __from, __overwriteMissing, __appendMissing, __badMode, ...body } = entry as Record<string, unknown>;
      const file = typeof __from === 'string' ? __from : name;
      const entryCtx: Context = { ...ctx, file };
      if (__overwriteMissing || __appendMissing || __badMode) {
        entries.push({
          file,
          where: `mappings[${i}]`,
          name: str(body['name']) ?? '',
          unsupported: [__badMode ? `extension mode '${String(__badMode)}' is not executed` : `there is no rule '${String(__appendMissing ?? body['name'])}' in the extended model`],
        });
        return;
      }
      const rule = readEntry(body, `mappings[${i}]`, entryCtx, false);
      if (rule) {
        rules.push(rule);
      }
    });
    key += 1;
    const base = { name: `fc-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, source: name, rules };
    if (isResource) {
      definitions.push({
        kind: 'resource',
        ...base,
        resourceType,
        idKey: `fc${String.fromCharCode(96 + Math.min(26, key))}${key > 26 ? 'z'.repeat(key - 26) : ''}`,
        anchor: { kind: 'archetype', archetypeId },
        within: [],
        ...(each ? { each } : {}),
        when: [],
        profiles: [],
        templates: [],
      });
    } else {
      definitions.push({ kind: 'fragment', ...base, archetypeId });
    }
  }
  return { definitions, entries, fileProblems };
}


