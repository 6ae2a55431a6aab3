/**
 * The benchmark's database: with DATABASE_URL a database named `cdr_bench` on that server,
 * otherwise an embedded PostgreSQL kept in .cdr/bench. Migrated, with the project's
 * templates stored, like a CDR at its first start.
 */
import { join } from 'node:path';
import { Database, TemplateRepository, migrate, startEmbeddedPostgres, type EmbeddedPostgres } from '@cdr/store';
import { projectRoot } from '@cdr/rm/testing/shared';
import { silentLogger } from '@cdr/server';
import { loadDefaultTemplates } from '@cdr/server/default-templates';
import { TemplateService } from '@cdr/server/services/template-service';

export const BENCH_DIR = join(projectRoot, '.cdr', 'bench');

export interface BenchDatabase {
  readonly db: Database;
  readonly url: string;
  readonly templates: TemplateRepository;
  readonly description: string;
  close(): Promise<void>;
}

async function serverDatabase(serverUrl: string, name: string, fresh: boolean): Promise<string> {
  const admin = new Database({ url: serverUrl, poolSize: 1 });
  try {
    if (fresh) {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${name}`);
    }
  } finally {
    await admin.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function openBenchDatabase(options: { fresh: boolean; poolSize?: number }): Promise<BenchDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  const external = process.env.DATABASE_URL;
  if (external) {
    url = await serverDatabase(external, 'cdr_bench', options.fresh);
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: BENCH_DIR });
    if (options.fresh) {
      const admin = new Database({ url: embedded.url, poolSize: 1 });
      await admin.query('drop schema public cascade');
      await admin.query('create schema public');
      await admin.close();
    }
    url = embedded.url;
  }
  const db = new Database({ url, poolSize: options.poolSize ?? 10, statementTimeoutMs: 0 });
  await migrate(db);
  const templates = new TemplateRepository(db);
  await loadDefaultTemplates(new TemplateService(templates), silentLogger());
  return {
    db,
    url,
    templates,
    description: embedded ? `embedded PostgreSQL in ${embedded.dataDir}` : 'PostgreSQL at DATABASE_URL (database cdr_bench)',
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}

/** Drops the benchmark's database (on a DATABASE_URL server) or empties it (embedded). */
export async function dropBenchDatabase(): Promise<void> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const admin = new Database({ url: external, poolSize: 1 });
    try {
      await admin.query('drop database if exists cdr_bench with (force)');
    } finally {
      await admin.close();
    }
  }
}
