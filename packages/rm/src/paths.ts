/**
 * AQL-style paths into canonical RM objects: the one format used by validation issues
 * (here and in the template validator) and understood by the path evaluator.
 *
 * - a LOCATABLE step is `attribute[archetype_node_id]`, e.g. `/content[openEHR-EHR-OBSERVATION.bp.v2]`;
 * - when siblings in one list share the node id, the AQL name predicate tells them apart:
 *   `items[at0004,'Systolic']`;
 * - an element of a list of non-LOCATABLE objects is given its 1-based position: `other_participations[2]`;
 * - any other step is the bare attribute name: `/context/start_time/value`.
 *
 * The parser also reads the long AQL forms `[at0004 and name/value='Systolic']` and `[name/value='x']`.
 */
import { badRequest } from './errors.js';
import { isJsonObject } from './types/json.js';

export type PathPredicate =
  /** `[at0001]`, `[openEHR-EHR-OBSERVATION.x.v1]`, `[at0001,'name']`, `[at0001 and name/value='name']` */
  | { readonly kind: 'node'; readonly nodeId: string; readonly name?: string }
  /** `[name/value='name']` */
  | { readonly kind: 'name'; readonly name: string }
  /** `[2]`: 1-based position in a list */
  | { readonly kind: 'position'; readonly position: number };

export interface PathStep {
  readonly attribute: string;
  readonly predicate?: PathPredicate;
}

export const ROOT_PATH = '/';

// ---------------------------------------------------------------- formatting

/** Quotes a name for a predicate: single quotes, with `\` and `'` escaped. */
export function quoteName(name: string): string {
  return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function formatPredicate(predicate: PathPredicate): string {
  switch (predicate.kind) {
    case 'node':
      return predicate.name === undefined ? `[${predicate.nodeId}]` : `[${predicate.nodeId},${quoteName(predicate.name)}]`;
    case 'name':
      return `[name/value=${quoteName(predicate.name)}]`;
    case 'position':
      return `[${predicate.position}]`;
  }
}

export function formatStep(step: PathStep): string {
  return step.predicate ? `${step.attribute}${formatPredicate(step.predicate)}` : step.attribute;
}

/** `/a/b[at0001]`; the root is `/`. */
export function formatPath(steps: readonly PathStep[]): string {
  return steps.length === 0 ? ROOT_PATH : steps.map((s) => `/${formatStep(s)}`).join('');
}

/** Appends one step to a formatted path. */
export function appendStep(path: string, step: PathStep): string {
  return `${path === ROOT_PATH ? '' : path}/${formatStep(step)}`;
}

// ---------------------------------------------------------------- steps from canonical JSON

/** The archetype_node_id of a LOCATABLE in canonical JSON, or undefined for anything else. */
export function nodeIdOf(value: unknown): string | undefined {
  if (!isJsonObject(value)) {
    return undefined;
  }
  const id = value['archetype_node_id'];
  return typeof id === 'string' ? id : undefined;
}

/** The name/value of a LOCATABLE in canonical JSON. */
export function nameOf(value: unknown): string | undefined {
  if (!isJsonObject(value)) {
    return undefined;
  }
  const name = value['name'];
  if (!isJsonObject(name)) {
    return undefined;
  }
  const text = name['value'];
  return typeof text === 'string' ? text : undefined;
}

/** The step to a single-valued attribute: with the node id when the value is a LOCATABLE. */
export function singleStep(attribute: string, value: unknown): PathStep {
  const nodeId = nodeIdOf(value);
  return nodeId === undefined ? { attribute } : { attribute, predicate: { kind: 'node', nodeId } };
}

/**
 * The steps to every element of a list attribute, computed together so that siblings
 * sharing a node id get the name predicate and non-LOCATABLE elements their position.
 */
export function listSteps(attribute: string, items: readonly unknown[]): PathStep[] {
  const sharing = new Map<string, number>();
  for (const item of items) {
    const nodeId = nodeIdOf(item);
    if (nodeId !== undefined) {
      sharing.set(nodeId, (sharing.get(nodeId) ?? 0) + 1);
    }
  }
  return items.map((item, index) => {
    const nodeId = nodeIdOf(item);
    if (nodeId === undefined) {
      return { attribute, predicate: { kind: 'position', position: index + 1 } };
    }
    const name = (sharing.get(nodeId) ?? 0) > 1 ? nameOf(item) : undefined;
    return { attribute, predicate: name === undefined ? { kind: 'node', nodeId } : { kind: 'node', nodeId, name } };
  });
}

// ---------------------------------------------------------------- parsing

const ATTRIBUTE = /[A-Za-z_][A-Za-z0-9_]*/y;
const NODE_ID = /[A-Za-z0-9_][A-Za-z0-9_.-]*/y;
const POSITION = /[0-9]+(?=\s*\])/y;
const NAME_VALUE = /name\/value\s*=\s*/y;
const AND = /and\s+/iy;

class PathReader {
  at = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw badRequest(`Invalid path '${this.text}' at position ${this.at + 1}: ${message}`);
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (!found) {
      return undefined;
    }
    this.at += found[0].length;
    return found[0];
  }

  skipSpaces(): void {
    while (this.text[this.at] === ' ') {
      this.at += 1;
    }
  }

  expect(char: string): void {
    this.skipSpaces();
    if (this.text[this.at] !== char) {
      this.fail(`expected '${char}'`);
    }
    this.at += 1;
  }

  quoted(): string {
    this.skipSpaces();
    const quote = this.text[this.at];
    if (quote !== "'" && quote !== '"') {
      this.fail('expected a quoted name');
    }
    let value = '';
    for (this.at += 1; this.at < this.text.length; this.at += 1) {
      const char = this.text[this.at] as string;
      if (char === quote) {
        this.at += 1;
        return value;
      }
      if (char === '\\' && this.at + 1 < this.text.length) {
        this.at += 1;
      }
      value += this.text[this.at];
    }
    return this.fail('unterminated quoted name');
  }

  predicate(): PathPredicate {
    this.skipSpaces();
    const position = this.match(POSITION);
    if (position !== undefined) {
      const value = Number(position);
      return value >= 1 ? { kind: 'position', position: value } : this.fail('positions start at 1');
    }
    if (this.match(NAME_VALUE) !== undefined) {
      return { kind: 'name', name: this.quoted() };
    }
    const nodeId = this.match(NODE_ID) ?? this.fail('expected a node id, an archetype id, a position or name/value=');
    this.skipSpaces();
    if (this.text[this.at] === ',') {
      this.at += 1;
      return { kind: 'node', nodeId, name: this.quoted() };
    }
    if (this.match(AND) !== undefined) {
      if (this.match(NAME_VALUE) === undefined) {
        this.fail("expected name/value= after 'and'");
      }
      return { kind: 'node', nodeId, name: this.quoted() };
    }
    return { kind: 'node', nodeId };
  }

  step(): PathStep {
    const attribute = this.match(ATTRIBUTE) ?? this.fail('expected an attribute name');
    if (this.text[this.at] !== '[') {
      return { attribute };
    }
    this.at += 1;
    const predicate = this.predicate();
    this.expect(']');
    return { attribute, predicate };
  }
}

/**
 * Parses an AQL-style path (`/` alone is the root; the leading `/` may be left out).
 * Throws a 400 naming the position of the first problem.
 */
export function parsePath(path: string): PathStep[] {
  const reader = new PathReader(path.trim());
  const steps: PathStep[] = [];
  if (reader.text === ROOT_PATH) {
    return steps;
  }
  if (reader.text.startsWith('/')) {
    reader.at = 1;
  }
  for (;;) {
    steps.push(reader.step());
    if (reader.at === reader.text.length) {
      return steps;
    }
    if (reader.text[reader.at] !== '/') {
      reader.fail("expected '/' or the end of the path");
    }
    reader.at += 1;
  }
}
