/**
 * The one error type of the CDR. Anything that can go wrong for a caller is
 * thrown as a CdrError carrying its HTTP status; a single middleware in the
 * server writes it (openEHR error JSON or a FHIR OperationOutcome).
 */

/** One problem found in a request, located by a path (AQL-style path, JSON path or query position). */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

export type ErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-acceptable'
  | 'conflict'
  | 'gone'
  | 'timeout'
  | 'precondition-failed'
  | 'too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'too-many-requests'
  | 'internal'
  | 'unavailable';

const STATUS: Record<ErrorKind, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'not-acceptable': 406,
  timeout: 408,
  conflict: 409,
  gone: 410,
  'precondition-failed': 412,
  'too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  'too-many-requests': 429,
  internal: 500,
  unavailable: 503,
};

export interface CdrErrorOptions {
  readonly issues?: readonly Issue[];
  /** Response headers the error needs (ETag and Location of the current version on 412, Retry-After on 429). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class CdrError extends Error {
  readonly kind: ErrorKind;
  readonly issues: readonly Issue[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(kind: ErrorKind, message: string, options: CdrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CdrError';
    this.kind = kind;
    this.issues = options.issues ?? [];
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export const badRequest = (message: string, issues?: readonly Issue[]): CdrError =>
  new CdrError('bad-request', message, issues ? { issues } : {});
export const notFound = (message: string): CdrError => new CdrError('not-found', message);
export const conflict = (message: string): CdrError => new CdrError('conflict', message);
export const unprocessable = (message: string, issues?: readonly Issue[]): CdrError =>
  new CdrError('unprocessable', message, issues ? { issues } : {});

export function isCdrError(error: unknown): error is CdrError {
  return error instanceof CdrError;
}
