/**
 * Value invariants of RM classes that go beyond presence and JSON kind: the few a CDR
 * depends on when it indexes and queries data. Each returns problems found in one object
 * (attribute name and message); the checker places them on paths.
 */
import { ancestry } from '../model/registry.js';
import type { JsonObject } from '../types/json.js';
import { isIsoDate, isIsoDateTime, isIsoDuration, isIsoTime } from './iso8601.js';

export interface InvariantProblem {
  readonly attribute: string;
  readonly message: string;
}

type Invariant = (value: JsonObject) => InvariantProblem | undefined;

function textFormat(test: (text: string) => boolean, what: string): Invariant {
  return (value) => {
    const text = value['value'];
    return typeof text === 'string' && !test(text)
      ? { attribute: 'value', message: `'${text}' is not an ISO 8601 ${what}` }
      : undefined;
  };
}

const PROPORTION_KINDS = new Set([0, 1, 2, 3, 4]);
const MATCH_OPERATORS = new Set(['>', '<', '=', '?']);

const INVARIANTS: Readonly<Record<string, readonly Invariant[]>> = {
  LOCATABLE: [
    (value) =>
      value['archetype_node_id'] === '' ? { attribute: 'archetype_node_id', message: 'archetype_node_id must not be empty' } : undefined,
  ],
  DV_DATE_TIME: [textFormat(isIsoDateTime, 'date/time')],
  DV_DATE: [textFormat(isIsoDate, 'date')],
  DV_TIME: [textFormat(isIsoTime, 'time')],
  DV_DURATION: [textFormat(isIsoDuration, 'duration')],
  DV_PROPORTION: [
    (value) => {
      const kind = value['type'];
      return typeof kind === 'number' && !PROPORTION_KINDS.has(kind)
        ? { attribute: 'type', message: `proportion kind ${kind} is not one of 0 (ratio), 1 (unitary), 2 (percent), 3 (fraction), 4 (integer fraction)` }
        : undefined;
    },
  ],
  TERM_MAPPING: [
    (value) => {
      const match = value['match'];
      return typeof match === 'string' && !MATCH_OPERATORS.has(match)
        ? { attribute: 'match', message: `match '${match}' is not one of '>', '<', '=', '?'` }
        : undefined;
    },
  ],
};

/** The problems of one object of a known class, checked against the invariants of the class and its ancestors. */
export function invariantProblems(type: string, value: JsonObject): InvariantProblem[] {
  const problems: InvariantProblem[] = [];
  for (const className of ancestry(type)) {
    for (const invariant of INVARIANTS[className] ?? []) {
      const problem = invariant(value);
      if (problem) {
        problems.push(problem);
      }
    }
  }
  return problems;
}
