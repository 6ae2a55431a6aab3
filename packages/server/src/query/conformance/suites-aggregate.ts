/** AGGREGATE_FUNCTIONS (AQL-CONFORMANCE-SETUP.md §2). */
import type { Vars } from './harness.js';
import { FILES, setups } from './setups.js';
import type { CsvSuite, Suite } from './suite.js';

const O = 'OBSERVATION o[openEHR-EHR-OBSERVATION.conformance_observation.v0]';
const A = 'AGGREGATE_FUNCTIONS';

const singleValue = (row: Vars, body: Record<string, unknown>): string | undefined => {
  const cell = (body.rows as unknown[][])[0]?.[0];
  return String(cell) === row.expected_value ? undefined : `the count is ${JSON.stringify(cell)}, expected ${row.expected_value}`;
};

const over = (fn: string, file: string): CsvSuite => ({
  kind: 'csv',
  id: `${A}/${file}`,
  setup: setups.aggStd,
  template: `SELECT ${fn}(\${path}) FROM ${O}`,
});

export const aggregateSuites: readonly Suite[] = [
  {
    kind: 'csv',
    id: `${A}/AGGREGATE_FUNCTION_AND_WHERE/aggregate_function_and_where_max.robot`,
    setup: setups.aggStd,
    template: `SELECT MAX(\${path}) FROM ${O} WHERE \${path} != \${where}`,
  },
  { ...over('COUNT', 'COUNT/count_on_paths.robot'), file: false, check: singleValue },
  {
    kind: 'csv',
    id: `${A}/COUNT/count_on_ehr.robot`,
    setup: async (h) => {
      await h.upload(FILES.AQLC_OPT);
      await h.ehr();
      await h.commit(FILES.CONTAINS, { short: 'c_uid1' });
      await h.commit(FILES.CONTAINS, { short: 'c_uid2' });
      await h.ehr();
      await h.commit(FILES.CONTAINS, { short: 'c_uid3' });
    },
    template: '${statement}',
    file: false,
    check: singleValue,
  },
  over('AVG', 'DV_ORDERED/avg_on_dv_ordered_not_implemented.robot'),
  over('MAX', 'DV_ORDERED/max_on_dv_ordered.robot'),
  over('MIN', 'DV_ORDERED/min_on_dv_ordered.robot'),
  over('SUM', 'DV_ORDERED/sum_on_dv_ordered_not_implemented.robot'),
  {
    kind: 'static',
    id: `${A}/DV_ORDERED/max_on_dv_text_and_dv_coded_text.robot`,
    setup: setups.aggStd,
    area: 'aggregate_functions',
    tests: ['at0004', 'at0005'].map((at) => {
      const path = `o/data[at0001]/events[at0002]/data[at0003]/items[${at}]/value`;
      return { name: `MAX over ${at}`, query: () => `SELECT MAX(${path}), ${path} FROM ${O}`, expected: `expected_max_dv_text_dv_coded_text_${at.replace('at000', 'at')}.json` };
    }),
  },
  over('AVG', 'NON_COUNT_AGGREGATE_FUNCTIONS_ON_PATHS_WITH_KNOWN_TYPE/avg.robot'),
  over('MAX', 'NON_COUNT_AGGREGATE_FUNCTIONS_ON_PATHS_WITH_KNOWN_TYPE/max.robot'),
  over('MIN', 'NON_COUNT_AGGREGATE_FUNCTIONS_ON_PATHS_WITH_KNOWN_TYPE/min.robot'),
  over('SUM', 'NON_COUNT_AGGREGATE_FUNCTIONS_ON_PATHS_WITH_KNOWN_TYPE/sum.robot'),
];
