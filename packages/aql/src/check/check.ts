/**
 * The checks of the AQL front end, run as pure passes over the AST: aliases, the RM
 * model, expressions and types, parameters. Every pass reports into one list; if it is
 * not empty the query is refused with one CdrError (400) naming each problem's position.
 * On success the result carries what later stages need: the alias table, the parameters
 * used, and ORDER BY items that named a SELECT column resolved to that column.
 */
import * as ast from '../ast/factory.js';
import type { OrderByItem, Query } from '../ast/nodes.js';
import { aqlError } from '../errors.js';
import type { AqlProblem } from '../errors.js';
import { parseAql } from '../parse/parse.js';
import { checkColumnAliases, checkPathsIn, collectAliases, orderByColumn } from './aliases.js';
import type { AliasBinding } from './aliases.js';
import { ExpressionChecker } from './expressions.js';
import { checkParameterValues, collectParameters } from './parameters.js';
import { checkFromClasses, checkPathAttributes } from './rm-model.js';
import type { ParameterValues } from './value-types.js';

export interface CheckOptions {
  /**
   * Values for the query's `$name` parameters. When given, every parameter the query
   * uses must have a value, and the values take part in the type checks.
   */
  readonly parameters?: ParameterValues;
}

export interface CheckedQuery {
  /** The query, with ORDER BY items that named a SELECT column alias replaced by that column's expression. */
  readonly query: Query;
  /** The aliases FROM defines, in query order. */
  readonly aliases: ReadonlyMap<string, AliasBinding>;
  /** The names of the parameters the query uses (without `$`), in order of first use. */
  readonly parameters: readonly string[];
}

/**
 * Checks a parsed query.
 * @throws CdrError (bad-request) listing every problem found, each located by line and column.
 */
export function checkAql(query: Query, options: CheckOptions = {}): CheckedQuery {
  const problems: AqlProblem[] = [];

  const aliases = collectAliases(query.from, problems);
  checkFromClasses(query.from, problems);
  checkColumnAliases(query.select.columns, problems);

  const orderByAliases = new Set<number>();
  const orderBy: OrderByItem[] = query.orderBy.map((item, index) => {
    const column = orderByColumn(query, item.expression, aliases);
    if (!column) {
      return item;
    }
    orderByAliases.add(index);
    return ast.orderByItem({ expression: column.expression, direction: item.direction }, item.position);
  });

  for (const column of query.select.columns) {
    checkPathsIn(column, aliases, problems);
  }
  if (query.where) {
    checkPathsIn(query.where, aliases, problems);
  }
  query.orderBy.forEach((item, index) => {
    if (!orderByAliases.has(index)) {
      checkPathsIn(item, aliases, problems);
    }
  });

  checkPathAttributes(query, aliases, problems);
  new ExpressionChecker(options.parameters, problems).checkQuery(query, orderByAliases);

  const parameterUses = collectParameters(query);
  if (options.parameters) {
    checkParameterValues(query, parameterUses, options.parameters, problems);
  }

  if (problems.length > 0) {
    throw aqlError('error', dedupe(problems));
  }
  const resolved =
    orderByAliases.size > 0
      ? ast.query(
          { select: query.select, from: query.from, where: query.where, orderBy, limit: query.limit },
          query.position,
        )
      : query;
  return Object.freeze({ query: resolved, aliases, parameters: Object.freeze([...parameterUses.keys()]) });
}

/** Parses and checks a query: the whole front end in one call. */
export function prepareAql(text: string, options: CheckOptions = {}): CheckedQuery {
  return checkAql(parseAql(text), options);
}

function dedupe(problems: readonly AqlProblem[]): AqlProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.position.line}:${problem.position.column}:${problem.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
