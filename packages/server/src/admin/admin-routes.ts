/** Administration: the audit trail, searchable by who, whose record, what, when and how it ended. */
import { Router, type Request } from 'express';
import { badRequest, isUuid } from '@cdr/rm';
import type { AuditFilter, AuditOutcome, AuditTrail } from '@cdr/store';

const OUTCOMES = new Set<AuditOutcome>(['success', 'failure', 'aborted']);

function text(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw badRequest(`parameter ${name} must be given once, with a value`);
  }
  return value;
}

function instant(req: Request, name: string): string | undefined {
  const value = text(req, name);
  if (value !== undefined && Number.isNaN(Date.parse(value))) {
    throw badRequest(`parameter ${name} must be an ISO 8601 date-time, not '${value}'`);
  }
  return value;
}

function bounded(req: Request, name: string, fallback: number, max: number): number {
  const value = text(req, name);
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw badRequest(`parameter ${name} must be an integer from 0 to ${max}`);
  }
  return n;
}

export function auditFilterOf(req: Request): AuditFilter {
  const ehrId = text(req, 'ehr_id');
  if (ehrId !== undefined && !isUuid(ehrId)) {
    throw badRequest(`parameter ehr_id must be a UUID, not '${ehrId}'`);
  }
  const outcome = text(req, 'outcome');
  if (outcome !== undefined && !OUTCOMES.has(outcome as AuditOutcome)) {
    throw badRequest(`parameter outcome must be one of ${[...OUTCOMES].join(', ')}`);
  }
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {
    limit: bounded(req, 'limit', 100, 1000),
    offset: bounded(req, 'offset', 0, 10_000_000),
  };
  const optional: [keyof AuditFilter, string | undefined][] = [
    ['subject', text(req, 'subject')],
    ['clientId', text(req, 'client_id')],
    ['ehrId', ehrId],
    ['correlationId', text(req, 'correlation_id')],
    ['action', text(req, 'action')],
    ['outcome', outcome],
    ['from', instant(req, 'from')],
    ['to', instant(req, 'to')],
  ];
  for (const [key, value] of optional) {
    if (value !== undefined) {
      (filter as Record<string, unknown>)[key] = value;
    }
  }
  return filter;
}

export function adminRoutes(trail: AuditTrail): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const filter = auditFilterOf(req);
    const events = await trail.search(filter);
    res.json({ events, limit: filter.limit, offset: filter.offset });
  });
  return router;
}
