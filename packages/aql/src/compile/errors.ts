/**
 * Errors of the AQL-to-SQL stage: a construct the compiler does not support, or a value
 * it cannot use, located in the query (400 naming the feature and its position).
 */
import { badRequest, type CdrError } from '@cdr/rm';
import type { SourcePosition } from '../ast/nodes.js';
import { positionText } from '../errors.js';

/** `AQL error at line 1, column 8: <what> is not supported`. */
export function notSupported(position: SourcePosition, what: string): CdrError {
  const message = `${what} is not supported`;
  return badRequest(`AQL error at ${positionText(position)}: ${message}`, [{ path: positionText(position), message }]);
}

/** A query that is well formed but cannot be answered as written. */
export function invalidQuery(position: SourcePosition, message: string): CdrError {
  return badRequest(`AQL error at ${positionText(position)}: ${message}`, [{ path: positionText(position), message }]);
}
