/**
 * Operands to SQL: every value is jsonb (a path's value as stored, a literal or parameter
 * as a `$n::jsonb` parameter, a function's result through to_jsonb), so that result cells
 * keep their JSON types and comparisons follow one set of rules (compare.ts).
 */
import type { AggregateCall, FunctionCall, Operand, SourcePosition } from '../ast/nodes.js';
import * as sql from '../sql/factory.js';
import type { Expr } from '../sql/nodes.js';
import { jsonValue, type ComparisonOperand, type ValueOperand } from './compare.js';
import { notSupported } from './errors.js';
import type { PathCompiler } from './paths.js';
import type { SpecialValue } from './positions.js';

export interface OperandValue {
  readonly expr: Expr;
  readonly shape: 'primitive' | 'object' | 'unknown';
  readonly special?: SpecialValue | undefined;
}

const fn = (name: string, ...args: Expr[]): Expr => sql.fn(name, args);
const toJson = (expr: Expr): Expr => fn('to_jsonb', expr);
const asText = (value: Expr): Expr => fn('aql_text', value);
const asNumber = (value: Expr): Expr => fn('aql_number', value);
const asInteger = (value: Expr): Expr => sql.cast(fn('trunc', asNumber(value)), 'integer');
const format = (pattern: string): Expr => toJson(fn('to_char', sql.fn('now'), sql.cast(sql.value(pattern), 'text')));

export class OperandCompiler {
  constructor(private readonly paths: PathCompiler) {}

  private get context() {
    return this.paths.scope.context;
  }

  /** The constant a literal or parameter stands for. */
  constant(node: Operand): unknown {
    switch (node.kind) {
      case 'string':
      case 'temporal':
      case 'number':
      case 'boolean':
        return node.value;
      case 'null':
        return null;
      case 'parameter':
        return this.context.parameter(node.name, node.position);
      default:
        return undefined;
    }
  }

  /** An operand of a comparison: constants stay constants (compare.ts types them). */
  comparison(node: Operand): ComparisonOperand {
    const constant = this.constant(node);
    if (constant !== undefined) {
      return { kind: 'constant', value: constant, position: node.position };
    }
    const value = this.value(node);
    return { kind: 'value', ...value } satisfies ValueOperand;
  }

  value(node: Operand): OperandValue {
    switch (node.kind) {
      case 'identifiedPath': {
        const value = this.paths.compile(node);
        const position = value.position;
        return { expr: value.expr, shape: value.shape, special: position.kind === 'json' ? position.special : undefined };
      }
      case 'string':
      case 'temporal':
      case 'number':
      case 'boolean':
      case 'null':
      case 'parameter': {
        const constant = this.constant(node);
        if (constant !== null && typeof constant === 'object') {
          throw notSupported(node.position, `a list value for $${(node as { name?: string }).name ?? ''} outside MATCHES`);
        }
        return { expr: constant === null ? sql.cast(sql.keyword('NULL'), 'jsonb') : jsonValue(constant), shape: 'primitive' };
      }
      case 'functionCall':
        return { expr: this.call(node), shape: 'primitive' };
      case 'aggregate':
        throw notSupported(node.position, `${node.function} here`);
    }
  }

  private call(node: FunctionCall): Expr {
    const args = node.args.map((arg) => this.value(arg).expr);
    const [a, b, c] = args as [Expr, Expr, Expr];
    switch (node.name) {
      case 'LENGTH':
        return toJson(fn('length', asText(a)));
      case 'CONTAINS':
        return toJson(sql.gt(fn('strpos', asText(a), asText(b)), sql.cast(sql.value(0), 'integer')));
      case 'POSITION':
        return toJson(fn('strpos', asText(b), asText(a)));
      case 'SUBSTRING':
        return toJson(args.length > 2 ? fn('substr', asText(a), asInteger(b), asInteger(c)) : fn('substr', asText(a), asInteger(b)));
      case 'CONCAT':
        return toJson(fn('concat', ...args.map(asText)));
      case 'CONCAT_WS':
        return toJson(fn('concat_ws', ...args.map(asText)));
      case 'ABS':
        return toJson(fn('abs', asNumber(a)));
      case 'MOD':
        return toJson(fn('mod', asNumber(a), asNumber(b)));
      case 'CEIL':
        return toJson(fn('ceil', asNumber(a)));
      case 'FLOOR':
        return toJson(fn('floor', asNumber(a)));
      case 'ROUND':
        return toJson(args.length > 1 ? fn('round', asNumber(a), asInteger(b)) : fn('round', asNumber(a)));
      case 'CURRENT_DATE':
        return format('YYYY-MM-DD');
      case 'CURRENT_TIME':
        return format('HH24:MI:SS.MSTZH:TZM');
      case 'CURRENT_DATE_TIME':
      case 'NOW':
        return format('YYYY-MM-DD"T"HH24:MI:SS.MSTZH:TZM');
      case 'CURRENT_TIMEZONE':
        return format('TZH:TZM');
      default:
        throw notSupported(node.position, `the function ${node.name}`);
    }
  }

  /** An aggregate over the rows of a group; `argument` is the argument's column in the rows. */
  static aggregate(node: AggregateCall, argument: Expr | undefined, shape: OperandValue['shape'], at: SourcePosition): Expr {
    if (node.function === 'COUNT') {
      if (!argument) {
        return toJson(sql.countAll());
      }
      return toJson(sql.fn('count', [argument], { distinct: node.distinct }));
    }
    const value = argument as Expr;
    if (node.function === 'SUM' || node.function === 'AVG') {
      if (shape === 'object') {
        throw notSupported(at, `${node.function} over data values (only over numbers)`);
      }
      return toJson(fn(node.function === 'SUM' ? 'sum' : 'avg', asNumber(value)));
    }
    const key = shape === 'primitive' ? value : fn('aql_ordered', value);
    const direction = node.function === 'MAX' ? 'DESC' : 'ASC';
    const filter = sql.and(sql.isNotNull(key), sql.ne(fn('jsonb_typeof', key), sql.cast(sql.value('null'), 'text')));
    return sql.jsonGet(sql.fn('jsonb_agg', [value], { orderBy: [sql.orderItem(key, direction)], filter }), 0);
  }
}
