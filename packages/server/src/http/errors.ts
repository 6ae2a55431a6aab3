/**
 * The one error middleware. Handlers throw CdrError (or anything else); this writes the
 * response: the openEHR error JSON (message, validationErrors as text and the same issues
 * with their paths) everywhere but under /fhir, where it is an OperationOutcome.
 * Unexpected errors are a 500 with the correlation id, logged once, never a stack trace.
 */
import type { NextFunction, Request, Response } from 'express';
import { CdrError, type Issue } from '@cdr/rm';
import './context.js';

/** Maps errors that come from the HTTP layer itself (body parsing) onto CdrError. */
function fromHttpLayer(error: unknown): CdrError | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const e = error as { type?: string; status?: number; message?: string; limit?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return new CdrError('bad-request', `the request body is not valid JSON: ${e.message ?? ''}`);
    case 'entity.too.large':
      return new CdrError('too-large', `the request body is larger than the limit of ${e.limit ?? '?'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new CdrError('unsupported-media-type', e.message ?? 'unsupported encoding');
    case 'request.aborted':
      return new CdrError('bad-request', 'the request was aborted');
    default:
      return undefined;
  }
}

const FHIR_CODES: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  406: 'not-supported',
  408: 'timeout',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
  500: 'exception',
  503: 'transient',
};

function operationOutcome(status: number, message: string, issues: readonly Issue[]): object {
  const code = FHIR_CODES[status] ?? 'exception';
  const severity = status >= 500 ? 'fatal' : 'error';
  const details = issues.length
    ? issues.map((issue) => ({ severity, code, diagnostics: issue.message, ...(issue.path ? { expression: [issue.path] } : {}) }))
    : [{ severity, code, diagnostics: message }];
  return { resourceType: 'OperationOutcome', issue: details };
}

export function errorHandler() {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = error instanceof CdrError ? error : fromHttpLayer(error);
    const status = known?.status ?? 500;
    let message: string;
    let issues: readonly Issue[] = [];
    if (known) {
      message = known.message;
      issues = known.issues;
      for (const [name, value] of Object.entries(known.headers)) {
        res.setHeader(name, value);
      }
      if (status >= 500) {
        req.log?.error({ err: error }, known.message);
      } else {
        req.log?.debug({ status, message }, 'request refused');
      }
    } else {
      message = `an unexpected error occurred; quote correlation id ${req.id} when reporting it`;
      req.log?.error({ err: error }, 'unexpected error');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (req.originalUrl.startsWith('/fhir')) {
      res.status(status).type('application/fhir+json').send(JSON.stringify(operationOutcome(status, message, issues)));
      return;
    }
    res.status(status).json({
      message,
      validationErrors: issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)),
      issues,
      correlationId: req.id,
    });
  };
}

/** Unknown routes: 404 in the error format of the API they fall under. */
export function notFoundHandler() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(new CdrError('not-found', `no resource at ${req.method} ${req.path}`));
  };
}
