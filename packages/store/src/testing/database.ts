/**
 * The database of a test run. With DATABASE_URL set, a fresh database is created on that
 * server for the run and dropped afterwards; otherwise one embedded PostgreSQL is started
 * in a temporary folder. Either way tests start from an empty, migrated schema.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Database } from '../database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../embedded.js';
import { migrate } from '../migrate.js';

interface TestDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

let pending: Promise<TestDatabase> | undefined;

async function createOnServer(serverUrl: string): Promise<TestDatabase> {
  const name = `cdr_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${dropper.escapeIdentifier(name)} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

async function startEmbedded(): Promise<TestDatabase> {
  const dataDir = join(tmpdir(), `cdr-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  return embedded;
}

/** The connection string of this run's test database (started on first use, migrated). */
export async function testDatabaseUrl(): Promise<string> {
  pending ??= (async () => {
    const external = process.env.DATABASE_URL;
    const database = external ? await createOnServer(external) : await startEmbedded();
    const db = new Database({ url: database.url });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    return database;
  })();
  return (await pending).url;
}

/** A pool on the test database; close it in the suite's `after`. */
export async function openTestDatabase(): Promise<Database> {
  return new Database({ url: await testDatabaseUrl() });
}

/**
 * A database of its own, on the same server as the run's test database, migrated and
 * empty: for suites that need a store no other suite writes to (public data sets whose
 * template ids collide, suites that count everything stored). Drop it when done.
 */
export async function isolatedTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const runUrl = await testDatabaseUrl();
  const database = await createOnServer(runUrl);
  const db = new Database({ url: database.url });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return { url: database.url, drop: () => database.stop() };
}

export async function stopTestDatabase(): Promise<void> {
  if (!pending) {
    return;
  }
  const database = await pending.catch(() => undefined);
  pending = undefined;
  await database?.stop();
}
