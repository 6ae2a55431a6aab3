/**
 * Access control settings, read from the environment with the rest of the configuration.
 *
 * CDR_AUTH            off | jwt (default: jwt when a key or JWKS URL is set, else off)
 * CDR_AUTH_JWKS_URL   where the signing keys are published (JWKS)
 * CDR_AUTH_PUBLIC_KEY a PEM public key (SPKI), or CDR_AUTH_PUBLIC_KEY_FILE to read one
 * CDR_AUTH_ISSUER     required `iss`; CDR_AUTH_AUDIENCE required `aud`
 * CDR_AUTH_ROLES_CLAIM claim holding the caller's roles (default `roles`)
 * CDR_RATE_LIMIT_PER_MINUTE requests per client and minute (0 = no limit), CDR_RATE_LIMIT_BURST
 */
import { readFileSync } from 'node:fs';
import { integer } from '../env.js';

export interface SecurityConfig {
  readonly mode: 'off' | 'jwt';
  readonly jwksUrl: string | undefined;
  readonly publicKeyPem: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly rolesClaim: string;
  /** Accepted clock skew for exp and nbf, in seconds. */
  readonly clockToleranceSeconds: number;
  readonly rateLimitPerMinute: number;
  readonly rateLimitBurst: number;
}

export function readSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const publicKeyPem = env.CDR_AUTH_PUBLIC_KEY || (env.CDR_AUTH_PUBLIC_KEY_FILE ? readFileSync(env.CDR_AUTH_PUBLIC_KEY_FILE, 'utf8') : undefined);
  const jwksUrl = env.CDR_AUTH_JWKS_URL || undefined;
  const requested = env.CDR_AUTH?.toLowerCase();
  if (requested !== undefined && requested !== '' && requested !== 'off' && requested !== 'jwt') {
    throw new Error(`CDR_AUTH must be 'off' or 'jwt', not '${env.CDR_AUTH}'`);
  }
  const mode = requested === 'off' ? 'off' : requested === 'jwt' || publicKeyPem || jwksUrl ? 'jwt' : 'off';
  if (mode === 'jwt' && !publicKeyPem && !jwksUrl) {
    throw new Error('CDR_AUTH=jwt needs CDR_AUTH_JWKS_URL or CDR_AUTH_PUBLIC_KEY(_FILE) to verify tokens');
  }
  return {
    mode,
    jwksUrl,
    publicKeyPem,
    issuer: env.CDR_AUTH_ISSUER || undefined,
    audience: env.CDR_AUTH_AUDIENCE || undefined,
    rolesClaim: env.CDR_AUTH_ROLES_CLAIM || 'roles',
    clockToleranceSeconds: integer(env, 'CDR_AUTH_CLOCK_TOLERANCE_SECONDS', 30),
    rateLimitPerMinute: integer(env, 'CDR_RATE_LIMIT_PER_MINUTE', 6000),
    rateLimitBurst: integer(env, 'CDR_RATE_LIMIT_BURST', 200),
  };
}

/** Loopback addresses: the only ones an unauthenticated server may listen on. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
