/** The AQL side of the store: the query index, its rebuild, running compiled queries, stored queries. */
export { AqlIndexer, indexObject, removeFromIndex } from './indexer.js';
export { indexRows, isArchetypeId, isContainableType, NON_LOCATABLE_NODE_TYPES, type FolderItem, type IndexNode, type IndexRows } from './node-rows.js';
export { aqlIndexRebuildPending, rebuildAqlIndex, type RebuildOptions } from './rebuild.js';
export { QueryTimeoutError, runAqlStatement, type AqlRunOptions, type AqlRunResult, type CompiledStatement } from './execute.js';
export { StoredQueryRepository, type SemVer, type StoredQuery } from './stored-queries.js';
