/**
 * The values that identify a mapping or a group on the way in (`identifies`, `match`): an
 * incoming element belongs to it when it carries them.
 */
import { isJsonObject } from '@cdr/rm';
import { carries, readAt } from './fhir-json.js';
import type { PlanFixed, PlanRule } from './plan.js';

export function startAt(root: 'here' | 'resource' | 'fragment', element: unknown, resource: unknown, fragment: unknown): unknown {
  return root === 'resource' ? resource : root === 'fragment' ? fragment : element;
}

/** Identifying fixed values that apply where `rules` apply (through includes at the same place). */
export function identifyingRules(rules: readonly PlanRule[]): PlanFixed[] {
  const found: PlanFixed[] = [];
  for (const rule of rules) {
    if (rule.kind === 'fixed' && rule.rule.identifies && rule.rule.direction !== 'to-fhir') {
      found.push(rule);
    } else if (rule.kind === 'group' && rule.fhir.steps.length === 0 && !rule.rule.openehr && rule.fhir.root === 'here') {
      found.push(...identifyingRules(rule.rules));
    }
  }
  return found;
}

/** Whether `element` carries the identifying fixed values of `rules`. */
export function carriesIdentity(rules: readonly PlanFixed[], element: unknown, resource: unknown, fragment: unknown = resource): boolean {
  return rules.every((rule) => {
    const start = startAt(rule.fhir.root, element, resource, fragment);
    if (rule.fhir.steps.length === 0) {
      return carries(start, rule.rule.value);
    }
    const parentPath = { ...rule.fhir, steps: rule.fhir.steps.slice(0, -1) };
    const last = rule.fhir.steps[rule.fhir.steps.length - 1];
    const parents = parentPath.steps.length === 0 ? [{ value: start, type: '' }] : readAt(start, parentPath);
    return parents.some(({ value }) => isJsonObject(value) && last !== undefined && carries(value[last.element.name] ?? firstChoice(value, last.element.name), rule.rule.value));
  });
}

function firstChoice(object: Readonly<Record<string, unknown>>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.startsWith(name) && k.length > name.length && /[A-Z]/.test(k.charAt(name.length)));
  return key === undefined ? undefined : object[key];
}

