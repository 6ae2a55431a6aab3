import assert from 'node:assert/strict';
import { isCdrError } from '@cdr/rm';
import type { CdrError } from '@cdr/rm';
import type { Comparison, Contains, IdentifiedPath, Query } from '../ast/nodes.js';
import { shape } from '../testing/ast-shape.js';
import { parseAql } from './parse.js';

function syntaxError(text: string): CdrError {
  try {
    parseAql(text);
  } catch (error) {
    assert.ok(isCdrError(error), `expected a CdrError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected a syntax error for: ${text}`);
}

const where = (query: Query): unknown => shape(query.where);
const column = (query: Query, index = 0): unknown => shape(query.select.columns[index]?.expression);

describe('parseAql', () => {
  describe('a representative query', () => {
    const query = parseAql(
      `SELECT DISTINCT c/uid/value AS uid, o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude AS systolic
       FROM EHR e[ehr_id/value = $ehrId]
         CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1]
           CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]
       WHERE o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude >= 140
       ORDER BY c/context/start_time/value DESC
       LIMIT 10 OFFSET 20`,
    );

    it('keeps SELECT columns with their aliases and their text as written', () => {
      assert.equal(query.select.distinct, true);
      assert.deepEqual(
        query.select.columns.map((c) => [c.alias, c.source]),
        [
          ['uid', 'c/uid/value'],
          ['systolic', 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude'],
        ],
      );
    });

    it('builds the containment chain from FROM', () => {
      assert.deepEqual(shape(query.from), {
        kind: 'contains',
        negated: false,
        container: {
          kind: 'classExpr',
          rmType: 'EHR',
          alias: 'e',
          predicate: {
            kind: 'predicateComparison',
            path: { kind: 'objectPath', steps: [{ kind: 'pathStep', attribute: 'ehr_id' }, { kind: 'pathStep', attribute: 'value' }] },
            operator: '=',
            value: { kind: 'parameter', name: 'ehrId' },
          },
        },
        contained: {
          kind: 'contains',
          negated: false,
          container: {
            kind: 'classExpr',
            rmType: 'COMPOSITION',
            alias: 'c',
            predicate: {
              kind: 'nodePredicate',
              node: { kind: 'archetypeId', id: 'openEHR-EHR-COMPOSITION.encounter.v1' },
            },
          },
          contained: {
            kind: 'classExpr',
            rmType: 'OBSERVATION',
            alias: 'o',
            predicate: {
              kind: 'nodePredicate',
              node: { kind: 'archetypeId', id: 'openEHR-EHR-OBSERVATION.blood_pressure.v2' },
            },
          },
        },
      });
    });

    it('builds paths step by step, with node predicates', () => {
      const systolic = query.select.columns[1]?.expression as IdentifiedPath;
      assert.equal(systolic.alias, 'o');
      assert.deepEqual(
        systolic.steps.map((step) => [step.attribute, step.predicate?.kind === 'nodePredicate' && step.predicate.node.kind === 'nodeCode' ? step.predicate.node.code : undefined]),
        [
          ['data', 'at0001'],
          ['events', 'at0006'],
          ['data', 'at0003'],
          ['items', 'at0004'],
          ['value', undefined],
          ['magnitude', undefined],
        ],
      );
    });

    it('builds WHERE, ORDER BY and LIMIT', () => {
      const comparison = query.where as Comparison;
      assert.equal(comparison.kind, 'comparison');
      assert.equal(comparison.operator, '>=');
      assert.deepEqual(shape(comparison.right), { kind: 'number', value: 140, text: '140', integer: true });
      assert.deepEqual(
        query.orderBy.map((item) => [item.direction, (item.expression as IdentifiedPath).steps.map((s) => s.attribute).join('/')]),
        [['desc', 'context/start_time/value']],
      );
      assert.deepEqual(shape(query.limit), { kind: 'limit', limit: 10, offset: 20 });
    });

    it('records the line and column of every node', () => {
      assert.deepEqual(query.position, { line: 1, column: 1 });
      assert.deepEqual(query.select.columns[1]?.position, { line: 1, column: 37 });
      assert.deepEqual((query.from as Contains).container.position, { line: 2, column: 13 });
      assert.deepEqual(query.where?.position, { line: 5, column: 14 });
      assert.deepEqual(query.limit?.position, { line: 7, column: 8 });
    });

    it('returns frozen nodes', () => {
      assert.ok(Object.isFrozen(query));
      assert.ok(Object.isFrozen(query.select.columns));
      assert.throws(() => {
        (query as { where: unknown }).where = undefined;
      }, TypeError);
    });
  });

  describe('keywords and lexical details', () => {
    it('accepts keywords and RM type names in any letter case', () => {
      const lower = parseAql('select c from ehr e contains composition c where c/name/value = \'x\' order by c/name/value asc limit 1');
      const upper = parseAql("SELECT c FROM EHR e CONTAINS COMPOSITION c WHERE c/name/value = 'x' ORDER BY c/name/value ASC LIMIT 1");
      assert.deepEqual(shape(lower, ['position', 'source']), shape(upper, ['position', 'source']));
    });

    it('reads true and false as booleans before identifiers', () => {
      const query = parseAql('SELECT e FROM EHR e WHERE e/x = TRUE AND e/y != false');
      assert.deepEqual(where(query), {
        kind: 'and',
        operands: [
          { kind: 'comparison', operator: '=', left: shape(parseAql('SELECT e/x FROM EHR e').select.columns[0]?.expression), right: { kind: 'boolean', value: true } },
          { kind: 'comparison', operator: '!=', left: shape(parseAql('SELECT e/y FROM EHR e').select.columns[0]?.expression), right: { kind: 'boolean', value: false } },
        ],
      });
    });

    it('skips comments', () => {
      const query = parseAql('SELECT e/ehr_id/value -- the id\nFROM EHR e -- every EHR\n--\n');
      assert.equal(query.select.columns.length, 1);
      assert.equal(query.where, undefined);
    });

    it('reads single- and double-quoted strings with backslash escapes', () => {
      const query = parseAql(`SELECT 'it\\'s', "say \\"hi\\"", 'a\\\\b', 'caf\\u00e9', 'x\\*y' FROM EHR e`);
      assert.deepEqual(
        query.select.columns.map((c) => (c.expression.kind === 'string' ? c.expression.value : c.expression.kind)),
        ["it's", 'say "hi"', 'a\\b', 'café', 'x\\*y'],
      );
    });

    it('recognises ISO 8601 dates, times and date-times in strings', () => {
      const query = parseAql(
        "SELECT '2021-03-01', '10:30:00', '2021-03-01T10:30:00.123+01:00', '2021', '2021-13-01', 'Tuesday' FROM EHR e",
      );
      assert.deepEqual(
        query.select.columns.map((c) => (c.expression.kind === 'temporal' ? c.expression.temporalType : c.expression.kind)),
        ['date', 'time', 'dateTime', 'string', 'string', 'string'],
      );
    });

    it('reads integers, reals, exponents and negative numbers', () => {
      const query = parseAql('SELECT 1, -2, 3.25, -0.5, 1e3, 2.5E-2 FROM EHR e');
      assert.deepEqual(
        query.select.columns.map((c) => shape(c.expression)),
        [
          { kind: 'number', value: 1, text: '1', integer: true },
          { kind: 'number', value: -2, text: '-2', integer: true },
          { kind: 'number', value: 3.25, text: '3.25', integer: false },
          { kind: 'number', value: -0.5, text: '-0.5', integer: false },
          { kind: 'number', value: 1000, text: '1e3', integer: false },
          { kind: 'number', value: 0.025, text: '2.5E-2', integer: false },
        ],
      );
    });

    it('reads <> as !=', () => {
      const query = parseAql("SELECT c FROM COMPOSITION c WHERE c/name/value <> 'x'");
      assert.equal(query.where?.kind === 'comparison' ? query.where.operator : undefined, '!=');
    });

    it('accepts aliases that look like node codes', () => {
      const query = parseAql('SELECT id1/name/value FROM COMPOSITION id1');
      assert.equal(query.from.kind === 'classExpr' ? query.from.alias : undefined, 'id1');
      assert.equal((query.select.columns[0]?.expression as IdentifiedPath).alias, 'id1');
    });

    it('accepts NULL, a parameter and a trailing semicolon', () => {
      const query = parseAql('SELECT NULL, $p FROM EHR e;');
      assert.deepEqual(
        query.select.columns.map((c) => shape(c.expression)),
        [{ kind: 'null' }, { kind: 'parameter', name: 'p' }],
      );
    });
  });

  describe('SELECT', () => {
    it('reads aggregates: COUNT(*), COUNT(DISTINCT ...), MIN, MAX, SUM, AVG', () => {
      const query = parseAql(
        'SELECT COUNT(*), count(DISTINCT e/ehr_id/value), MIN(o/x), MAX(o/x), SUM(o/x), AVG(o/x) FROM EHR e CONTAINS OBSERVATION o',
      );
      assert.deepEqual(
        query.select.columns.map((c) => (c.expression.kind === 'aggregate' ? [c.expression.function, c.expression.distinct, c.expression.argument === '*'] : [])),
        [
          ['COUNT', false, true],
          ['COUNT', true, false],
          ['MIN', false, false],
          ['MAX', false, false],
          ['SUM', false, false],
          ['AVG', false, false],
        ],
      );
    });

    it('reads function calls, with CONTAINS usable as a function name', () => {
      const query = parseAql(
        "SELECT length(c/name/value), CONTAINS(c/name/value, 'x'), concat_ws('-', c/a, c/b), NOW(), round(o/x, 2) FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o",
      );
      assert.deepEqual(
        query.select.columns.map((c) => (c.expression.kind === 'functionCall' ? [c.expression.name, c.expression.args.length] : [])),
        [
          ['LENGTH', 1],
          ['CONTAINS', 2],
          ['CONCAT_WS', 3],
          ['NOW', 0],
          ['ROUND', 2],
        ],
      );
    });

    it('keeps a whole-object path and aggregate names usable as aliases', () => {
      const query = parseAql('SELECT c, COUNT(*) AS count FROM COMPOSITION c');
      assert.deepEqual(column(query), { kind: 'identifiedPath', alias: 'c', steps: [] });
      assert.equal(query.select.columns[1]?.alias, 'count');
    });

    it('reads the deprecated TOP', () => {
      const query = parseAql('SELECT TOP 5 BACKWARD c FROM COMPOSITION c');
      assert.deepEqual(shape(query.select.top), { kind: 'top', count: 5, direction: 'backward' });
    });
  });

  describe('FROM', () => {
    it('reads CONTAINS with AND, OR, NOT and parentheses; AND binds tighter than OR', () => {
      const query = parseAql(
        'SELECT e FROM EHR e CONTAINS ((COMPOSITION c1 CONTAINS OBSERVATION o) OR COMPOSITION c2 AND EHR_STATUS s)',
      );
      const from = query.from as Contains;
      assert.equal(from.contained.kind, 'containsOr');
      const or = from.contained;
      assert.ok(or.kind === 'containsOr');
      assert.deepEqual(
        or.operands.map((operand) => operand.kind),
        ['contains', 'containsAnd'],
      );
    });

    it('reads the right-hand side of CONTAINS as a whole expression', () => {
      const query = parseAql('SELECT e FROM EHR e CONTAINS COMPOSITION c AND EHR_STATUS s');
      const from = query.from as Contains;
      assert.equal(from.kind, 'contains');
      assert.equal(from.contained.kind, 'containsAnd');
    });

    it('reads NOT CONTAINS', () => {
      const query = parseAql('SELECT e FROM EHR e NOT CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.x.v1]');
      assert.equal((query.from as Contains).negated, true);
    });

    it('reads classes without an alias and VERSION predicates', () => {
      const latest = parseAql('SELECT v FROM VERSION v[LATEST_VERSION] CONTAINS COMPOSITION');
      const all = parseAql('SELECT v FROM VERSION v[ALL_VERSIONS] CONTAINS COMPOSITION');
      const plain = parseAql('SELECT v FROM VERSION v CONTAINS COMPOSITION');
      const filtered = parseAql("SELECT v FROM VERSION v[commit_audit/time_committed/value > '2024-01-01'] CONTAINS COMPOSITION");
      const containerOf = (query: Query): unknown => shape((query.from as Contains).container, ['position', 'predicate']);
      assert.deepEqual(containerOf(latest), { kind: 'versionExpr', alias: 'v', versions: 'latest' });
      assert.deepEqual(containerOf(all), { kind: 'versionExpr', alias: 'v', versions: 'all' });
      assert.deepEqual(containerOf(plain), { kind: 'versionExpr', alias: 'v', versions: 'latest' });
      assert.deepEqual(containerOf(filtered), { kind: 'versionExpr', alias: 'v', versions: 'all' });
      assert.equal((filtered.from as Contains).container.predicate?.kind, 'predicateComparison');
      assert.deepEqual(shape((plain.from as Contains).contained), { kind: 'classExpr', rmType: 'COMPOSITION' });
    });
  });

  describe('path predicates', () => {
    const predicateOf = (text: string): unknown => {
      const path = parseAql(`SELECT o/items${text}/value FROM OBSERVATION o`).select.columns[0]?.expression as IdentifiedPath;
      return shape(path.steps[0]?.predicate);
    };

    it('reads a node id with a name', () => {
      assert.deepEqual(predicateOf("[at0001, 'Systolic']"), {
        kind: 'nodePredicate',
        node: { kind: 'nodeCode', code: 'at0001' },
        name: { kind: 'string', value: 'Systolic' },
      });
    });

    it('reads an archetype id with a parameter name, and a parameter alone', () => {
      assert.deepEqual(predicateOf('[openEHR-EHR-CLUSTER.device.v1, $name]'), {
        kind: 'nodePredicate',
        node: { kind: 'archetypeId', id: 'openEHR-EHR-CLUSTER.device.v1' },
        name: { kind: 'parameter', name: 'name' },
      });
      assert.deepEqual(predicateOf('[$archetype]'), { kind: 'nodePredicate', node: { kind: 'parameter', name: 'archetype' } });
    });

    it('reads a coded name', () => {
      assert.deepEqual(predicateOf('[at0001, SNOMED-CT(2003)::271649006|Systolic|]'), {
        kind: 'nodePredicate',
        node: { kind: 'nodeCode', code: 'at0001' },
        name: { kind: 'termCode', terminology: 'SNOMED-CT', terminologyVersion: '2003', code: '271649006', text: 'Systolic' },
      });
    });

    it('reads comparisons joined by and/or, and binding tighter than or', () => {
      assert.deepEqual(predicateOf("[at0001 and name/value = 'x' or archetype_node_id = at0002]"), {
        kind: 'predicateOr',
        operands: [
          {
            kind: 'predicateAnd',
            operands: [
              { kind: 'nodePredicate', node: { kind: 'nodeCode', code: 'at0001' } },
              {
                kind: 'predicateComparison',
                path: { kind: 'objectPath', steps: [{ kind: 'pathStep', attribute: 'name' }, { kind: 'pathStep', attribute: 'value' }] },
                operator: '=',
                value: { kind: 'string', value: 'x' },
              },
            ],
          },
          {
            kind: 'predicateComparison',
            path: { kind: 'objectPath', steps: [{ kind: 'pathStep', attribute: 'archetype_node_id' }] },
            operator: '=',
            value: { kind: 'nodeCode', code: 'at0002' },
          },
        ],
      });
    });
  });

  describe('WHERE', () => {
    it('gives NOT precedence over AND, and AND over OR', () => {
      const query = parseAql('SELECT e FROM EHR e WHERE NOT e/a = 1 AND e/b = 2 OR e/c = 3');
      const tree = query.where;
      assert.equal(tree?.kind, 'or');
      assert.ok(tree?.kind === 'or');
      assert.equal(tree.operands[0]?.kind, 'and');
      assert.ok(tree.operands[0]?.kind === 'and');
      assert.equal(tree.operands[0].operands[0]?.kind, 'not');
    });

    it('flattens chains of AND, and keeps parenthesised groups', () => {
      const query = parseAql('SELECT e FROM EHR e WHERE e/a = 1 AND (e/b = 2 OR e/c = 3) AND e/d = 4');
      assert.ok(query.where?.kind === 'and');
      assert.deepEqual(
        query.where.operands.map((operand) => operand.kind),
        ['comparison', 'or', 'comparison'],
      );
    });

    it('reads LIKE, MATCHES, EXISTS and every comparison operator', () => {
      const query = parseAql(
        `SELECT e FROM EHR e CONTAINS COMPOSITION c WHERE c/name/value LIKE 'Vital*' AND c/x MATCHES {'a', 'b', $c}
         AND EXISTS c/context AND c/a = 1 AND c/a != 1 AND c/a > 1 AND c/a >= 1 AND c/a < 1 AND c/a <= 1
         AND c/y MATCHES {terminology://fhir.hl7.org/ValueSet/$expand?url=http://x}`,
      );
      assert.ok(query.where?.kind === 'and');
      const [like, matches, exists, ...rest] = query.where.operands;
      assert.deepEqual(shape(like), {
        kind: 'like',
        operand: shape(parseAql('SELECT c/name/value FROM EHR e').select.columns[0]?.expression),
        pattern: { kind: 'string', value: 'Vital*' },
      });
      assert.ok(matches?.kind === 'matches' && matches.valueSet.kind === 'valueList');
      assert.deepEqual(matches.valueSet.items.map((item) => item.kind), ['string', 'string', 'parameter']);
      assert.equal(exists?.kind, 'exists');
      const uri = rest.pop();
      assert.deepEqual(rest.map((c) => (c.kind === 'comparison' ? c.operator : c.kind)), ['=', '!=', '>', '>=', '<', '<=']);
      assert.ok(uri?.kind === 'matches' && uri.valueSet.kind === 'uriValueSet');
      assert.equal(uri.valueSet.uri, 'terminology://fhir.hl7.org/ValueSet/$expand?url=http://x');
    });

    it('accepts a function or a value on either side of a comparison', () => {
      const query = parseAql("SELECT e FROM EHR e WHERE LENGTH(e/x) > 3 AND 'a' = e/y");
      assert.ok(query.where?.kind === 'and');
      assert.deepEqual(query.where.operands.map((c) => (c.kind === 'comparison' ? [c.left.kind, c.right.kind] : [])), [
        ['functionCall', 'number'],
        ['string', 'identifiedPath'],
      ]);
    });
  });

  describe('ORDER BY', () => {
    it('reads ASC, ASCENDING, DESC, DESCENDING and the default', () => {
      const query = parseAql('SELECT e FROM EHR e ORDER BY e/a, e/b ASC, e/c ASCENDING, e/d DESC, e/e DESCENDING');
      assert.deepEqual(query.orderBy.map((item) => item.direction), ['asc', 'asc', 'asc', 'desc', 'desc']);
    });
  });

  describe('syntax errors', () => {
    it('are 400 errors naming line, column and what was expected', () => {
      const error = syntaxError('SELECT c FROM EHR e CONTAINS COMPOSITION c WHERE');
      assert.equal(error.status, 400);
      assert.equal(error.kind, 'bad-request');
      assert.match(error.message, /^AQL syntax error at line 1, column 49: unexpected end of query; expected /);
      assert.deepEqual(error.issues.map((issue) => issue.path), ['line 1, column 49']);
    });

    it('point at the offending token on later lines', () => {
      const error = syntaxError('SELECT c\nFROM EHR e\nWHERE c/name/value = = 1');
      assert.deepEqual(error.issues.map((issue) => issue.path), ['line 3, column 22']);
      assert.match(error.message, /unexpected '='/);
    });

    it('say which token was expected', () => {
      assert.match(syntaxError('SELECT c FROM EHR e ORDER c').message, /line 1, column 27: expected BY before 'c'/);
      assert.match(syntaxError('SELECT c FROM EHR e LIMIT').message, /expected an integer/);
      assert.match(syntaxError('SELECT c/ FROM EHR e').message, /line 1, column 11: unexpected 'FROM'; expected an identifier/);
      assert.match(syntaxError('SELECT c FROM').message, /expected one of: an identifier, VERSION, '\('/);
    });

    it('report a query without FROM', () => {
      assert.match(syntaxError('SELECT c').message, /unexpected end of query; expected .*FROM/);
    });

    it('report unterminated strings and stray characters', () => {
      assert.match(syntaxError("SELECT c FROM EHR e WHERE e/x = 'abc").message, /line 1, column 33: unterminated string literal/);
      assert.match(syntaxError('SELECT c FROM EHR e WHERE e/x = 1 # 2').message, /line 1, column 35: unexpected character '#'/);
      assert.match(syntaxError('SELECT c FROM EHR e WHERE e/x = $1').message, /'\$1' is not a valid parameter name/);
    });

    it('refuse BETWEEN by name', () => {
      const error = syntaxError('SELECT e FROM EHR e WHERE e/x BETWEEN 1 AND 2');
      assert.match(error.message, /line 1, column 31: BETWEEN is not supported/);
    });

    it('refuse input longer than the limit', () => {
      assert.match(syntaxError(`SELECT e FROM EHR e WHERE e/x = '${'x'.repeat(100_001)}'`).message, /longer than/);
    });
  });
});
