import assert from 'node:assert/strict';
import { checkRmObject } from '@cdr/rm';
import { fhirToRm, rmToFhir, toFhirDateTime } from './convert.js';
import type { CodeMap } from './model.js';
import { systemOf, terminologyOf } from './terminology.js';

const code = (terminology: string, codeString: string) => ({ _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: codeString });
const coded = (value: string, terminology: string, codeString: string) => ({ _type: 'DV_CODED_TEXT', value, defining_code: code(terminology, codeString) });

const clinicalStatus: CodeMap = {
  system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  terminology: 'local',
  entries: [
    { openehr: 'at0026', fhir: 'active', text: 'Active', display: 'Active' },
    { openehr: 'at0027', fhir: 'inactive', text: 'Inactive', display: 'Inactive' },
  ],
  unmapped: 'drop',
};

describe('data value conversions', () => {
  it('DV_QUANTITY <-> Quantity with UCUM system and code, comparator kept', () => {
    const q = { _type: 'DV_QUANTITY', magnitude: 120, units: 'mm[Hg]', magnitude_status: '<=' };
    assert.deepEqual(rmToFhir(q, 'DV_QUANTITY', 'Quantity'), { value: 120, comparator: '<=', unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
    assert.deepEqual(fhirToRm({ value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' }, 'Quantity', ['DV_QUANTITY']), {
      _type: 'DV_QUANTITY',
      magnitude: 72,
      units: '/min',
    });
  });

  it('maps units where openEHR and FHIR spell them differently', () => {
    const units = { '/min': 'beats/min' };
    assert.equal((rmToFhir({ _type: 'DV_QUANTITY', magnitude: 60, units: '/min' }, 'DV_QUANTITY', 'Quantity', { units }) as { code: string }).code, 'beats/min');
    assert.equal((fhirToRm({ value: 60, code: 'beats/min' }, 'Quantity', ['DV_QUANTITY'], { units }) as { units: string }).units, '/min');
  });

  it('DV_PROPORTION of kind percent <-> Quantity in %', () => {
    const spo2 = { _type: 'DV_PROPORTION', numerator: 97.5, denominator: 100, type: 2 };
    assert.deepEqual(rmToFhir(spo2, 'DV_PROPORTION', 'Quantity'), { value: 97.5, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
    const back = fhirToRm({ value: 97.5, unit: '%', system: 'http://unitsofmeasure.org', code: '%' }, 'Quantity', ['DV_PROPORTION']);
    assert.deepEqual(back, spo2);
    assert.deepEqual(checkRmObject(back, 'DV_PROPORTION'), []);
  });

  it('DV_CODED_TEXT through a code map: a CodeableConcept of the target system, and back to the at-code and rubric', () => {
    const active = coded('Active', 'local', 'at0026');
    assert.deepEqual(rmToFhir(active, 'DV_CODED_TEXT', 'CodeableConcept', { map: clinicalStatus }), {
      coding: [{ system: clinicalStatus.system, code: 'active', display: 'Active' }],
      text: 'Active',
    });
    assert.deepEqual(fhirToRm({ coding: [{ system: clinicalStatus.system, code: 'inactive' }] }, 'CodeableConcept', ['DV_CODED_TEXT'], { map: clinicalStatus }), coded('Inactive', 'local', 'at0027'));
    // a code the map does not list is dropped, both ways
    assert.equal(rmToFhir(coded('Other', 'local', 'at0099'), 'DV_CODED_TEXT', 'CodeableConcept', { map: clinicalStatus }), undefined);
    assert.equal(fhirToRm({ coding: [{ system: clinicalStatus.system, code: 'remission' }] }, 'CodeableConcept', ['DV_CODED_TEXT'], { map: clinicalStatus }), undefined);
  });

  it('DV_CODED_TEXT <-> a FHIR code through a map', () => {
    const map: CodeMap = { terminology: 'local', entries: [{ openehr: 'at0102', fhir: 'low', text: 'Low' }], unmapped: 'drop' };
    assert.equal(rmToFhir(coded('Low', 'local', 'at0102'), 'DV_CODED_TEXT', 'code', { map }), 'low');
    assert.deepEqual(fhirToRm('low', 'code', ['DV_CODED_TEXT'], { map }), coded('Low', 'local', 'at0102'));
    assert.equal(fhirToRm('high', 'code', ['DV_CODED_TEXT'], { map }), undefined);
  });

  it('external codes keep their terminology; local codes are qualified by the archetype; term mappings become codings', () => {
    const snomed = { ...coded('Asthma', 'SNOMED-CT', '195967001'), mappings: [{ _type: 'TERM_MAPPING', match: '=', target: code('ICD10', 'J45') }] };
    const concept = rmToFhir(snomed, 'DV_CODED_TEXT', 'CodeableConcept') as { coding: { system: string; code: string }[] };
    assert.deepEqual(
      concept.coding.map((c) => `${c.system}|${c.code}`),
      ['http://snomed.info/sct|195967001', 'http://hl7.org/fhir/sid/icd-10|J45'],
    );
    const back = fhirToRm(concept, 'CodeableConcept', ['DV_CODED_TEXT']) as Record<string, unknown>;
    assert.deepEqual(back['defining_code'], code('SNOMED-CT', '195967001'));
    assert.deepEqual((back['mappings'] as { target: unknown }[])[0]?.target, code('ICD10', 'J45'));
    const local = rmToFhir(coded('Left arm', 'local', 'at0026'), 'DV_CODED_TEXT', 'Coding', { archetypeId: 'openEHR-EHR-OBSERVATION.blood_pressure.v2' });
    assert.deepEqual(local, { system: 'urn:openehr:archetype:openEHR-EHR-OBSERVATION.blood_pressure.v2', code: 'at0026', display: 'Left arm' });
    assert.equal(terminologyOf(systemOf('local', 'x')), 'local');
    assert.equal(systemOf('LNC205'), 'http://loinc.org');
    assert.equal(terminologyOf('urn:openehr:terminology:openehr'), 'openehr');
  });

  it('DV_TEXT becomes a string, a CodeableConcept text or an Annotation, and back', () => {
    const text = { _type: 'DV_TEXT', value: 'left arm, seated' };
    assert.equal(rmToFhir(text, 'DV_TEXT', 'string'), 'left arm, seated');
    assert.deepEqual(rmToFhir(text, 'DV_TEXT', 'CodeableConcept'), { text: 'left arm, seated' });
    assert.deepEqual(fhirToRm({ text: 'a note' }, 'Annotation', ['DV_TEXT']), { _type: 'DV_TEXT', value: 'a note' });
    assert.deepEqual(fhirToRm({ text: 'free text only' }, 'CodeableConcept', ['DV_CODED_TEXT', 'DV_TEXT']), { _type: 'DV_TEXT', value: 'free text only' });
  });

  it('date and time values become FHIR dateTimes: extended form, seconds, an offset (UTC when there is none)', () => {
    assert.equal(toFhirDateTime('2024-03-01T10:30:00+01:00'), '2024-03-01T10:30:00+01:00');
    assert.equal(toFhirDateTime('20240301T103015,5+0100'), '2024-03-01T10:30:15.5+01:00');
    assert.equal(toFhirDateTime('2024-03-01T10:30'), '2024-03-01T10:30:00Z');
    assert.equal(toFhirDateTime('2024-03'), '2024-03');
    assert.equal(toFhirDateTime('not a date'), undefined);
    assert.equal(rmToFhir({ _type: 'DV_DATE_TIME', value: '2024-03-01T10:30:00Z' }, 'DV_DATE_TIME', 'date'), '2024-03-01');
    assert.equal(rmToFhir({ _type: 'DV_DATE_TIME', value: '2024-03' }, 'DV_DATE_TIME', 'instant'), undefined);
  });

  it('DV_DURATION of one component <-> Age/Duration in UCUM time units', () => {
    assert.deepEqual(rmToFhir({ _type: 'DV_DURATION', value: 'P3Y' }, 'DV_DURATION', 'Age'), { value: 3, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' });
    assert.deepEqual(fhirToRm({ value: 10, code: 'd' }, 'Duration', ['DV_DURATION']), { _type: 'DV_DURATION', value: 'P10D' });
    assert.deepEqual(fhirToRm({ value: 2, code: 'h' }, 'Duration', ['DV_DURATION']), { _type: 'DV_DURATION', value: 'PT2H' });
    assert.equal(rmToFhir({ _type: 'DV_DURATION', value: 'P1Y2M' }, 'DV_DURATION', 'Age'), undefined);
  });

  it('PARTY_REF <-> Identifier: namespace as system, id as value, id scheme as type text', () => {
    const ref = { _type: 'PARTY_REF', id: { _type: 'GENERIC_ID', value: '9449305552', scheme: 'nhs-number' }, namespace: 'nhs', type: 'PERSON' };
    const identifier = rmToFhir(ref, 'PARTY_REF', 'Identifier');
    assert.deepEqual(identifier, { type: { text: 'nhs-number' }, system: 'nhs', value: '9449305552' });
    assert.deepEqual(fhirToRm(identifier, 'Identifier', ['PARTY_REF']), ref);
  });

  it('a DV_QUANTITY frequency per day or hour <-> Timing.repeat', () => {
    assert.deepEqual(rmToFhir({ _type: 'DV_QUANTITY', magnitude: 3, units: '1/d' }, 'DV_QUANTITY', 'Timing.repeat'), { frequency: 3, period: 1, periodUnit: 'd' });
    assert.deepEqual(fhirToRm({ frequency: 2, period: 1, periodUnit: 'h' }, 'Timing.repeat', ['DV_QUANTITY']), { _type: 'DV_QUANTITY', magnitude: 2, units: '1/h' });
    assert.equal(fhirToRm({ frequency: 2, period: 8, periodUnit: 'h' }, 'Timing.repeat', ['DV_QUANTITY']), undefined);
  });

  it('DV_BOOLEAN, DV_COUNT, DV_IDENTIFIER and PARTY_IDENTIFIED', () => {
    assert.equal(rmToFhir({ _type: 'DV_BOOLEAN', value: false }, 'DV_BOOLEAN', 'boolean'), false);
    assert.deepEqual(fhirToRm(true, 'boolean', ['DV_BOOLEAN']), { _type: 'DV_BOOLEAN', value: true });
    assert.equal(rmToFhir({ _type: 'DV_COUNT', magnitude: 4 }, 'DV_COUNT', 'integer'), 4);
    assert.deepEqual(fhirToRm(4, 'integer', ['DV_COUNT']), { _type: 'DV_COUNT', magnitude: 4 });
    assert.deepEqual(rmToFhir({ _type: 'DV_IDENTIFIER', id: 'A-17', issuer: 'https://lab.example.org/orders', assigner: 'Lab' }, 'DV_IDENTIFIER', 'Identifier'), {
      system: 'https://lab.example.org/orders',
      value: 'A-17',
      assigner: { display: 'Lab' },
    });
    assert.deepEqual(rmToFhir({ _type: 'PARTY_IDENTIFIED', name: 'Dr Lee' }, 'PARTY_IDENTIFIED', 'Reference'), { display: 'Dr Lee' });
  });
});
