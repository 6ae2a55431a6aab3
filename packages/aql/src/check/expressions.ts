/**
 * The expression pass: where aggregates may appear, function names, arity and argument
 * types, the operands of LIKE, MATCHES, EXISTS and comparisons, what ORDER BY may name,
 * and the constructs we refuse for now (each named with its position).
 */
import type {
  AggregateCall,
  Condition,
  FromExpr,
  FunctionCall,
  Operand,
  Predicate,
  Query,
} from '../ast/nodes.js';
import { formatAql } from '../ast/printer.js';
import { walkAql } from '../ast/visitor.js';
import { AQL_FUNCTIONS, argumentType, functionSignature } from '../functions.js';
import type { AqlProblem } from '../errors.js';
import { comparable, describeOperand, fits, operandType, typeName } from './value-types.js';
import type { ParameterValues } from './value-types.js';

type Clause = 'SELECT' | 'WHERE' | 'ORDER BY';

interface OperandContext {
  readonly clause: Clause;
  readonly insideAggregate: boolean;
}

export class ExpressionChecker {
  constructor(
    private readonly parameters: ParameterValues | undefined,
    private readonly problems: AqlProblem[],
  ) {}

  private report(node: { readonly position: AqlProblem['position'] }, message: string): void {
    this.problems.push({ position: node.position, message });
  }

  private describe(node: Operand): string {
    return describeOperand(node, this.parameters);
  }

  // ------------------------------------------------------------ clauses

  checkQuery(query: Query, orderByAliases: ReadonlySet<number>): void {
    const { top } = query.select;
    if (top?.direction === 'backward') {
      this.report(top, 'TOP ... BACKWARD is not supported; use ORDER BY ... DESC with LIMIT');
    }
    if (top && query.limit) {
      this.report(query.limit, 'TOP and LIMIT cannot be used together; use LIMIT');
    }
    this.checkFrom(query.from);
    for (const column of query.select.columns) {
      this.operand(column.expression, { clause: 'SELECT', insideAggregate: false });
    }
    if (query.where) {
      this.condition(query.where);
    }
    query.orderBy.forEach((item, index) => {
      if (orderByAliases.has(index)) {
        return; // names a SELECT column, checked there
      }
      if (item.expression.kind !== 'identifiedPath') {
        this.report(item, `ORDER BY ${formatAql(item.expression)} is not supported; order by a path or a column alias`);
        return;
      }
      this.operand(item.expression, { clause: 'ORDER BY', insideAggregate: false });
    });
  }

  private checkFrom(from: FromExpr): void {
    if (from.kind === 'containsAnd' || from.kind === 'containsOr') {
      this.report(
        from,
        `FROM with ${from.kind === 'containsAnd' ? 'AND' : 'OR'} between unrelated roots is not supported; start FROM with one class (e.g. EHR e CONTAINS (...))`,
      );
    }
    walkAql(from, (node) => {
      if (node.kind === 'classExpr' || node.kind === 'versionExpr') {
        this.predicate(node.predicate);
        return false;
      }
      return undefined;
    });
  }

  // ------------------------------------------------------------ WHERE

  private condition(node: Condition): void {
    const where: OperandContext = { clause: 'WHERE', insideAggregate: false };
    switch (node.kind) {
      case 'and':
      case 'or':
        node.operands.forEach((operand) => this.condition(operand));
        return;
      case 'not':
        this.condition(node.operand);
        return;
      case 'comparison': {
        this.operand(node.left, where);
        this.operand(node.right, where);
        const left = operandType(node.left, this.parameters);
        const right = operandType(node.right, this.parameters);
        if (!comparable(left, right)) {
          this.report(node, `cannot compare ${this.describe(node.left)} with ${this.describe(node.right)}`);
        } else if (node.operator !== '=' && node.operator !== '!=') {
          const nullSide = [node.left, node.right].find((side) => operandType(side, this.parameters) === 'null');
          if (nullSide) {
            this.report(node, `${node.operator} against ${this.describe(nullSide)} is never true; use = NULL or != NULL`);
          }
        }
        return;
      }
      case 'like': {
        this.operand(node.operand, where);
        this.operand(node.pattern, where);
        if (!fits(operandType(node.operand, this.parameters), 'string') || node.operand.kind === 'null') {
          this.report(node, `LIKE needs text on its left, not ${this.describe(node.operand)}`);
        }
        const patternType = operandType(node.pattern, this.parameters);
        const patternKindOk = node.pattern.kind === 'string' || node.pattern.kind === 'temporal' || node.pattern.kind === 'parameter';
        if (!patternKindOk || !(patternType === 'string' || patternType === 'temporal' || patternType === 'any')) {
          this.report(node.pattern, `LIKE needs a string pattern (a quoted string or a $parameter), not ${this.describe(node.pattern)}`);
        }
        return;
      }
      case 'matches':
        this.matches(node.operand, node.valueSet);
        return;
      case 'exists':
        if (node.operand.kind !== 'identifiedPath') {
          this.report(node, `EXISTS needs a path, not ${this.describe(node.operand)}`);
          return;
        }
        this.operand(node.operand, where);
        return;
    }
  }

  private matches(operand: Operand, valueSet: Extract<Condition, { kind: 'matches' }>['valueSet']): void {
    const where: OperandContext = { clause: 'WHERE', insideAggregate: false };
    if (operand.kind !== 'identifiedPath' && operand.kind !== 'functionCall') {
      this.report(operand, `MATCHES needs a path on its left, not ${this.describe(operand)}`);
    }
    this.operand(operand, where);
    switch (valueSet.kind) {
      case 'uriValueSet':
        this.report(valueSet, `MATCHES with a terminology value set (${valueSet.uri}) is not supported`);
        return;
      case 'functionCall':
        this.functionCall(valueSet, where);
        return;
      case 'valueList': {
        let listType = operandType(operand, this.parameters);
        for (const item of valueSet.items) {
          if (item.kind === 'functionCall' && item.name === 'TERMINOLOGY') {
            this.functionCall(item, where);
            continue;
          }
          if (item.kind === 'identifiedPath' || item.kind === 'aggregate' || item.kind === 'functionCall') {
            this.report(item, `MATCHES lists values; ${this.describe(item)} is not a value`);
            continue;
          }
          const itemType = operandType(item, this.parameters);
          if (!comparable(listType, itemType)) {
            this.report(item, `MATCHES list mixes ${typeName(listType)} with ${this.describe(item)}`);
          } else if (listType === 'any' || listType === 'null') {
            listType = itemType;
          }
        }
        return;
      }
    }
  }

  // ------------------------------------------------------------ operands

  private operand(node: Operand, context: OperandContext): void {
    switch (node.kind) {
      case 'aggregate':
        this.aggregate(node, context);
        return;
      case 'functionCall':
        this.functionCall(node, context);
        return;
      case 'identifiedPath':
        if (node.predicate) {
          this.report(
            node,
            `a predicate directly on the alias '${node.alias}' is not supported; put it in FROM (${node.alias}[...]) or on a path step`,
          );
        }
        this.predicate(node.predicate);
        for (const step of node.steps) {
          this.predicate(step.predicate);
        }
        return;
      default:
        return;
    }
  }

  private aggregate(node: AggregateCall, context: OperandContext): void {
    if (context.clause === 'WHERE') {
      this.report(node, `the aggregate function ${node.function} cannot be used in WHERE`);
    } else if (context.insideAggregate) {
      this.report(node, `aggregate functions cannot be nested (${formatAql(node)})`);
    }
    if (node.distinct && node.function !== 'COUNT') {
      this.report(node, `DISTINCT inside ${node.function} is not supported; only COUNT(DISTINCT ...) is`);
    }
    if (node.argument === '*') {
      return;
    }
    if (node.function === 'SUM' || node.function === 'AVG') {
      const type = operandType(node.argument, this.parameters);
      if (!fits(type, 'number') || type === 'null') {
        this.report(node, `${node.function} needs a numeric argument, not ${this.describe(node.argument)}`);
      }
    }
    this.operand(node.argument, { clause: context.clause, insideAggregate: true });
  }

  private functionCall(node: FunctionCall, context: OperandContext): void {
    const signature = functionSignature(node.name);
    if (!signature) {
      this.report(node, `the function ${node.name}() is not supported; AQL functions are ${AQL_FUNCTIONS.join(', ')}`);
    } else if (signature.name === 'TERMINOLOGY') {
      this.report(node, 'TERMINOLOGY() is not supported: this server has no terminology service');
    } else {
      const count = node.args.length;
      if (count < signature.minArgs || count > signature.maxArgs) {
        const expected =
          signature.minArgs === signature.maxArgs
            ? `${signature.minArgs}`
            : signature.maxArgs === Infinity
              ? `at least ${signature.minArgs}`
              : `${signature.minArgs} or ${signature.maxArgs}`;
        const plural = signature.minArgs === 1 && signature.maxArgs !== 2 ? '' : 's';
        this.report(node, `${signature.name}() takes ${expected} argument${plural}, not ${count}`);
      }
      node.args.forEach((arg, index) => {
        const expected = argumentType(signature, index);
        if (!fits(operandType(arg, this.parameters), expected)) {
          this.report(arg, `${signature.name}() needs ${typeName(expected)} as argument ${index + 1}, not ${this.describe(arg)}`);
        }
      });
    }
    for (const arg of node.args) {
      this.operand(arg, context);
    }
  }

  // ------------------------------------------------------------ predicates

  private predicate(node: Predicate | undefined): void {
    if (!node) {
      return;
    }
    switch (node.kind) {
      case 'predicateAnd':
      case 'predicateOr':
        node.operands.forEach((operand) => this.predicate(operand));
        return;
      case 'predicateMatches':
        this.report(node, 'regular expressions in path predicates (matches {/.../}) are not supported');
        return;
      case 'predicateComparison':
        if (node.value.kind === 'objectPath') {
          this.report(node.value, 'a path on the right-hand side of a predicate comparison is not supported');
        }
        return;
      case 'nodePredicate':
        return;
    }
  }
}
