/**
 * Local development tokens: a key pair kept under the data directory and JWTs signed
 * with it, so that a developer can run the server with authentication on without an
 * identity provider. Never for production: a real deployment verifies its IdP's tokens.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT } from 'jose';

export const DEV_ISSUER = 'cdr-dev';
export const DEV_AUDIENCE = 'openehr-cdr';

export interface DevKeys {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly publicKeyFile: string;
}

/** The development key pair in `<dir>`, created on first use (Ed25519). */
export async function devKeys(dir: string): Promise<DevKeys> {
  const privateFile = join(dir, 'dev-signing-key.pem');
  const publicKeyFile = join(dir, 'dev-signing-key.pub.pem');
  if (!existsSync(privateFile)) {
    await mkdir(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await writeFile(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return {
    privateKey: createPrivateKey(await readFile(privateFile, 'utf8')),
    publicKeyPem: await readFile(publicKeyFile, 'utf8'),
    publicKeyFile,
  };
}

export interface TokenClaims {
  readonly sub: string;
  readonly name?: string;
  readonly roles?: readonly string[];
  readonly scope?: string;
  readonly patient?: string;
  readonly clientId?: string;
  readonly onBehalfOf?: string;
  /** Lifetime in seconds (default one hour); negative makes an expired token. */
  readonly ttlSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly notBeforeSeconds?: number;
}

export async function signToken(privateKey: KeyObject, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {};
  if (claims.name) {
    payload.name = claims.name;
  }
  if (claims.roles) {
    payload.roles = [...claims.roles];
  }
  if (claims.scope) {
    payload.scope = claims.scope;
  }
  if (claims.patient) {
    payload.patient = claims.patient;
  }
  if (claims.clientId) {
    payload.client_id = claims.clientId;
  }
  if (claims.onBehalfOf) {
    payload.act = { sub: claims.onBehalfOf };
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer ?? DEV_ISSUER)
    .setAudience(claims.audience ?? DEV_AUDIENCE)
    .setIssuedAt(now)
    .setNotBefore(now + (claims.notBeforeSeconds ?? 0))
    .setExpirationTime(now + (claims.ttlSeconds ?? 3600))
    .sign(privateKey);
}
