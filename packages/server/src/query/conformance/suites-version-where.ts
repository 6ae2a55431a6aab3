/** VERSION, WHERE and META (AQL-CONFORMANCE-SETUP.md §11-13). */
import request from 'supertest';
import type { Harness, Outcome } from './harness.js';
import { FILES, setups } from './setups.js';
import type { Suite } from './suite.js';
import { MISSING_LEAF } from './suites-select.js';

const V = 'VERSION';
const W = 'WHERE';
const LV = 'VERSION cv[LATEST_VERSION]';

/** Runs a query, captures named cells of its rows into variables, then judges it. */
function capturing(
  query: (v: Record<string, string>) => string,
  count: number,
  expected: string,
  capture: (rows: unknown[][], h: Harness) => void,
): (h: Harness) => Promise<Outcome> {
  return async (h) => {
    const q = query(h.vars);
    const first = await h.post(q);
    if (first.status === 200) {
      capture(first.body.rows as unknown[][], h);
    }
    return h.judge(q, {
      count,
      expected: { area: 'version', file: expected, comparison: { mode: 'SUB', excluded: [['meta'], ['q'], ['rows', 0, 0, 'uid']], ignoreOrder: true, ignoreCase: false } },
    });
  };
}

/** Reads the commit times of versions into variables: [variable, variable holding the version uid]. */
async function timesOf(h: Harness, pairs: readonly (readonly [string, string])[], of: 'COMPOSITION' | 'EHR_STATUS'): Promise<void> {
  for (const [name, uid] of pairs) {
    const res = await h.post(`SELECT cv/commit_audit/time_committed/value FROM ${LV} CONTAINS ${of} s WHERE cv/uid/value = '${h.vars[uid]}'`);
    h.vars[name] = String((res.body.rows as unknown[][])[0]?.[0]);
  }
}

const numbered = (prefix: string, uids: readonly string[], numbers?: readonly number[]) =>
  uids.map((uid, i) => [`${prefix}${numbers?.[i] ?? i + 1}`, uid] as const);

async function contributionsList(h: Harness, pairs: readonly [string, string, string][]): Promise<Outcome> {
  for (const [ehr, contribution, uid] of pairs) {
    const res = await request(h.app).get(`/openehr/v1/ehr/${h.vars[ehr]}/contribution/${h.vars[contribution]}`);
    if (res.status !== 200 || res.body.versions?.[0]?.id?.value !== h.vars[uid]) {
      return { status: 'fail', message: `contribution ${h.vars[contribution]} of ${ehr}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
    }
  }
  return { status: 'pass' };
}

const captureContributions = (column: number) => (rows: unknown[][], h: Harness) =>
  rows.forEach((row, i) => (h.vars[`contribution_id${i + 1}`] = String(row[column])));

export const versionSuites: readonly Suite[] = [
  {
    kind: 'static',
    id: `${V}/version_latest_version_contains_composition.robot`,
    setup: setups.versionCompositions,
    area: 'version',
    tests: [
      {
        name: '1',
        run: async (h) => {
          await timesOf(h, numbered('time_committed_composition', ['compo_uid_1', 'compo_uid_2_v3', 'compo_uid_3_v2', 'compo_uid_5', 'compo_uid_7_v2', 'compo_uid_8']), 'COMPOSITION');
          return capturing(
            () => `SELECT e/ehr_id/value, c/archetype_details/template_id/value, cv/uid/value, cv/commit_audit/time_committed/value FROM EHR e CONTAINS ${LV} CONTAINS COMPOSITION c ORDER BY cv/commit_audit/time_committed`,
            6,
            'latest_version_contains_composition_sanity_check.json',
            () => undefined,
          )(h);
        },
      },
      {
        name: '2',
        run: async (h) => {
          await timesOf(h, numbered('time_committed_composition', ['compo_uid_5', 'compo_uid_8'], [5, 8]), 'COMPOSITION');
          return capturing(
            () => `SELECT cv/uid/value, cv/contribution/id/value, cv/commit_audit/time_committed/value FROM ${LV} CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.conformance_composition_.v0] ORDER BY cv/commit_audit/time_committed ASC`,
            2,
            'latest_version_contains_composition_contribution_check.json',
            captureContributions(1),
          )(h);
        },
      },
      { name: '3', run: (h) => contributionsList(h, [['ehr_id1', 'contribution_id1', 'compo_uid_5'], ['ehr_id3', 'contribution_id2', 'compo_uid_8']]) },
    ],
  },
  {
    kind: 'static',
    id: `${V}/version_latest_version_contains_observation.robot`,
    setup: setups.versionCompositions,
    area: 'version',
    tests: [
      {
        name: '1',
        run: async (h) => {
          await timesOf(h, numbered('time_committed_observation', ['compo_uid_2_v3', 'compo_uid_3_v2']), 'COMPOSITION');
          return capturing(
            () =>
              `SELECT e/ehr_id/value, o/archetype_details/template_id/value, o/archetype_details/archetype_id/value, cv/uid/value, cv/commit_audit/time_committed/value, o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/value FROM EHR e CONTAINS ${LV} CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.minimal.v1] ORDER BY cv/commit_audit/time_committed LIMIT 2 OFFSET 1`,
            2,
            'latest_version_contains_observation_sanity_check.json',
            () => undefined,
          )(h);
        },
      },
      {
        name: '2',
        run: async (h) => {
          await timesOf(h, numbered('time_committed_observation', ['compo_uid_1', 'compo_uid_2_v3', 'compo_uid_3_v2', 'compo_uid_7_v2']), 'COMPOSITION');
          return capturing(
            () =>
              `SELECT e/ehr_id/value, cv/uid/value, cv/contribution/id/value, cv/commit_audit/time_committed/value FROM EHR e CONTAINS ${LV} CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.minimal.v1] ORDER BY cv/commit_audit/time_committed ASC`,
            4,
            'latest_version_contains_observation_contribution_check.json',
            captureContributions(2),
          )(h);
        },
      },
      {
        name: '3',
        run: (h) =>
          contributionsList(h, [
            ['ehr_id1', 'contribution_id1', 'compo_uid_1'],
            ['ehr_id1', 'contribution_id2', 'compo_uid_2_v3'],
            ['ehr_id1', 'contribution_id3', 'compo_uid_3_v2'],
            ['ehr_id3', 'contribution_id4', 'compo_uid_7_v2'],
          ]),
      },
    ],
  },
  {
    kind: 'static',
    id: `${V}/version_latest_version_contains_ehr_status.robot`,
    setup: setups.versionStatus,
    area: 'version',
    tests: [
      {
        name: '1',
        run: async (h) => {
          await timesOf(h, numbered('time_committed_ehr_status', ['ehr_status_id1', 'ehr_status_id3_version2']), 'EHR_STATUS');
          return capturing(
            () =>
              `SELECT cv/uid/value, cv/commit_audit/time_committed/value, cv/commit_audit/change_type/value, cv/commit_audit/change_type/defining_code/code_string, cv/commit_audit/change_type/defining_code/preferred_term, cv/commit_audit/change_type/defining_code/terminology_id/value, s/subject/external_ref/id/value FROM ${LV} CONTAINS EHR_STATUS s ORDER BY cv/commit_audit/time_committed ASC`,
            2,
            'latest_version_contains_ehr_status_sanity_check.json',
            () => undefined,
          )(h);
        },
      },
      {
        name: '2',
        run: async (h) => {
          await timesOf(h, numbered('time_committed_ehr_status', ['ehr_status_id1', 'ehr_status_id3_version2']), 'EHR_STATUS');
          return capturing(
            () => `SELECT cv/uid/value, cv/contribution/id/value, cv/commit_audit/time_committed/value FROM ${LV} CONTAINS EHR_STATUS s ORDER BY cv/commit_audit/time_committed ASC`,
            2,
            'latest_version_contains_ehr_status_contribution_check.json',
            captureContributions(1),
          )(h);
        },
      },
      { name: '3', run: (h) => contributionsList(h, [['ehr_id1', 'contribution_id1', 'ehr_status_id1'], ['ehr_id3', 'contribution_id2', 'ehr_status_id3_version2']]) },
    ],
  },
  {
    kind: 'csv',
    id: `${V}/version_latest_version_contains_composition_data_values.robot`,
    setup: setups.versionCompositions,
    template: `SELECT \${path} FROM ${LV} CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.persistent_minimal.v1] \${where} \${order_by}`,
  },
  {
    kind: 'csv',
    id: `${V}/version_latest_version_contains_observation_data_values.robot`,
    setup: setups.versionCompositions,
    template: `SELECT \${path} FROM ${LV} CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.minimal.v1] \${where} \${order_by}`,
  },
  {
    kind: 'csv',
    id: `${V}/version_latest_version_contains_ehr_status_data_values.robot`,
    setup: setups.versionStatus,
    template: `SELECT \${path} FROM ${LV} CONTAINS EHR_STATUS s \${where} \${order_by}`,
  },
];

const EC = 'SELECT e/ehr_id/value, c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE ${where}';
const CHOICE = 'o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value';
const O = 'OBSERVATION o[openEHR-EHR-OBSERVATION.conformance_observation.v0]';
const EXISTS = 'EHRbase answers 400 for EXISTS and its expected files are empty; this CDR answers EXISTS';
const NESTED = 'c0/content/items/activities/description/items[openEHR-EHR-CLUSTER.nested.v1]/items[at0001]';
const G = `SELECT ${NESTED}/name/value AS col_name, ${NESTED}/value/value AS col_value FROM EHR e CONTAINS COMPOSITION c0 CONTAINS CLUSTER i[openEHR-EHR-CLUSTER.nested.v1] WHERE ${NESTED}/value/value`;

export const whereSuites: readonly Suite[] = [
  { kind: 'csv', id: `${W}/BOOLEAN_OPERATIONS/chaining_and_or.robot`, setup: setups.conf2x2, template: EC },
  {
    kind: 'csv',
    id: `${W}/BOOLEAN_OPERATIONS/single_and_or.robot`,
    setup: async (h) => {
      await h.upload(FILES.CONF_OPT);
      await h.ehr();
      await h.commit(FILES.MAX, { short: 'c_uid1' });
      await h.commit(FILES.MAX, { short: 'c_uid2' });
      await h.ehr();
    },
    template: EC,
  },
  {
    kind: 'csv',
    id: `${W}/EXISTS/compare_with_null.robot`,
    setup: setups.confV2,
    template: 'SELECT ${path}${spath} FROM OBSERVATION o [openEHR-EHR-OBSERVATION.conformance_observation.v0] WHERE ${condition} ${path}',
    exceptions: { 1: EXISTS, 2: EXISTS, 3: EXISTS, 4: EXISTS },
  },
  {
    kind: 'static',
    id: `${W}/LIKE_FEATURE_LIST/like_operator_proper_escaping.robot`,
    setup: async (h) => {
      await h.upload('nested.opt');
      await h.ehr();
      await h.commit('nested_compo_custom_dv_text.json', { short: 'c_uid' });
    },
    area: 'where',
    tests: [
      ...["* 20*", '* 20%*'].map((pattern) => ({
        name: `LIKE '${pattern}'`,
        query: () => `${G} LIKE '${pattern}'`,
        count: 1,
        check: (body: Record<string, unknown>) => {
          const row = (body.rows as unknown[][])[0] ?? [];
          return row[0] === 'text' && String(row[1]).includes('20%') ? undefined : JSON.stringify(body.rows);
        },
      })),
      { name: "LIKE '*20\\%*'", query: () => `${G} LIKE '*20\\\\%*'`, expectError: { status: 400, contains: 'Invalid LIKE pattern: *20\\%*' } },
    ],
  },
  { kind: 'csv', id: `${W}/LIKE_FEATURE_LIST/like_with_extracted_column_i.robot`, setup: setups.mix2, template: 'SELECT c/name/value, c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/name/value LIKE ${like}' },
  {
    kind: 'csv',
    id: `${W}/LIKE_FEATURE_LIST/like_with_extracted_column_ii.robot`,
    setup: async (h) => {
      await h.upload(FILES.TR_OPT);
      await h.ehr();
      await h.commit('type_repetition_conformance_ehrbase.org_like.json');
    },
    template: 'SELECT s/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS SECTION s WHERE s/name/value LIKE ${like}',
  },
  {
    kind: 'csv',
    id: `${W}/MATCHES_FEATURE_LIST/extracted_column.robot`,
    setup: async (h) => {
      await h.upload(FILES.CONF_OPT);
      for (const n of [1, 2, 3]) {
        await h.ehr();
        await h.commit(FILES.MAX, { short: `c_uid${n}` });
      }
    },
    template: EC,
  },
  {
    kind: 'csv',
    id: `${W}/SIMPLE_COMPARE/compare_by_dv_date.robot`,
    setup: setups.dates4,
    template: 'SELECT ${path}/value FROM EHR e CONTAINS COMPOSITION c CONTAINS EVENT_CONTEXT ec WHERE ${path} ${condition}',
  },
  { kind: 'csv', id: `${W}/SIMPLE_COMPARE/compare_by_dv_ordered.robot`, setup: setups.confV2, template: `SELECT \${path}\${spath} FROM ${O} WHERE \${path} \${condition}` },
  {
    kind: 'static',
    id: `${W}/SIMPLE_COMPARE/compare_by_dv_ordered_cdr_1404.robot`,
    setup: setups.confV2,
    perTest: true,
    area: 'where',
    tests: [
      {
        name: 'unpredicated multi-valued path',
        query: () =>
          'SELECT o/data/events/data/items/value/magnitude FROM OBSERVATION o [openEHR-EHR-OBSERVATION.conformance_observation.v0] WHERE o/data[at0001]/events[at0002]/data[at0003]/items[at0008]/value = 82.0',
        expected: 'expected_compare_by_dv_ordered_cdr_1404.json',
        exception: MISSING_LEAF,
      },
    ],
  },
  {
    kind: 'csv',
    id: `${W}/SIMPLE_COMPARE/compare_by_paths_over_hierarchy_lvl.robot`,
    setup: async (h) => {
      await h.upload(FILES.CONF_OPT);
      await h.ehr();
      await h.commit('conformance_ehrbase.de.v0_where.json', { short: 'c_uid1' });
    },
    template: 'SELECT ${path} FROM COMPOSITION c CONTAINS OBSERVATION o WHERE ${path} = ${value}',
    count: 1,
  },
  {
    kind: 'csv',
    id: `${W}/SIMPLE_COMPARE/compare_by_paths_within_same_hierarchy_lvl.robot`,
    setup: setups.dates2,
    template: 'SELECT ${path} FROM EHR e CONTAINS COMPOSITION c CONTAINS EVENT_CONTEXT ec WHERE ${where}',
    count: 1,
  },
  {
    kind: 'csv',
    id: `${W}/SIMPLE_COMPARE/compare_by_unknown_type.robot`,
    setup: async (h) => {
      await h.upload('choice_ehrbase.de.v0.opt');
      await h.ehr();
      await h.commit('choice_ehrbase.de.v0.json');
    },
    template: `SELECT ${CHOICE}/value, ${CHOICE}/magnitude FROM OBSERVATION o[openEHR-EHR-OBSERVATION.choice.v0] WHERE \${path} \${condition}`,
  },
  {
    kind: 'csv',
    id: `${W}/SIMPLE_COMPARE/compare_with_array_valued_paths.robot`,
    setup: async (h) => {
      await h.upload(FILES.CONF_OPT);
      await h.ehr();
      await h.commit('conformance_ehrbase.de.v0_array_valued.json');
    },
    template: 'SELECT ${path} FROM COMPOSITION c CONTAINS OBSERVATION o WHERE ${where}',
  },
  { kind: 'csv', id: `${W}/SIMPLE_COMPARE/compare_with_extracted_column_i.robot`, setup: setups.mix2, template: EC, count: 1 },
  {
    kind: 'csv',
    id: `${W}/SIMPLE_COMPARE/compare_with_extracted_column_ii.robot`,
    setup: setups.aqlc,
    template: 'SELECT o FROM COMPOSITION CONTAINS OBSERVATION o WHERE ${where}',
    file: false,
    check: (_row, body) => {
      const uids = new Set((body.rows as { uid?: { value?: string } }[][]).map((r) => r[0]?.uid?.value));
      const wanted = uids.size > 1
        ? ['94c0e756-e892-4985-884b-46829605a236', '55415141-17e4-4c71-9429-aa0fe6694c83', 'd4cccdfc-9c90-402f-b4bb-94e8dc4ea429', '893506a7-462b-40b8-9638-0aa3990642d9']
        : ['2183807d-af68-41c5-9bfe-28cd150d62f7'];
      return wanted.every((u) => uids.has(u)) ? undefined : `observation uids ${JSON.stringify([...uids])}`;
    },
  },
];

const META_NOTE = 'checks EHRbase\'s meta members (_generator contains "EHRBase/", _executed_aql, _dry_run)';

export const metaSuites: readonly Suite[] = [
  {
    kind: 'static',
    id: 'META/meta_object_checks.robot',
    setup: setups.aqlc,
    area: 'select',
    tests: [
      {
        name: 'RESULTSET meta: type, created, resultsize, href, fetch and offset',
        run: async (h) => {
          const q1 = 'SELECT o FROM SECTION[openEHR-EHR-SECTION.conformance_section.v0] CONTAINS OBSERVATION o CONTAINS CLUSTER';
          const posted = await h.post(`${q1} LIMIT 1 OFFSET 1`);
          const meta = posted.body.meta as Record<string, unknown>;
          if (posted.status !== 200 || meta._type !== 'RESULTSET' || meta.resultsize !== 1 || meta.fetch !== 1 || meta.offset !== 1 || '_href' in meta) {
            return { status: 'fail', message: `POST meta ${JSON.stringify(meta)}` };
          }
          if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(String(meta._created))) {
            return { status: 'fail', message: `_created ${String(meta._created)}` };
          }
          const got = await request(h.app).get('/openehr/v1/query/aql').query({ q: 'SELECT o FROM SECTION[openEHR-EHR-SECTION.conformance_section.v0] CONTAINS OBSERVATION o' });
          if (got.status !== 200 || !String(got.body.meta._href).endsWith('/query/aql') || got.body.meta.resultsize !== got.body.rows.length) {
            return { status: 'fail', message: `GET meta ${JSON.stringify(got.body.meta)}` };
          }
          return { status: 'pass' };
        },
      },
      { name: 'EHRbase generator and executed AQL', exception: META_NOTE, run: async () => ({ status: 'fail', message: 'not replayed' }) },
    ],
  },
];
