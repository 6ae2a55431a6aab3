/**
 * Comparisons, as AQL means them on stored data:
 *
 * - a path that ends on a primitive compares as JSON (numbers by value, strings as text;
 *   values of different JSON types are ordered string < number < boolean, as PostgreSQL
 *   orders jsonb, so `= '10.0'` never matches the number 10 and never fails);
 * - a path that ends on a data value compares the DV_ORDERED primitive: the magnitude of a
 *   quantity or count, the value of an ordinal or scale, numerator/denominator of a
 *   proportion, date-times as instants (time zones taken into account), durations as
 *   intervals; data values that are not ordered (text, boolean) match nothing;
 * - an EHR id and a version uid compare as ids (a uid may be written without its system
 *   id or version, as in `c/uid/value = '<uuid>'`).
 */
import { isUuid } from '@cdr/rm';
import type { ComparisonOperator, SourcePosition } from '../ast/nodes.js';
import * as sql from '../sql/factory.js';
import type { BinaryOperator, Expr } from '../sql/nodes.js';
import { invalidQuery } from './errors.js';
import type { SpecialValue } from './positions.js';

/** A value known when the query is compiled: a literal or a parameter's value. */
export interface ConstantOperand {
  readonly kind: 'constant';
  readonly value: unknown;
  readonly position: SourcePosition;
}

/** A value computed by the query (jsonb). */
export interface ValueOperand {
  readonly kind: 'value';
  readonly expr: Expr;
  /** 'primitive': a JSON primitive; 'object': an RM object; 'unknown': either. */
  readonly shape: 'primitive' | 'object' | 'unknown';
  readonly special?: SpecialValue | undefined;
}

export type ComparisonOperand = ConstantOperand | ValueOperand;

const SQL_OPERATORS: Readonly<Record<ComparisonOperator, BinaryOperator>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const FLIPPED: Readonly<Record<ComparisonOperator, ComparisonOperator>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const DURATION = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export const jsonValue = (value: unknown): Expr => sql.cast(sql.value(JSON.stringify(value)), 'jsonb');
const textValue = (value: string): Expr => sql.cast(sql.value(value), 'text');
const fn = (name: string, ...args: Expr[]): Expr => sql.fn(name, args);
const member = (target: Expr, key: string): Expr => sql.jsonGetText(target, key);

function binary(operator: ComparisonOperator, left: Expr, right: Expr): Expr {
  return sql.binary(SQL_OPERATORS[operator], left, right);
}

/** DV_ORDERED `value` compared with a constant. */
function compareDataValue(value: Expr, operator: ComparisonOperator, constant: unknown): Expr {
  const type = member(value, '_type');
  if (typeof constant === 'number') {
    return binary(operator, fn('aql_dv_number', value), sql.cast(sql.value(String(constant)), 'numeric'));
  }
  if (typeof constant !== 'string') {
    return sql.keyword('FALSE');
  }
  const literal = textValue(constant);
  if (DATE_TIME.test(constant) || TIME.test(constant)) {
    return sql.caseWhen(
      [
        sql.when(sql.eq(type, textValue('DV_DATE_TIME')), binary(operator, fn('aql_instant', member(value, 'value')), fn('aql_instant', literal))),
        sql.when(sql.inList(type, [textValue('DV_DATE'), textValue('DV_TIME')]), binary(operator, member(value, 'value'), literal)),
      ],
      sql.keyword('FALSE'),
    );
  }
  if (DURATION.test(constant)) {
    return sql.and(
      sql.eq(type, textValue('DV_DURATION')),
      binary(operator, fn('aql_duration', member(value, 'value')), fn('aql_duration', literal)),
    );
  }
  return sql.keyword('FALSE');
}

function compareEhrId(column: Expr, operator: ComparisonOperator, constant: unknown): Expr {
  if (typeof constant !== 'string') {
    return sql.keyword('FALSE');
  }
  if ((operator === '=' || operator === '!=') && isUuid(constant)) {
    return binary(operator, column, sql.cast(sql.value(constant.toLowerCase()), 'uuid'));
  }
  if (operator === '=') {
    return sql.keyword('FALSE');
  }
  return binary(operator, sql.cast(column, 'text'), textValue(constant));
}

function compareVersionUid(
  special: Extract<SpecialValue, { kind: 'versionUid' }>,
  operator: ComparisonOperator,
  constant: unknown,
  systemId: string,
  position: SourcePosition,
): Expr {
  if (typeof constant !== 'string') {
    return sql.keyword('FALSE');
  }
  const parts = constant.split('::');
  const [objectId, system, version] = parts;
  if (parts.length === 1 && objectId !== undefined && isUuid(objectId)) {
    if (operator === '=' || operator === '!=') {
      return binary(operator, special.objectId, sql.cast(sql.value(objectId.toLowerCase()), 'uuid'));
    }
    return binary(operator, special.text, textValue(constant));
  }
  if (parts.length !== 3 || objectId === undefined || !isUuid(objectId) || !/^\d+$/.test(version ?? '') || Number(version) < 1) {
    throw invalidQuery(position, `'${constant}' is not a valid OBJECT_VERSION_ID/UID`);
  }
  if (system !== '' && system !== systemId) {
    throw invalidQuery(position, `the system id of '${constant}' does not match this server (${systemId})`);
  }
  const full = `${objectId.toLowerCase()}::${systemId}::${Number(version)}`;
  if (operator === '=' || operator === '!=') {
    const same = sql.and(
      sql.eq(special.objectId, sql.cast(sql.value(objectId.toLowerCase()), 'uuid')),
      sql.eq(special.version, sql.cast(sql.value(Number(version)), 'integer')),
    );
    return operator === '=' ? same : sql.not(same);
  }
  return binary(operator, special.text, textValue(full));
}

/** `left <operator> right` as an SQL condition. */
export function compare(
  left: ComparisonOperand,
  operator: ComparisonOperator,
  right: ComparisonOperand,
  systemId: string,
): Expr {
  if (left.kind === 'constant' && right.kind === 'value') {
    return compare(right, FLIPPED[operator], left, systemId);
  }
  if (left.kind === 'constant' && right.kind === 'constant') {
    if (left.value === null || right.value === null) {
      return sql.keyword(operator === '=' ? (left.value === right.value ? 'TRUE' : 'FALSE') : left.value === right.value ? 'FALSE' : 'TRUE');
    }
    return binary(operator, jsonValue(left.value), jsonValue(right.value));
  }
  const value = left as ValueOperand;
  if (right.kind === 'value') {
    if (value.shape === 'primitive' && right.shape === 'primitive') {
      return binary(operator, value.expr, right.expr);
    }
    return binary(operator, fn('aql_ordered', value.expr), fn('aql_ordered', right.expr));
  }
  const constant = right.value;
  if (constant === null) {
    return operator === '!=' ? sql.isNotNull(value.expr) : operator === '=' ? sql.isNull(value.expr) : sql.keyword('FALSE');
  }
  if (value.special?.kind === 'ehrId') {
    return compareEhrId(value.special.column, operator, constant);
  }
  if (value.special?.kind === 'versionUid') {
    return compareVersionUid(value.special, operator, constant, systemId, right.position);
  }
  if (value.special?.kind === 'magnitude' && typeof constant === 'number') {
    return binary(operator, value.special.column, sql.cast(sql.value(String(constant)), 'numeric'));
  }
  let primitive = binary(operator, value.expr, jsonValue(constant));
  if (typeof constant === 'string' && DATE_TIME.test(constant)) {
    // a date-time held as text compares as an instant (time zones taken into account)
    const instant = fn('aql_instant', fn('aql_text', value.expr));
    primitive = sql.caseWhen([sql.when(sql.isNotNull(instant), binary(operator, instant, fn('aql_instant', textValue(constant))))], primitive);
  }
  switch (value.shape) {
    case 'primitive':
      return primitive;
    case 'object':
      return compareDataValue(value.expr, operator, constant);
    case 'unknown':
      return sql.caseWhen(
        [sql.when(sql.eq(fn('jsonb_typeof', value.expr), textValue('object')), compareDataValue(value.expr, operator, constant))],
        primitive,
      );
  }
}
