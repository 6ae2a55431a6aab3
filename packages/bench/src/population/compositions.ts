/**
 * Generated compositions of three kinds, shaped like the project's templates (vital signs,
 * problem list) and like a laboratory report: the structures, node ids and value types of
 * real data, with random values.
 */
import type { Random } from './random.js';
import { EVENT, PERSISTENT, coded, composition, element, itemTree, observation, quantity, text, type Json } from './rm-builders.js';

export const BP = 'openEHR-EHR-OBSERVATION.blood_pressure.v2';
export const PULSE = 'openEHR-EHR-OBSERVATION.pulse.v2';
export const TEMPERATURE = 'openEHR-EHR-OBSERVATION.body_temperature.v2';
export const SPO2 = 'openEHR-EHR-OBSERVATION.pulse_oximetry.v1';
export const WEIGHT = 'openEHR-EHR-OBSERVATION.body_weight.v2';
export const LAB = 'openEHR-EHR-OBSERVATION.laboratory_test_result.v1';
export const ANALYTE = 'openEHR-EHR-CLUSTER.laboratory_test_analyte.v1';
export const PROBLEM = 'openEHR-EHR-EVALUATION.problem_diagnosis.v1';

const POSITIONS = [coded('Sitting', 'local', 'at1001'), coded('Standing', 'local', 'at1000'), coded('Lying', 'local', 'at1003')];
const SITES = [coded('Right arm', 'local', 'at0025'), coded('Left arm', 'local', 'at0026')];

export function vitalSigns(random: Random, time: string): Json {
  const systolic = random.int(95, 185);
  const content: Json[] = [
    observation({
      archetypeId: BP,
      name: 'Blood pressure',
      historyId: 'at0001',
      eventId: 'at0006',
      dataId: 'at0003',
      time,
      items: [
        element('at0004', 'Systolic', quantity(systolic, 'mm[Hg]')),
        element('at0005', 'Diastolic', quantity(random.int(55, Math.min(systolic - 20, 115)), 'mm[Hg]')),
      ],
      state: itemTree('at0007', 'state structure', [element('at0008', 'Position', random.pick(POSITIONS))]),
      protocol: itemTree('at0011', 'Tree', [element('at0014', 'Location of measurement', random.pick(SITES))]),
    }),
    observation({
      archetypeId: PULSE,
      name: 'Pulse/Heart beat',
      historyId: 'at0002',
      eventId: 'at0003',
      dataId: 'at0001',
      time,
      items: [element('at0004', 'Rate', quantity(random.int(48, 130), '/min'))],
    }),
    observation({
      archetypeId: TEMPERATURE,
      name: 'Body temperature',
      historyId: 'at0002',
      eventId: 'at0003',
      dataId: 'at0001',
      time,
      items: [element('at0004', 'Temperature', quantity(random.decimal(35.8, 39.6, 1), 'Cel', 1))],
    }),
    observation({
      archetypeId: SPO2,
      name: 'Pulse oximetry',
      historyId: 'at0001',
      eventId: 'at0002',
      dataId: 'at0003',
      time,
      items: [element('at0006', 'SpO₂', { _type: 'DV_PROPORTION', numerator: random.int(88, 100), denominator: 100, type: 2, precision: 0 })],
    }),
  ];
  if (random.chance(0.4)) {
    content.push(
      observation({
        archetypeId: WEIGHT,
        name: 'Body weight',
        historyId: 'at0002',
        eventId: 'at0003',
        dataId: 'at0001',
        time,
        items: [element('at0004', 'Weight', quantity(random.decimal(45, 130, 1), 'kg', 1))],
      }),
    );
  }
  return composition({ archetypeId: 'openEHR-EHR-COMPOSITION.encounter.v1', templateId: 'cdr.vital_signs.v1', name: 'Vital signs', category: EVENT, time, content });
}

const ANALYTES: readonly [string, string, string, number, number, number][] = [
  ['Haemoglobin', '718-7', 'g/L', 95, 175, 0],
  ['Sodium', '2951-2', 'mmol/L', 128, 148, 0],
  ['Potassium', '2823-3', 'mmol/L', 3.1, 5.6, 1],
  ['Creatinine', '2160-0', 'umol/L', 45, 180, 0],
  ['HbA1c', '4548-4', 'mmol/mol', 30, 95, 0],
];

function analyte(random: Random, [name, loinc, units, min, max, decimals]: (typeof ANALYTES)[number]): Json {
  return {
    _type: 'CLUSTER',
    name: text('Laboratory analyte result'),
    archetype_node_id: ANALYTE,
    archetype_details: { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: ANALYTE }, rm_version: '1.1.0' },
    items: [
      element('at0024', 'Analyte name', coded(name, 'LOINC', loinc)),
      element('at0001', 'Analyte result', quantity(random.decimal(min, max, decimals), units, decimals)),
      element('at0005', 'Result status', coded('Final', 'local', 'at0019')),
    ],
  };
}

export function labReport(random: Random, time: string): Json {
  const content = [
    observation({
      archetypeId: LAB,
      name: 'Laboratory test result',
      historyId: 'at0001',
      eventId: 'at0002',
      dataId: 'at0003',
      time,
      items: [element('at0005', 'Test name', coded('Blood chemistry panel', 'LOINC', '24323-8')), ...ANALYTES.map((a) => analyte(random, a))],
    }),
  ];
  return composition({ archetypeId: 'openEHR-EHR-COMPOSITION.report-result.v1', templateId: 'cdr.laboratory_report.v1', name: 'Laboratory test report', category: EVENT, time, content });
}

const PROBLEMS: readonly [string, string][] = [
  ['Essential hypertension', '59621000'],
  ['Type 2 diabetes mellitus', '44054006'],
  ['Asthma', '195967001'],
  ['Chronic kidney disease', '709044004'],
  ['Osteoarthritis', '396275006'],
];

export function problemList(random: Random, time: string): Json {
  const content = Array.from({ length: random.int(1, 3) }, () => {
    const [name, code] = random.pick(PROBLEMS);
    return {
      _type: 'EVALUATION',
      name: text('Problem/Diagnosis'),
      archetype_node_id: PROBLEM,
      archetype_details: { _type: 'ARCHETYPED', archetype_id: { _type: 'ARCHETYPE_ID', value: PROBLEM }, rm_version: '1.1.0' },
      language: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_639-1' }, code_string: 'en' },
      encoding: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'IANA_character-sets' }, code_string: 'UTF-8' },
      subject: { _type: 'PARTY_SELF' },
      data: itemTree('at0001', 'structure', [
        element('at0002', 'Problem/Diagnosis name', coded(name, 'SNOMED-CT', code)),
        element('at0077', 'Date/time of onset', { _type: 'DV_DATE_TIME', value: time }),
      ]),
    };
  });
  return composition({ archetypeId: 'openEHR-EHR-COMPOSITION.problem_list.v2', templateId: 'cdr.problem_list.v1', name: 'Problem list', category: PERSISTENT, time, content });
}

/** The i-th of an EHR's ten compositions: six vital signs, three laboratory reports, one problem list. */
export function nthComposition(random: Random, index: number, time: string): Json {
  const kind = index % 10;
  if (kind < 6) {
    return vitalSigns(random, time);
  }
  return kind < 9 ? labReport(random, time) : problemList(random, time);
}
