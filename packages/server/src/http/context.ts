/** What every request carries through the app: its correlation id, logger and caller. */
import type { Logger } from 'pino';

/** Who is calling: from the access token when authentication is on. */
export interface Identity {
  /** Subject (user or client) id. */
  readonly subject: string;
  /** Display name, for AUDIT_DETAILS.committer. */
  readonly name?: string;
  readonly clientId?: string;
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
