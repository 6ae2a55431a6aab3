/**
 * WHERE to SQL. Paths join in the main scope, so a condition filters the same node
 * instances the SELECT shows (one row per multi-valued node); EXISTS looks for any value
 * in a scope of its own.
 */
import type { Condition, Operand } from '../ast/nodes.js';
import * as sql from '../sql/factory.js';
import type { Expr } from '../sql/nodes.js';
import { compare } from './compare.js';
import { invalidQuery, notSupported } from './errors.js';
import { likePattern } from './like.js';
import { OperandCompiler } from './operands.js';
import { PathCompiler } from './paths.js';
import { existsIn } from './scope.js';

export class ConditionCompiler {
  private readonly operands: OperandCompiler;

  constructor(private readonly paths: PathCompiler) {
    this.operands = new OperandCompiler(paths);
  }

  private get systemId(): string {
    return this.paths.scope.context.options.systemId;
  }

  compile(node: Condition): Expr {
    switch (node.kind) {
      case 'and':
        return sql.and(...node.operands.map((o) => this.compile(o)));
      case 'or':
        return sql.or(...node.operands.map((o) => this.compile(o)));
      case 'not':
        return sql.not(this.compile(node.operand));
      case 'comparison':
        return compare(this.operands.comparison(node.left), node.operator, this.operands.comparison(node.right), this.systemId);
      case 'like': {
        const pattern = this.operands.constant(node.pattern);
        if (typeof pattern !== 'string') {
          throw invalidQuery(node.pattern.position, 'LIKE needs a string pattern');
        }
        const value = this.operands.value(node.operand);
        return sql.binary('LIKE', sql.fn('aql_text', [value.expr]), sql.cast(sql.value(likePattern(pattern, node.pattern.position)), 'text'));
      }
      case 'matches': {
        const set = node.valueSet;
        if (set.kind !== 'valueList') {
          throw notSupported(set.position, set.kind === 'uriValueSet' ? 'MATCHES with a terminology URI' : 'MATCHES with a function');
        }
        const left = this.operands.comparison(node.operand);
        const items = set.items.flatMap((item) => this.listItems(item));
        if (items.length === 0) {
          return sql.keyword('FALSE');
        }
        return sql.or(...items.map((item) => compare(left, '=', item, this.systemId)));
      }
      case 'exists': {
        if (node.operand.kind !== 'identifiedPath') {
          throw notSupported(node.operand.position, 'EXISTS on anything but a path');
        }
        const nested = new PathCompiler(this.paths.scope.nested());
        const value = nested.compile(node.operand);
        return existsIn(nested.scope, sql.isNotNull(value.expr));
      }
    }
  }

  /** MATCHES list items; a parameter holding a list gives each of its values. */
  private listItems(item: Operand) {
    const constant = this.operands.constant(item);
    if (Array.isArray(constant)) {
      return constant.map((value: unknown) => ({ kind: 'constant' as const, value, position: item.position }));
    }
    return [this.operands.comparison(item)];
  }
}
