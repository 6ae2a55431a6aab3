/**
 * Authentication: OAuth2 bearer JWTs verified with jose (signature from a JWKS URL or a
 * configured public key; `iss`, `aud`, `exp`, `nbf`). With authentication off every
 * caller is an anonymous identity holding every role; the server then only listens on
 * loopback (see runtime.ts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CdrError } from '@cdr/rm';
import type { Identity } from '../http/context.js';
import { ROLES, isRole, parseSmartScope, rolesOfScopes, type Role, type SmartScope } from './permissions.js';
import type { SecurityConfig } from './security-config.js';

const REALM = 'openehr-cdr';

export const ANONYMOUS: Identity = {
  subject: 'anonymous',
  roles: new Set(ROLES),
  smartScopes: [parseSmartScope('system/*.*') as SmartScope],
  anonymous: true,
};

/** Paths anyone may call: operations endpoints and discovery documents. */
export function isPublicPath(path: string): boolean {
  return (
    path === '/health' ||
    path === '/ready' ||
    path === '/metrics' ||
    path === '/.well-known/smart-configuration' ||
    path === '/fhir/metadata' ||
    path === '/fhir/.well-known/smart-configuration'
  );
}

function unauthorized(message: string, error?: 'invalid_token' | 'invalid_request'): CdrError {
  const challenge = error ? `Bearer realm="${REALM}", error="${error}", error_description="${message.replace(/"/g, "'")}"` : `Bearer realm="${REALM}"`;
  return new CdrError('unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A claim by dotted path (`realm_access.roles`), as a list of strings. */
function listClaim(payload: JWTPayload, path: string): string[] {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === 'string');
  }
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

export function identityOf(payload: JWTPayload, config: Pick<SecurityConfig, 'rolesClaim'>): Identity {
  const scopes = listClaim(payload, 'scope').concat(listClaim(payload, 'scp'));
  const roles = new Set<Role>([...listClaim(payload, config.rolesClaim).filter(isRole), ...rolesOfScopes(scopes)]);
  const smartScopes = scopes.map(parseSmartScope).filter((s): s is SmartScope => s !== undefined);
  const act = payload.act as { sub?: unknown } | undefined;
  const subject = payload.sub ?? stringClaim(payload, 'client_id') ?? 'unknown';
  const name = stringClaim(payload, 'name') ?? stringClaim(payload, 'preferred_username');
  const clientId = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'azp');
  const patient = stringClaim(payload, 'patient');
  return {
    subject,
    roles,
    smartScopes,
    anonymous: false,
    ...(name ? { name } : {}),
    ...(clientId ? { clientId } : {}),
    ...(typeof act?.sub === 'string' ? { onBehalfOf: act.sub } : {}),
    ...(patient ? { patient } : {}),
  };
}

export function authentication(config: SecurityConfig) {
  if (config.mode === 'off') {
    return (req: Request, _res: Response, next: NextFunction): void => {
      req.identity = ANONYMOUS;
      next();
    };
  }
  const key: KeyObject | JWTVerifyGetKey = config.publicKeyPem
    ? createPublicKey(config.publicKeyPem)
    : createRemoteJWKSet(new URL(config.jwksUrl as string));
  const options = {
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
    clockTolerance: config.clockToleranceSeconds,
  };
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (isPublicPath(req.path)) {
      next();
      return;
    }
    const header = req.get('authorization');
    if (!header) {
      throw unauthorized('an access token is required (Authorization: Bearer <token>)');
    }
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
    if (!match) {
      throw unauthorized('the Authorization header must be "Bearer <token>"', 'invalid_request');
    }
    try {
      const { payload } = typeof key === 'function' ? await jwtVerify(match[1] as string, key, options) : await jwtVerify(match[1] as string, key, options);
      req.identity = identityOf(payload, config);
    } catch (error) {
      throw unauthorized(describe(error), 'invalid_token');
    }
    next();
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    return 'the access token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the access token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return 'the access token is not signed by a trusted key';
  }
  if (error instanceof errors.JOSEError) {
    return `the access token is not valid (${error.code})`;
  }
  return 'the access token is not valid';
}
