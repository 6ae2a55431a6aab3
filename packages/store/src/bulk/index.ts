export { COPY_STATEMENTS, batchRows, commitBulk, newObjectRows, type BulkTable, type BulkItem, type BulkOptions, type BulkOutcome, type BulkResult } from './commit-bulk.js';
export { copyJson, copyJsonText, copyRow, copyRows, copyText, copyTextArray, copyValue } from './copy.js';
export { indexCopyRows, prepareEhr, prepareVersion, type PreparedEhr, type PreparedVersion, type VersionInput } from './prepare.js';
