/**
 * FLAT for RM objects outside the web template (`_uid`, `_work_flow_id`, `_feeder_audit`,
 * `_other_participation:0`, `_link:0`, `_normal_range`...): data values through their
 * value codecs, parties, participations and references in their usual FLAT shape, and
 * any other class attribute by attribute (`/attribute` for objects, `|attribute` for
 * primitives).
 */
import { allAttributes, baseTypeName, isKnownType, rmClass, typeParameter } from '../rm/rm-model.js';
import { openEhrGroup } from '../terminology/openehr-terminology.js';
import { emptyNode, instances, type FlatNode, type FlatValue } from './flat-tree.js';
import { bool, codePhrase, num, text, valueCodec, type CodecContext, type Emit, type Json } from './value-codecs.js';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const PRIMITIVES = new Set(['String', 'Integer', 'Real', 'Boolean']);

/** FLAT names of RM attributes that differ from `_` + the attribute name. */
const FLAT_NAMES: Readonly<Record<string, string>> = {
  workflow_id: '_work_flow_id',
  other_participations: '_other_participation',
  participations: '_participation',
  links: '_link',
  mappings: '_mapping',
  identifiers: '_identifier',
  originating_system_item_ids: 'originating_system_item_id',
  feeder_system_item_ids: 'feeder_system_item_id',
};

/** FEEDER_AUDIT.original_content is written `original_content` (parsable) or `original_content_multimedia`. */
const MULTIMEDIA_CONTENT = 'original_content_multimedia';

export function flatAttributeName(attribute: string): string {
  return FLAT_NAMES[attribute] ?? `_${attribute}`;
}

/** The RM attribute a `_name` segment stands for, on a type. */
export function rmAttributeOfFlatName(type: string, flatName: string): string | undefined {
  const names = allAttributes(type).map((a) => a.name);
  const explicit = Object.entries(FLAT_NAMES).find(([, f]) => f === flatName)?.[0];
  if (explicit && names.includes(explicit)) {
    return explicit;
  }
  const bare = flatName.replace(/^_/, '');
  if (names.includes(bare)) {
    return bare;
  }
  return names.includes(`${bare}s`) ? `${bare}s` : undefined;
}

const PARTY_SUFFIXES = ['id', 'id_scheme', 'id_namespace', 'name', 'type'];

function decodeObjectRef(node: FlatNode, type: string, namespaceSuffix = 'namespace'): Json | undefined {
  const id = text(node.suffixes.get('id')) ?? text(node.value);
  if (id === undefined) {
    return undefined;
  }
  const scheme = text(node.suffixes.get('id_scheme'));
  return {
    _type: type,
    id: scheme !== undefined ? { _type: 'GENERIC_ID', value: id, scheme } : { _type: 'HIER_OBJECT_ID', value: id },
    namespace: text(node.suffixes.get(namespaceSuffix)) ?? text(node.suffixes.get('namespace')) ?? 'local',
    type: text(node.suffixes.get('type')) ?? 'ANY',
  };
}

function encodeObjectRef(ref: unknown, emit: Emit, namespaceSuffix = 'namespace'): void {
  if (!isObject(ref)) {
    return;
  }
  const id = isObject(ref.id) ? ref.id : {};
  emit('|id', (id.value as FlatValue) ?? null);
  if (id.scheme !== undefined) {
    emit('|id_scheme', id.scheme as FlatValue);
  }
  if (ref.namespace !== undefined) {
    emit(`|${namespaceSuffix}`, ref.namespace as FlatValue);
  }
  if (ref.type !== undefined) {
    emit('|type', ref.type as FlatValue);
  }
}

function decodeIdentifiers(node: FlatNode): Json[] {
  const inline = new Map<number, FlatNode>();
  for (const [suffix, value] of node.suffixes) {
    const m = /^identifiers_(id|issuer|assigner|type):(\d+)$/.exec(suffix);
    if (m) {
      const at = Number(m[2]);
      const entry = inline.get(at) ?? { suffixes: new Map<string, FlatValue>(), children: new Map() };
      entry.suffixes.set(m[1]!, value);
      inline.set(at, entry);
    }
  }
  const all: [number, FlatNode][] = [...instances(node, '_identifier'), ...[...inline.entries()].sort((a, b) => a[0] - b[0])];
  return all.map(([, i]) => {
    const result: Json = { _type: 'DV_IDENTIFIER' };
    for (const name of ['issuer', 'assigner']) {
      const v = text(i.suffixes.get(name));
      if (v !== undefined) {
        result[name] = v;
      }
    }
    result.id = text(i.suffixes.get('id')) ?? text(i.value) ?? '';
    const type = text(i.suffixes.get('type'));
    if (type !== undefined) {
      result.type = type;
    }
    return result;
  });
}

/** A party proxy: `|id`, `|id_scheme`, `|id_namespace`, `|name`, `/relationship`, `/_identifier:n`. */
export function decodeParty(node: FlatNode, declared: string, context: CodecContext): Json | undefined {
  if (text(node.suffixes.get('_type')) === 'PARTY_SELF' && !node.suffixes.has('id')) {
    return { _type: 'PARTY_SELF' };
  }
  const hasParty =
    PARTY_SUFFIXES.some((s) => node.suffixes.has(s)) || node.children.has('relationship') || node.children.has('_identifier') || [...node.suffixes.keys()].some((k) => k.startsWith('identifiers_'));
  if (!hasParty) {
    return declared === 'PARTY_PROXY' || declared === 'PARTY_SELF' ? (node.value === undefined && node.children.size === 0 && node.suffixes.size === 0 ? undefined : { _type: 'PARTY_SELF' }) : undefined;
  }
  const relationshipNode = instances(node, 'relationship')[0]?.[1];
  const relationship = relationshipNode ? valueCodec('DV_CODED_TEXT')!.decode(relationshipNode, { ...context, codeTerminology: 'openehr' }) : undefined;
  const name = text(node.suffixes.get('name'));
  const identifiers = decodeIdentifiers(node);
  const type = relationship ? 'PARTY_RELATED' : name !== undefined || identifiers.length > 0 || declared === 'PARTY_IDENTIFIED' ? 'PARTY_IDENTIFIED' : declared === 'PARTY_RELATED' ? 'PARTY_RELATED' : 'PARTY_IDENTIFIED';
  const result: Json = { _type: type };
  const ref = decodeObjectRef(node, 'PARTY_REF', 'id_namespace');
  if (ref) {
    if (!node.suffixes.has('type')) {
      ref.type = 'PERSON';
    }
    result.external_ref = ref;
  }
  if (name !== undefined) {
    result.name = name;
  }
  if (identifiers.length > 0) {
    result.identifiers = identifiers;
  }
  if (relationship) {
    result.relationship = relationship;
  }
  return result;
}

export function encodeParty(party: Json, emit: Emit, context: CodecContext, inlineIdentifiers = false): void {
  if (isObject(party.external_ref)) {
    encodeObjectRef(party.external_ref, emit, 'id_namespace');
  }
  if (party.name !== undefined) {
    emit('|name', party.name as FlatValue);
  }
  if (Array.isArray(party.identifiers)) {
    party.identifiers.forEach((identifier, i) => {
      if (isObject(identifier)) {
        for (const name of ['id', 'issuer', 'assigner', 'type']) {
          if (identifier[name] !== undefined) {
            emit(inlineIdentifiers ? `|identifiers_${name}:${i}` : `/_identifier:${i}|${name}`, identifier[name] as FlatValue);
          }
        }
      }
    });
  }
  if (isObject(party.relationship)) {
    valueCodec('DV_CODED_TEXT')!.encode(party.relationship, (rel, v) => emit(`/relationship${rel}`, v), context);
  }
}

function modeFromText(mode: string): Json {
  const entry = Object.entries(openEhrGroup('participation mode')).find(([, rubric]) => rubric === mode);
  return entry ? { _type: 'DV_CODED_TEXT', value: mode, defining_code: codePhrase('openehr', entry[0]) } : { _type: 'DV_TEXT', value: mode };
}

function decodeParticipation(node: FlatNode, context: CodecContext): Json | undefined {
  const fn = text(node.suffixes.get('function'));
  const performer = decodeParty(node, 'PARTY_IDENTIFIED', context) ?? { _type: 'PARTY_IDENTIFIED' };
  if (fn === undefined && performer === undefined) {
    return undefined;
  }
  const result: Json = { _type: 'PARTICIPATION', function: { _type: 'DV_TEXT', value: fn ?? 'unknown' } };
  const mode = text(node.suffixes.get('mode'));
  if (mode !== undefined) {
    result.mode = modeFromText(mode);
  }
  result.performer = performer;
  const time = instances(node, 'time')[0]?.[1];
  if (time) {
    const interval = decodeRm(time, 'DV_INTERVAL<DV_DATE_TIME>', context);
    if (interval) {
      result.time = interval;
    }
  }
  return result;
}

function encodeParticipation(participation: Json, emit: Emit, context: CodecContext): void {
  if (isObject(participation.function)) {
    emit('|function', participation.function.value as FlatValue);
  }
  if (isObject(participation.mode)) {
    emit('|mode', participation.mode.value as FlatValue);
  }
  if (isObject(participation.performer)) {
    encodeParty(participation.performer, emit, context, true);
  }
  if (isObject(participation.time)) {
    encodeRm(participation.time, 'DV_INTERVAL<DV_DATE_TIME>', (rel, v) => emit(`/time${rel}`, v), context);
  }
}

/** Decodes any RM object of a declared type from its FLAT node. */
export function decodeRm(node: FlatNode, declared: string, context: CodecContext): unknown {
  let base = baseTypeName(declared);
  if (base === 'DV_ENCAPSULATED') {
    base = node.suffixes.has('mediatype') ? 'DV_MULTIMEDIA' : 'DV_PARSABLE';
  }
  if (PRIMITIVES.has(base)) {
    return base === 'Integer' || base === 'Real' ? num(node.value) : base === 'Boolean' ? bool(node.value) : text(node.value);
  }
  const codec = valueCodec(base);
  if (codec) {
    return codec.decode(node, context);
  }
  switch (base) {
    case 'PARTY_PROXY':
    case 'PARTY_SELF':
    case 'PARTY_IDENTIFIED':
    case 'PARTY_RELATED':
      return decodeParty(node, base, context);
    case 'PARTICIPATION':
      return decodeParticipation(node, context);
    case 'OBJECT_REF':
    case 'PARTY_REF':
      return decodeObjectRef(node, base);
    case 'LOCATABLE_REF': {
      const ref = decodeObjectRef(node, 'LOCATABLE_REF');
      if (ref) {
        ref.id = { _type: 'OBJECT_VERSION_ID', value: (ref.id as Json).value };
        const path = text(node.suffixes.get('path'));
        if (path !== undefined) {
          ref.path = path;
        }
      }
      return ref;
    }
    case 'UID_BASED_ID':
    case 'OBJECT_ID':
    case 'HIER_OBJECT_ID':
    case 'OBJECT_VERSION_ID': {
      const value = text(node.value);
      if (value === undefined) {
        return undefined;
      }
      return { _type: base === 'UID_BASED_ID' || base === 'OBJECT_ID' ? (value.includes('::') ? 'OBJECT_VERSION_ID' : 'HIER_OBJECT_ID') : base, value };
    }
    case 'INSTRUCTION_DETAILS': {
      const uid = text(node.suffixes.get('composition_uid'));
      const activity = text(node.suffixes.get('activity_id'));
      if (uid === undefined && activity === undefined) {
        return undefined;
      }
      const result: Json = {
        _type: 'INSTRUCTION_DETAILS',
        instruction_id: { _type: 'LOCATABLE_REF', id: { _type: 'OBJECT_VERSION_ID', value: uid ?? '' }, namespace: 'local', type: 'INSTRUCTION', path: text(node.suffixes.get('path')) ?? '' },
        activity_id: activity ?? '',
      };
      const details = instances(node, 'wf_details')[0]?.[1];
      if (details) {
        result.wf_details = decodeGeneric(details, 'ITEM_TREE', context);
      }
      return result;
    }
    case 'LINK': {
      const target = text(node.suffixes.get('target'));
      if (target === undefined) {
        return undefined;
      }
      return {
        _type: 'LINK',
        meaning: { _type: 'DV_TEXT', value: text(node.suffixes.get('meaning')) ?? '' },
        type: { _type: 'DV_TEXT', value: text(node.suffixes.get('type')) ?? '' },
        target: { _type: 'DV_EHR_URI', value: target },
      };
    }
    case 'REFERENCE_RANGE': {
      const meaningNode = instances(node, 'meaning')[0]?.[1];
      const meaning = meaningNode ? (valueCodec('DV_CODED_TEXT')!.decode(meaningNode, context) ?? { _type: 'DV_TEXT', value: text(meaningNode.value) ?? '' }) : { _type: 'DV_TEXT', value: '' };
      const range = decodeRm(node, `DV_INTERVAL<${context.node?.rmType ?? 'DV_QUANTITY'}>`, context);
      return range ? { _type: 'REFERENCE_RANGE', meaning, range } : undefined;
    }
    case 'DV_INTERVAL': {
      const parameter = typeParameter(declared) ?? context.node?.rmType ?? 'DV_QUANTITY';
      const lowerNode = instances(node, 'lower')[0]?.[1];
      const upperNode = instances(node, 'upper')[0]?.[1];
      const lower = lowerNode ? decodeRm(lowerNode, parameter, context) : undefined;
      const upper = upperNode ? decodeRm(upperNode, parameter, context) : undefined;
      if (lower === undefined && upper === undefined) {
        return undefined;
      }
      const result: Json = { _type: declared.includes('<') ? declared : `DV_INTERVAL<${parameter}>` };
      if (lower !== undefined) {
        result.lower = lower;
      }
      if (upper !== undefined) {
        result.upper = upper;
      }
      result.lower_included = bool(node.suffixes.get('lower_included')) ?? lower !== undefined;
      result.upper_included = bool(node.suffixes.get('upper_included')) ?? upper !== undefined;
      result.lower_unbounded = bool(node.suffixes.get('lower_unbounded')) ?? lower === undefined;
      result.upper_unbounded = bool(node.suffixes.get('upper_unbounded')) ?? upper === undefined;
      return result;
    }
    case 'TERM_MAPPING': {
      const targetNode = instances(node, 'target')[0]?.[1];
      const target = targetNode ? valueCodec('CODE_PHRASE')!.decode(targetNode, context) : undefined;
      if (!target) {
        return undefined;
      }
      const result: Json = { _type: 'TERM_MAPPING', match: text(node.suffixes.get('match')) ?? '?' };
      const purposeNode = instances(node, 'purpose')[0]?.[1];
      const purpose = purposeNode ? valueCodec('DV_CODED_TEXT')!.decode(purposeNode, { ...context, codeTerminology: 'openehr' }) : undefined;
      if (purpose) {
        result.purpose = purpose;
      }
      result.target = target;
      return result;
    }
    default:
      return decodeGeneric(node, base, context);
  }
}

const CONCRETE: Readonly<Record<string, string>> = {
  ITEM_STRUCTURE: 'ITEM_TREE',
  PARTY_PROXY: 'PARTY_IDENTIFIED',
  DV_ENCAPSULATED: 'DV_PARSABLE',
  UID_BASED_ID: 'HIER_OBJECT_ID',
  OBJECT_ID: 'GENERIC_ID',
  DATA_VALUE: 'DV_TEXT',
};

/** Any other class: attributes as `/attribute` children and `|attribute` suffixes. */
function decodeGeneric(node: FlatNode, type: string, context: CodecContext): Json | undefined {
  const concrete = rmClass(type)?.abstract ? (CONCRETE[type] ?? type) : type;
  if (!isKnownType(concrete)) {
    return undefined;
  }
  const result: Json = { _type: concrete };
  let any = false;
  for (const attribute of allAttributes(concrete)) {
    if (PRIMITIVES.has(attribute.type)) {
      const raw = node.suffixes.get(attribute.name) ?? instances(node, attribute.name)[0]?.[1]?.value;
      const value = attribute.type === 'Integer' || attribute.type === 'Real' ? num(raw) : attribute.type === 'Boolean' ? bool(raw) : text(raw);
      if (value !== undefined) {
        result[attribute.name] = value;
        any = true;
      }
      continue;
    }
    const flatName = attribute.name in FLAT_NAMES ? FLAT_NAMES[attribute.name]! : attribute.name;
    const found = [...instances(node, flatName), ...instances(node, `_${attribute.name}`)];
    const values = found.map(([, child]) => decodeRm(child, attribute.type, context)).filter((v) => v !== undefined);
    if (attribute.name === 'original_content') {
      for (const [, child] of instances(node, MULTIMEDIA_CONTENT)) {
        const multimedia = decodeRm(child, 'DV_MULTIMEDIA', context);
        if (multimedia !== undefined) {
          values.push(multimedia);
        }
      }
    }
    if (values.length === 0) {
      const inline = node.suffixes.get(attribute.name);
      if (inline !== undefined) {
        const value = decodeRm({ value: inline, suffixes: new Map(), children: new Map() }, attribute.type, context);
        if (value !== undefined) {
          result[attribute.name] = attribute.multiple ? [value] : value;
          any = true;
        }
      }
      continue;
    }
    result[attribute.name] = attribute.multiple ? values : values[0];
    any = true;
  }
  return any ? result : undefined;
}

/** Encodes any RM object under the FLAT path the emitter is bound to. */
export function encodeRm(value: unknown, declared: string, emit: Emit, context: CodecContext): void {
  if (!isObject(value)) {
    if (value !== undefined) {
      emit('', value as FlatValue);
    }
    return;
  }
  const type = typeof value._type === 'string' ? value._type : declared;
  const base = baseTypeName(type);
  const codec = valueCodec(base);
  if (codec) {
    codec.encode(value, emit, context);
    encodeExtras(value, base, codec.handles, emit, context);
    return;
  }
  switch (base) {
    case 'PARTY_SELF':
    case 'PARTY_IDENTIFIED':
    case 'PARTY_RELATED':
      encodeParty(value, emit, context);
      return;
    case 'PARTICIPATION':
      encodeParticipation(value, emit, context);
      return;
    case 'OBJECT_REF':
    case 'PARTY_REF':
      encodeObjectRef(value, emit);
      return;
    case 'LOCATABLE_REF':
      encodeObjectRef(value, emit);
      if (value.path !== undefined) {
        emit('|path', value.path as FlatValue);
      }
      return;
    case 'HIER_OBJECT_ID':
    case 'OBJECT_VERSION_ID':
    case 'GENERIC_ID':
      emit('', value.value as FlatValue);
      return;
    case 'INSTRUCTION_DETAILS': {
      const ref = isObject(value.instruction_id) ? value.instruction_id : {};
      emit('|composition_uid', (isObject(ref.id) ? (ref.id.value as FlatValue) : null) ?? null);
      emit('|path', (ref.path as FlatValue) ?? '');
      emit('|activity_id', value.activity_id as FlatValue);
      if (value.wf_details !== undefined) {
        encodeRm(value.wf_details, 'ITEM_TREE', (rel, v) => emit(`/wf_details${rel}`, v), context);
      }
      return;
    }
    case 'LINK':
      emit('|meaning', (isObject(value.meaning) ? value.meaning.value : '') as FlatValue);
      emit('|type', (isObject(value.type) ? value.type.value : '') as FlatValue);
      emit('|target', (isObject(value.target) ? value.target.value : '') as FlatValue);
      return;
    case 'REFERENCE_RANGE':
      if (isObject(value.meaning)) {
        encodeRm(value.meaning, 'DV_TEXT', (rel, v) => emit(`/meaning${rel}`, v), context);
      }
      encodeRm(value.range, 'DV_INTERVAL', emit, context);
      return;
    case 'DV_INTERVAL': {
      for (const bound of ['lower', 'upper']) {
        if (value[bound] !== undefined) {
          encodeRm(value[bound], 'DATA_VALUE', (rel, v) => emit(`/${bound}${rel}`, v), context);
        }
      }
      for (const flag of ['lower_included', 'upper_included', 'lower_unbounded', 'upper_unbounded']) {
        if (value[flag] !== undefined) {
          emit(`|${flag}`, value[flag] as FlatValue);
        }
      }
      return;
    }
    case 'TERM_MAPPING':
      emit('|match', value.match as FlatValue);
      if (isObject(value.purpose)) {
        encodeRm(value.purpose, 'DV_CODED_TEXT', (rel, v) => emit(`/purpose${rel}`, v), context);
      }
      if (isObject(value.target)) {
        encodeRm(value.target, 'CODE_PHRASE', (rel, v) => emit(`/target${rel}`, v), context);
      }
      return;
    default:
      encodeGeneric(value, base, emit, context);
  }
}

function encodeGeneric(value: Json, type: string, emit: Emit, context: CodecContext): void {
  for (const attribute of allAttributes(type)) {
    const v = value[attribute.name];
    if (v === undefined || attribute.name === 'archetype_node_id') {
      continue;
    }
    if (PRIMITIVES.has(attribute.type)) {
      emit(`|${attribute.name}`, v as FlatValue);
      continue;
    }
    const multimedia = attribute.name === 'original_content' && isObject(v) && v._type === 'DV_MULTIMEDIA';
    const flatName = multimedia ? MULTIMEDIA_CONTENT : attribute.name in FLAT_NAMES ? FLAT_NAMES[attribute.name]! : attribute.name;
    const items = attribute.multiple && Array.isArray(v) ? v : [v];
    items.forEach((item, i) => {
      const segment = attribute.multiple ? `${flatName}:${i}` : flatName;
      const entries: [string, FlatValue][] = [];
      const inner: CodecContext = { ...context, inlineValue: attribute.name === 'original_content' };
      if (isObject(item) && item._type === 'PARTY_SELF' && item.external_ref === undefined) {
        entries.push(['|_type', 'PARTY_SELF']);
      }
      encodeRm(item, attribute.type, (rel, x) => entries.push([rel, x]), inner);
      const simple = !attribute.multiple && entries.length === 1 && entries[0]![0] === '' && SIMPLE_VALUES.has(baseTypeName(typeof (item as Json)?._type === 'string' ? ((item as Json)._type as string) : attribute.type));
      for (const [rel, x] of entries) {
        emit(simple ? `|${attribute.name}` : `/${segment}${rel}`, x);
      }
    });
  }
}

/** Data values written as one `|attribute` suffix inside other objects (FEEDER_AUDIT_DETAILS.time). */
const SIMPLE_VALUES = new Set(['DV_DATE_TIME', 'DV_DATE', 'DV_TIME']);

/** Attributes of a data value its codec does not write (mappings, normal ranges...) as `_attribute` children. */
export function encodeExtras(value: Json, type: string, handled: readonly string[], emit: Emit, context: CodecContext): void {
  for (const attribute of allAttributes(type)) {
    const v = value[attribute.name];
    if (v === undefined || handled.includes(attribute.name)) {
      continue;
    }
    const flatName = flatAttributeName(attribute.name);
    const items = attribute.multiple && Array.isArray(v) ? v : [v];
    items.forEach((item, i) => {
      const segment = attribute.multiple ? `${flatName}:${i}` : flatName;
      const declared = attribute.name === 'normal_range' ? `DV_INTERVAL<${type}>` : attribute.type;
      encodeRm(item, declared, (rel, x) => emit(`/${segment}${rel}`, x), { ...context });
    });
  }
}

export { emptyNode };
