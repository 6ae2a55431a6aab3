/** SELECT (AQL-CONFORMANCE-SETUP.md §10). */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Harness, Outcome } from './harness.js';
import { FILES, setups } from './setups.js';
import type { StaticTest, Suite } from './suite.js';

const S = 'SELECT';
const AREA = 'select';
const O = 'OBSERVATION o[openEHR-EHR-OBSERVATION.conformance_observation.v0]';
const MULTI = 'SELECT e/ehr_id/value, c/uid/value, o/uid/value, p/time/value FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o CONTAINS POINT_EVENT p';

export const MISSING_LEAF =
  'a path through several nodes of which one lacks the rest of the path: EHRbase leaves that node out here (and keeps it elsewhere, e.g. for events); this CDR gives every node a row, with null where the path ends early';
const EXECUTED_AQL = 'checks EHRbase\'s meta._executed_aql (parameters written into the query, LIMIT appended) and its 422 answers; the specification documents 400 for these';

const aqlcTwice = async (h: Harness): Promise<void> => {
  await h.upload(FILES.AQLC_OPT);
  await h.ehr();
  await h.commit(FILES.CONTAINS, { short: 'c_uid1' });
  await h.commit(FILES.CONTAINS, { short: 'c_uid2' });
};

const cell = (body: Record<string, unknown>, row = 0, column = 0): unknown => (body.rows as unknown[][])[row]?.[column];

/** Setup A of as_in_result (tests 1-7), B (8-12), C (13). */
const asSetupA = async (h: Harness) => {
  await setups.aqlc(h);
  h.vars.compo_id = h.vars.c_uid as string;
};
const asSetupB = async (h: Harness) => {
  await h.upload(FILES.AQLC_OPT);
  await h.ehr();
  await h.commit('aql-conformance-ehrbase.org.v0_contains_with_compo_uid_1.json');
  await h.commit('aql-conformance-ehrbase.org.v0_contains_with_compo_uid_2.json');
};

/** A test with its own setup (the suite's per-test setup is none). */
function own(setup: (h: Harness) => Promise<void>, test: StaticTest): StaticTest {
  return {
    ...test,
    run: async (h) => {
      await h.reset();
      await setup(h);
      const q = (test.query as (v: Record<string, string>) => string)(h.vars);
      return h.judge(q, {
        ...(test.count !== undefined ? { count: test.count } : {}),
        ...(test.expected
          ? {
              expected: {
                area: AREA,
                file: test.expected,
                comparison: { mode: test.comparison === 1 ? 'SUB' : 'LIT', excluded: [['meta'], ['q'], ['rows', 0, 0, 'uid']], ignoreOrder: true, ignoreCase: false },
              },
            }
          : {}),
        ...(test.check ? { check: (body: Record<string, unknown>) => test.check?.(body, h) } : {}),
        ...(test.expectError ? { expectError: test.expectError } : {}),
      });
    },
  };
}

const literals = ['20260102', '02012026', '202601', '2026', '02-01-2026', '2026-01-02T14:30:00+02:00', '2026-01-02T14:45:00-03:00', '2026-01-02T14:50'];

async function literalEchoes(h: Harness): Promise<Outcome> {
  for (const literal of literals) {
    const q = `SELECT '${literal}' FROM EHR e LIMIT 1`;
    const res = await h.post(q);
    if (res.status !== 200 || res.body.q !== q || cell(res.body) !== literal) {
      return { status: 'fail', message: `${q}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
    }
  }
  return { status: 'pass' };
}

export const selectSuites: readonly Suite[] = [
  {
    kind: 'static',
    id: `${S}/AS_GENERAL_KEYWORDS_A_D/as_in_result.robot`,
    setup: setups.none,
    area: AREA,
    tests: [
      own(asSetupA, { name: '1', query: () => 'SELECT c AS full FROM COMPOSITION c', expected: 'composition_complete_return.json' }),
      own(asSetupA, { name: '2', query: (v) => `SELECT c AS full FROM COMPOSITION c WHERE c/uid/value='${v.compo_id}::${v.system_id_with_tenant}::1'`, expected: 'expected_composition_full_uid.json' }),
      own(asSetupA, { name: '3', query: (v) => `SELECT c AS partial_without_system_id FROM COMPOSITION c WHERE c/uid/value='${v.compo_id}::::1'`, count: 1, expected: 'expected_composition_partial_uid_without_system_id.json' }),
      own(asSetupA, {
        name: '4',
        query: (v) => `SELECT c AS partial_without_version_id FROM COMPOSITION c WHERE c/uid/value='${v.compo_id}::${v.system_id_with_tenant}::'`,
        expectError: { status: 400, contains: 'is not a valid OBJECT_VERSION_ID/UID' },
      }),
      own(asSetupA, { name: '5', query: (v) => `SELECT c AS full FROM COMPOSITION c WHERE c/uid/value='${v.compo_id}::${v.system_id_with_tenant}::2'`, expected: 'expected_composition_full_uid_not_existing_version.json' }),
      {
        name: '6',
        run: async (h) => {
          await h.reset();
          await asSetupA(h);
          const q = `SELECT c AS full FROM COMPOSITION c WHERE c/uid/value='${h.vars.compo_id}::non-existing-system::1'`;
          return h.judge(q, { expectError: { status: 400, contains: `does not match this server (${h.vars.system_id_with_tenant})` } });
        },
      },
      own(asSetupA, {
        name: '7',
        query: (v) => `${MULTI} WHERE c/uid/value='${v.compo_id}::${v.system_id_with_tenant}::1'`,
        expected: 'expected_composition_full_uid_complex_query.json',
        comparison: 1,
      }),
      own(asSetupB, { name: '8', query: () => "SELECT c/uid/value AS full FROM COMPOSITION c WHERE c/uid/value<'d037bf7c-0ecb-40fb-aada-fc7d559815ea::::1'", expected: 'expected_compositions_with_fixed_uid_lower_than.json', comparison: 1 }),
      own(asSetupB, { name: '9', query: (v) => `SELECT c/uid/value AS full FROM COMPOSITION c WHERE c/uid/value>'b037bf7c-0ecb-40fb-aada-fc7d559815ea::${v.system_id_with_tenant}::1'`, expected: 'expected_compositions_with_fixed_uid_greater_than.json', comparison: 1 }),
      own(asSetupB, { name: '10', query: (v) => `SELECT c/uid/value AS full FROM COMPOSITION c WHERE c/uid/value<='c037bf7c-0ecb-40fb-aada-fc7d559815ea::${v.system_id_with_tenant}::1'`, expected: 'expected_compositions_with_fixed_uid_lower_equals_than.json', comparison: 1 }),
      own(asSetupB, { name: '11', query: () => "SELECT c/uid/value AS full FROM COMPOSITION c WHERE c/uid/value>='b037bf7c-0ecb-40fb-aada-fc7d559815ea::::1'", expected: 'expected_compositions_with_fixed_uid_greater_equals_than.json', comparison: 1 }),
      own(asSetupB, { name: '12', query: () => "SELECT c/uid/value AS full FROM COMPOSITION c WHERE c/uid/value!='c037bf7c-0ecb-40fb-aada-fc7d559815ea::::1'", expected: 'expected_compositions_with_fixed_uid_different_than.json', comparison: 1 }),
      {
        name: '13: string literals come back unchanged',
        run: async (h) => {
          await h.reset();
          await h.ehr();
          return literalEchoes(h);
        },
      },
    ],
  },
  {
    kind: 'static',
    id: `${S}/AS_GENERAL_KEYWORDS_A_D/distinct.robot`,
    setup: aqlcTwice,
    area: AREA,
    tests: [
      { name: 'without DISTINCT', query: () => 'SELECT e/ehr_id/value AS full FROM EHR e CONTAINS COMPOSITION C', count: 2 },
      { name: 'with DISTINCT', query: () => 'SELECT DISTINCT e/ehr_id/value AS full FROM EHR e CONTAINS COMPOSITION C', count: 1 },
    ],
  },
  {
    kind: 'csv',
    id: `${S}/DRILL_DOWN_ALONG_PATHS/drill_down_ehr.robot`,
    setup: async (h) => void (await h.ehr({ id: randomUUID() })),
    template: 'SELECT ${path} FROM EHR e',
  },
  {
    kind: 'csv',
    id: `${S}/DRILL_DOWN_ALONG_PATHS/drill_down_ehr_status.robot`,
    setup: async (h) => void (await h.ehr({ id: randomUUID() })),
    template: 'SELECT ${path} FROM EHR_STATUS es',
  },
  { kind: 'csv', id: `${S}/DRILL_DOWN_ALONG_PATHS/drill_down_event_context.robot`, setup: setups.confMax, template: 'SELECT ${path} FROM EVENT_CONTEXT c' },
  { kind: 'csv', id: `${S}/DRILL_DOWN_ALONG_PATHS/drill_down_observation.robot`, setup: setups.confMax, template: `SELECT \${path} FROM ${O}` },
  {
    kind: 'static',
    id: `${S}/DRILL_DOWN_ALONG_PATHS/drill_down_observation_o.robot`,
    setup: setups.confMax,
    perTest: true,
    area: AREA,
    tests: [
      {
        name: 'whole observation',
        query: () => `SELECT o FROM ${O}`,
        count: 1,
        check: (body) => ((cell(body) as { _type?: string } | undefined)?._type === 'OBSERVATION' ? undefined : 'not an OBSERVATION'),
      },
    ],
  },
  {
    kind: 'csv',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/array_valued_paths.robot`,
    setup: async (h) => {
      await h.upload(FILES.CONF_OPT);
      await h.ehr();
      await h.commit('conformance_ehrbase.de.v0_array_valued.json', { short: 'c_uid1' });
    },
    template: 'SELECT ${path} FROM COMPOSITION c CONTAINS OBSERVATION o',
  },
  {
    kind: 'static',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/multi_selects.robot`,
    setup: aqlcTwice,
    perTest: true,
    area: AREA,
    tests: [
      {
        name: 'four columns',
        query: () => MULTI,
        count: 10,
        check: (body) => ((body.rows as unknown[][]).every((r) => r[0] !== null) ? undefined : 'a row without EHR id'),
      },
    ],
  },
  {
    kind: 'csv',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/null_value_in_select.robot`,
    setup: setups.confV3,
    template: '${statement}',
    exceptions: { 1: MISSING_LEAF },
  },
  { kind: 'csv', id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/path_from_entry_to_data_value.robot`, setup: setups.confV3, template: `SELECT \${path} FROM ${O}` },
  {
    kind: 'csv',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/path_from_entry_to_data_value_in_cluster.robot`,
    setup: setups.confV3,
    template: `SELECT o/data[at0001]/events[at0002]/data[at0003]/items[openEHR-EHR-CLUSTER.conformance_cluster.v0]/\${path} FROM ${O}`,
    exceptions: { 2: MISSING_LEAF, 3: MISSING_LEAF },
  },
  {
    kind: 'csv',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/path_from_entry_to_data_value_in_cluster_2.robot`,
    setup: setups.confV3,
    template: `SELECT c/\${path} FROM ${O} CONTAINS CLUSTER c[openEHR-EHR-CLUSTER.conformance_cluster.v0]`,
  },
  {
    kind: 'static',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/path_to_target_object.robot`,
    setup: setups.aqlc,
    area: AREA,
    tests: [
      { name: 'whole composition', query: () => 'SELECT c FROM COMPOSITION c', count: 1, expected: 'path_to_target_obj_query1.json' },
      { name: 'uid', query: () => 'SELECT c/uid FROM COMPOSITION c', count: 1, expected: 'path_to_target_obj_query2.json', comparison: 1 },
      {
        name: 'uid value',
        query: () => 'SELECT c/uid/value FROM COMPOSITION c',
        count: 1,
        check: (body, h) =>
          JSON.stringify(body.columns) !== JSON.stringify([{ name: '#0', path: 'c/uid/value' }])
            ? `columns ${JSON.stringify(body.columns)}`
            : cell(body) === h.vars.composition_uid
              ? undefined
              : `uid ${JSON.stringify(cell(body))}`,
      },
    ],
  },
  {
    kind: 'static',
    id: `${S}/IDENTIFIED_PATH_FEATURE_A_D/paths_within_same_hierarchy.robot`,
    setup: setups.none,
    area: AREA,
    tests: [
      own(setups.aqlc, { name: '1', query: () => 'SELECT p/time/value FROM POINT_EVENT p', count: 5, expected: 'paths_same_hierarchy_lvl1.json' }),
      own(setups.confMax, {
        name: '2',
        query: () => 'SELECT i/narrative/value FROM INSTRUCTION i',
        count: 1,
        check: (body) => (cell(body) === 'Human readable instruction narrative' ? undefined : JSON.stringify(body.rows)),
      }),
      own(setups.confMax, {
        name: '3',
        query: () => 'SELECT c/start_time/value FROM EVENT_CONTEXT c',
        count: 1,
        check: (body) => (cell(body) === '2021-12-21T14:19:31.649613+01:00' ? undefined : JSON.stringify(body.rows)),
      }),
      {
        name: '4',
        run: async (h) => {
          await h.reset();
          await setups.confMax(h);
          return h.judge('SELECT c/setting FROM EVENT_CONTEXT c', {
            count: 1,
            expected: { area: AREA, file: 'subobjects_within_locatable.json', comparison: { mode: 'LIT', excluded: [['meta']], ignoreOrder: true, ignoreCase: false } },
          });
        },
      },
      own(setups.confMax, {
        name: '5',
        query: () => 'SELECT c/content[openEHR-EHR-SECTION.conformance_section.v0]/items[openEHR-EHR-ACTION.conformance_action_.v0] FROM COMPOSITION c',
        count: 1,
      }),
    ],
  },
  { kind: 'csv', id: `${S}/PRIMITIVES/primitives_in_simple_select.robot`, setup: async (h) => void (await h.ehr()), template: 'SELECT ${primitive} FROM EHR' },
  {
    kind: 'static',
    id: `${S}/PRIMITIVES/primitives_multi_selects.robot`,
    setup: aqlcTwice,
    perTest: true,
    area: AREA,
    tests: [{ name: 'four columns', query: () => MULTI, count: 10, expected: 'primitives_multi_selects_expected.json' }],
  },
  {
    kind: 'static',
    id: `${S}/Q_AND_EXECUTED_AQL_CHECKS/aql_q_and_executed_aql_checks.robot`,
    setup: async (h) => {
      await setups.aqlc(h);
      h.vars.compo_id = h.vars.c_uid as string;
    },
    area: AREA,
    tests: [
      {
        name: 'q echoed; parameters; fetch and offset; stored queries',
        run: async (h) => qChecks(h),
      },
      { name: 'meta._executed_aql and 422', exception: EXECUTED_AQL, run: async () => ({ status: 'fail', message: 'not replayed' }) },
    ],
  },
];

/** The parts of §10.10 that are not EHRbase's own: echo of q, parameters, fetch/offset, stored queries. */
async function qChecks(h: Harness): Promise<Outcome> {
  const base = `${MULTI} WHERE c/uid/value = $uid`;
  const all = await h.post(base, { query_parameters: { uid: h.vars.compo_id } });
  if (all.status !== 200 || all.body.q !== base || (all.body.rows as unknown[]).length !== 5 || (all.body.meta as { resultsize?: number }).resultsize !== 5) {
    return { status: 'fail', message: `parameter query: ${all.status} ${JSON.stringify(all.body).slice(0, 300)}` };
  }
  const paged = await h.post(base, { query_parameters: { uid: h.vars.compo_id }, offset: 1, fetch: 2 });
  if (paged.status !== 200 || (paged.body.rows as unknown[]).length !== 2) {
    return { status: 'fail', message: `offset 1, fetch 2: ${paged.status} ${JSON.stringify(paged.body).slice(0, 300)}` };
  }
  const sections = "SELECT s/name/value FROM EHR e CONTAINS COMPOSITION c CONTAINS SECTION s WHERE s/name/value MATCHES {$sections}";
  for (const [value, rows] of [[['Section 1', 'Section 2'], 2], [['Section 1'], 1], [['non-existing'], 0]] as const) {
    const res = await h.post(sections, { query_parameters: { sections: value } });
    if (res.status !== 200 || (res.body.rows as unknown[]).length !== rows) {
      return { status: 'fail', message: `MATCHES {$sections} with ${JSON.stringify(value)}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
    }
  }
  const name = `conformance::q_checks_${randomUUID().slice(0, 8)}`;
  const stored = await request(h.app).put(`/openehr/v1/definition/query/${name}`).set('Content-Type', 'text/plain').send(base);
  const executed = await request(h.app).post(`/openehr/v1/query/${name}`).send({ query_parameters: { uid: h.vars.compo_id } });
  if (stored.status !== 200 || executed.status !== 200 || executed.body.q !== base || executed.body.rows.length !== 5) {
    return { status: 'fail', message: `stored query: ${stored.status} ${executed.status} ${JSON.stringify(executed.body).slice(0, 300)}` };
  }
  return { status: 'pass' };
}
