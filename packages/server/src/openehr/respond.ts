/**
 * Writing openEHR resources: negotiated JSON or canonical XML, with the ETag, Location
 * and Last-Modified headers the specification asks for.
 */
import type { Request, Response } from 'express';
import { CdrError, fromXml, toXml } from '@cdr/rm';
import type { JsonObject } from '@cdr/store';
import { bodyFormat, hasBody, prefersRepresentation, responseFormat, type Format } from '../http/negotiation.js';
import { httpDate } from './representations.js';

export interface ResourceHeaders {
  readonly etag?: string;
  readonly location?: string;
  readonly lastModified?: string;
}

export function setHeaders(res: Response, headers: ResourceHeaders): void {
  if (headers.etag !== undefined) {
    res.setHeader('ETag', `"${headers.etag}"`);
  }
  if (headers.location !== undefined) {
    res.setHeader('Location', headers.location);
  }
  if (headers.lastModified !== undefined) {
    res.setHeader('Last-Modified', httpDate(headers.lastModified));
  }
}

/** Sends a resource in the format the caller accepts (XML only where `xml` is allowed). */
export function sendResource(
  req: Request,
  res: Response,
  status: number,
  resource: JsonObject,
  headers: ResourceHeaders = {},
  options: { xml?: boolean } = {},
): void {
  const format: Format = responseFormat(req, options.xml === false ? ['json'] : ['json', 'xml']);
  setHeaders(res, headers);
  if (format === 'xml') {
    res.status(status).type('application/xml').send(toXml(resource));
    return;
  }
  res.status(status).json(resource);
}

/**
 * The response to a create or update: the resource when the caller prefers
 * representation, otherwise only headers (201 for creations, 204 for updates).
 */
export function sendCommitted(
  req: Request,
  res: Response,
  created: boolean,
  resource: JsonObject,
  headers: ResourceHeaders,
  options: { xml?: boolean } = {},
): void {
  if (prefersRepresentation(req)) {
    sendResource(req, res, created ? 201 : 200, resource, headers, options);
    return;
  }
  // Refuse an unacceptable Accept even when no body is sent, so errors don't depend on Prefer.
  responseFormat(req, options.xml === false ? ['json'] : ['json', 'xml']);
  setHeaders(res, headers);
  res.status(created ? 201 : 204).end();
}

/** Headers only (204 No Content), e.g. for a deleted object. */
export function sendNoContent(res: Response, headers: ResourceHeaders = {}): void {
  setHeaders(res, headers);
  res.status(204).end();
}

/** Reads an RM object from a JSON or canonical XML body. */
export function readRmBody(req: Request, what: string, options: { required?: boolean; xml?: boolean } = {}): unknown {
  if (!hasBody(req)) {
    if (options.required === false) {
      return undefined;
    }
    throw new CdrError('bad-request', `a ${what} is required in the request body`);
  }
  const format = bodyFormat(req, options.xml === false ? ['json'] : ['json', 'xml']);
  if (format === 'xml') {
    if (typeof req.body !== 'string') {
      throw new CdrError('bad-request', `the request body could not be read as XML`);
    }
    return fromXml(req.body);
  }
  if (req.body === undefined) {
    throw new CdrError('bad-request', `the request body could not be read as JSON`);
  }
  return req.body;
}

/**
 * Runs a change and, when it fails because the named version is not the latest, adds the
 * Location of the latest version to the 412/409 (its ETag is already there).
 */
export async function withLatestLocation<T>(work: () => Promise<T>, locationOf: (latestUid: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CdrError && error.headers['X-Latest-Version-Uid']) {
      const { 'X-Latest-Version-Uid': latest, ...rest } = error.headers;
      throw new CdrError(error.kind, error.message, {
        issues: error.issues,
        headers: { ...rest, Location: locationOf(latest as string) },
        cause: error,
      });
    }
    throw error;
  }
}
