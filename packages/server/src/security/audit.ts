/**
 * The audit trail of every access to clinical data. The event is written before the
 * response leaves (the response's end is held until the row is stored), so no path,
 * error paths included, can answer without leaving its trace; if the audit cannot be
 * written, the caller gets a 503 instead of the data. A request the client abandons is
 * recorded as aborted.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AuditOutcome, AuditTrail } from '@cdr/store';
import '../http/context.js';
import { ehrsOfRequest, fullPath } from './authorization.js';

/** What a handler adds to its request's audit event. */
export interface AuditNote {
  ehrIds: Set<string>;
  resources: string[];
  query?: string;
  action?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    audit?: AuditNote;
  }
}

/** Adds EHRs, resources, a query text or a more precise action to the request's audit event. */
export function noteAudit(req: Request, note: { ehrId?: string; resource?: string; query?: string; action?: string }): void {
  if (!req.audit) {
    return;
  }
  if (note.ehrId) {
    req.audit.ehrIds.add(note.ehrId.toLowerCase());
  }
  if (note.resource) {
    req.audit.resources.push(note.resource);
  }
  if (note.query !== undefined) {
    req.audit.query = note.query;
  }
  if (note.action) {
    req.audit.action = note.action;
  }
}

/** Requests that touch clinical data or its definitions. */
export function isAudited(path: string): boolean {
  return path.startsWith('/openehr/') || path.startsWith('/fhir') || path.startsWith('/admin');
}

function actionOf(req: Request): string {
  const path = fullPath(req);
  if (path.startsWith('/openehr/v1/query') || path.endsWith('/query/aql')) {
    return 'query';
  }
  if (path.startsWith('/openehr/v1/definition/template') && req.method === 'POST') {
    return 'template-upload';
  }
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return /^\/fhir\/[A-Z][A-Za-z]+\/?$/.test(path) ? 'search' : 'read';
    case 'POST':
      return 'create';
    case 'PUT':
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return req.method.toLowerCase();
  }
}

function queryTextOf(req: Request): string | undefined {
  const fromQuery = typeof req.query.q === 'string' ? req.query.q : undefined;
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body === 'object' && typeof body.q === 'string' ? body.q : undefined;
  return fromQuery ?? fromBody;
}

export interface AuditHooks {
  /** Called with each event's outcome once written (metrics). */
  readonly written?: (outcome: 'stored' | 'failed') => void;
}

export function auditTrail(trail: AuditTrail, hooks: AuditHooks = {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isAudited(req.path)) {
      next();
      return;
    }
    req.audit = { ehrIds: new Set(), resources: [] };
    let recorded = false;
    const record = async (outcome: AuditOutcome | undefined): Promise<void> => {
      recorded = true;
      const note = req.audit as AuditNote;
      for (const ehrId of ehrsOfRequest(req)) {
        note.ehrIds.add(ehrId);
      }
      const location = res.getHeader('location');
      const identity = req.identity;
      await trail.append({
        correlationId: req.id,
        subject: identity?.subject,
        clientId: identity?.clientId,
        onBehalfOf: identity?.onBehalfOf,
        purpose: req.get('x-purpose-of-use'),
        action: note.action ?? actionOf(req),
        method: req.method,
        path: fullPath(req),
        status: res.statusCode,
        outcome: outcome ?? (res.statusCode < 400 ? 'success' : 'failure'),
        ehrIds: [...note.ehrIds],
        resources: [...note.resources, ...(typeof location === 'string' ? [location] : [])],
        query: note.query ?? queryTextOf(req),
      });
    };

    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    (res as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]): Response => {
      if (recorded) {
        return end(...args);
      }
      record(undefined).then(
        () => {
          hooks.written?.('stored');
          end(...args);
        },
        (error: unknown) => {
          hooks.written?.('failed');
          req.log?.error({ err: error }, 'the audit event could not be written; the response is withheld');
          if (res.headersSent) {
            res.destroy();
            return;
          }
          res.statusCode = 503;
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.removeHeader('content-length');
          end(JSON.stringify({ message: 'the access could not be audited, so it was not completed; try again shortly', validationErrors: [], correlationId: req.id }));
        },
      );
      return res;
    };
    res.on('close', () => {
      if (!recorded && !res.writableFinished) {
        record('aborted').then(
          () => hooks.written?.('stored'),
          (error: unknown) => {
            hooks.written?.('failed');
            req.log?.error({ err: error }, 'the audit event of an aborted request could not be written');
          },
        );
      }
    });
    next();
  };
}
