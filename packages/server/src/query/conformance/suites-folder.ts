/** FOLDER (AQL-CONFORMANCE-SETUP.md §4). */
import type { Harness } from './harness.js';
import { FILES, setups, type Setup } from './setups.js';
import type { Suite } from './suite.js';

const F = 'FOLDER';
const AREA = 'folder';

const oneFolder =
  (file: string): Setup =>
  async (h: Harness) => {
    await h.ehr();
    await h.folder(file);
  };

const twoEhrs =
  (first: string, second: string): Setup =>
  async (h: Harness) => {
    await h.ehr();
    await h.folder(first);
    await h.ehr();
    await h.folder(second);
  };

const multiCompositions: Setup = async (h) => {
  await h.upload(FILES.CONF_OPT);
  await h.ehr();
  await h.commit(FILES.MAX, { short: 'c_uid1' });
  await h.commit(FILES.MAX, { short: 'c_uid2' });
  await h.folder('folder_multi_compositions.json');
  await h.commit(FILES.MAX);
};

export const folderSuites: readonly Suite[] = [
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER/find_all_and_by.robot`,
    setup: oneFolder('folder_simple_hierarchy.json'),
    area: AREA,
    tests: [
      { name: 't1', query: () => 'SELECT f/uid/value, f/name/value, f/archetype_node_id FROM FOLDER f', count: 3, expected: 'expected_find_all.json' },
      { name: 't2', query: () => 'SELECT f/uid/value FROM FOLDER f[openEHR-EHR-FOLDER.episode_of_care.v1]', count: 1, expected: 'expected_find_by_archetype.json', comparison: 1 },
      { name: 't3', query: () => "SELECT f/uid/value FROM FOLDER f WHERE f/name/value = 'root1'", count: 1, expected: 'expected_find_by_name_root1.json', comparison: 2 },
      { name: 't4', query: () => "SELECT f/uid/value FROM FOLDER f WHERE f/name/value = 'subfolder1'", count: 1, expected: 'expected_find_by_name_subfolder1.json', comparison: 1 },
      { name: 't5', query: () => "SELECT f/uid/value FROM FOLDER f WHERE f/name/value = 'subsubfolder1'", count: 1, expected: 'expected_find_by_name_subsubfolder1.json', comparison: 1 },
      {
        name: 't6',
        query: () => "SELECT f/name/value, f/uid/value FROM FOLDER f WHERE f/uid/value = '0cc504b1-4d6d-4cd5-81d9-0ef1b870edb3'",
        count: 1,
        expected: 'expected_find_by_folder_id.json',
        comparison: 1,
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER/find_by_ehr_id.robot`,
    setup: twoEhrs('folder_simple_hierarchy.json', 'folder_simple.json'),
    area: AREA,
    tests: [
      {
        name: 'by ehr id',
        query: (v) => `SELECT e/ehr_id/value, f/uid/value FROM EHR e CONTAINS FOLDER f WHERE e/ehr_id/value = '${v.ehr_id1}'`,
        count: 3,
        expected: 'expected_folder_find_by_ehr_id.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/folder_in_folder.robot`,
    setup: setups.fc4,
    area: AREA,
    tests: [
      {
        name: 'folder in folder',
        query: () =>
          'SELECT c/uid/value FROM FOLDER f1[openEHR-EHR-FOLDER.episode_of_care.v1] CONTAINS FOLDER f2[openEHR-EHR-FOLDER.episode_of_care.v1] CONTAINS COMPOSITION c',
        count: 1,
        expected: 'expected_contains_compo_folder_in_folder.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/multi_comp_in_a_folder.robot`,
    setup: multiCompositions,
    area: AREA,
    tests: [{ name: 'two compositions', query: () => 'SELECT c/uid/value FROM FOLDER f CONTAINS COMPOSITION c', count: 2, expected: 'expected_contains_compo_multi_compo_in_folder.json' }],
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/multiple_ehrs_and_compo_select_by_ids.robot`,
    setup: setups.fc4x2,
    area: AREA,
    tests: [
      {
        name: 'by ids',
        query: (v) =>
          `SELECT e/ehr_id/value, f/uid/value, c/uid/value FROM EHR e CONTAINS FOLDER f CONTAINS COMPOSITION c WHERE e/ehr_id/value = '${v.ehr_id2}' AND f/uid/value = '70939d97-8add-4419-b27c-516e64b1c744' AND c/uid/value = '${v.c_uid4b}'`,
        count: 1,
        expected: 'expected_multiple_ehrs_and_compo_select_by_ids.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/over_multiple_ehrs.robot`,
    setup: setups.fc4x2,
    area: AREA,
    tests: [
      {
        name: 'over two EHRs',
        query: () => "SELECT e/ehr_id/value, c/uid/value FROM EHR e CONTAINS FOLDER f CONTAINS COMPOSITION c WHERE f/name/value = 'subsubsubfolder2'",
        count: 2,
        expected: 'expected_contains_compo_over_multiple_ehrs.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/select_all.robot`,
    setup: setups.fc4,
    area: AREA,
    tests: [{ name: 'all', query: () => 'SELECT c/uid/value, f/name/value FROM FOLDER f CONTAINS COMPOSITION c', count: 12, expected: 'expected_folder_contains_compo_select_all.json' }],
  },
  {
    kind: 'csv',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/select_by_name.robot`,
    setup: setups.fc4,
    template: "SELECT c/uid/value FROM FOLDER f CONTAINS COMPOSITION c WHERE f/name/value = '${name}'",
  },
  {
    kind: 'csv',
    id: `${F}/FROM_FOLDER_CONTAINS_COMPO/select_with_version.robot`,
    setup: setups.fc4,
    template:
      "SELECT c/uid/value, cv0/commit_audit/time_committed/value FROM FOLDER f CONTAINS VERSION cv0[LATEST_VERSION] CONTAINS COMPOSITION c WHERE f/name/value = '${name}'",
  },
  {
    kind: 'static',
    id: `${F}/FROM_FOLDER_CONTAINS_FOLDER/find_all.robot`,
    setup: oneFolder('folder_complex_hierarchy.json'),
    area: AREA,
    tests: [
      {
        name: 'all pairs',
        query: () => 'SELECT f1/uid/value, f1/name/value, f2/uid/value, f2/name/value FROM FOLDER f1 CONTAINS FOLDER f2',
        count: 10,
        expected: 'expected_folder_contains_folder_find_all.json',
      },
    ],
  },
  {
    kind: 'csv',
    id: `${F}/FROM_FOLDER_CONTAINS_FOLDER/find_by.robot`,
    setup: oneFolder('folder_complex_hierarchy.json'),
    template: 'SELECT f2/uid/value, f2/name/value FROM FOLDER f1[${predicate1}] CONTAINS FOLDER f2[${predicate2}]',
  },
  {
    kind: 'static',
    id: `${F}/MULTIPLE_EHRS/folder_multiple_ehrs.robot`,
    setup: twoEhrs('folder_complex_hierarchy.json', 'folder_complex_hierarchy2.json'),
    area: AREA,
    tests: [
      {
        name: 'two EHRs',
        query: () => "SELECT e/ehr_id/value, f/uid/value FROM EHR e CONTAINS FOLDER f[openEHR-EHR-FOLDER.episode_of_care.v1,'subsubfolder1']",
        count: 4,
        expected: 'expected_folder_multiple_ehrs.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/MULTIPLE_EHRS/select_by_folder_and_ehr_id.robot`,
    setup: twoEhrs('folder_simple_hierarchy.json', 'folder_complex_hierarchy2.json'),
    area: AREA,
    tests: [
      {
        name: 'by folder and EHR',
        query: (v) =>
          `SELECT e/ehr_id/value, f/name/value, f/uid/value FROM EHR e CONTAINS FOLDER f WHERE e/ehr_id/value = '${v.ehr_id1}' AND f/uid/value = 'd936409e-901f-4994-8d33-ed104d460151'`,
        count: 1,
        expected: 'expected_folder_select_by_folder_and_ehr_id.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/SELECT_PATHS_IN_FOLDER/f_from_folder_f.robot`,
    setup: oneFolder('folder_details.json'),
    area: AREA,
    tests: [
      {
        name: 'whole folders',
        query: () => 'SELECT f FROM FOLDER f',
        count: 2,
        check: (body) => {
          const rows = body.rows as Record<string, unknown>[][];
          const first = rows[0]?.[0] ?? {};
          const missing = ['name', 'archetype_node_id', 'details', 'uid'].filter((k) => !(k in first));
          if (missing.length > 0) {
            return `the first folder lacks ${missing.join(', ')}`;
          }
          return rows.every((r) => r[0]?._type === 'FOLDER') ? undefined : 'every row must be a FOLDER';
        },
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/SELECT_PATHS_IN_FOLDER/find_by_specific_item_id.robot`,
    setup: oneFolder('folder_details.json'),
    area: AREA,
    tests: [
      {
        name: 'by item id',
        query: () =>
          "SELECT f/uid/value, f/name/value, f/items/id/value FROM FOLDER f WHERE f/items/id/value = '7c0a9df0-564f-4f34-8e65-92586c64ef56'",
        count: 1,
        expected: 'expected_folder_find_by_item_id.json',
      },
    ],
  },
  {
    kind: 'static',
    id: `${F}/SELECT_PATHS_IN_FOLDER/find_items.robot`,
    setup: multiCompositions,
    area: AREA,
    tests: [
      {
        name: 'items',
        query: () => 'SELECT f/uid/value, f/name/value, f/archetype_node_id, f/items/id/value FROM FOLDER f',
        count: 2,
        expected: 'expected_folder_find_items.json',
      },
    ],
  },
  {
    kind: 'csv',
    id: `${F}/SELECT_PATHS_IN_FOLDER/paths_in_folder.robot`,
    setup: oneFolder('folder_details.json'),
    template: 'SELECT ${path} FROM FOLDER f',
  },
];

