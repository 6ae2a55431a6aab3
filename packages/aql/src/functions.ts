/**
 * The single-row functions of AQL 1.1 (string, numeric, date/time, TERMINOLOGY): their
 * canonical names, how many arguments they take and of what type, and what they return.
 * Names are case-insensitive in queries and stored upper case in the AST.
 */

/** The value type of an expression as far as the front end can tell. */
export type ValueType = 'string' | 'number' | 'boolean' | 'temporal' | 'any';

export interface FunctionSignature {
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** The type of each argument; the last entry applies to any further arguments. */
  readonly argTypes: readonly ValueType[];
  readonly returns: ValueType;
}

const signatures: readonly FunctionSignature[] = [
  { name: 'LENGTH', minArgs: 1, maxArgs: 1, argTypes: ['string'], returns: 'number' },
  { name: 'CONTAINS', minArgs: 2, maxArgs: 2, argTypes: ['string', 'string'], returns: 'boolean' },
  { name: 'POSITION', minArgs: 2, maxArgs: 2, argTypes: ['string', 'string'], returns: 'number' },
  { name: 'SUBSTRING', minArgs: 2, maxArgs: 3, argTypes: ['string', 'number', 'number'], returns: 'string' },
  { name: 'CONCAT', minArgs: 1, maxArgs: Infinity, argTypes: ['string'], returns: 'string' },
  { name: 'CONCAT_WS', minArgs: 2, maxArgs: Infinity, argTypes: ['string'], returns: 'string' },
  { name: 'ABS', minArgs: 1, maxArgs: 1, argTypes: ['number'], returns: 'number' },
  { name: 'MOD', minArgs: 2, maxArgs: 2, argTypes: ['number', 'number'], returns: 'number' },
  { name: 'CEIL', minArgs: 1, maxArgs: 1, argTypes: ['number'], returns: 'number' },
  { name: 'FLOOR', minArgs: 1, maxArgs: 1, argTypes: ['number'], returns: 'number' },
  { name: 'ROUND', minArgs: 1, maxArgs: 2, argTypes: ['number', 'number'], returns: 'number' },
  { name: 'CURRENT_DATE', minArgs: 0, maxArgs: 0, argTypes: [], returns: 'temporal' },
  { name: 'CURRENT_TIME', minArgs: 0, maxArgs: 0, argTypes: [], returns: 'temporal' },
  { name: 'CURRENT_DATE_TIME', minArgs: 0, maxArgs: 0, argTypes: [], returns: 'temporal' },
  { name: 'NOW', minArgs: 0, maxArgs: 0, argTypes: [], returns: 'temporal' },
  { name: 'CURRENT_TIMEZONE', minArgs: 0, maxArgs: 0, argTypes: [], returns: 'string' },
  { name: 'TERMINOLOGY', minArgs: 3, maxArgs: 3, argTypes: ['string', 'string', 'string'], returns: 'any' },
];

const byName: ReadonlyMap<string, FunctionSignature> = new Map(signatures.map((signature) => [signature.name, signature]));

export const AQL_FUNCTIONS: readonly string[] = signatures.map((signature) => signature.name);

export const AGGREGATE_FUNCTIONS = ['COUNT', 'MIN', 'MAX', 'SUM', 'AVG'] as const;

/** The upper-case name of a known function; an unknown name is returned as written. */
export function canonicalFunctionName(name: string): string {
  const upper = name.toUpperCase();
  return byName.has(upper) ? upper : name;
}

export function functionSignature(name: string): FunctionSignature | undefined {
  return byName.get(name.toUpperCase());
}

export function argumentType(signature: FunctionSignature, index: number): ValueType {
  return signature.argTypes[Math.min(index, signature.argTypes.length - 1)] ?? 'any';
}
