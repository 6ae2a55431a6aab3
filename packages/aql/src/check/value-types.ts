/**
 * What the front end can tell about the type of an operand without the template: the
 * type of literals, of supplied parameter values and of function results. Paths are `any`.
 */
import type { Operand } from '../ast/nodes.js';
import { formatAql } from '../ast/printer.js';
import { functionSignature } from '../functions.js';
import type { ValueType } from '../functions.js';

export type OperandType = ValueType | 'null';

export type ParameterValues = Readonly<Record<string, unknown>>;

export function parameterValue(parameters: ParameterValues | undefined, name: string): unknown {
  return parameters && Object.hasOwn(parameters, name) ? parameters[name] : undefined;
}

function typeOfValue(value: unknown): OperandType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return value === null ? 'null' : 'any';
  }
}

export function operandType(node: Operand, parameters?: ParameterValues): OperandType {
  switch (node.kind) {
    case 'string':
      return 'string';
    case 'temporal':
      return 'temporal';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'parameter':
      return typeOfValue(parameterValue(parameters, node.name));
    case 'functionCall':
      return functionSignature(node.name)?.returns ?? 'any';
    case 'aggregate':
      if (node.function === 'COUNT' || node.function === 'SUM' || node.function === 'AVG') {
        return 'number';
      }
      return node.argument === '*' ? 'any' : operandType(node.argument, parameters);
    case 'identifiedPath':
      return 'any';
  }
}

const TYPE_NAMES: Readonly<Record<OperandType, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  temporal: 'a date/time',
  null: 'NULL',
  any: 'a value',
};

export function typeName(type: OperandType): string {
  return TYPE_NAMES[type];
}

/** "the string literal 'abc'", "parameter $p (a number)", "LENGTH(c/name/value) (a number)". */
export function describeOperand(node: Operand, parameters?: ParameterValues): string {
  const text = formatAql(node);
  switch (node.kind) {
    case 'string':
      return `the string literal ${text}`;
    case 'temporal':
      return `the date/time literal ${text}`;
    case 'number':
      return `the number literal ${text}`;
    case 'boolean':
      return `the boolean literal ${text}`;
    case 'null':
      return 'NULL';
    case 'parameter': {
      const type = operandType(node, parameters);
      return type === 'any' ? `parameter ${text}` : `parameter ${text} (${typeName(type)})`;
    }
    default: {
      const type = operandType(node, parameters);
      return type === 'any' ? text : `${text} (${typeName(type)})`;
    }
  }
}

/** Whether a value of one type can be compared with a value of the other. */
export function comparable(a: OperandType, b: OperandType): boolean {
  if (a === 'any' || b === 'any' || a === 'null' || b === 'null' || a === b) {
    return true;
  }
  const textual = (type: OperandType): boolean => type === 'string' || type === 'temporal';
  return textual(a) && textual(b);
}

/** Whether a value of `actual` type can stand where `expected` is needed. */
export function fits(actual: OperandType, expected: ValueType): boolean {
  if (expected === 'any' || actual === 'any' || actual === 'null') {
    return true;
  }
  if (expected === 'string') {
    return actual === 'string' || actual === 'temporal';
  }
  return actual === expected;
}
