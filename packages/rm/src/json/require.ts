/**
 * The API boundary for canonical JSON: a body that is not an object, or names another
 * top-level type than the endpoint takes, is a 400 (the request is of the wrong kind);
 * an object of the right type that breaks the RM is a 422 listing every problem.
 */
import { CdrError, badRequest } from '../errors.js';
import { isAbstract, isRmClassName, isSubtypeOf } from '../model/registry.js';
import { parseTypeName } from '../model/type-names.js';
import type { RmObject } from '../types/json.js';
import { isJsonObject } from '../types/json.js';
import { checkRmObject, describeJsonKind } from './check.js';

function topLevelProblem(value: unknown, expectedType: string): string | undefined {
  if (!isJsonObject(value)) {
    return `expected the canonical JSON of a ${expectedType} (an object), found ${describeJsonKind(value)}`;
  }
  const written = value['_type'];
  if (written === undefined) {
    return isAbstract(expectedType) ? `_type is required: expected a concrete subtype of ${expectedType}` : undefined;
  }
  const base = typeof written === 'string' ? parseTypeName(written)?.base : undefined;
  if (base === undefined || !isRmClassName(base) || !isSubtypeOf(base, expectedType)) {
    return `expected a ${expectedType}, found _type ${JSON.stringify(written)}`;
  }
  return undefined;
}

/**
 * Returns `value` as an RM object of `expectedType`, or throws a CdrError: 'bad-request'
 * (400) for the wrong kind of body, 'unprocessable' (422) with all issues for RM violations.
 */
export function requireRmObject<T extends RmObject = RmObject>(value: unknown, expectedType: string): T {
  const wrongKind = topLevelProblem(value, expectedType);
  if (wrongKind) {
    throw badRequest(wrongKind, [{ path: '/', message: wrongKind }]);
  }
  const issues = checkRmObject(value, expectedType);
  if (issues.length > 0) {
    throw new CdrError('unprocessable', `The ${expectedType} does not conform to the openEHR reference model (${issues.length} problem${issues.length === 1 ? '' : 's'})`, {
      issues,
    });
  }
  return value as T;
}
