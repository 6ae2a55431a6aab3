import assert from 'node:assert/strict';
import { checkRmObject, evaluatePath, isCdrError } from '@cdr/rm';
import { mappingsFromFiles } from '../load.js';
import { MappingError } from '../mappings.js';
import { MappingFileError } from '../mapping/read-mapping.js';
import { parseResourceId, subjectEhrId } from '../resources/ids.js';

const EHR = '11111111-2222-4333-8444-555555555555';
const UID = '99999999-8888-4777-8666-555555555555';
const context = { ehrId: EHR, versionUid: `${UID}::test.node::3`, timeCommitted: '2024-05-01T09:00:00Z' };

const text = (value: string) => ({ _type: 'DV_TEXT', value });
const element = (nodeId: string, name: string, value?: unknown, extra: Record<string, unknown> = {}) => ({
  _type: 'ELEMENT',
  name: text(name),
  archetype_node_id: nodeId,
  ...(value ? { value } : {}),
  ...extra,
});
const mmHg = (magnitude: number) => ({ _type: 'DV_QUANTITY', magnitude, units: 'mm[Hg]' });

function bpEvent(time: string, items: unknown[]) {
  return { _type: 'POINT_EVENT', name: text('Any event'), archetype_node_id: 'at0006', time: { _type: 'DV_DATE_TIME', value: time }, data: { _type: 'ITEM_TREE', name: text('bp'), archetype_node_id: 'at0003', items } };
}

function composition(events: unknown[], extraContent: unknown[] = []) {
  return {
    _type: 'COMPOSITION',
    name: text('Vitals'),
    archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
    archetype_details: { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-COMPOSITION.encounter.v1' }, template_id: { _type: 'TEMPLATE_ID', value: 'test.vitals.v1' }, rm_version: '1.1.0' },
    language: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_639-1' }, code_string: 'en' },
    territory: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_3166-1' }, code_string: 'GB' },
    category: { _type: 'DV_CODED_TEXT', value: 'event', defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '433' } },
    composer: { _type: 'PARTY_IDENTIFIED', name: 'Nurse Jo' },
    context: { _type: 'EVENT_CONTEXT', start_time: { _type: 'DV_DATE_TIME', value: '2024-05-01T08:00:00Z' }, setting: { _type: 'DV_CODED_TEXT', value: 'other care', defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '238' } } },
    content: [
      {
        _type: 'OBSERVATION',
        name: text('Blood pressure'),
        archetype_node_id: 'openEHR-EHR-OBSERVATION.blood_pressure.v2',
        archetype_details: { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-OBSERVATION.blood_pressure.v2' }, rm_version: '1.1.0' },
        language: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_639-1' }, code_string: 'en' },
        encoding: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'IANA_character-sets' }, code_string: 'UTF-8' },
        subject: { _type: 'PARTY_SELF' },
        data: { _type: 'HISTORY', name: text('History'), archetype_node_id: 'at0001', origin: { _type: 'DV_DATE_TIME', value: '2024-05-01T08:00:00Z' }, events },
        protocol: { _type: 'ITEM_TREE', name: text('Tree'), archetype_node_id: 'at0011', items: [element('at0014', 'Location', { _type: 'DV_CODED_TEXT', value: 'Left arm', defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'local' }, code_string: 'at0026' } })] },
      },
      ...extraContent,
    ],
  };
}

const BP = `
mapping: bp
resource: Observation
id: bp
from: openEHR-EHR-OBSERVATION.blood_pressure.v2
each: /data[at0001]/events[at0006]
templates: [test.vitals.v1]
rules:
  - fhir: status
    fixed: final
  - fhir: code
    fixed: { coding: [{ system: http://loinc.org, code: 85354-9 }] }
    identifies: true
  - { openehr: $context/patientReference, fhir: subject.reference, type: String, direction: to-fhir }
  - { openehr: $composition, fhir: encounter, reference: enc }
  - { openehr: time, fhir: effectiveDateTime, type: DV_DATE_TIME }
  - name: systolic
    openehr: data[at0003]/items[at0004]
    fhir: component
    match: { code: { coding: [{ system: http://loinc.org, code: 8480-6 }] } }
    absent: { dataAbsentReason: { text: not recorded } }
    rules:
      - { openehr: value, fhir: valueQuantity, type: DV_QUANTITY }
      - { openehr: null_flavour, fhir: dataAbsentReason, type: DV_CODED_TEXT }
  - name: diastolic
    openehr: data[at0003]/items[at0005]
    fhir: component
    match: { code: { coding: [{ system: http://loinc.org, code: 8462-4 }] } }
    rules:
      - { openehr: value, fhir: valueQuantity, type: DV_QUANTITY }
  - name: site
    openehr: $archetype/protocol[at0011]/items[at0014]
    fhir: bodySite
    type: DV_CODED_TEXT
    map: { system: http://snomed.info/sct, codes: { at0026: { fhir: '368208006', text: Left arm } } }
  - name: high
    fhir: interpretation
    fixed: { text: high }
    direction: to-fhir
    when: { openehr: 'data[at0003]/items[at0004]/value/magnitude', in: ['180'] }
`;

const ENC = `
mapping: enc
resource: Encounter
id: enc
from: composition
when: { openehr: context, exists: true }
rules:
  - fhir: status
    fixed: unknown
  - fhir: class
    fixed: { code: AMB }
  - { openehr: context/start_time, fhir: period.start, type: DV_DATE_TIME }
`;

describe('mapping engine', () => {
  const mappings = mappingsFromFiles([
    { name: 'bp.yml', text: BP },
    { name: 'enc.yml', text: ENC },
  ]);

  it('makes one resource per event, with ids from the composition uid, provenance from the version', () => {
    const resources = mappings.toFhir(composition([bpEvent('2024-05-01T08:00:00Z', [element('at0004', 'Systolic', mmHg(120)), element('at0005', 'Diastolic', mmHg(80))]), bpEvent('2024-05-01T08:05:00Z', [element('at0004', 'Systolic', mmHg(118))])]), context);
    const observations = resources.filter((r) => r.resourceType === 'Observation');
    assert.deepEqual(
      observations.map((o) => o.id),
      [`${UID}.bp1`, `${UID}.bp2`],
    );
    const [first] = observations;
    assert.deepEqual(first?.meta, { versionId: '3', lastUpdated: '2024-05-01T09:00:00Z', source: `openehr:/ehr/${EHR}/composition/${UID}::test.node::3`, tag: [{ system: 'urn:openehr:template', code: 'test.vitals.v1' }] });
    assert.equal(first?.['effectiveDateTime'], '2024-05-01T08:00:00Z');
    assert.deepEqual(first?.['subject'], { reference: `Patient/${EHR}` });
    assert.deepEqual(first?.['encounter'], { reference: `Encounter/${UID}.enc` });
    assert.ok(resources.some((r) => r.id === `${UID}.enc`));
  });

  it('writes a component only where the openEHR element has data, and `absent` where it is missing', () => {
    const [bp] = mappings.toFhir(composition([bpEvent('2024-05-01T08:00:00Z', [element('at0005', 'Diastolic', mmHg(80))])]), context).filter((r) => r.resourceType === 'Observation');
    const components = bp?.['component'] as { code: { coding: { code: string }[] }; valueQuantity?: { value: number }; dataAbsentReason?: unknown }[];
    assert.deepEqual(
      components.map((c) => [c.code.coding[0]?.code, c.valueQuantity?.value, c.dataAbsentReason]),
      [
        ['8480-6', undefined, { text: 'not recorded' }],
        ['8462-4', 80, undefined],
      ],
    );
  });

  it('an element with a null flavour gives the component a dataAbsentReason, not a value', () => {
    const noInformation = { _type: 'DV_CODED_TEXT', value: 'no information', defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '271' } };
    const [bp] = mappings.toFhir(composition([bpEvent('2024-05-01T08:00:00Z', [element('at0004', 'Systolic', undefined, { null_flavour: noInformation })])]), context).filter((r) => r.resourceType === 'Observation');
    const systolic = (bp?.['component'] as Record<string, unknown>[])[0];
    assert.equal(systolic?.['valueQuantity'], undefined);
    assert.equal((systolic?.['dataAbsentReason'] as { text: string }).text, 'no information');
  });

  it('applies code maps and conditions', () => {
    const [bp] = mappings.toFhir(composition([bpEvent('2024-05-01T08:00:00Z', [element('at0004', 'Systolic', mmHg(180))])]), context).filter((r) => r.resourceType === 'Observation');
    assert.deepEqual(bp?.['bodySite'], { coding: [{ system: 'http://snomed.info/sct', code: '368208006' }], text: 'Left arm' });
    assert.deepEqual(bp?.['interpretation'], [{ text: 'high' }]);
    const [normal] = mappings.toFhir(composition([bpEvent('2024-05-01T08:00:00Z', [element('at0004', 'Systolic', mmHg(120))])]), context).filter((r) => r.resourceType === 'Observation');
    assert.equal(normal?.['interpretation'], undefined);
  });

  it('an entry on its own makes the resources of its archetype', () => {
    const entry = (composition([bpEvent('2024-05-01T08:00:00Z', [element('at0004', 'Systolic', mmHg(125))])])['content'] as unknown[])[0];
    const resources = mappings.toFhir(entry, context);
    assert.deepEqual(
      resources.map((r) => r.id),
      [`${UID}.bp1`],
    );
    assert.equal((resources[0]?.['component'] as { valueQuantity?: { value: number } }[])[0]?.valueQuantity?.value, 125);
  });

  it('a mapping whose condition fails makes nothing (no Encounter without a context)', () => {
    const { context: _ignored, ...withoutContext } = composition([bpEvent('2024-05-01T08:00:00Z', [element('at0004', 'Systolic', mmHg(120))])]);
    const resources = mappings.toFhir(withoutContext, context);
    assert.deepEqual(
      resources.map((r) => r.resourceType),
      ['Observation'],
    );
    assert.equal(resources[0]?.['encounter'], undefined);
  });

  it('runs backwards: a FHIR Observation becomes the event it came from, picked by its identifying code', () => {
    const result = mappings.fromFhir(
      {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'BP panel' }] },
        effectiveDateTime: '2024-06-01T10:00:00+02:00',
        component: [
          { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 70, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
          { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 110, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
          { code: { coding: [{ system: 'http://loinc.org', code: '9999-9' }] }, valueQuantity: { value: 1, unit: 'x', code: 'x' } },
        ],
        bodySite: { coding: [{ system: 'http://snomed.info/sct', code: '368208006' }] },
      },
      { composer: 'Dr Lee', now: '2024-06-01T09:00:00Z', territory: 'GB' },
    );
    assert.equal(result.target, 'composition');
    if (result.target !== 'composition') {
      return;
    }
    assert.equal(result.templateId, 'test.vitals.v1');
    assert.deepEqual(checkRmObject(result.composition, 'COMPOSITION'), []);
    const entry = '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]';
    assert.deepEqual(evaluatePath(result.composition, `${entry}/data[at0001]/events[at0006]/time/value`), ['2024-06-01T10:00:00+02:00']);
    assert.deepEqual(evaluatePath(result.composition, `${entry}/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude`), [110]);
    assert.deepEqual(evaluatePath(result.composition, `${entry}/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude`), [70]);
    assert.deepEqual(evaluatePath(result.composition, `${entry}/protocol[at0011]/items[at0014]/value/defining_code/code_string`), ['at0026']);
    // the component the mapping does not know is not written anywhere
    assert.ok(!JSON.stringify(result.composition).includes('9999'));
    // and back again: the same values
    const [again] = mappings.toFhir(result.composition, context).filter((r) => r.resourceType === 'Observation');
    assert.deepEqual((again?.['component'] as { valueQuantity: { value: number } }[]).map((c) => c.valueQuantity.value), [110, 70]);
  });

  it('refuses a resource no mapping takes, naming why (422)', () => {
    assert.throws(
      () => mappings.fromFhir({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }),
      (error: unknown) => isCdrError(error) && error.status === 422 && /none of the codes that identify/.test(error.message),
    );
    assert.throws(
      () => mappings.fromFhir({ resourceType: 'Encounter', status: 'finished' }),
      (error: unknown) => isCdrError(error) && error.status === 422 && /cannot be written/.test(error.message),
    );
  });
});

describe('resource ids', () => {
  it('read back into the composition, the id key and the position, or the EHR of a Patient', () => {
    assert.deepEqual(parseResourceId(`${UID}.bp12`), { kind: 'composition', compositionId: UID, key: 'bp', position: 12 });
    assert.deepEqual(parseResourceId(`${UID}.enc`), { kind: 'composition', compositionId: UID, key: 'enc' });
    assert.deepEqual(parseResourceId(EHR), { kind: 'ehr', ehrId: EHR });
    assert.equal(parseResourceId(`${UID}.bp0`), undefined);
    assert.equal(parseResourceId('not-an-id'), undefined);
    assert.equal(subjectEhrId({ subject: { reference: `Patient/${EHR}` } }), EHR);
    assert.equal(subjectEhrId({ patient: { reference: `https://cdr.example.org/fhir/Patient/${EHR}` } }), EHR);
    assert.equal(subjectEhrId({ subject: { reference: 'Group/1' } }), undefined);
  });
});

describe('mapping files: errors name the file and the place', () => {
  const compileError = (yaml: string): string => {
    try {
      mappingsFromFiles([
        { name: 'x.yml', text: yaml },
        { name: 'enc.yml', text: ENC },
      ]);
    } catch (error) {
      if (error instanceof MappingError || error instanceof MappingFileError) {
        return error.message;
      }
      throw error;
    }
    return 'no error';
  };
  const header = 'mapping: x\nresource: Observation\nid: x\nfrom: openEHR-EHR-OBSERVATION.x.v1\nrules:\n';

  it('reports unknown keys and malformed rules with their location', () => {
    assert.match(compileError(`${header}  - { openehr: a, fhir: status, colour: red }`), /x\.yml\.rules\[0\]: unknown key 'colour'/);
    assert.match(compileError(`${header}  - { openehr: a, fhir: component, type: DV_TEXT, rules: [] }`), /rules\[0\]: 'type' does not belong in a group/);
    assert.match(compileError(`${header}  - { fhir: status }`), /rules\[0\]: a rule needs an openehr and a fhir path/);
    assert.match(compileError(`${header}  - { openehr: 'data[at0001', fhir: status }`), /invalid openEHR path 'data\[at0001'/);
    assert.match(compileError(`${header}  - { openehr: a, fhir: 'code.where(x)' }`), /unsupported step 'where\(x\)'/);
    assert.match(compileError('mapping: x\nresource: [\n'), /x\.yml: not YAML/);
  });

  it('checks FHIR paths against the R4 elements and conversions against the element types', () => {
    assert.match(compileError(`${header}  - { openehr: a, fhir: valueQuantiy, type: DV_QUANTITY }`), /x\.yml\.rules\[0\] \(valueQuantiy\): FHIR Observation has no element 'valueQuantiy'/);
    assert.match(compileError(`${header}  - { openehr: a, fhir: value.unit, type: DV_QUANTITY }`), /'value' has several types .* name one with as\(Type\)/);
    assert.match(compileError(`${header}  - { openehr: a, fhir: status, type: DV_QUANTITY }`), /no conversion between DV_QUANTITY and FHIR code/);
    assert.match(compileError(`${header}  - { openehr: a, fhir: component, include: nowhere }`), /no fragment mapping 'nowhere' to include/);
    assert.match(compileError(`${header}  - { openehr: a, fhir: encounter, reference: nothing }`), /no resource mapping 'nothing' to refer to/);
    assert.match(compileError(`${header.replace('id: x', 'id: enc')}  - { fhir: status, fixed: final }`), /id key 'enc' is used by '(x|enc)' already/);
  });

  it('finds a fragment that includes itself', () => {
    const message = (() => {
      try {
        mappingsFromFiles([
          { name: 'x.yml', text: `${header}  - include: loop` },
          { name: 'loop.yml', text: 'fragment: loop\nrules:\n  - include: loop\n' },
        ]);
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    assert.match(message, /'loop' includes itself \(loop -> loop\)/);
  });
});
