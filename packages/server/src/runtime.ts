/**
 * Bringing the CDR up and down: the database (embedded or external), migrations, the
 * store, the HTTP server, and a graceful shutdown that drains requests in flight.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { AqlIndexer, Database, Store, TemplateRepository, migrate, startEmbeddedPostgres, type EmbeddedPostgres } from '@cdr/store';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { loadDefaultTemplates } from './default-templates.js';
import { TemplateService } from './services/template-service.js';
import type { CdrConfig } from './config.js';
import { isLoopback } from './security/security-config.js';

export interface RunningCdr {
  readonly url: string;
  readonly server: Server;
  readonly db: Database;
  stop(): Promise<void>;
}

/**
 * An open server (no authentication) is only acceptable where nobody else can reach it:
 * beyond loopback it refuses to start; on loopback it says so loudly.
 */
export function checkExposure(config: CdrConfig, logger: Logger): void {
  if (config.security.mode !== 'off') {
    return;
  }
  if (!isLoopback(config.host)) {
    throw new Error(
      `refusing to listen on ${config.host} without authentication: configure CDR_AUTH_JWKS_URL or CDR_AUTH_PUBLIC_KEY(_FILE), or listen on 127.0.0.1`,
    );
  }
  logger.warn(
    `AUTHENTICATION IS OFF: every caller on this machine has full access to all records. This is for local use only; configure CDR_AUTH_JWKS_URL or CDR_AUTH_PUBLIC_KEY before exposing the server.`,
  );
}

export async function startCdr(config: CdrConfig, logger: Logger): Promise<RunningCdr> {
  checkExposure(config, logger);
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'postgres');
    logger.info({ dataDir }, 'no DATABASE_URL: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir, log: (message) => logger.debug({ postgres: message }, 'postgres') });
    databaseUrl = embedded.url;
  }
  const db = new Database({ url: databaseUrl, poolSize: config.dbPoolSize, statementTimeoutMs: config.statementTimeoutMs });
  try {
    const { applied } = await migrate(db);
    if (applied.length > 0) {
      logger.info({ applied }, 'database migrations applied');
    }
  } catch (error) {
    await db.close();
    await embedded?.stop();
    throw error;
  }
  const store = new Store(db, { systemId: config.systemId, indexer: new AqlIndexer() });
  const templates = new TemplateRepository(db);
  if (config.loadDefaultTemplates) {
    await loadDefaultTemplates(new TemplateService(templates), logger);
  }
  let accepting = true;
  const app = createApp({
    db,
    store,
    templates,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    publicUrl: config.publicUrl,
    isAccepting: () => accepting,
    security: config.security,
  });
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info(
    { url, database: embedded ? `embedded PostgreSQL, data in ${embedded.dataDir}` : 'external PostgreSQL (DATABASE_URL)', systemId: config.systemId },
    `openEHR CDR listening on ${url}`,
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      accepting = false;
      logger.info('shutting down: draining requests in flight');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await db.close();
      await embedded?.stop();
      logger.info('stopped');
    })();
    return stopping;
  };
  return { url, server, db, stop };
}
