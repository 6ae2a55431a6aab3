/**
 * Canonical JSON written for the unit tests: a vital-signs composition with one
 * blood-pressure observation holding two events of the same node id, so that paths need
 * the name predicate. Each call returns a fresh, mutable copy.
 */

type Json = Record<string, unknown>;

const text = (value: string): Json => ({ _type: 'DV_TEXT', value });
const coded = (value: string, terminology: string, code: string): Json => ({
  _type: 'DV_CODED_TEXT',
  value,
  defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code },
});
const codePhrase = (terminology: string, code: string): Json => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
  code_string: code,
});
const quantity = (magnitude: number): Json => ({ _type: 'DV_QUANTITY', magnitude, units: 'mm[Hg]', precision: 0 });

export function element(nodeId: string, name: string, value: Json): Json {
  return { _type: 'ELEMENT', name: text(name), archetype_node_id: nodeId, value };
}

function event(name: string, time: string, systolic: number, diastolic: number): Json {
  return {
    _type: 'POINT_EVENT',
    name: text(name),
    archetype_node_id: 'at0006',
    time: { _type: 'DV_DATE_TIME', value: time },
    data: {
      _type: 'ITEM_TREE',
      name: text('blood pressure'),
      archetype_node_id: 'at0003',
      items: [element('at0004', 'Systolic', quantity(systolic)), element('at0005', 'Diastolic', quantity(diastolic))],
    },
  };
}

export const BP_ARCHETYPE = 'openEHR-EHR-OBSERVATION.blood_pressure.v2';

export function vitalSignsComposition(): Json {
  return {
    _type: 'COMPOSITION',
    name: text('Vital signs'),
    archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
    uid: { _type: 'OBJECT_VERSION_ID', value: '8849182c-82ad-4088-a07f-48ead4180515::test.cdr::1' },
    archetype_details: {
      _type: 'ARCHETYPED',
      archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-COMPOSITION.encounter.v1' },
      template_id: { _type: 'TEMPLATE_ID', value: 'vital_signs.v1' },
      rm_version: '1.1.0',
    },
    language: codePhrase('ISO_639-1', 'en'),
    territory: codePhrase('ISO_3166-1', 'GB'),
    category: coded('event', 'openehr', '433'),
    composer: { _type: 'PARTY_IDENTIFIED', name: 'Dr. A. Nurse' },
    context: {
      _type: 'EVENT_CONTEXT',
      start_time: { _type: 'DV_DATE_TIME', value: '2024-03-01T10:30:00+01:00' },
      setting: coded('other care', 'openehr', '238'),
      participations: [
        { _type: 'PARTICIPATION', function: text('recorder'), performer: { _type: 'PARTY_IDENTIFIED', name: 'A' } },
        { _type: 'PARTICIPATION', function: text('witness'), performer: { _type: 'PARTY_SELF' } },
      ],
    },
    content: [
      {
        _type: 'OBSERVATION',
        name: text('Blood pressure'),
        archetype_node_id: BP_ARCHETYPE,
        archetype_details: {
          _type: 'ARCHETYPED',
          archetype_id: { _type: 'ARCHETYPE_ID', value: BP_ARCHETYPE },
          rm_version: '1.1.0',
        },
        language: codePhrase('ISO_639-1', 'en'),
        encoding: codePhrase('IANA_character-sets', 'UTF-8'),
        subject: { _type: 'PARTY_SELF' },
        data: {
          _type: 'HISTORY',
          name: text('history'),
          archetype_node_id: 'at0001',
          origin: { _type: 'DV_DATE_TIME', value: '2024-03-01T10:30:00+01:00' },
          events: [event('Sitting', '2024-03-01T10:30:00+01:00', 120, 80), event('Standing', '2024-03-01T10:35:00+01:00', 112, 74)],
        },
      },
    ],
  };
}

/** Plain navigation for tests that edit a fixture: `at(obj, 'content', 0, 'data')`. */
export function at(value: unknown, ...keys: (string | number)[]): Json {
  let current = value;
  for (const key of keys) {
    current = (current as Record<string | number, unknown>)[key];
  }
  return current as Json;
}
