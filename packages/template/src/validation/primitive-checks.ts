/**
 * Checks of primitive values (strings, numbers, booleans, dates, times, durations)
 * against C_PRIMITIVE constraints. Each returns a human reason, or undefined when the
 * value conforms.
 */
import type { CPrimitive } from '../opt/model.js';
import { describeInterval, inInterval, numeric } from './interval-check.js';
import {
  checkDurationPattern,
  checkTemporalPattern,
  durationSeconds,
  parseDate,
  parseDateTime,
  parseDuration,
  parseTime,
  temporalOrdinal,
  type TemporalParts,
} from './temporal.js';

const patternCache = new Map<string, RegExp | null>();

function fullMatch(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}

const quote = (values: readonly unknown[]): string => values.map((v) => `'${String(v)}'`).join(', ');

function temporal(value: unknown, kind: 'date' | 'time' | 'date-time'): TemporalParts | string {
  if (typeof value !== 'string') {
    return `expected an ISO 8601 ${kind} string`;
  }
  const parts = kind === 'date' ? parseDate(value) : kind === 'time' ? parseTime(value) : parseDateTime(value);
  return parts ?? `'${value}' is not a valid ISO 8601 ${kind}`;
}

export function checkPrimitive(value: unknown, constraint: CPrimitive): string | undefined {
  switch (constraint.type) {
    case 'C_STRING': {
      if (typeof value !== 'string') {
        return 'expected a string';
      }
      if (constraint.list && constraint.list.length > 0 && !constraint.list.includes(value) && constraint.listOpen !== true) {
        return `'${value}' is not one of the allowed values ${quote(constraint.list)}`;
      }
      if (constraint.pattern !== undefined) {
        const re = fullMatch(constraint.pattern);
        if (re && !re.test(value)) {
          return `'${value}' does not match the pattern ${constraint.pattern}`;
        }
      }
      return undefined;
    }
    case 'C_INTEGER':
    case 'C_REAL': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return 'expected a number';
      }
      if (constraint.type === 'C_INTEGER' && !Number.isInteger(value)) {
        return `expected an integer, found ${value}`;
      }
      if (constraint.list && constraint.list.length > 0 && !constraint.list.includes(value)) {
        return `${value} is not one of the allowed values ${constraint.list.join(', ')}`;
      }
      if (constraint.range && !inInterval(value, constraint.range, numeric)) {
        return `${value} is out of range: the template allows ${describeInterval(constraint.range)}`;
      }
      return undefined;
    }
    case 'C_BOOLEAN': {
      if (typeof value !== 'boolean') {
        return 'expected true or false';
      }
      if ((value && !constraint.trueValid) || (!value && !constraint.falseValid)) {
        return `${value} is not allowed here; the template allows only ${constraint.trueValid}`;
      }
      return undefined;
    }
    case 'C_DATE':
    case 'C_TIME':
    case 'C_DATE_TIME': {
      const kind = constraint.type === 'C_DATE' ? 'date' : constraint.type === 'C_TIME' ? 'time' : 'date-time';
      const parts = temporal(value, kind);
      if (typeof parts === 'string') {
        return parts;
      }
      if (constraint.pattern) {
        const reason = checkTemporalPattern(parts, constraint.pattern);
        if (reason) {
          return `'${String(value)}' does not conform: ${reason}`;
        }
      }
      if (constraint.timezoneValidity === 'mandatory' && parts.zone === undefined && parts.hour !== undefined) {
        return `'${String(value)}' needs a time zone`;
      }
      if (constraint.timezoneValidity === 'disallowed' && parts.zone !== undefined) {
        return `'${String(value)}' must not have a time zone`;
      }
      if (constraint.range) {
        const bound = (text: string): number | undefined => {
          const p = kind === 'date' ? parseDate(text) : kind === 'time' ? parseTime(text) : parseDateTime(text);
          return p ? temporalOrdinal(p) : undefined;
        };
        const lower = constraint.range.lower === undefined ? undefined : bound(constraint.range.lower);
        const upper = constraint.range.upper === undefined ? undefined : bound(constraint.range.upper);
        const interval = { ...constraint.range, lower, upper };
        if (!inInterval(temporalOrdinal(parts), interval, numeric)) {
          return `'${String(value)}' is out of range: the template allows ${describeInterval(constraint.range)}`;
        }
      }
      return undefined;
    }
    case 'C_DURATION': {
      if (typeof value !== 'string') {
        return 'expected an ISO 8601 duration string';
      }
      const duration = parseDuration(value);
      if (!duration) {
        return `'${value}' is not a valid ISO 8601 duration`;
      }
      if (constraint.pattern) {
        const reason = checkDurationPattern(duration, constraint.pattern);
        if (reason) {
          return `'${value}' does not conform: ${reason}`;
        }
      }
      if (constraint.range) {
        const seconds = (text: string | undefined): number | undefined => {
          const d = text === undefined ? undefined : parseDuration(text);
          return d ? durationSeconds(d) : undefined;
        };
        const interval = { ...constraint.range, lower: seconds(constraint.range.lower), upper: seconds(constraint.range.upper) };
        if (!inInterval(durationSeconds(duration), interval, numeric)) {
          return `'${value}' is out of range: the template allows ${describeInterval(constraint.range)}`;
        }
      }
      return undefined;
    }
  }
}
