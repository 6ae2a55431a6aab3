/** Small builders of canonical JSON (every `_type` explicit) for generated compositions. */
export type Json = Record<string, unknown>;

export const text = (value: string): Json => ({ _type: 'DV_TEXT', value });

export const codePhrase = (terminology: string, code: string): Json => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
  code_string: code,
});

export const coded = (value: string, terminology: string, code: string): Json => ({
  _type: 'DV_CODED_TEXT',
  value,
  defining_code: codePhrase(terminology, code),
});

export const quantity = (magnitude: number, units: string, precision = 0): Json => ({
  _type: 'DV_QUANTITY',
  magnitude,
  units,
  precision,
});

export const dateTime = (value: string): Json => ({ _type: 'DV_DATE_TIME', value });

export function element(nodeId: string, name: string, value: Json): Json {
  return { _type: 'ELEMENT', name: text(name), archetype_node_id: nodeId, value };
}

export function itemTree(nodeId: string, name: string, items: Json[]): Json {
  return { _type: 'ITEM_TREE', name: text(name), archetype_node_id: nodeId, items };
}

export function archetyped(archetypeId: string, templateId?: string): Json {
  return {
    _type: 'ARCHETYPED',
    archetype_id: { _type: 'ARCHETYPE_ID', value: archetypeId },
    ...(templateId ? { template_id: { _type: 'TEMPLATE_ID', value: templateId } } : {}),
    rm_version: '1.1.0',
  };
}

/** An OBSERVATION with one HISTORY holding one POINT_EVENT. */
export function observation(input: {
  archetypeId: string;
  name: string;
  historyId: string;
  eventId: string;
  dataId: string;
  time: string;
  items: Json[];
  state?: Json;
  protocol?: Json;
}): Json {
  const event: Json = {
    _type: 'POINT_EVENT',
    name: text('Any event'),
    archetype_node_id: input.eventId,
    time: dateTime(input.time),
    data: itemTree(input.dataId, 'Tree', input.items),
  };
  if (input.state) {
    event.state = input.state;
  }
  const result: Json = {
    _type: 'OBSERVATION',
    name: text(input.name),
    archetype_node_id: input.archetypeId,
    archetype_details: archetyped(input.archetypeId),
    language: codePhrase('ISO_639-1', 'en'),
    encoding: codePhrase('IANA_character-sets', 'UTF-8'),
    subject: { _type: 'PARTY_SELF' },
    data: { _type: 'HISTORY', name: text('History'), archetype_node_id: input.historyId, origin: dateTime(input.time), events: [event] },
  };
  if (input.protocol) {
    result.protocol = input.protocol;
  }
  return result;
}

export function composition(input: { archetypeId: string; templateId: string; name: string; category: Json; time: string; content: Json[] }): Json {
  return {
    _type: 'COMPOSITION',
    name: text(input.name),
    archetype_node_id: input.archetypeId,
    archetype_details: archetyped(input.archetypeId, input.templateId),
    language: codePhrase('ISO_639-1', 'en'),
    territory: codePhrase('ISO_3166-1', 'GB'),
    category: input.category,
    composer: { _type: 'PARTY_IDENTIFIED', name: 'Dr Generated' },
    context: {
      _type: 'EVENT_CONTEXT',
      start_time: dateTime(input.time),
      setting: coded('other care', 'openehr', '238'),
    },
    content: input.content,
  };
}

export const EVENT = coded('event', 'openehr', '433');
export const PERSISTENT = coded('persistent', 'openehr', '431');
