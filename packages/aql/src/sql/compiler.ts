/**
 * Compiles an SQL tree to PostgreSQL text and its parameters. Every `value` node becomes
 * a `$n` parameter, numbered in text order; identifiers go through `sanitizeIdentifier`; function
 * names, type names and keywords are validated again here, so even a hand-built tree
 * cannot put anything but names and keywords into the text.
 */
import { CdrError } from '@cdr/rm';
import { assertFunctionName, assertKeyword, assertTypeName, sanitizeIdentifier } from './identifiers.js';
import type { BinaryOperator, CompiledSql, Expr, Join, OrderItem, QueryExpr, SqlNode } from './nodes.js';
import { visitSql } from './visitor.js';
import type { SqlVisitor } from './visitor.js';

const BINARY_OPERATORS: ReadonlySet<string> = new Set<BinaryOperator>([
  '=', '<>', '<', '<=', '>', '>=', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM', 'LIKE', 'NOT LIKE', 'ILIKE',
  'NOT ILIKE', '~', '~*', '||', '+', '-', '*', '/', '%', '->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&',
  '@?', '@@',
]);

/**
 * Binding strength, after the PostgreSQL manual's operator precedence table: a higher
 * number binds tighter. Atoms (columns, values, calls, casts, subqueries) never need
 * parentheses.
 */
function precedence(node: SqlNode): number {
  switch (node.kind) {
    case 'or':
      return 1;
    case 'and':
      return 2;
    case 'not':
      return 3;
    case 'isNull':
      return 4;
    case 'in':
      return 6;
    case 'binary':
      switch (node.operator) {
        case '=':
        case '<>':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return 5;
        case 'IS DISTINCT FROM':
        case 'IS NOT DISTINCT FROM':
          return 4;
        case 'LIKE':
        case 'NOT LIKE':
        case 'ILIKE':
        case 'NOT ILIKE':
          return 6;
        case '+':
        case '-':
          return 8;
        case '*':
        case '/':
        case '%':
          return 9;
        default:
          return 7; // "any other operator": JSON operators, ||, ~
      }
    default:
      return 100;
  }
}

function invalid(message: string): CdrError {
  return new CdrError('internal', `invalid SQL tree: ${message}`);
}

/**
 * Values are first written as markers (NUL, index, NUL) and numbered once the text is
 * complete, so `$1..$n` follow the text whatever order the parts were built in. NUL
 * cannot occur anywhere else in the text: identifiers refuse it and every other name is
 * checked against a pattern.
 */
const NUL = String.fromCharCode(0);

class Compilation {
  readonly values: unknown[] = [];

  readonly visitor: SqlVisitor<string> = {
    select: (node) => {
      const parts: string[] = [];
      if (node.with) {
        parts.push(this.sql(node.with));
      }
      let head = 'SELECT';
      if (node.distinct === true) {
        head += ' DISTINCT';
      } else if (Array.isArray(node.distinct) && node.distinct.length > 0) {
        head += ` DISTINCT ON (${this.list(node.distinct)})`;
      }
      if (node.columns.length === 0) {
        throw invalid('SELECT needs at least one column');
      }
      parts.push(`${head} ${this.list(node.columns)}`);
      if (node.from.length > 0) {
        parts.push(`FROM ${this.list(node.from)}`);
      } else if (node.joins.length > 0) {
        throw invalid('JOIN without FROM');
      }
      for (const joined of node.joins) {
        parts.push(this.sql(joined));
      }
      if (node.where) {
        parts.push(`WHERE ${this.sql(node.where)}`);
      }
      if (node.groupBy.length > 0) {
        parts.push(`GROUP BY ${this.list(node.groupBy)}`);
      }
      if (node.having) {
        parts.push(`HAVING ${this.sql(node.having)}`);
      }
      if (node.orderBy.length > 0) {
        parts.push(`ORDER BY ${this.list(node.orderBy)}`);
      }
      if (node.limit) {
        parts.push(`LIMIT ${this.sql(node.limit)}`);
      }
      if (node.offset) {
        parts.push(`OFFSET ${this.sql(node.offset)}`);
      }
      return parts.join(' ');
    },
    setOperation: (node) => {
      if (node.queries.length < 2) {
        throw invalid(`${node.operator} needs at least two queries`);
      }
      return node.queries.map((query) => `(${this.sql(query)})`).join(` ${this.operator(node.operator)} `);
    },
    with: (node) => `WITH ${node.recursive ? 'RECURSIVE ' : ''}${this.list(node.ctes)}`,
    cte: (node) => {
      const columns = node.columns.length > 0 ? `(${node.columns.map(sanitizeIdentifier).join(', ')})` : '';
      const materialized = node.materialized === undefined ? '' : node.materialized ? 'MATERIALIZED ' : 'NOT MATERIALIZED ';
      return `${sanitizeIdentifier(node.name)}${columns} AS ${materialized}(${this.sql(node.query)})`;
    },
    selectItem: (node) =>
      node.alias === undefined ? this.sql(node.expression) : `${this.sql(node.expression)} AS ${sanitizeIdentifier(node.alias)}`,
    orderItem: (node) => this.orderItem(node),
    table: (node) => {
      const name = node.schema === undefined ? sanitizeIdentifier(node.name) : `${sanitizeIdentifier(node.schema)}.${sanitizeIdentifier(node.name)}`;
      return node.alias === undefined ? name : `${name} AS ${sanitizeIdentifier(node.alias)}`;
    },
    derivedTable: (node) => `(${this.sql(node.query)}) AS ${this.alias(node.alias, node.columns)}`,
    functionTable: (node) =>
      `${this.sql(node.call)}${node.withOrdinality ? ' WITH ORDINALITY' : ''} AS ${this.alias(node.alias, node.columns)}`,
    join: (node) => this.join(node),
    column: (node) =>
      node.table === undefined ? sanitizeIdentifier(node.name) : `${sanitizeIdentifier(node.table)}.${sanitizeIdentifier(node.name)}`,
    star: (node) => (node.table === undefined ? '*' : `${sanitizeIdentifier(node.table)}.*`),
    value: (node) => {
      if (node.value === undefined) {
        throw invalid('a value cannot be undefined');
      }
      this.values.push(node.value);
      return `${NUL}${this.values.length - 1}${NUL}`;
    },
    keyword: (node) => {
      assertKeyword(node.keyword);
      return node.keyword;
    },
    binary: (node) => {
      const mine = precedence(node);
      // Comparisons, IS DISTINCT FROM and LIKE do not associate in PostgreSQL.
      const nonAssociative = mine === 4 || mine === 5 || mine === 6;
      const left = this.operand(node.left, precedence(node.left) < mine || (nonAssociative && precedence(node.left) === mine));
      const operator = this.operator(node.operator);
      const right = this.operand(node.right, precedence(node.right) <= mine);
      return `${left} ${operator} ${right}`;
    },
    and: (node) => this.logical(node.operands, 'AND'),
    or: (node) => this.logical(node.operands, 'OR'),
    not: (node) => `NOT ${this.operand(node.operand, precedence(node.operand) < 100)}`,
    isNull: (node) => `${this.operand(node.operand, precedence(node.operand) <= 5)} IS ${node.negated ? 'NOT ' : ''}NULL`,
    in: (node) => {
      const operand = this.operand(node.operand, precedence(node.operand) <= 6);
      const values = Array.isArray(node.values) ? this.list(node.values) : this.sql(node.values as QueryExpr);
      return `${operand} ${node.negated ? 'NOT IN' : 'IN'} (${values})`;
    },
    exists: (node) => `${node.negated ? 'NOT EXISTS' : 'EXISTS'} (${this.sql(node.query)})`,
    function: (node) => {
      assertFunctionName(node.name);
      let inner = `${node.distinct ? 'DISTINCT ' : ''}${this.list(node.args)}`;
      if (node.orderBy.length > 0) {
        inner += ` ORDER BY ${this.list(node.orderBy)}`;
      }
      const filter = node.filter ? ` FILTER (WHERE ${this.sql(node.filter)})` : '';
      return `${node.name}(${inner})${filter}`;
    },
    cast: (node) => {
      assertTypeName(node.type);
      return `CAST(${this.sql(node.expression)} AS ${node.type})`;
    },
    when: (node) => `WHEN ${this.sql(node.condition)} THEN ${this.sql(node.result)}`,
    case: (node) => {
      if (node.whens.length === 0) {
        throw invalid('CASE needs at least one WHEN');
      }
      const otherwise = node.otherwise ? ` ELSE ${this.sql(node.otherwise)}` : '';
      return `CASE ${node.whens.map((branch) => this.sql(branch)).join(' ')}${otherwise} END`;
    },
    subquery: (node) => `(${this.sql(node.query)})`,
    array: (node) => `ARRAY[${this.list(node.items)}]`,
  };

  sql(node: SqlNode): string {
    return visitSql(node, this.visitor);
  }

  private list(nodes: readonly SqlNode[]): string {
    return nodes.map((node) => this.sql(node)).join(', ');
  }

  private operand(node: Expr, bracket: boolean): string {
    const text = this.sql(node);
    return bracket ? `(${text})` : text;
  }

  private logical(operands: readonly Expr[], word: 'AND' | 'OR'): string {
    if (operands.length === 0) {
      throw invalid(`${word} needs at least one operand`);
    }
    // OR inside AND needs brackets; AND inside OR gets them for the reader.
    return operands.map((operand) => this.operand(operand, precedence(operand) <= 2)).join(` ${word} `);
  }

  private operator(operator: string): string {
    if (!BINARY_OPERATORS.has(operator) && !['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT'].includes(operator)) {
      throw invalid(`'${operator.slice(0, 20)}' is not a known operator`);
    }
    return operator;
  }

  private alias(name: string, columns: readonly string[]): string {
    return columns.length > 0 ? `${sanitizeIdentifier(name)}(${columns.map(sanitizeIdentifier).join(', ')})` : sanitizeIdentifier(name);
  }

  private orderItem(node: OrderItem): string {
    const direction = node.direction === undefined ? '' : ` ${node.direction === 'DESC' ? 'DESC' : 'ASC'}`;
    const nulls = node.nulls === undefined ? '' : ` NULLS ${node.nulls === 'FIRST' ? 'FIRST' : 'LAST'}`;
    return `${this.sql(node.expression)}${direction}${nulls}`;
  }

  private join(node: Join): string {
    const types: Readonly<Record<Join['type'], string>> = {
      INNER: 'JOIN',
      LEFT: 'LEFT JOIN',
      RIGHT: 'RIGHT JOIN',
      FULL: 'FULL JOIN',
      CROSS: 'CROSS JOIN',
    };
    const type = types[node.type];
    if (!type) {
      throw invalid(`unknown join type '${String(node.type).slice(0, 20)}'`);
    }
    const source = `${node.lateral ? 'LATERAL ' : ''}${this.sql(node.source)}`;
    if (node.type === 'CROSS') {
      if (node.on) {
        throw invalid('CROSS JOIN takes no ON condition');
      }
      return `${type} ${source}`;
    }
    if (!node.on) {
      throw invalid(`${node.type} JOIN needs an ON condition`);
    }
    return `${type} ${source} ON ${this.sql(node.on)}`;
  }
}

/**
 * Compiles a query (or any SQL node, for tests) to PostgreSQL text with `$n` parameters.
 * @throws CdrError (internal) when the tree is malformed or a name fails validation.
 */
export function compileSql(node: SqlNode): CompiledSql {
  const compilation = new Compilation();
  // Even parts are SQL text, odd parts the indexes of values, in text order.
  const parts = compilation.sql(node).split(NUL);
  const params: unknown[] = [];
  let sql = '';
  parts.forEach((part, index) => {
    if (index % 2 === 0) {
      sql += part;
    } else {
      params.push(compilation.values[Number(part)]);
      sql += `$${params.length}`;
    }
  });
  return Object.freeze({ sql, params: Object.freeze(params) });
}
