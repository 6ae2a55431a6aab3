/**
 * Checks an incoming canonical JSON object against the RM model table and lists every
 * problem found, each on an AQL-style path. Never throws for bad input: a caller decides
 * what the problems mean (see `requireRmObject` for the API boundary).
 *
 * What is checked: `_type` where needed and well-formed; the JSON kind of every attribute
 * value (object, array, string, number, boolean); unknown attributes; mandatory attributes;
 * and the value invariants of `invariants.ts`. `null` counts as absent.
 */
import type { Issue } from '../errors.js';
import type { PrimitiveType, RmAttribute } from '../model/definition.js';
import { allAttributes, attribute, concreteSubtypes, isPrimitiveType, isRmClassName } from '../model/registry.js';
import { appendStep, listSteps, ROOT_PATH, singleStep } from '../paths.js';
import { isJsonObject, type JsonObject } from '../types/json.js';
import { invariantProblems } from './invariants.js';
import { resolveRuntimeType } from './runtime-type.js';

/** Deeper than any archetyped data; guards the recursion against hostile input. */
const MAX_DEPTH = 256;

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export function describeJsonKind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

function primitiveProblem(type: PrimitiveType, value: unknown): string | undefined {
  switch (type) {
    case 'String':
      return typeof value === 'string' ? undefined : `expected a string, found ${describeJsonKind(value)}`;
    case 'Octets':
      if (typeof value !== 'string') {
        return `expected base64 text, found ${describeJsonKind(value)}`;
      }
      return BASE64.test(value) ? undefined : 'expected base64 text';
    case 'Integer':
    case 'Integer64':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : `expected an integer, found ${typeof value === 'number' ? value : describeJsonKind(value)}`;
    case 'Real':
    case 'Double':
      return typeof value === 'number' ? undefined : `expected a number, found ${describeJsonKind(value)}`;
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : `expected a boolean, found ${describeJsonKind(value)}`;
  }
}

/** Names the subtypes that have the attribute when `_type` was left out: the usual cause. */
function unknownAttributeMessage(type: string, key: string, typeLeftOut: boolean): string {
  const message = `unknown attribute '${key}' of ${type}`;
  if (!typeLeftOut) {
    return message;
  }
  const owners = concreteSubtypes(type).filter((sub) => sub !== type && attribute(sub, key));
  return owners.length === 0 ? message : `${message} (without _type the object is read as a ${type}; ${owners.join(' and ')} has it)`;
}

class Checker {
  readonly issues: Issue[] = [];

  report(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  value(value: unknown, type: string, path: string, depth: number): void {
    if (isPrimitiveType(type)) {
      const problem = primitiveProblem(type, value);
      if (problem) {
        this.report(path, problem);
      }
      return;
    }
    if (!isRmClassName(type)) {
      this.report(path, `${type} is not an RM class`);
      return;
    }
    if (!isJsonObject(value)) {
      this.report(path, `expected an object (${type}), found ${describeJsonKind(value)}`);
      return;
    }
    const runtime = resolveRuntimeType(value, type);
    if (!runtime.ok) {
      this.report(path, runtime.message);
      return;
    }
    this.object(value, runtime.type, path, depth);
  }

  /** Attributes in model order, then unknown keys, then invariants: issues come in document order. */
  object(value: JsonObject, type: string, path: string, depth: number): void {
    if (depth >= MAX_DEPTH) {
      this.report(path, `nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    for (const declared of allAttributes(type)) {
      const present = value[declared.name];
      if (present !== undefined && present !== null) {
        this.attributeValue(declared, present, path, depth);
      } else if (declared.mandatory) {
        this.report(appendStep(path, { attribute: declared.name }), `missing mandatory attribute '${declared.name}' of ${type}`);
      }
    }
    for (const key of Object.keys(value)) {
      if (key !== '_type' && !attribute(type, key)) {
        this.report(appendStep(path, { attribute: key }), unknownAttributeMessage(type, key, value['_type'] === undefined));
      }
    }
    for (const problem of invariantProblems(type, value)) {
      this.report(appendStep(path, { attribute: problem.attribute }), problem.message);
    }
  }

  attributeValue(declared: RmAttribute, child: unknown, path: string, depth: number): void {
    const key = declared.name;
    if (declared.multiple) {
      if (!Array.isArray(child)) {
        this.report(appendStep(path, { attribute: key }), `expected an array, found ${describeJsonKind(child)}`);
        return;
      }
      const steps = listSteps(key, child);
      child.forEach((item: unknown, index) => {
        const step = steps[index] ?? { attribute: key };
        this.value(item, declared.type, appendStep(path, step), depth + 1);
      });
      return;
    }
    if (Array.isArray(child)) {
      this.report(appendStep(path, { attribute: key }), `expected a single value, found an array`);
      return;
    }
    this.value(child, declared.type, appendStep(path, singleStep(key, child)), depth + 1);
  }
}

/**
 * The problems of `value` read as canonical JSON of `expectedType` (an RM class name).
 * Paths start at `basePath` (default `/`, the object itself).
 */
export function checkRmObject(value: unknown, expectedType: string, basePath: string = ROOT_PATH): Issue[] {
  const checker = new Checker();
  checker.value(value, expectedType, basePath, 0);
  return checker.issues;
}
