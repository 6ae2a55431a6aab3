/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied in order at start and in
 * tests. Each runs in its own transaction and is recorded in `schema_migration`; an
 * advisory lock keeps two servers starting together from applying the same one twice.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** The project's `migrations/` folder (this file is packages/store/dist/migrate.js). */
export const defaultMigrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

const LOCK_KEY = 7_361_004_211;

export interface MigrationResult {
  readonly applied: readonly string[];
}

export async function migrate(db: Database, dir: string = defaultMigrationsDir): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((name) => /^\d+_.+\.sql$/.test(name)).sort();
  const applied: string[] = [];
  const client = await db.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'create table if not exists schema_migration (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set((await client.query<{ name: string }>('select name from schema_migration')).rows.map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) {
        continue;
      }
      const sql = await readFile(join(dir, file), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into schema_migration (name) values ($1)', [file]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return { applied };
}
