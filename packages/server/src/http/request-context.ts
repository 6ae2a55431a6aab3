/**
 * Assigns each request its correlation id (X-Request-Id, accepted from the caller when
 * it is a sensible token, otherwise generated), returns it, binds a child logger to it
 * and logs the request once when the response is finished.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import './context.js';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.get('x-request-id');
    req.id = offered && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log.info(
        { method: req.method, url: req.originalUrl, status: res.statusCode, durationMs: Math.round(ms * 100) / 100 },
        'request',
      );
    });
    next();
  };
}
