/**
 * Reads our mapping files (YAML, already parsed) into the mapping model.
 *
 * A resource mapping:
 *
 * ```yaml
 * mapping: observation-heart-rate          # its name
 * resource: Observation                    # the FHIR resource it makes
 * id: hr                                   # id key: ids are <composition uuid>.hr<n>
 * from: openEHR-EHR-OBSERVATION.pulse.v2   # an archetype, `composition` or `ehr_status`
 * each: /data[at0002]/events[at0003]       # one resource per event (optional)
 * within: [...]                            # archetypes that must enclose it (optional)
 * profiles: [http://hl7.org/fhir/StructureDefinition/heartrate]
 * templates: [cdr.vital_signs.v1]          # where a FHIR write goes
 * rules:
 *   - include: observation-vital-signs     # shared rules (a fragment)
 *   - fhir: code                           # a fixed value; `identifies` makes it select
 *     fixed: { coding: [{ system: http://loinc.org, code: 8867-4 }] }   # this mapping on the way in
 *     identifies: true
 *   - openehr: data[at0001]/items[at0004]  # a value: openEHR path <-> FHIR path, by type
 *     fhir: valueQuantity
 *     type: DV_QUANTITY
 * ```
 *
 * A fragment (`fragment: <name>`, optionally `slot: <cluster archetype id>`) has `rules` only.
 * Rule keys: `name`, `openehr`, `fhir`, `type` (RM type or list), `map`, `units`, `fixed`,
 * `identifies`, `match` (identifying fixed values of a group), `rules`, `slot`, `include`,
 * `reference`, `absent`, `openehr_value`, `when`, `direction`. See the package README.
 */
import type { JsonValue } from '@cdr/rm';
import { isJsonObject } from '@cdr/rm';
import type {
  CodeMap,
  CodeMapEntry,
  Condition,
  ConditionOperator,
  Direction,
  FhirPath,
  FragmentMapping,
  MappingDefinition,
  OpenEhrPath,
  ResourceMapping,
  Rule,
} from './model.js';
import { MappingSyntaxError, parseFhirPath, parseOpenEhrPath } from './paths.js';

export class MappingFileError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'MappingFileError';
  }
}

class Node {
  constructor(
    readonly value: unknown,
    readonly where: string,
  ) {}

  fail(message: string): never {
    throw new MappingFileError(this.where, message);
  }

  record(): Readonly<Record<string, unknown>> {
    return isJsonObject(this.value) ? (this.value as Record<string, unknown>) : this.fail('expected a mapping (key: value)');
  }

  onlyKeys(allowed: ReadonlySet<string>): void {
    for (const key of Object.keys(this.record())) {
      if (!allowed.has(key)) {
        this.fail(`unknown key '${key}' (allowed: ${[...allowed].join(', ')})`);
      }
    }
  }

  has(key: string): boolean {
    return this.record()[key] !== undefined;
  }

  child(key: string): Node {
    return new Node(this.record()[key], `${this.where}.${key}`);
  }

  string(): string {
    return typeof this.value === 'string' && this.value !== '' ? this.value : typeof this.value === 'number' ? String(this.value) : this.fail('expected a text');
  }

  optionalString(): string | undefined {
    return this.value === undefined || this.value === null ? undefined : this.string();
  }

  list(): Node[] {
    if (this.value === undefined || this.value === null) {
      return [];
    }
    return Array.isArray(this.value) ? this.value.map((v, i) => new Node(v, `${this.where}[${i}]`)) : this.fail('expected a list');
  }

  /** A text or a list of texts. */
  strings(): string[] {
    if (this.value === undefined || this.value === null) {
      return [];
    }
    return Array.isArray(this.value) ? this.list().map((n) => n.string()) : [this.string()];
  }

  boolean(): boolean {
    return typeof this.value === 'boolean' ? this.value : this.fail('expected true or false');
  }
}

function openehrPath(node: Node): OpenEhrPath {
  try {
    return parseOpenEhrPath(node.string());
  } catch (error) {
    if (error instanceof MappingSyntaxError) {
      node.fail(error.message);
    }
    throw error;
  }
}

function fhirPath(node: Node): FhirPath {
  try {
    return parseFhirPath(node.string());
  } catch (error) {
    if (error instanceof MappingSyntaxError) {
      node.fail(error.message);
    }
    throw error;
  }
}

const DIRECTIONS = new Set<Direction>(['both', 'to-fhir', 'to-openehr']);
const CONDITION_KEYS = new Set(['openehr', 'fhir', 'in', 'not_in', 'exists', 'type']);

function readCondition(node: Node): Condition {
  node.onlyKeys(CONDITION_KEYS);
  const body = node.record();
  const operators = ['in', 'not_in', 'exists', 'type'].filter((k) => body[k] !== undefined);
  if (operators.length !== 1) {
    node.fail('a condition needs exactly one of in, not_in, exists, type');
  }
  const op = operators[0] as string;
  let operator: ConditionOperator;
  let values: string[] = [];
  if (op === 'exists') {
    operator = node.child('exists').boolean() ? 'exists' : 'absent';
  } else {
    operator = op === 'not_in' ? 'not-in' : (op as ConditionOperator);
    values = node.child(op).strings();
  }
  if (node.has('openehr') === node.has('fhir')) {
    node.fail('a condition names either an openehr or a fhir path');
  }
  return node.has('openehr')
    ? { side: 'openehr', path: openehrPath(node.child('openehr')), operator, values }
    : { side: 'fhir', path: fhirPath(node.child('fhir')), operator, values };
}

function readConditions(node: Node): Condition[] {
  if (node.value === undefined) {
    return [];
  }
  return Array.isArray(node.value) ? node.list().map(readCondition) : [readCondition(node)];
}

const MAP_KEYS = new Set(['system', 'terminology', 'unmapped', 'codes']);
const ENTRY_KEYS = new Set(['fhir', 'text', 'display']);

function readMap(node: Node): CodeMap {
  node.onlyKeys(MAP_KEYS);
  const entries: CodeMapEntry[] = [];
  const codes = node.child('codes');
  for (const [openehr, target] of Object.entries(codes.record())) {
    const entry = new Node(target, `${codes.where}.${openehr}`);
    if (typeof target === 'string' || typeof target === 'number') {
      entries.push({ openehr, fhir: String(target) });
      continue;
    }
    entry.onlyKeys(ENTRY_KEYS);
    const text = entry.child('text').optionalString();
    const display = entry.child('display').optionalString();
    entries.push({ openehr, fhir: entry.child('fhir').string(), ...(text ? { text } : {}), ...(display ? { display } : {}) });
  }
  const unmappedText = node.child('unmapped').optionalString() ?? 'drop';
  if (unmappedText !== 'keep' && unmappedText !== 'drop') {
    node.child('unmapped').fail("expected 'keep' or 'drop'");
  }
  const unmapped: CodeMap['unmapped'] = unmappedText === 'keep' ? 'keep' : 'drop';
  const system = node.child('system').optionalString();
  return { ...(system ? { system } : {}), terminology: node.child('terminology').optionalString() ?? 'local', entries, unmapped };
}

const RULE_KEYS = new Set([
  'name',
  'openehr',
  'fhir',
  'type',
  'map',
  'units',
  'fixed',
  'identifies',
  'match',
  'rules',
  'slot',
  'include',
  'reference',
  'absent',
  'openehr_value',
  'when',
  'direction',
  'join',
  'if_missing',
]);

function readRule(node: Node): Rule {
  node.onlyKeys(RULE_KEYS);
  const body = node.record();
  const direction = (node.child('direction').optionalString() ?? 'both') as Direction;
  if (!DIRECTIONS.has(direction)) {
    node.child('direction').fail(`expected one of ${[...DIRECTIONS].join(', ')}`);
  }
  const when = readConditions(node.child('when'));
  const openehr = node.has('openehr') ? openehrPath(node.child('openehr')) : undefined;
  const fhir = node.has('fhir') ? fhirPath(node.child('fhir')) : undefined;
  const name = node.child('name').optionalString() ?? body['include']?.toString() ?? body['slot']?.toString() ?? fhir?.text ?? openehr?.text ?? 'rule';
  const base = { name, where: node.where, direction, when };

  const isGroup = body['rules'] !== undefined || body['slot'] !== undefined || body['include'] !== undefined || body['match'] !== undefined;
  if (isGroup) {
    for (const key of ['type', 'map', 'units', 'fixed', 'reference', 'openehr_value', 'identifies', 'join', 'if_missing']) {
      if (body[key] !== undefined) {
        node.fail(`'${key}' does not belong in a group (a rule with rules, slot, include or match)`);
      }
    }
    const rules: Rule[] = [];
    const match = node.child('match');
    if (match.value !== undefined) {
      for (const [key, value] of Object.entries(match.record())) {
        rules.push({
          kind: 'fixed',
          name: `${name}: ${key}`,
          where: `${match.where}.${key}`,
          direction: 'both',
          when: [],
          fhir: fhirPath(new Node(key, `${match.where}.${key}`)),
          value: value as JsonValue,
          identifies: true,
        });
      }
    }
    rules.push(...node.child('rules').list().map(readRule));
    return {
      kind: 'group',
      ...base,
      ...(openehr ? { openehr } : {}),
      ...(fhir ? { fhir } : {}),
      rules,
      ...(body['absent'] !== undefined ? { absent: body['absent'] as JsonValue } : {}),
      ...(body['slot'] !== undefined ? { slot: node.child('slot').string() } : {}),
      ...(body['include'] !== undefined ? { include: node.child('include').string() } : {}),
    };
  }
  if (body['absent'] !== undefined) {
    node.fail("'absent' belongs to a group");
  }
  if (body['reference'] !== undefined) {
    if (!openehr || !fhir) {
      node.fail('a reference needs an openehr and a fhir path');
    }
    return { kind: 'reference', ...base, openehr, fhir, target: node.child('reference').string() };
  }
  if (body['fixed'] !== undefined) {
    if (!fhir) {
      node.fail('a fixed value needs a fhir path');
    }
    return {
      kind: 'fixed',
      ...base,
      fhir,
      value: body['fixed'] as JsonValue,
      identifies: node.has('identifies') ? node.child('identifies').boolean() : false,
      ...(openehr ? { openehr } : {}),
      ...(node.has('if_missing') && node.child('if_missing').boolean() ? { ifMissing: true } : {}),
    };
  }
  if (body['openehr_value'] !== undefined) {
    if (!openehr) {
      node.fail('an openehr_value needs an openehr path');
    }
    return { kind: 'fixed-openehr', ...base, openehr, value: body['openehr_value'] as JsonValue };
  }
  if (!openehr || !fhir) {
    node.fail('a rule needs an openehr and a fhir path (or fixed, reference, rules, slot, include)');
  }
  let units: Record<string, string> | undefined;
  if (body['units'] !== undefined) {
    units = {};
    for (const [from, to] of Object.entries(node.child('units').record())) {
      units[from] = new Node(to, `${node.where}.units.${from}`).string();
    }
  }
  return {
    kind: 'value',
    ...base,
    openehr,
    fhir,
    dataTypes: node.child('type').strings(),
    ...(body['map'] !== undefined ? { map: readMap(node.child('map')) } : {}),
    ...(units ? { units } : {}),
    ...(body['join'] !== undefined ? { join: node.child('join').string() } : {}),
  };
}

const RESOURCE_KEYS = new Set(['mapping', 'description', 'resource', 'id', 'from', 'each', 'within', 'when', 'profiles', 'templates', 'rules']);
const FRAGMENT_KEYS = new Set(['fragment', 'description', 'slot', 'rules']);
const NAME = /^[a-z][a-z0-9-]*$/;

/** Reads one of our mapping files (parsed YAML); `where` names the file in messages. */
export function readMappingDocument(document: unknown, where: string): MappingDefinition {
  const root = new Node(document, where);
  const body = root.record();
  if (body['fragment'] !== undefined) {
    root.onlyKeys(FRAGMENT_KEYS);
    const name = root.child('fragment').string();
    if (!NAME.test(name)) {
      root.child('fragment').fail('a name is lower case letters, digits and dashes');
    }
    const archetypeId = root.child('slot').optionalString();
    const description = root.child('description').optionalString();
    const fragment: FragmentMapping = {
      kind: 'fragment',
      name,
      ...(archetypeId ? { archetypeId } : {}),
      rules: root.child('rules').list().map(readRule),
      source: where,
      ...(description ? { description } : {}),
    };
    return fragment;
  }
  root.onlyKeys(RESOURCE_KEYS);
  const name = root.child('mapping').string();
  if (!NAME.test(name)) {
    root.child('mapping').fail('a name is lower case letters, digits and dashes');
  }
  const idKey = root.child('id').string();
  if (!/^[a-z]+$/.test(idKey)) {
    root.child('id').fail('an id key is lower case letters only');
  }
  const from = root.child('from').string();
  const anchor: ResourceMapping['anchor'] =
    from === 'composition' ? { kind: 'composition' } : from === 'ehr_status' ? { kind: 'ehr-status' } : { kind: 'archetype', archetypeId: from };
  if (anchor.kind === 'archetype' && !/^openEHR-EHR-[A-Z_]+\.[a-zA-Z0-9_-]+\.v\d+/.test(from)) {
    root.child('from').fail(`expected an archetype id, 'composition' or 'ehr_status', got '${from}'`);
  }
  const description = root.child('description').optionalString();
  const mapping: ResourceMapping = {
    kind: 'resource',
    name,
    resourceType: root.child('resource').string(),
    idKey,
    anchor,
    within: root.child('within').strings(),
    ...(root.has('each') ? { each: openehrPath(root.child('each')) } : {}),
    when: readConditions(root.child('when')),
    profiles: root.child('profiles').strings(),
    templates: root.child('templates').strings(),
    rules: root.child('rules').list().map(readRule),
    source: where,
    ...(description ? { description } : {}),
  };
  return mapping;
}
