/**
 * Builders of canonical JSON (every `_type` explicit) for generated compositions: data
 * values, elements, item structures, entries and compositions, named as our templates name
 * them.
 */
export type Json = { [key: string]: unknown };

const RM_VERSION = '1.1.0';

export const codePhrase = (terminology: string, code: string): Json => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
  code_string: code,
});

export const text = (value: string): Json => ({ _type: 'DV_TEXT', value });

export const coded = (value: string, terminology: string, code: string): Json => ({
  _type: 'DV_CODED_TEXT',
  value,
  defining_code: codePhrase(terminology, code),
});

/** An at-code of the archetype the element belongs to. */
export const local = (value: string, code: string): Json => coded(value, 'local', code);

/** A coded term: `[code, text]` in a terminology. */
export type Term = readonly [code: string, text: string];

export const term = (terminology: string, [code, value]: Term): Json => coded(value, terminology, code);

export const dateTime = (value: string): Json => ({ _type: 'DV_DATE_TIME', value });

export const time = (value: string): Json => ({ _type: 'DV_TIME', value });

export const duration = (value: string): Json => ({ _type: 'DV_DURATION', value });

export const count = (magnitude: number): Json => ({ _type: 'DV_COUNT', magnitude });

export const boolean = (value: boolean): Json => ({ _type: 'DV_BOOLEAN', value });

export const identifier = (id: string, issuer?: string, type?: string): Json => ({
  _type: 'DV_IDENTIFIER',
  ...(issuer ? { issuer } : {}),
  id,
  ...(type ? { type } : {}),
});

/** openEHR property codes of quantities. */
export const Property = {
  length: '122',
  mass: '124',
  pressure: '125',
  temperature: '127',
  massPerArea: '349',
  qualifiedReal: '380',
  frequency: '382',
} as const;

export function quantity(magnitude: number, units: string, options: { precision?: number; property?: string } = {}): Json {
  return {
    _type: 'DV_QUANTITY',
    magnitude,
    units,
    ...(options.precision === undefined ? {} : { precision: options.precision }),
    ...(options.property ? { property: codePhrase('openehr', options.property) } : {}),
  };
}

/** A laboratory quantity with its reference range and where the value lies against it. */
export function rangedQuantity(magnitude: number, units: string, precision: number, low: number | undefined, high: number | undefined): Json {
  const bound = (value: number): Json => ({ _type: 'DV_QUANTITY', magnitude: value, units, precision });
  const status = low !== undefined && magnitude < low ? 'L' : high !== undefined && magnitude > high ? 'H' : 'N';
  return {
    _type: 'DV_QUANTITY',
    normal_range: {
      _type: 'DV_INTERVAL',
      ...(low === undefined ? {} : { lower: bound(low) }),
      ...(high === undefined ? {} : { upper: bound(high) }),
      lower_unbounded: low === undefined,
      upper_unbounded: high === undefined,
      lower_included: true,
      upper_included: true,
    },
    normal_status: codePhrase('openehr_normal_statuses', status),
    magnitude,
    units,
    precision,
  };
}

/** A percentage (DV_PROPORTION of type 2, denominator 100). */
export const percent = (numerator: number): Json => ({ _type: 'DV_PROPORTION', numerator, denominator: 100, type: 2 });

export function element(nodeId: string, name: string, value: Json): Json {
  return { _type: 'ELEMENT', name: text(name), archetype_node_id: nodeId, value };
}

export function itemTree(nodeId: string, name: string, items: readonly Json[]): Json {
  return { _type: 'ITEM_TREE', name: text(name), archetype_node_id: nodeId, items };
}

export function archetyped(archetypeId: string, templateId?: string): Json {
  return {
    _type: 'ARCHETYPED',
    archetype_id: { _type: 'ARCHETYPE_ID', value: archetypeId },
    ...(templateId ? { template_id: { _type: 'TEMPLATE_ID', value: templateId } } : {}),
    rm_version: RM_VERSION,
  };
}

/** A CLUSTER that is the root of an archetype (a slot filler). */
export function archetypeCluster(archetypeId: string, name: string, items: readonly Json[]): Json {
  return { _type: 'CLUSTER', name: text(name), archetype_node_id: archetypeId, archetype_details: archetyped(archetypeId), items };
}

/** A CLUSTER inside an archetype. */
export function cluster(nodeId: string, name: string, items: readonly Json[]): Json {
  return { _type: 'CLUSTER', name: text(name), archetype_node_id: nodeId, items };
}

function entry(rmType: string, archetypeId: string, name: string): Json {
  return {
    _type: rmType,
    name: text(name),
    archetype_node_id: archetypeId,
    archetype_details: archetyped(archetypeId),
    language: codePhrase('ISO_639-1', 'en'),
    encoding: codePhrase('IANA_character-sets', 'UTF-8'),
    subject: { _type: 'PARTY_SELF' },
  };
}

/** An OBSERVATION with one HISTORY holding one POINT_EVENT. */
export function observation(input: {
  archetypeId: string;
  name: string;
  history: readonly [nodeId: string, name: string];
  event: readonly [nodeId: string, name: string];
  data: readonly [nodeId: string, name: string];
  time: string;
  items: readonly Json[];
  state?: Json;
  protocol?: Json;
}): Json {
  const event: Json = {
    _type: 'POINT_EVENT',
    name: text(input.event[1]),
    archetype_node_id: input.event[0],
    time: dateTime(input.time),
    data: itemTree(input.data[0], input.data[1], input.items),
  };
  if (input.state) {
    event.state = input.state;
  }
  return {
    ...entry('OBSERVATION', input.archetypeId, input.name),
    ...(input.protocol ? { protocol: input.protocol } : {}),
    data: {
      _type: 'HISTORY',
      name: text(input.history[1]),
      archetype_node_id: input.history[0],
      origin: dateTime(input.time),
      events: [event],
    },
  };
}

export function evaluation(input: { archetypeId: string; name: string; data: Json; protocol?: Json }): Json {
  return {
    ...entry('EVALUATION', input.archetypeId, input.name),
    ...(input.protocol ? { protocol: input.protocol } : {}),
    data: input.data,
  };
}

export function instruction(input: { archetypeId: string; name: string; narrative: string; activities: readonly Json[]; protocol?: Json }): Json {
  return {
    ...entry('INSTRUCTION', input.archetypeId, input.name),
    ...(input.protocol ? { protocol: input.protocol } : {}),
    narrative: text(input.narrative),
    activities: input.activities,
  };
}

/** openEHR setting codes of EVENT_CONTEXT. */
export const Setting = {
  emergency: ['227', 'emergency care'],
  primaryMedical: ['228', 'primary medical care'],
  secondaryMedical: ['232', 'secondary medical care'],
  other: ['238', 'other care'],
} as const satisfies Record<string, Term>;

export function composition(input: {
  uid: string;
  archetypeId: string;
  templateId: string;
  name: string;
  composer: string;
  startTime: string;
  setting: Term;
  facility?: string;
  otherContext?: Json;
  content: readonly Json[];
}): Json {
  return {
    _type: 'COMPOSITION',
    name: text(input.name),
    archetype_node_id: input.archetypeId,
    uid: { _type: 'OBJECT_VERSION_ID', value: input.uid },
    archetype_details: archetyped(input.archetypeId, input.templateId),
    language: codePhrase('ISO_639-1', 'en'),
    territory: codePhrase('ISO_3166-1', 'GB'),
    category: coded('event', 'openehr', '433'),
    composer: { _type: 'PARTY_IDENTIFIED', name: input.composer },
    context: {
      _type: 'EVENT_CONTEXT',
      start_time: dateTime(input.startTime),
      setting: term('openehr', input.setting),
      ...(input.facility ? { health_care_facility: { _type: 'PARTY_IDENTIFIED', name: input.facility } } : {}),
      ...(input.otherContext ? { other_context: input.otherContext } : {}),
    },
    content: input.content,
  };
}
