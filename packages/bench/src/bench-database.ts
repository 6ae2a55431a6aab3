/**
 * The benchmark's database: with DATABASE_URL a database named `cdr_bench` on that server,
 * otherwise an embedded PostgreSQL kept in .cdr/bench. The population is generated once and
 * reused by later runs (`--fresh` starts again).
 */
import { join } from 'node:path';
import { AqlIndexer, Database, Store, migrate, startEmbeddedPostgres, type EmbeddedPostgres } from '@cdr/store';
import { projectRoot } from '@cdr/rm/testing/shared';
import { generatePopulation } from './population/generate.js';

export interface BenchDatabase {
  readonly db: Database;
  readonly store: Store;
  readonly description: string;
  close(): Promise<void>;
}

async function serverDatabase(serverUrl: string, fresh: boolean): Promise<string> {
  const admin = new Database({ url: serverUrl, poolSize: 1 });
  try {
    if (fresh) {
      await admin.query('drop database if exists cdr_bench with (force)');
    }
    const exists = await admin.query("select 1 from pg_database where datname = 'cdr_bench'");
    if (exists.rowCount === 0) {
      await admin.query('create database cdr_bench');
    }
  } finally {
    await admin.close();
  }
  const url = new URL(serverUrl);
  url.pathname = '/cdr_bench';
  return url.toString();
}

export async function openBenchDatabase(options: { fresh: boolean; ehrs: number; perEhr: number; log: (line: string) => void }): Promise<BenchDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  const external = process.env.DATABASE_URL;
  if (external) {
    url = await serverDatabase(external, options.fresh);
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: join(projectRoot, '.cdr', 'bench') });
    if (options.fresh) {
      const admin = new Database({ url: embedded.url, poolSize: 1 });
      await admin.query('drop schema public cascade; create schema public');
      await admin.close();
    }
    url = embedded.url;
  }
  const db = new Database({ url, poolSize: 10 });
  await migrate(db);
  const store = new Store(db, { systemId: 'bench.cdr.local', indexer: new AqlIndexer() });
  const counted = await db.query<{ n: number }>("select count(*)::int as n from versioned_object where rm_type = 'COMPOSITION'");
  const have = counted.rows[0]?.n ?? 0;
  const want = options.ehrs * options.perEhr;
  if (have !== want) {
    if (have > 0) {
      throw new Error(`the bench database holds ${have} compositions, not ${want}: run with --fresh`);
    }
    options.log(`generating ${options.ehrs} EHRs x ${options.perEhr} compositions through the store ...`);
    const started = Date.now();
    await generatePopulation(store, {
      ehrs: options.ehrs,
      compositionsPerEhr: options.perEhr,
      onProgress: (n) => options.log(`  ${n} EHRs (${Math.round((Date.now() - started) / 1000)} s)`),
    });
    await db.query('vacuum analyze');
    options.log(`generated in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return {
    db,
    store,
    description: embedded ? `embedded PostgreSQL in ${embedded.dataDir}` : 'PostgreSQL at DATABASE_URL (database cdr_bench)',
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}
