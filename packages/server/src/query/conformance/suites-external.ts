/** EXTERNAL (AQL-CONFORMANCE-SETUP.md §3). */
import type { Harness } from './harness.js';
import { setups } from './setups.js';
import type { StaticTest, Suite } from './suite.js';

const X = 'EXTERNAL';
const TA = 'test_all_types.v1';
const C = `COMPOSITION c[openEHR-EHR-COMPOSITION.${TA}]`;

const NORMALISED =
  'EHRbase rewrites date-times and dates as it stores them (+00:00 as Z, 20190114 as 2019-01-14); this CDR keeps the values as committed';
const FILLED =
  'EHRbase fills in DV_INTERVAL.lower_included and upper_included that the composition leaves out; this CDR returns the interval as committed';
const STATUS_DEFECT = 'the expected file says openEHR-EHR-ITEM_LIST.fake.v1 where status1.json has openEHR-EHR-ITEM_TREE.fake.v1 (a defect of the data)';
const FEEDER_DETAILS =
  'EHRbase answers 400 "Not implemented" for attributes of FEEDER_AUDIT_DETAILS and its expected file is empty; this CDR answers the query';

function autoWhere(name: string, template: string, exceptions: Record<number, string> = {}): Suite {
  return { kind: 'csv', id: `${X}/AUTO_WHERE/${name}.robot`, setup: setups.allTypes, template, exceptions };
}

function minimalInstruction(n: number, composition: string): Suite {
  return {
    kind: 'csv',
    id: `${X}/CANONICAL_MINIMAL_INSTRUCTION_TYPE_QUERY/test_arbitrary_minimal_instruction_${n}.robot`,
    setup: async (h) => {
      await h.upload('external/minimal_instruction.opt');
      await h.ehr({ status: 'status1.json' });
      await h.commit(composition, { short: 'c_uid' });
    },
    template: 'SELECT i/${path} FROM EHR e CONTAINS COMPOSITION c CONTAINS INSTRUCTION i[openEHR-EHR-INSTRUCTION.minimal.v1] WHERE ${where}',
  };
}

function feederAudit(name: string, template: string): Suite {
  return {
    kind: 'csv',
    id: `${X}/FEEDER_AUDIT_QUERY_WITH_WHERE/${name}.robot`,
    setup: setups.allTypesFeederAudit,
    template,
    exceptions: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((row) => [row, FEEDER_DETAILS])),
  };
}

function selectRm(name: string, template: string, exceptions: Record<number, string> = {}): Suite {
  return { kind: 'csv', id: `${X}/SELECT_RM/${name}.robot`, setup: setups.allTypes, template, exceptions };
}

const rows = (reason: string, ...numbers: number[]): Record<number, string> => Object.fromEntries(numbers.map((n) => [n, reason]));

/** A static test of a test set: query, row count and expected file. */
const set = (name: string, query: string, count: number, expected: string): StaticTest => ({ name, query: () => query, count, expected });

const flatSetup = (upload: readonly string[], commits: readonly [string, string][]) => async (h: Harness) => {
  for (const opt of upload) {
    await h.upload(opt);
  }
  await h.ehr();
  for (const [index, [file, template]] of commits.entries()) {
    await h.commitFlat(`external/${file}`, template, { short: `c_uid${index + 1}` });
  }
};

const TC6 = 'ehrbase.testcase06.v0';
const TC8 = 'ehrbase.testcase008.v0';
const TC9 = 'ehrbase.testcase09.v0';
const BP = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';

export const externalSuites: readonly Suite[] = [
  autoWhere(
    'test_action_auto_where',
    `SELECT a/\${path} FROM EHR e[ehr_id/value='\${ehr_id}'] CONTAINS ${C} CONTAINS SECTION s[openEHR-EHR-SECTION.${TA}] CONTAINS ACTION a[openEHR-EHR-ACTION.${TA}] WHERE \${where}`,
    rows(NORMALISED, 5),
  ),
  autoWhere('test_composition_auto_where', `SELECT c/\${path} FROM EHR e[ehr_id/value='\${ehr_id}'] CONTAINS ${C} WHERE \${where}`),
  autoWhere('test_context_auto_where', `SELECT c/\${path} FROM EHR e[ehr_id/value='\${ehr_id}'] CONTAINS ${C} WHERE \${where}`),
  autoWhere(
    'test_evaluation_auto_where',
    `SELECT eval/\${path} FROM EHR e[ehr_id/value = '\${ehr_id}'] CONTAINS ${C} CONTAINS EVALUATION eval[openEHR-EHR-EVALUATION.${TA}] WHERE \${where}`,
    rows(NORMALISED, 18, 19),
  ),
  autoWhere(
    'test_instruction_auto_where',
    `SELECT i/\${path} FROM EHR e[ehr_id/value = '\${ehr_id}'] CONTAINS ${C} CONTAINS SECTION s[openEHR-EHR-SECTION.${TA}] CONTAINS INSTRUCTION i[openEHR-EHR-INSTRUCTION.${TA}] WHERE \${where}`,
    rows(NORMALISED, 8, 10),
  ),
  autoWhere(
    'test_observation_auto_where',
    `SELECT o/\${path} FROM EHR e[ehr_id/value='\${ehr_id}'] CONTAINS ${C} CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.${TA}] WHERE \${where}`,
    rows(NORMALISED, 6, 8),
  ),
  autoWhere('test_section_auto_where', `SELECT s/\${path} FROM EHR e[ehr_id/value = '\${ehr_id}'] CONTAINS ${C} CONTAINS SECTION s[openEHR-EHR-SECTION.${TA}] WHERE \${where}`),
  minimalInstruction(1, 'external/minimal_instruction.json'),
  minimalInstruction(2, 'external/minimal_instruction_2.json'),
  minimalInstruction(3, 'external/minimal_instruction_3.json'),
  minimalInstruction(4, 'external/minimal_instruction_4.json'),
  feederAudit(
    'test_arbitrary_locatable_where_feeder_audit',
    `SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.${TA}] WHERE \${where}`,
  ),
  feederAudit('test_arbitrary_where_feeder_audit', 'SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c WHERE ${where}'),
  selectRm(
    'drill_down_admin_entry',
    `SELECT \${path} FROM EHR e[ehr_id/value = '\${ehr_id}'] CONTAINS ${C} CONTAINS SECTION s[openEHR-EHR-SECTION.${TA}] CONTAINS ADMIN_ENTRY a[openEHR-EHR-ADMIN_ENTRY.${TA}] WHERE c/uid/value = '\${c_uid}'`,
  ),
  selectRm(
    'drill_down_evaluation',
    `SELECT \${path} FROM EHR e[ehr_id/value = '\${ehr_id}'] CONTAINS ${C} CONTAINS EVALUATION eval[openEHR-EHR-EVALUATION.${TA}] WHERE c/uid/value = '\${c_uid}'`,
    { ...rows(FILLED, 12, 16, 23, 27, 70), ...rows(NORMALISED, 36, 40, 41, 42, 43) },
  ),
  selectRm(
    'drill_down_instruction',
    `SELECT \${path} FROM EHR e CONTAINS ${C} CONTAINS SECTION s[openEHR-EHR-SECTION.${TA}] CONTAINS INSTRUCTION i[openEHR-EHR-INSTRUCTION.${TA}] WHERE c/uid/value = '\${c_uid}'`,
    rows(NORMALISED, 16, 20, 21, 22, 26, 27, 28),
  ),
  selectRm('drill_down_section', `SELECT \${path} FROM EHR e CONTAINS ${C} CONTAINS SECTION s[openEHR-EHR-SECTION.${TA}] WHERE c/uid/value = '\${c_uid}'`),
  {
    kind: 'csv',
    id: `${X}/arbitrary_query_boolean_where.robot`,
    setup: setups.allTypes,
    template: `SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS ACTION d[openEHR-EHR-ACTION.${TA}] WHERE \${where}`,
  },
  {
    kind: 'static',
    id: `${X}/arbitrary_query_feeder_audit.robot`,
    setup: setups.allTypesFeederAudit,
    area: 'external/arbitrary_query_feeder_audit',
    tests: [set('feeder_audit', `SELECT c/feeder_audit FROM EHR e CONTAINS ${C}`, 1, 'expected_arbitrary_query_feeder_audit.json')],
  },
  {
    kind: 'csv',
    id: `${X}/arbitrary_query_other_context.robot`,
    setup: async (h) => {
      await h.upload('external/virologischer_befund.opt');
      await h.ehr({ status: 'status1.json' });
      await h.commit('external/virology_finding_with_specimen_no_update.json', { short: 'c_uid' });
    },
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.report-result.v1] ${where}',
  },
  {
    kind: 'csv',
    id: `${X}/drill_down_ehr.robot`,
    setup: async (h) => void (await h.ehr({ status: 'status1.json' })),
    template: "SELECT e/ehr_status/${path} FROM EHR e[ehr_id/value='${ehr_id}']",
    exceptions: { 6: STATUS_DEFECT },
  },
  {
    kind: 'csv',
    id: `${X}/get_ehr_status_from_ehr_with_where.robot`,
    setup: async (h) => void (await h.ehr({ status: 'status1.json' })),
    template: 'SELECT e/ehr_status/${path} FROM EHR e WHERE e/ehr_status/${where}',
  },
  {
    kind: 'static',
    id: `${X}/query_test_set_3.robot`,
    setup: flatSetup(
      ['external/ehrbase.testcase06.v0.opt'],
      [
        'compo1_test_set_3_flat',
        'compo2_test_set_3_flat',
        'compo3_test_set_3_flat',
        'compo4_no_obs_cluster_test_set_3_flat',
        'compo5_no_action_cluster_test_set_3_flat',
        'compo6_no_evaluation_cluster_test_set_3_flat',
        'compo7_no_instruction_cluster_test_set_3_flat',
      ].map((f) => [`${TC6}__${f}.json`, TC6] as [string, string]),
    ),
    area: 'external/test_set_3',
    tests: [
      set('1', `SELECT c/items[at0001]/value/value, ${BP}, o/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude FROM EHR e CONTAINS COMPOSITION C[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2] CONTAINS CLUSTER c[openEHR-EHR-CLUSTER.device.v1]`, 18, 'expected_composition_x_observation_x_cluster_x.json'),
      set('2', `SELECT C/items[at0001]/value/value, ${BP}, o/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2] CONTAINS CLUSTER C[openEHR-EHR-CLUSTER.device.v1]`, 18, 'expected_observation_x_cluster_x_bp_device.json'),
      set('3', 'SELECT i/activities[at0001]/description[at0002]/items[at0070]/value/value, C/items[at0057]/value/magnitude FROM EHR e CONTAINS INSTRUCTION i[openEHR-EHR-INSTRUCTION.medication_order.v3] CONTAINS CLUSTER C[openEHR-EHR-CLUSTER.therapeutic_direction.v1]', 6, 'expected_instruction_x_cluster_x.json'),
      set('4', 'SELECT C/items[at0001]/value/value, a/data[at0001]/items[at0004]/value/value FROM EHR e CONTAINS ADMIN_ENTRY a[openEHR-EHR-ADMIN_ENTRY.translation_requirements.v1] CONTAINS CLUSTER C[openEHR-EHR-CLUSTER.language.v1]', 7, 'expected_admin_x_cluster_x.json'),
      set('5', 'SELECT C/items[at0001]/value/value, C2/items[at0001]/value/size, o/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude FROM EHR e CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2] CONTAINS CLUSTER C[openEHR-EHR-CLUSTER.anatomical_location.v1] CONTAINS CLUSTER C2[openEHR-EHR-CLUSTER.media_file.v1]', 6, 'expected_composition_observation_x_cluster_x_cluster_x.json'),
      set('6', 'SELECT alg/data[at0001]/items[at0002]/value/value, med/activities[at0001]/description[at0002]/items[at0070]/value/value FROM EHR e CONTAINS ((COMPOSITION c1 CONTAINS EVALUATION alg[openEHR-EHR-EVALUATION.problem_diagnosis.v1]) AND (COMPOSITION c2 CONTAINS INSTRUCTION med[openEHR-EHR-INSTRUCTION.medication_order.v3]))', 49, 'expected_composition_evaluation_x_and_composition_instruction_x.json'),
      set('7', `SELECT o1/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude, o2/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude FROM EHR e CONTAINS COMPOSITION c CONTAINS (OBSERVATION o1[openEHR-EHR-OBSERVATION.blood_pressure.v2] AND OBSERVATION o2[openEHR-EHR-OBSERVATION.body_temperature.v2])`, 36, 'expected_composition_observation_x_and_observation_x.json'),
      set('8', 'SELECT o1/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude, a/description[at0001]/items[at0002]/value/value FROM EHR e CONTAINS (OBSERVATION o1[openEHR-EHR-OBSERVATION.blood_pressure.v2] OR ACTION a[openEHR-EHR-ACTION.procedure.v1])', 147, 'expected_observation_x_or_action_x.json'),
      set('9', 'SELECT i/activities[at0001]/description[at0002]/items[at0070]/value/value, a/description[at0001]/items[at0002]/value/value FROM EHR e CONTAINS (INSTRUCTION i[openEHR-EHR-INSTRUCTION.medication_order.v3] OR ACTION a[openEHR-EHR-ACTION.procedure.v1])', 49, 'expected_action_x_or_instruction_x.json'),
      set('10', 'SELECT a/description[at0001]/items[at0002]/value/value, a/description[at0001]/items[at0002]/value/value FROM EHR e CONTAINS ((COMPOSITION c1[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS ACTION a) OR (COMPOSITION c2[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS OBSERVATION o))', 77, 'expected_composition_x_action_or_composition_x_observation.json'),
      set('11', 'SELECT C1/items[at0001]/value/value, C2/items[at0001]/value/value FROM EHR e CONTAINS OBSERVATION o CONTAINS (CLUSTER C1[openEHR-EHR-CLUSTER.device.v1] AND CLUSTER C2[openEHR-EHR-CLUSTER.anatomical_location.v1])', 6, 'expected_observation_cluster_x_and_cluster_x.json'),
    ],
  },
  {
    kind: 'static',
    id: `${X}/query_test_set_4.robot`,
    setup: async (h) => {
      await h.upload('external/ehrbase.testcase06.v0.opt');
      await h.upload('external/ehrbase.testcase008.v0.opt');
      await h.ehr();
      const files = ['compo_1_1_test_set_4_flat', 'compo_1_2_test_set_4_flat', 'compo_1_3_test_set_4_flat', 'compo_1_4_no_obs_cluster_test_set_4_flat'];
      for (const [i, f] of files.entries()) {
        await h.commitFlat(`external/${TC8}__${f}.json`, TC8, { short: `c_uid${i + 1}` });
      }
      await h.commitFlat(`external/${TC6}__compo_2_1_test_set_4.json`, TC6, { short: 'c_uid5' });
      await h.commitFlat(`external/${TC6}__compo_2_2_test_set_4.json`, TC6, { short: 'c_uid6' });
    },
    area: 'external/test_set_4',
    tests: [
      set('1', 'SELECT o1/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude, o2/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude FROM EHR e CONTAINS ((COMPOSITION c[openEHR-EHR-COMPOSITION.health_summary.v1] CONTAINS OBSERVATION o1[openEHR-EHR-OBSERVATION.blood_pressure.v2]) OR OBSERVATION o2[openEHR-EHR-OBSERVATION.body_temperature.v2])', 24, 'expected_composition_x_observation_x_or_observation_x.json'),
      set('2', 'SELECT o1/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude, o2/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude FROM EHR e CONTAINS ((COMPOSITION c[openEHR-EHR-COMPOSITION.health_summary.v1] CONTAINS OBSERVATION o1[openEHR-EHR-OBSERVATION.blood_pressure.v2]) AND OBSERVATION o2[openEHR-EHR-OBSERVATION.body_temperature.v2])', 24, 'expected_composition_x_observation_x_and_observation_x.json'),
      set('3', 'SELECT o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude, a/description[at0001]/items[at0002]/value/value FROM EHR e CONTAINS ((COMPOSITION c1[openEHR-EHR-COMPOSITION.health_summary.v1] CONTAINS ACTION a) OR (COMPOSITION c2[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS OBSERVATION o))', 16, 'expected_composition_x_action_or_composition_x_observation.json'),
      set('4', "SELECT c/name/value, o/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.body_temperature.v2] WHERE c/archetype_node_id != 'openEHR-EHR-COMPOSITION.encounter.v1'", 4, 'expected_not_composition_x_observation_x.json'),
      {
        ...set('5', 'SELECT c2/name/value, o/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude FROM EHR e CONTAINS ((COMPOSITION c1 CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.body_temperature.v2]) AND NOT CONTAINS COMPOSITION c2[openEHR-EHR-COMPOSITION.encounter.v1])', 4, 'expected_composition_observation_x_and_not_composition_x.json'),
        exception: '`AND NOT CONTAINS` is not AQL 1.1 (a syntax error here); EHRbase runs the test as not-ready',
      },
    ],
  },
  {
    kind: 'static',
    id: `${X}/query_test_set_5.robot`,
    setup: flatSetup(['external/ehrbase.testcase09.v0.opt'], [1, 2, 3, 4, 5, 6, 7].map((n) => [`${TC9}__compo${n}_test_set_5_flat.json`, TC9] as [string, string])),
    area: 'external/test_set_5',
    tests: [
      set('1', 'SELECT i/name/value FROM EHR e CONTAINS SECTION CONTAINS INSTRUCTION i', 14, 'expected_section_instruction.json'),
      set('2', 'SELECT c/name/value FROM EHR e CONTAINS SECTION s[openEHR-EHR-SECTION.adhoc.v1] CONTAINS CLUSTER c[openEHR-EHR-CLUSTER.medication.v1]', 7, 'expected_section_x_cluster_x.json'),
      set('3', 'SELECT obs/name/value FROM EHR e CONTAINS SECTION s CONTAINS OBSERVATION obs', 28, 'expected_section_observation.json'),
      set('4', 'SELECT s/name/value as name FROM EHR e CONTAINS COMPOSITION CONTAINS SECTION s[openEHR-EHR-SECTION.adhoc.v1]', 42, 'expected_composition_section_x.json'),
      set('5', 'SELECT obs/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS SECTION s1 CONTAINS SECTION s2 CONTAINS OBSERVATION obs', 7, 'expected_composition_section_section_observation.json'),
    ],
  },
  {
    kind: 'static',
    id: `${X}/query_test_set_6.robot`,
    setup: flatSetup(['external/vitagroup-medication-list.v0.opt'], [['vitagroup-medication-list.v0__composition_with_medication_item_flat.json', 'vitagroup-medication-list.v0']]),
    area: 'external/test_set_6',
    tests: [
      {
        name: '1',
        query: (v) =>
          `SELECT i/activities[at0001]/description[at0002]/items[at0070]/value/value as medication FROM EHR e CONTAINS COMPOSITION c CONTAINS INSTRUCTION i[openEHR-EHR-INSTRUCTION.medication_order.v3] WHERE (c/archetype_details/template_id/value MATCHES {'vitagroup-medication-list.v0'} AND e/ehr_id/value = '${v.ehr_id}')`,
        count: 2,
        expected: 'expected_medication_values.json',
      },
      {
        name: '2',
        query: (v) =>
          `SELECT i/activities[at0001]/description[at0002]/items[at0070]/value/value AS medication, i/activities[at0001]/description[at0002]/items[at0009]/value/value AS dosage FROM EHR e CONTAINS COMPOSITION c CONTAINS INSTRUCTION i[openEHR-EHR-INSTRUCTION.medication_order.v3] WHERE (c/archetype_details/template_id/value MATCHES {'vitagroup-medication-list.v0'} AND e/ehr_id/value = '${v.ehr_id}')`,
        count: 2,
        expected: 'expected_medication_and_dosage_values.json',
      },
      {
        name: '3',
        query: (v) =>
          `SELECT c/content[openEHR-EHR-INSTRUCTION.medication_order.v3]/activities[at0001]/description[at0002]/items[at0070]/value/value AS medication FROM EHR e CONTAINS COMPOSITION c WHERE (c/archetype_details/template_id/value MATCHES {'vitagroup-medication-list.v0'} AND e/ehr_id/value = '${v.ehr_id}')`,
        count: 2,
        expected: 'expected_medication_without_instruction.json',
      },
    ],
  },
];
