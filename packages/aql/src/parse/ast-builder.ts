/**
 * Turns ANTLR's parse tree into the immutable AQL AST. Runs only on a tree without
 * syntax errors; it does no checking beyond what the shape of the tree implies.
 */
import type { CharStream, ParserRuleContext, TerminalNode, Token } from 'antlr4ng';
import {
  AndConditionContext,
  BetweenConditionContext,
  BooleanLiteralContext,
  ComparisonConditionContext,
  ComparisonPredicateContext,
  ContainsAndContext,
  ContainsGroupContext,
  ContainsOrContext,
  CountAllContext,
  ExistsConditionContext,
  LikeConditionContext,
  LiteralOperandContext,
  MatchesConditionContext,
  NodePredicateContext,
  NotConditionContext,
  NullLiteralContext,
  NumberLiteralContext,
  OrConditionContext,
  ParameterOperandContext,
  PathOperandContext,
  PredicateAndContext,
  PredicateOrContext,
  PredicateSingleContext,
  RegexPredicateContext,
  StringLiteralContext,
  UriValueSetContext,
  ValueListContext,
  VersionClassContext,
  AggregateOperandContext,
  ConditionGroupContext,
  FunctionOperandContext,
  AqlParser,
} from '../generated/AqlParser.js';
import type {
  AggregateCallContext,
  AggregateOfContext,
  ContainmentContext,
  FunctionValueSetContext,
  RmClassContext,
  ClassExprContext,
  ComparisonOperatorContext,
  ConditionContext,
  ContainsExprContext,
  FunctionCallContext,
  IdentifiedPathContext,
  LimitClauseContext,
  LiteralContext,
  MatchesOperandContext,
  NameConstraintContext,
  NodeConstraintContext,
  ObjectPathContext,
  OperandContext,
  OrderByItemContext,
  PathPredicateContext,
  PathStepContext,
  PredicateExprContext,
  PredicateOperandContext,
  QueryContext,
  SelectClauseContext,
  SelectColumnContext,
  TopClauseContext,
  VersionPredicateContext,
} from '../generated/AqlParser.js';
import * as ast from '../ast/factory.js';
import type {
  AggregateFunction,
  ClassOperand,
  ComparisonOperator,
  Condition,
  FromExpr,
  Literal,
  Matches,
  Operand,
  Predicate,
  Query,
  SourcePosition,
} from '../ast/nodes.js';
import { canonicalFunctionName } from '../functions.js';
import type { AqlProblem } from '../errors.js';
import { decodeString, decodeTermCode, temporalTypeOf } from './literals.js';

/** A construct the grammar recognises only so it can be refused by name. */
export class RefusedConstruct extends Error {
  constructor(readonly problem: AqlProblem) {
    super(problem.message);
  }
}

function tokenPosition(token: Token | null): SourcePosition {
  return ast.position(token?.line ?? 1, (token?.column ?? 0) + 1);
}

function at(ctx: ParserRuleContext | TerminalNode): SourcePosition {
  return 'symbol' in ctx ? tokenPosition(ctx.symbol) : tokenPosition(ctx.start);
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new Error(`AQL parse tree is missing ${what}`);
  }
  return value;
}

export class AstBuilder {
  constructor(private readonly input: CharStream) {}

  query(ctx: QueryContext): Query {
    const where = ctx.whereClause();
    const orderBy = ctx.orderByClause();
    const limit = ctx.limitClause();
    return ast.query(
      {
        select: this.select(ctx.selectClause()),
        from: this.fromExpr(ctx.fromClause().containsExpr()),
        where: where ? this.condition(where.condition()) : undefined,
        orderBy: orderBy ? orderBy.orderByItem().map((item) => this.orderByItem(item)) : [],
        limit: limit ? this.limit(limit) : undefined,
      },
      at(ctx),
    );
  }

  // ------------------------------------------------------------ SELECT, ORDER BY, LIMIT

  private select(ctx: SelectClauseContext): ReturnType<typeof ast.selectClause> {
    const top = ctx.topClause();
    return ast.selectClause(
      {
        distinct: ctx.DISTINCT() !== null,
        top: top ? this.top(top) : undefined,
        columns: ctx.selectColumn().map((column) => this.selectColumn(column)),
      },
      at(ctx),
    );
  }

  private top(ctx: TopClauseContext): ReturnType<typeof ast.topClause> {
    const direction = ctx.FORWARD() ? 'forward' : ctx.BACKWARD() ? 'backward' : undefined;
    return ast.topClause({ count: Number(ctx.INTEGER().getText()), direction }, at(ctx));
  }

  private selectColumn(ctx: SelectColumnContext): ReturnType<typeof ast.selectColumn> {
    const operand = ctx.operand();
    const alias = ctx.identifier();
    return ast.selectColumn(
      {
        expression: this.operand(operand),
        alias: alias ? alias.getText() : undefined,
        source: this.sourceText(operand),
      },
      at(ctx),
    );
  }

  private orderByItem(ctx: OrderByItemContext): ReturnType<typeof ast.orderByItem> {
    const descending = ctx.DESC() !== null || ctx.DESCENDING() !== null;
    return ast.orderByItem({ expression: this.operand(ctx.operand()), direction: descending ? 'desc' : 'asc' }, at(ctx));
  }

  private limit(ctx: LimitClauseContext): ReturnType<typeof ast.limitClause> {
    return ast.limitClause(
      {
        limit: Number(required(ctx._limit, 'the LIMIT value').text),
        offset: ctx._offset ? Number(ctx._offset.text) : undefined,
      },
      at(ctx),
    );
  }

  private sourceText(ctx: ParserRuleContext): string {
    const start = ctx.start?.start ?? 0;
    const stop = ctx.stop?.stop ?? start - 1;
    return this.input.getTextFromRange(start, stop);
  }

  // ------------------------------------------------------------ FROM

  private fromExpr(ctx: ContainsExprContext): FromExpr {
    if (ctx instanceof ContainsGroupContext) {
      return this.fromExpr(ctx.containsExpr());
    }
    if (ctx instanceof ContainsAndContext || ctx instanceof ContainsOrContext) {
      const isAnd = ctx instanceof ContainsAndContext;
      const operands = ctx.containsExpr().flatMap((child) => {
        const built = this.fromExpr(child);
        if (built.kind === 'containsAnd' && isAnd) {
          return built.operands;
        }
        return built.kind === 'containsOr' && !isAnd ? built.operands : [built];
      });
      return isAnd ? ast.containsAnd({ operands }, at(ctx)) : ast.containsOr({ operands }, at(ctx));
    }
    const containment = ctx as ContainmentContext;
    const container = this.classExpr(containment.classExpr());
    const contained = containment.containsExpr();
    if (!contained) {
      return container;
    }
    return ast.contains(
      { container, negated: containment.NOT() !== null, contained: this.fromExpr(contained) },
      at(ctx),
    );
  }

  private classExpr(ctx: ClassExprContext): ClassOperand {
    if (ctx instanceof VersionClassContext) {
      const predicate = ctx.versionPredicate();
      const version = predicate ? this.versionPredicate(predicate) : { versions: 'latest' as const, predicate: undefined };
      return ast.versionExpr({ alias: ctx._alias?.getText(), ...version }, at(ctx));
    }
    const rmClass = ctx as RmClassContext;
    const predicate = rmClass.pathPredicate();
    return ast.classExpr(
      {
        // RM class names are all upper case; like keywords, they are read in any case.
        rmType: required(rmClass._rmType, 'the RM type').getText().toUpperCase(),
        alias: rmClass._alias?.getText(),
        predicate: predicate ? this.pathPredicate(predicate) : undefined,
      },
      at(ctx),
    );
  }

  private versionPredicate(ctx: VersionPredicateContext): { versions: 'latest' | 'all'; predicate: Predicate | undefined } {
    if (ctx.LATEST_VERSION()) {
      return { versions: 'latest', predicate: undefined };
    }
    if (ctx.ALL_VERSIONS()) {
      return { versions: 'all', predicate: undefined };
    }
    return { versions: 'all', predicate: this.predicateExpr(required(ctx.predicateExpr(), 'the version predicate')) };
  }

  // ------------------------------------------------------------ WHERE

  private condition(ctx: ConditionContext): Condition {
    if (ctx instanceof ConditionGroupContext) {
      return this.condition(ctx.condition());
    }
    if (ctx instanceof NotConditionContext) {
      return ast.notCondition({ operand: this.condition(ctx.condition()) }, at(ctx));
    }
    if (ctx instanceof AndConditionContext || ctx instanceof OrConditionContext) {
      const kind = ctx instanceof AndConditionContext ? 'and' : 'or';
      const operands = ctx.condition().flatMap((child) => {
        const built = this.condition(child);
        return built.kind === kind ? built.operands : [built];
      });
      return kind === 'and' ? ast.andCondition({ operands }, at(ctx)) : ast.orCondition({ operands }, at(ctx));
    }
    if (ctx instanceof ExistsConditionContext) {
      return ast.exists({ operand: this.operand(ctx.operand()) }, at(ctx));
    }
    if (ctx instanceof ComparisonConditionContext) {
      const [left, right] = ctx.operand();
      return ast.comparison(
        {
          operator: this.comparisonOperator(ctx.comparisonOperator()),
          left: this.operand(required(left, 'the left operand')),
          right: this.operand(required(right, 'the right operand')),
        },
        at(ctx),
      );
    }
    if (ctx instanceof LikeConditionContext) {
      const [operand, pattern] = ctx.operand();
      return ast.like(
        {
          operand: this.operand(required(operand, 'the LIKE operand')),
          pattern: this.operand(required(pattern, 'the LIKE pattern')),
        },
        at(ctx),
      );
    }
    if (ctx instanceof MatchesConditionContext) {
      return ast.matches(
        { operand: this.operand(ctx.operand()), valueSet: this.matchesOperand(ctx.matchesOperand()) },
        at(ctx),
      );
    }
    if (ctx instanceof BetweenConditionContext) {
      throw new RefusedConstruct({
        position: at(ctx.BETWEEN()),
        message: 'BETWEEN is not supported (it is not part of AQL 1.1); compare with >= and <= joined by AND',
      });
    }
    throw new Error(`unexpected condition ${ctx.constructor.name}`);
  }

  private comparisonOperator(ctx: ComparisonOperatorContext): ComparisonOperator {
    const text = ctx.getText() === '<>' ? '!=' : ctx.getText();
    switch (text) {
      case '=':
      case '!=':
      case '>':
      case '>=':
      case '<':
      case '<=':
        return text;
      default:
        throw new Error(`unexpected comparison operator ${text}`);
    }
  }

  private matchesOperand(ctx: MatchesOperandContext): Matches['valueSet'] {
    if (ctx instanceof ValueListContext) {
      return ast.valueList({ items: ctx.operand().map((item) => this.operand(item)) }, at(ctx));
    }
    if (ctx instanceof UriValueSetContext) {
      return ast.uriValueSet({ uri: ctx.URI().getText() }, at(ctx.URI()));
    }
    return this.functionCall((ctx as FunctionValueSetContext).functionCall());
  }

  // ------------------------------------------------------------ operands

  operand(ctx: OperandContext): Operand {
    if (ctx instanceof LiteralOperandContext) {
      return this.literal(ctx.literal());
    }
    if (ctx instanceof ParameterOperandContext) {
      return ast.parameter(ctx.PARAMETER().getText().slice(1), at(ctx));
    }
    if (ctx instanceof AggregateOperandContext) {
      return this.aggregate(ctx.aggregateCall());
    }
    if (ctx instanceof FunctionOperandContext) {
      return this.functionCall(ctx.functionCall());
    }
    if (ctx instanceof PathOperandContext) {
      return this.identifiedPath(ctx.identifiedPath());
    }
    throw new Error(`unexpected operand ${ctx.constructor.name}`);
  }

  private literal(ctx: LiteralContext): Literal {
    const position = at(ctx);
    if (ctx instanceof StringLiteralContext) {
      const value = decodeString(ctx.STRING().getText());
      const temporalType = temporalTypeOf(value);
      return temporalType ? ast.temporalLiteral({ temporalType, value }, position) : ast.stringLiteral(value, position);
    }
    if (ctx instanceof NumberLiteralContext) {
      const digits = required(ctx.INTEGER() ?? ctx.REAL(), 'the number').getText();
      return ast.numberLiteral(ctx.MINUS() ? `-${digits}` : digits, position);
    }
    if (ctx instanceof BooleanLiteralContext) {
      return ast.booleanLiteral(ctx.BOOLEAN().getText().toLowerCase() === 'true', position);
    }
    if (ctx instanceof NullLiteralContext) {
      return ast.nullLiteral(position);
    }
    throw new Error(`unexpected literal ${ctx.constructor.name}`);
  }

  private aggregate(ctx: AggregateCallContext): Operand {
    if (ctx instanceof CountAllContext) {
      return ast.aggregateCall({ function: 'COUNT', distinct: false, argument: '*' }, at(ctx));
    }
    const call = ctx as AggregateOfContext;
    return ast.aggregateCall(
      {
        function: required(call._name?.text, 'the aggregate name').toUpperCase() as AggregateFunction,
        distinct: call.DISTINCT() !== null,
        argument: this.operand(call.operand()),
      },
      at(ctx),
    );
  }

  private functionCall(ctx: FunctionCallContext): ReturnType<typeof ast.functionCall> {
    return ast.functionCall(
      {
        name: canonicalFunctionName(required(ctx._name?.text, 'the function name')),
        args: ctx.operand().map((arg) => this.operand(arg)),
      },
      at(ctx),
    );
  }

  private identifiedPath(ctx: IdentifiedPathContext): ReturnType<typeof ast.identifiedPath> {
    const predicate = ctx.pathPredicate();
    const path = ctx.objectPath();
    return ast.identifiedPath(
      {
        alias: ctx.identifier().getText(),
        predicate: predicate ? this.pathPredicate(predicate) : undefined,
        steps: path ? this.steps(path) : [],
      },
      at(ctx),
    );
  }

  private steps(ctx: ObjectPathContext): ReturnType<typeof ast.pathStep>[] {
    return ctx.pathStep().map((step) => this.pathStep(step));
  }

  private pathStep(ctx: PathStepContext): ReturnType<typeof ast.pathStep> {
    const predicate = ctx.pathPredicate();
    return ast.pathStep(
      { attribute: required(ctx._attributeName, 'the attribute name').getText(), predicate: predicate ? this.pathPredicate(predicate) : undefined },
      at(ctx),
    );
  }

  // ------------------------------------------------------------ predicates

  private pathPredicate(ctx: PathPredicateContext): Predicate {
    return this.predicateExpr(ctx.predicateExpr());
  }

  private predicateExpr(ctx: PredicateExprContext): Predicate {
    if (ctx instanceof PredicateSingleContext) {
      return this.predicateTerm(ctx);
    }
    if (ctx instanceof PredicateAndContext || ctx instanceof PredicateOrContext) {
      const kind = ctx instanceof PredicateAndContext ? 'predicateAnd' : 'predicateOr';
      const operands = ctx.predicateExpr().flatMap((child) => {
        const built = this.predicateExpr(child);
        return built.kind === kind ? built.operands : [built];
      });
      return kind === 'predicateAnd' ? ast.predicateAnd({ operands }, at(ctx)) : ast.predicateOr({ operands }, at(ctx));
    }
    throw new Error(`unexpected predicate ${ctx.constructor.name}`);
  }

  private predicateTerm(ctx: PredicateSingleContext): Predicate {
    const term = ctx.predicateTerm();
    if (term instanceof NodePredicateContext) {
      const name = term.nameConstraint();
      return ast.nodePredicate(
        { node: this.nodeConstraint(term.nodeConstraint()), name: name ? this.nameConstraint(name) : undefined },
        at(term),
      );
    }
    if (term instanceof ComparisonPredicateContext) {
      return ast.predicateComparison(
        {
          path: this.objectPath(term.objectPath()),
          operator: this.comparisonOperator(term.comparisonOperator()),
          value: this.predicateOperand(term.predicateOperand()),
        },
        at(term),
      );
    }
    if (term instanceof RegexPredicateContext) {
      const pattern = term.REGEX_PATTERN().getText().replace(/^\{\s*\//, '').replace(/\/\s*\}$/, '');
      return ast.predicateMatches({ path: this.objectPath(term.objectPath()), pattern }, at(term));
    }
    throw new Error(`unexpected predicate term ${term.constructor.name}`);
  }

  private objectPath(ctx: ObjectPathContext): ReturnType<typeof ast.objectPath> {
    return ast.objectPath({ steps: this.steps(ctx) }, at(ctx));
  }

  private nodeConstraint(ctx: NodeConstraintContext): ReturnType<typeof ast.nodePredicate>['node'] {
    const position = at(ctx);
    const text = ctx.getText();
    switch (ctx.start?.type) {
      case AqlParser.ARCHETYPE_HRID:
        return ast.archetypeId(text, position);
      case AqlParser.PARAMETER:
        return ast.parameter(text.slice(1), position);
      default:
        return ast.nodeCode(text, position);
    }
  }

  private nameConstraint(ctx: NameConstraintContext): ReturnType<typeof ast.nodePredicate>['name'] {
    const position = at(ctx);
    const text = ctx.getText();
    switch (ctx.start?.type) {
      case AqlParser.STRING:
        return ast.stringLiteral(decodeString(text), position);
      case AqlParser.PARAMETER:
        return ast.parameter(text.slice(1), position);
      case AqlParser.TERM_CODE:
        return ast.termCode(decodeTermCode(text), position);
      default:
        return ast.nodeCode(text, position);
    }
  }

  private predicateOperand(ctx: PredicateOperandContext): ReturnType<typeof ast.predicateComparison>['value'] {
    const literal = ctx.literal();
    if (literal) {
      return this.literal(literal);
    }
    const path = ctx.objectPath();
    if (path) {
      return this.objectPath(path);
    }
    const position = at(ctx);
    const text = ctx.getText();
    switch (ctx.start?.type) {
      case AqlParser.PARAMETER:
        return ast.parameter(text.slice(1), position);
      case AqlParser.ARCHETYPE_HRID:
        return ast.archetypeId(text, position);
      case AqlParser.TERM_CODE:
        return ast.termCode(decodeTermCode(text), position);
      default:
        return ast.nodeCode(text, position);
    }
  }
}
