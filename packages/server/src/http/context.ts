/** What every request carries through the app: its correlation id, logger and caller. */
import type { Logger } from 'pino';
import type { Role, SmartScope } from '../security/permissions.js';

/** Who is calling: from the access token, or anonymous while authentication is off. */
export interface Identity {
  /** Subject (user or client) id. */
  readonly subject: string;
  /** Display name, for AUDIT_DETAILS.committer. */
  readonly name?: string;
  readonly clientId?: string;
  /** The party the caller acts for (the token's `act.sub`), when it says so. */
  readonly onBehalfOf?: string;
  readonly roles: ReadonlySet<Role>;
  readonly smartScopes: readonly SmartScope[];
  /** The launch patient (its EHR id) of a patient-context token. */
  readonly patient?: string;
  /** True when authentication is off and the server runs open (loopback only). */
  readonly anonymous: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Correlation id: the caller's X-Request-Id or a generated one. */
    id: string;
    log: Logger;
    identity?: Identity;
  }
}

export {};
