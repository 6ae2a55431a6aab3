/**
 * The parameter pass: which `$name` parameters the query uses and, when a parameter map
 * is supplied, that each has a value of a usable kind.
 */
import type { Parameter, Query } from '../ast/nodes.js';
import { walkAql } from '../ast/visitor.js';
import type { AqlProblem } from '../errors.js';
import { parameterValue } from './value-types.js';
import type { ParameterValues } from './value-types.js';

const ARCHETYPE_ID = /^(?:[^:]+::)?[A-Za-z][\w]*-[A-Za-z][\w]*-[A-Za-z][\w]*\.[A-Za-z][\w-]*\.v\d+(?:\.\d+)*(?:-[\w.]+)?$/;
const NODE_CODE = /^(?:at|id)\d+(?:\.\d+)*$/;

/** The parameters a query uses, each with the places it is used, in order of first use. */
export function collectParameters(query: Query): Map<string, Parameter[]> {
  const uses = new Map<string, Parameter[]>();
  walkAql(query, (node) => {
    if (node.kind === 'parameter') {
      const list = uses.get(node.name) ?? [];
      list.push(node);
      uses.set(node.name, list);
    }
  });
  return uses;
}

/** Parameters written as an item of a MATCHES list (they may hold a list of values). */
function matchesItemParameters(query: Query): Set<Parameter> {
  const found = new Set<Parameter>();
  walkAql(query, (node) => {
    if (node.kind === 'valueList') {
      node.items.filter((item) => item.kind === 'parameter').forEach((item) => found.add(item as Parameter));
    }
  });
  return found;
}

/** Parameters written where a node id or archetype id goes: `[$archetype]`. */
function nodePositionParameters(query: Query): Set<Parameter> {
  const found = new Set<Parameter>();
  walkAql(query, (node) => {
    if (node.kind === 'nodePredicate' && node.node.kind === 'parameter') {
      found.add(node.node);
    }
  });
  return found;
}

export function checkParameterValues(
  query: Query,
  uses: ReadonlyMap<string, readonly Parameter[]>,
  values: ParameterValues,
  problems: AqlProblem[],
): void {
  const inNodePosition = nodePositionParameters(query);
  const inMatches = matchesItemParameters(query);
  for (const [name, nodes] of uses) {
    const first = nodes[0];
    if (!first) {
      continue;
    }
    const value = parameterValue(values, name);
    if (value === undefined) {
      problems.push({ position: first.position, message: `no value was supplied for the parameter $${name}` });
      continue;
    }
    const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
    if (Array.isArray(value) && value.length > 0 && value.every(scalar) && nodes.every((node) => inMatches.has(node))) {
      continue;
    }
    if (value !== null && typeof value === 'object') {
      problems.push({
        position: first.position,
        message: `the parameter $${name} must be a string, number, boolean or null${Array.isArray(value) ? ' (a list only as an item of MATCHES {...})' : ''}, not ${Array.isArray(value) ? 'a list' : 'an object'}`,
      });
      continue;
    }
    for (const node of nodes) {
      if (inNodePosition.has(node) && !(typeof value === 'string' && (ARCHETYPE_ID.test(value) || NODE_CODE.test(value)))) {
        problems.push({
          position: node.position,
          message: `the parameter $${name} stands for an archetype id or node id here, not ${JSON.stringify(value)}`,
        });
      }
    }
  }
}
