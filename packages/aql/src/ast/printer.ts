/**
 * Prints an AST node as AQL text: keywords upper case, single-quoted strings, the
 * parentheses the grammar needs and no others. Parsing the output gives the same tree
 * (positions aside), which the tests check on the conformance queries.
 */
import type { AqlNode, Condition, FromExpr, PathStep, Predicate } from './nodes.js';
import { visitAql } from './visitor.js';
import type { AqlVisitor } from './visitor.js';

export function quoteString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

const print = (node: AqlNode): string => visitAql(node, printer);

function steps(list: readonly PathStep[]): string {
  return list.map(print).join('/');
}

function predicate(node: Predicate | undefined): string {
  return node ? `[${print(node)}]` : '';
}

/** A FROM operand inside AND/OR: a containment must be bracketed or it would swallow its siblings. */
function fromOperand(node: FromExpr, parent: 'containsAnd' | 'containsOr'): string {
  const bracket = node.kind === 'contains' || (node.kind !== parent && (node.kind === 'containsAnd' || node.kind === 'containsOr'));
  return bracket ? `(${print(node)})` : print(node);
}

function conditionOperand(node: Condition, parent: 'and' | 'or' | 'not'): string {
  const bracket = parent === 'not' ? node.kind === 'and' || node.kind === 'or' : node.kind === 'and' || node.kind === 'or';
  return bracket && node.kind !== parent ? `(${print(node)})` : print(node);
}

const printer: AqlVisitor<string> = {
  query: (node) =>
    [
      print(node.select),
      `FROM ${print(node.from)}`,
      node.where ? `WHERE ${print(node.where)}` : '',
      node.orderBy.length > 0 ? `ORDER BY ${node.orderBy.map(print).join(', ')}` : '',
      node.limit ? print(node.limit) : '',
    ]
      .filter((part) => part !== '')
      .join(' '),
  select: (node) =>
    ['SELECT', node.distinct ? 'DISTINCT' : '', node.top ? print(node.top) : '', node.columns.map(print).join(', ')]
      .filter((part) => part !== '')
      .join(' '),
  top: (node) => `TOP ${node.count}${node.direction ? ` ${node.direction.toUpperCase()}` : ''}`,
  selectColumn: (node) => `${print(node.expression)}${node.alias ? ` AS ${node.alias}` : ''}`,
  orderBy: (node) => `${print(node.expression)} ${node.direction.toUpperCase()}`,
  limit: (node) => `LIMIT ${node.limit}${node.offset === undefined ? '' : ` OFFSET ${node.offset}`}`,
  classExpr: (node) => `${node.rmType}${node.alias ? ` ${node.alias}` : ''}${predicate(node.predicate)}`,
  versionExpr: (node) => {
    const selector = node.predicate
      ? `[${print(node.predicate)}]`
      : node.versions === 'all'
        ? '[ALL_VERSIONS]'
        : '[LATEST_VERSION]';
    return `VERSION${node.alias ? ` ${node.alias}` : ''}${selector}`;
  },
  contains: (node) => {
    const inner = node.contained.kind === 'containsAnd' || node.contained.kind === 'containsOr' ? `(${print(node.contained)})` : print(node.contained);
    return `${print(node.container)} ${node.negated ? 'NOT ' : ''}CONTAINS ${inner}`;
  },
  containsAnd: (node) => node.operands.map((operand) => fromOperand(operand, 'containsAnd')).join(' AND '),
  containsOr: (node) => node.operands.map((operand) => fromOperand(operand, 'containsOr')).join(' OR '),
  and: (node) => node.operands.map((operand) => conditionOperand(operand, 'and')).join(' AND '),
  or: (node) => node.operands.map((operand) => conditionOperand(operand, 'or')).join(' OR '),
  not: (node) => `NOT ${conditionOperand(node.operand, 'not')}`,
  comparison: (node) => `${print(node.left)} ${node.operator} ${print(node.right)}`,
  like: (node) => `${print(node.operand)} LIKE ${print(node.pattern)}`,
  matches: (node) => `${print(node.operand)} MATCHES ${print(node.valueSet)}`,
  valueList: (node) => `{${node.items.map(print).join(', ')}}`,
  uriValueSet: (node) => `{${node.uri}}`,
  exists: (node) => `EXISTS ${print(node.operand)}`,
  identifiedPath: (node) => `${node.alias}${predicate(node.predicate)}${node.steps.length > 0 ? `/${steps(node.steps)}` : ''}`,
  pathStep: (node) => `${node.attribute}${predicate(node.predicate)}`,
  objectPath: (node) => steps(node.steps),
  string: (node) => quoteString(node.value),
  number: (node) => node.text,
  boolean: (node) => (node.value ? 'true' : 'false'),
  null: () => 'NULL',
  temporal: (node) => quoteString(node.value),
  parameter: (node) => `$${node.name}`,
  functionCall: (node) => `${node.name}(${node.args.map(print).join(', ')})`,
  aggregate: (node) =>
    `${node.function}(${node.distinct ? 'DISTINCT ' : ''}${node.argument === '*' ? '*' : print(node.argument)})`,
  nodeCode: (node) => node.code,
  archetypeId: (node) => node.id,
  termCode: (node) =>
    `${node.terminology}${node.terminologyVersion === undefined ? '' : `(${node.terminologyVersion})`}::${node.code}${
      node.text === undefined ? '' : `|${node.text}|`
    }`,
  nodePredicate: (node) => `${print(node.node)}${node.name ? `, ${print(node.name)}` : ''}`,
  predicateComparison: (node) => `${print(node.path)} ${node.operator} ${print(node.value)}`,
  predicateMatches: (node) => `${print(node.path)} matches {/${node.pattern}/}`,
  predicateAnd: (node) => node.operands.map(print).join(' and '),
  predicateOr: (node) => node.operands.map(print).join(' or '),
};

/** The AQL text of a node. */
export function formatAql(node: AqlNode): string {
  return print(node);
}
