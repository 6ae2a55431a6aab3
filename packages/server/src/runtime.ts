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

export interface RunningCdr {
  readonly url: string;
  readonly server: Server;
  readonly db: Database;
  stop(): Promise<void>;
}

export async function startCdr(config: CdrConfig, logger: Logger): Promise<RunningCdr> {
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
