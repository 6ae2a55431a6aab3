/**
 * Typed configuration, read once from the environment (`CDR_*` and `DATABASE_URL`).
 * `getConfig()` throws if `loadConfig()` was never called.
 */
import { resolve } from 'node:path';
import { integer } from './env.js';
import { readSecurityConfig, type SecurityConfig } from './security/security-config.js';

export interface CdrConfig {
  /** TCP port of the HTTP server. */
  readonly port: number;
  /** Interface to listen on; loopback unless configured otherwise. */
  readonly host: string;
  /** An external PostgreSQL; when absent an embedded one is started in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data. */
  readonly dataDir: string;
  /** The system id in version uids (`uuid::system_id::n`) and audits. */
  readonly systemId: string;
  readonly logLevel: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Base URL used in Location headers; derived from each request when absent. */
  readonly publicUrl: string | undefined;
  readonly dbPoolSize: number;
  /** Statement timeout for every database session, in ms (0 = none). */
  readonly statementTimeoutMs: number;
  /** Load the project's own templates into an empty database at start. */
  readonly loadDefaultTemplates: boolean;
  /** Authentication, token verification and rate limits. */
  readonly security: SecurityConfig;
  /** Rows an AQL query returns when it names neither LIMIT nor fetch. */
  readonly aqlDefaultFetch: number;
  /** The most rows one AQL request may ask for (LIMIT or fetch). */
  readonly aqlMaxFetch: number;
  /** Statement timeout of one AQL query, in ms (0 = none); a query over it answers 408. */
  readonly aqlTimeoutMs: number;
}

let loaded: CdrConfig | undefined;

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (['1', 'true', 'yes', 'on'].includes(raw)) {
    return true;
  }
  if (['0', 'false', 'no', 'off'].includes(raw)) {
    return false;
  }
  throw new Error(`${name} must be true or false, not '${raw}'`);
}

/** Reads the configuration from an environment; does not remember it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): CdrConfig {
  const systemId = env.CDR_SYSTEM_ID || 'cdr.local';
  if (systemId.includes('::') || /\s/.test(systemId)) {
    throw new Error(`CDR_SYSTEM_ID must not contain '::' or spaces: '${systemId}'`);
  }
  return {
    port: integer(env, 'CDR_PORT', 8080),
    host: env.CDR_HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.CDR_DATA_DIR || '.cdr'),
    systemId,
    logLevel: env.CDR_LOG_LEVEL || 'info',
    bodyLimitBytes: integer(env, 'CDR_BODY_LIMIT_BYTES', 10 * 1024 * 1024),
    publicUrl: env.CDR_PUBLIC_URL ? env.CDR_PUBLIC_URL.replace(/\/+$/, '') : undefined,
    dbPoolSize: integer(env, 'CDR_DB_POOL_SIZE', 10),
    statementTimeoutMs: integer(env, 'CDR_STATEMENT_TIMEOUT_MS', 30_000),
    loadDefaultTemplates: bool(env, 'CDR_LOAD_DEFAULT_TEMPLATES', true),
    security: readSecurityConfig(env),
    aqlDefaultFetch: integer(env, 'CDR_AQL_DEFAULT_FETCH', 1000),
    aqlMaxFetch: integer(env, 'CDR_AQL_MAX_FETCH', 10_000),
    aqlTimeoutMs: integer(env, 'CDR_AQL_TIMEOUT_MS', 15_000),
  };
}

/** Reads the configuration once for the process. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CdrConfig {
  loaded = readConfig(env);
  return loaded;
}

export function getConfig(): CdrConfig {
  if (!loaded) {
    throw new Error('configuration was not loaded; call loadConfig() first');
  }
  return loaded;
}
