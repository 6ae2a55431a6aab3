/**
 * The database an import writes to: DATABASE_URL, or the embedded PostgreSQL of
 * CDR_DATA_DIR. When the embedded server is already running (a CDR is up on the same data
 * directory) the import connects to it instead of starting (and so stopping) it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Database, startEmbeddedPostgres } from '@cdr/store';
import type { CdrConfig } from '../config.js';

export interface OpenedDatabase {
  readonly db: Database;
  readonly description: string;
  close(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The URL of an embedded PostgreSQL that is running on `dataDir`, if one is. */
async function runningEmbedded(dataDir: string): Promise<string | undefined> {
  const pidFile = join(dataDir, 'pgdata', 'postmaster.pid');
  const credentialsFile = join(dataDir, 'credentials.json');
  if (!existsSync(pidFile) || !existsSync(credentialsFile)) {
    return undefined;
  }
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port) || port <= 0) {
    return undefined;
  }
  const credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as { user: string; password: string };
  return `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/cdr`;
}

export async function openImportDatabase(config: CdrConfig): Promise<OpenedDatabase> {
  const options = { poolSize: 2, statementTimeoutMs: 0, applicationName: 'openehr-cdr-import' };
  if (config.databaseUrl) {
    const db = new Database({ url: config.databaseUrl, ...options });
    return { db, description: 'the PostgreSQL at DATABASE_URL', close: () => db.close() };
  }
  const dataDir = join(config.dataDir, 'postgres');
  const running = await runningEmbedded(dataDir);
  if (running) {
    const db = new Database({ url: running, ...options });
    return { db, description: `the running embedded PostgreSQL in ${dataDir}`, close: () => db.close() };
  }
  const embedded = await startEmbeddedPostgres({ dataDir });
  const db = new Database({ url: embedded.url, ...options });
  return {
    db,
    description: `the embedded PostgreSQL in ${dataDir}`,
    async close() {
      await db.close();
      await embedded.stop();
    },
  };
}
