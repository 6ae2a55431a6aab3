/**
 * W2: bulk import of N compositions (`importFile`, as `npm run cdr -- import` runs it:
 * read, check every line as a commit does, prepare, write in batches) against COPY of
 * the same rows (the rows the import writes, prepared beforehand and not timed) into
 * tables of the same shape, indexes and foreign keys, in batches of the same size, in
 * the same database.
 */
import { readFile } from 'node:fs/promises';
import { COPY_STATEMENTS, batchRows, copyRows, type BulkTable, type Database, type PreparedEhr, type PreparedVersion } from '@cdr/store';
import { storedTemplates } from '@cdr/server/import/importer';
import { LinePreparer, TemplateSet } from '@cdr/server/import/prepare-lines';
import type { ImportSummary } from '@cdr/server/import/importer';
import type { BenchDatabase } from '../bench-database.js';
import { SYSTEM_ID, importRange } from '../load-population.js';

const TABLES: readonly BulkTable[] = ['ehr', 'ehr_subject', 'contribution', 'versioned_object', 'object_version', 'aql_node', 'aql_folder_item'];
export const BATCH_LINES = 250;

/** A schema with empty tables shaped like the CDR's: columns, defaults, indexes and foreign keys. */
async function cloneTables(db: Database, schema: string): Promise<void> {
  await db.query(`drop schema if exists ${schema} cascade`);
  await db.query(`create schema ${schema}`);
  for (const table of TABLES) {
    await db.query(`create table ${schema}.${table} (like public.${table} including all)`);
  }
  await db.query(`alter table ${schema}.ehr_subject add foreign key (ehr_id) references ${schema}.ehr (ehr_id)`);
  await db.query(`alter table ${schema}.contribution add foreign key (ehr_id) references ${schema}.ehr (ehr_id)`);
  await db.query(`alter table ${schema}.versioned_object add foreign key (ehr_id) references ${schema}.ehr (ehr_id)`);
  await db.query(
    `alter table ${schema}.object_version add foreign key (ehr_id, object_id) references ${schema}.versioned_object (ehr_id, object_id),
       add foreign key (ehr_id, contribution_id) references ${schema}.contribution (ehr_id, contribution_id)`,
  );
}

export interface W2Result {
  readonly ours: ImportSummary;
  readonly oursPerSecond: number;
  readonly copySeconds: number;
  readonly copyPerSecond: number;
  readonly compositions: number;
  readonly rows: Readonly<Record<string, number>>;
}

export async function runW2(bench: BenchDatabase, file: string, log: (line: string) => void): Promise<W2Result> {
  log(`W2: importing ${file} ...`);
  const ours = await importRange(bench, file);
  const oursPerSecond = ours.counts.compositionsCreated / ours.seconds;
  log(`W2: ${ours.counts.compositionsCreated} compositions and ${ours.counts.ehrsCreated} EHRs in ${ours.seconds.toFixed(1)} s; preparing the same rows for COPY ...`);

  // the same lines, prepared as the import prepares them (not timed), in batches of the same size
  const preparer = new LinePreparer(new TemplateSet(new Map(await storedTemplates(bench.templates))), SYSTEM_ID);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const batches: Record<BulkTable, string[]>[] = [];
  const options = { systemId: SYSTEM_ID, committer: { _type: 'PARTY_IDENTIFIED', name: 'bulk import' } };
  const prepared: { ehrs: PreparedEhr[]; versions: PreparedVersion[] }[] = [];
  const last = new Map<string, PreparedVersion>();
  let compositions = 0;
  for (let i = 0; i < lines.length; i += BATCH_LINES) {
    const batch = { ehrs: [] as PreparedEhr[], versions: [] as PreparedVersion[] };
    for (const line of await preparer.prepareAll(lines.slice(i, i + BATCH_LINES))) {
      if (line.kind === 'ehr') {
        batch.ehrs.push(line.ehr);
      } else if (line.kind === 'version') {
        batch.versions.push(line.version);
        last.set(`${line.version.ehrId}/${line.version.objectId}`, line.version);
      }
    }
    compositions += batch.versions.length;
    prepared.push(batch);
  }
  // the rows the tables hold afterwards: each object once (created where it first appears,
  // with its latest version), every version, the index rows of each object's latest version
  const created = new Set<string>();
  for (const batch of prepared) {
    const createdObjects = batch.versions.flatMap((v) => {
      const key = `${v.ehrId}/${v.objectId}`;
      if (created.has(key)) {
        return [];
      }
      created.add(key);
      const latest = last.get(key) as PreparedVersion;
      return [{ ehrId: v.ehrId, objectId: v.objectId, rmType: v.rmType, latest: latest.version }];
    });
    const indexed = batch.versions.filter((v) => last.get(`${v.ehrId}/${v.objectId}`) === v);
    batches.push(batchRows({ ehrs: batch.ehrs, versions: batch.versions, createdObjects, indexed, timeCommitted: new Date().toISOString(), options }));
  }
  const schema = 'bench_copy';
  await cloneTables(bench.db, schema);
  const rows: Record<string, number> = {};
  const started = performance.now();
  for (const batch of batches) {
    const client = await bench.db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`set local search_path to ${schema}`);
      for (const table of TABLES) {
        rows[table] = (rows[table] ?? 0) + (await copyRows(client, COPY_STATEMENTS[table], batch[table]));
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }
  const copySeconds = (performance.now() - started) / 1000;
  await bench.db.query(`drop schema ${schema} cascade`);
  log(`W2: COPY of the same rows: ${copySeconds.toFixed(1)} s`);
  return { ours, oursPerSecond, copySeconds, copyPerSecond: compositions / copySeconds, compositions, rows };
}
