/**
 * AQL problems become one CdrError (400) whose issues are located by query position
 * (`line 1, column 34`), so the server writes them like any other validation error.
 */
import { badRequest } from '@cdr/rm';
import type { CdrError, Issue } from '@cdr/rm';
import type { SourcePosition } from './ast/nodes.js';

export interface AqlProblem {
  readonly position: SourcePosition;
  readonly message: string;
}

export function positionText(position: SourcePosition): string {
  return `line ${position.line}, column ${position.column}`;
}

function byPosition(a: AqlProblem, b: AqlProblem): number {
  return a.position.line - b.position.line || a.position.column - b.position.column;
}

/**
 * One error for all problems found by a stage. The message names the first problem and
 * its position; `issues` lists every problem, in query order.
 */
export function aqlError(stage: 'syntax error' | 'error', problems: readonly AqlProblem[]): CdrError {
  const sorted = [...problems].sort(byPosition);
  const first = sorted[0];
  if (!first) {
    return badRequest(`AQL ${stage}`);
  }
  const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : '';
  const issues: Issue[] = sorted.map((problem) => ({ path: positionText(problem.position), message: problem.message }));
  return badRequest(`AQL ${stage} at ${positionText(first.position)}: ${first.message}${more}`, issues);
}
