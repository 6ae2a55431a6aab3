/** LIMIT, MIXED, PARAMETER and ORDER_BY (AQL-CONFORMANCE-SETUP.md §6-9). */
import { compareResult } from './compare.js';
import { expectedText } from './data.js';
import { FILES, setups } from './setups.js';
import type { Suite } from './suite.js';

const limitSetup = async (h: Parameters<typeof setups.fc4>[0]) => {
  await h.upload(FILES.CONF_OPT);
  await h.ehr();
  for (const n of [1, 2, 3, 4]) {
    await h.commit(FILES.MAX, { short: `c_uid${n}` });
  }
};

const M =
  'SELECT s1/feeder_audit/originating_system_item_ids/id, s2/feeder_audit/originating_system_item_ids/id, o/feeder_audit/originating_system_item_ids/id, v/time/value, c1/items[at0001]/value/value, l/value/value FROM EHR e CONTAINS COMPOSITION c CONTAINS SECTION s1 CONTAINS SECTION s2 CONTAINS OBSERVATION o CONTAINS EVENT v CONTAINS CLUSTER c1 CONTAINS CLUSTER c2 CONTAINS ELEMENT l';
const W3 =
  "s1/feeder_audit/originating_system_item_ids/id = 'ad_hoc_heading 2' AND s2/feeder_audit/originating_system_item_ids/id = 'conformance_section 4' AND v/time/value = '2024-02-03T04:05:06'";

const P4 = 'o/data[at0001]/events[at0002]/data[at0003]/items[at0022]/items[at0004]/value/value';
const P5 = 'o/data[at0001]/events[at0002]/data[at0003]/items[at0022]/items[at0005]/value/value';
const FC = 'FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.symptom_sign_screening.v0]';
const O = "OBSERVATION o[openEHR-EHR-OBSERVATION.symptom_sign_screening.v0, 'Husten']";
const T2 = "c/archetype_details/template_id/value MATCHES {'Corona_Anamnese', 'Corona_Anamnese2'}";
const T1 = "c/archetype_details/template_id/value MATCHES {'Corona_Anamnese'}";
const E2 = (v: Record<string, string>) => `e/ehr_id/value MATCHES {'${v.ehr_id1}', '${v.ehr_id2}'}`;
const E1 = (v: Record<string, string>) => `e/ehr_id/value MATCHES {'${v.ehr_id1}'}`;
const Q1 = 'SELECT e/ehr_id/value, c/uid/value, o/name/value, l/value/value FROM EHR e CONTAINS COMPOSITION c CONTAINS';
const SSO = 'OBSERVATION o[openEHR-EHR-OBSERVATION.symptom_sign_screening.v0]';

export const miscSuites: readonly Suite[] = [
  { kind: 'csv', id: 'LIMIT/limit_with_offset_without_order_by.robot', setup: limitSetup, template: 'SELECT c FROM COMPOSITION c LIMIT ${limit} OFFSET ${offset}' },
  { kind: 'csv', id: 'LIMIT/limit_without_offset_without_order_by.robot', setup: limitSetup, template: 'SELECT c FROM COMPOSITION c LIMIT ${limit}' },
  {
    kind: 'static',
    id: 'MIXED/contains_and_where.robot',
    setup: async (h) => {
      await h.upload(FILES.TR_OPT);
      await h.ehr();
      await h.commit('type_repetition_conformance_ehrbase.org_where1.json', { short: 'c_uid1' });
    },
    area: 'mixed',
    tests: [
      { name: 'q1', query: () => M, count: 16, expected: 'mixed_contains_and_where_q1.json' },
      { name: 'q2', query: () => `${M} WHERE s1/feeder_audit/originating_system_item_ids/id = 'ad_hoc_heading 2'`, count: 8, expected: 'mixed_contains_and_where_q2.json' },
      { name: 'q3', query: () => `${M} WHERE (${W3})`, count: 2, expected: 'mixed_contains_and_where_q3.json' },
      { name: 'q4', query: () => `${M} WHERE (${W3} AND l/value/value = 'cluster outer text16')`, count: 1, expected: 'mixed_contains_and_where_q4.json' },
    ],
  },
  {
    kind: 'static',
    id: 'MIXED/distinct.robot',
    setup: setups.corona,
    area: 'mixed',
    tests: [
      { name: 'q1', query: () => `SELECT DISTINCT ${P4}, ${P5} ${FC} ORDER BY ${P4} ASC, ${P5} ASC`, count: 8, expected: 'mixed_distinct_q1.json' },
      { name: 'q2', query: () => `SELECT DISTINCT ${P4} ${FC} WHERE ${P5} = 'Vorhanden' ORDER BY ${P4}`, count: 3, expected: 'mixed_distinct_q2.json', comparison: 1 },
      { name: 'q3', query: () => `SELECT DISTINCT ${P4} ${FC} WHERE ${P5} = 'Vorhanden' ORDER BY ${P4} ASC LIMIT 1 OFFSET 1`, count: 1, expected: 'mixed_distinct_q3.json' },
    ],
  },
  {
    kind: 'static',
    id: 'MIXED/predicated_and_where.robot',
    setup: setups.corona,
    area: 'mixed',
    tests: [
      { name: 'q1', query: (v) => `${Q1} ${O} CONTAINS ELEMENT l[at0005, 'Vorhanden?'] WHERE (${T2} AND ${E2(v)})`, count: 3, expected: 'mixed_predicated_and_where_q1.json' },
      { name: 'q2', query: (v) => `${Q1} ${O} CONTAINS ELEMENT l[at0005] WHERE (${T2} AND ${E2(v)})`, count: 3, expected: 'mixed_predicated_and_where_q2.json' },
      { name: 'q3', query: (v) => `${Q1} ${O} CONTAINS ELEMENT l[name/value='Vorhanden?'] WHERE (${T2} AND ${E2(v)})`, count: 3, expected: 'mixed_predicated_and_where_q3.json' },
      { name: 'q4', query: (v) => `${Q1} ${O} CONTAINS ELEMENT l[at0005, 'Vorhanden?'] WHERE (${T1} AND ${E1(v)})`, count: 1, expected: 'mixed_predicated_and_where_q4.json' },
      {
        name: 'q5',
        query: (v) => `SELECT o/name/value, l/value/value FROM EHR e CONTAINS COMPOSITION c CONTAINS ${SSO} CONTAINS ELEMENT l[at0005, 'Vorhanden?'] WHERE (${T1} AND ${E1(v)})`,
        count: 7,
        expected: 'mixed_predicated_and_where_q5.json',
      },
      {
        name: 'q6',
        query: (v) => `SELECT n/value/value, l/value/value FROM EHR e CONTAINS COMPOSITION c CONTAINS ${SSO} CONTAINS (ELEMENT l[at0005] AND ELEMENT n[at0004]) WHERE (${T1} AND ${E1(v)})`,
        count: 7,
        expected: 'mixed_predicated_and_where_q6.json',
      },
      {
        name: 'q7',
        query: (v) =>
          `SELECT n/value/value, l/value/value FROM EHR e CONTAINS COMPOSITION c CONTAINS ${SSO} CONTAINS (ELEMENT l[at0005] AND ELEMENT n[at0004]) WHERE (${T1} AND l/value/value = 'Vorhanden' AND ${E1(v)})`,
        count: 3,
        expected: 'mixed_predicated_and_where_q7.json',
      },
      {
        name: 'q8',
        query: (v) =>
          `SELECT n/value/value, l/value/value FROM EHR e CONTAINS COMPOSITION c CONTAINS ${SSO} CONTAINS (ELEMENT l[at0005] and ELEMENT n[at0004]) WHERE (${T1} AND l/value/value = 'Vorhanden' AND n/value/value = 'Husten' AND ${E1(v)})`,
        count: 1,
        expected: 'mixed_predicated_and_where_q8.json',
      },
    ],
  },
  {
    kind: 'csv',
    id: 'PARAMETER/parameter_in_where.robot',
    setup: async (h) => {
      await h.upload(FILES.CONF_OPT);
      await h.ehr();
      await h.commit('conformance_ehrbase.de.v0_where.json', { short: 'c_uid1' });
    },
    template: 'SELECT ${path} FROM COMPOSITION c CONTAINS OBSERVATION o WHERE ${path} = $param',
    body: (row) => ({ query_parameters: { param: JSON.parse(row.value as string) as unknown } }),
  },
  // ORDER_BY
  {
    kind: 'csv',
    id: 'ORDER_BY/MULTIPLE_ORDER_BY/multiple_order_by_on_extracted_columns_iv.robot',
    setup: setups.aqlcTr,
    template: 'SELECT c/name/value, o/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o ORDER BY c/name/value ${order1}, o/name/value ${order2}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_dv_date.robot',
    setup: setups.dates4,
    template: 'SELECT ${path}/value FROM EHR e CONTAINS COMPOSITION c CONTAINS EVENT_CONTEXT ec ORDER BY ${path} ${order}',
  },
  { kind: 'csv', id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_on_extracted_columns_i.robot', setup: setups.aqlcTr, template: 'SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c ORDER BY ${order}' },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_on_extracted_columns_ii.robot',
    setup: setups.aqlcTr,
    template: 'SELECT o/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o ORDER BY ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_on_extracted_columns_iii.robot',
    setup: async (h) => {
      await h.upload(FILES.AQLC_OPT);
      await h.upload(FILES.TR_OPT);
      await h.ehr({ id: '4a7ee122-7579-4bb1-9dbb-6703e7590a54' });
      await h.commit('aql-conformance-ehrbase.org.v0_contains_with_compo_uid.json', { short: 'c_uid1' });
      await h.ehr({ id: 'fb86c5c2-e24d-4614-ba8d-259b9a09dd04' });
      await h.commit('type_repetition_conformance_ehrbase.org_one_reptation_with_compo_uid.json', { short: 'c_uid2' });
    },
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c ORDER BY ${path} ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_on_extracted_columns_iv.robot',
    setup: async (h) => {
      await h.upload(FILES.AQLC_OPT);
      await h.upload(FILES.TR_OPT);
      await h.ehr();
      await h.commit(FILES.CONTAINS, { short: 'c_uid1' });
      await h.ehr();
      await h.commit('type_repetition_conformance_ehrbase.org_one_reptation.json', { short: 'c_uid2' });
    },
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o ORDER BY ${path} ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_path_from_entry_to_dv_ordered.robot',
    setup: setups.confV2,
    template: 'SELECT ${path}${spath} FROM OBSERVATION o[openEHR-EHR-OBSERVATION.conformance_observation.v0] ORDER BY ${path} ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_paths_within_same_hierarchy_lvl_i.robot',
    setup: setups.dates2,
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c ORDER BY ${path} ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_paths_within_same_hierarchy_lvl_ii.robot',
    setup: setups.dates2,
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c CONTAINS EVENT_CONTEXT ec ORDER BY ${path} ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_paths_within_same_hierarchy_lvl_iii.robot',
    setup: setups.dates2,
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c CONTAINS INTERVAL_EVENT i ORDER BY ${path} ${order}',
  },
  {
    kind: 'csv',
    id: 'ORDER_BY/SINGLE_ORDER_BY/order_by_unknown_type.robot',
    setup: async (h) => {
      await h.upload('choice_ehrbase.de.v0.opt');
      await h.ehr();
      await h.commit('choice_ehrbase.de.v0.json', { short: 'c_uid1' });
    },
    template:
      'SELECT o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/value, o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/magnitude FROM OBSERVATION o[openEHR-EHR-OBSERVATION.choice.v0] ORDER BY ${path} ASC',
    check: (row, body) => {
      const column = row.query_nr === '2' ? 0 : row.query_nr === '3' ? 1 : undefined;
      if (column === undefined) {
        return undefined;
      }
      const file = `expected_order_by_unknown_type_at4_${column + 1}_part_ordered_asc.json`;
      const expected = JSON.parse(expectedText('order_by', file)) as unknown;
      const kept = { ...body, rows: (body.rows as unknown[][]).filter((r) => r[column] !== null) };
      return compareResult(kept, expected, { mode: 'LIT', excluded: [['meta']], ignoreOrder: false, ignoreCase: true }) || undefined;
    },
  },
];

