/** Every suite of the replay, by area. */
import { aggregateSuites } from './suites-aggregate.js';
import { externalSuites } from './suites-external.js';
import { folderSuites } from './suites-folder.js';
import { fromSuites } from './suites-from.js';
import { miscSuites } from './suites-misc.js';
import { selectSuites } from './suites-select.js';
import { metaSuites, versionSuites, whereSuites } from './suites-version-where.js';
import type { Suite } from './suite.js';

export const allSuites: readonly Suite[] = [
  ...aggregateSuites,
  ...externalSuites,
  ...folderSuites,
  ...fromSuites,
  ...miscSuites,
  ...selectSuites,
  ...versionSuites,
  ...whereSuites,
  ...metaSuites,
];
