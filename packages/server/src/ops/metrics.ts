/**
 * Prometheus metrics: request latency by route and status, the database pool, commits,
 * AQL durations and audit writes. `/metrics` serves them in the text format.
 */
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '@cdr/store';

declare module 'express-serve-static-core' {
  interface Request {
    /** Where the router that handles the request is mounted (kept for route labels). */
    mountPath?: string;
  }
}

/** Remembers a router's mount path, which error handling outside the router no longer sees. */
export function rememberMount() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    req.mountPath = req.baseUrl;
    next();
  };
}

export class Metrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'cdr_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly commits = new Counter({
    name: 'cdr_commits_total',
    help: 'Versions committed, by type and change type',
    labelNames: ['rm_type', 'change_type'] as const,
    registers: [this.registry],
  });
  readonly aqlDuration = new Histogram({
    name: 'cdr_aql_query_duration_seconds',
    help: 'AQL query execution time, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15],
    registers: [this.registry],
  });
  readonly auditWrites = new Counter({
    name: 'cdr_audit_writes_total',
    help: 'Audit events written, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(db: Database) {
    const pool = db.pool;
    new Gauge({
      name: 'cdr_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'cdr_' });
  }

  /** Times every request; the route label is the matched route pattern, never the raw URL. */
  requestTimer() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stop = this.requestDuration.startTimer();
      let route: string | undefined;
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      // Captured when the response ends, while the matched route is still on the request.
      (res as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]): Response => {
        route ??= req.route ? `${req.mountPath ?? req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';
        return end(...args);
      };
      res.on('finish', () => {
        stop({ method: req.method, route: route ?? 'unmatched', status: String(res.statusCode) });
      });
      next();
    };
  }

  handler() {
    return async (_req: Request, res: Response): Promise<void> => {
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}
