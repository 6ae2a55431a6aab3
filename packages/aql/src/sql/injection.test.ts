import assert from 'node:assert/strict';
import { isCdrError } from '@cdr/rm';
import { compileSql } from './compiler.js';
import * as sql from './factory.js';
import { sanitizeIdentifier } from './identifiers.js';
import type { Expr, SelectQuery } from './nodes.js';

/** Values an attacker (or an unlucky patient name) might send. */
const HOSTILE_VALUES: readonly string[] = [
  "'",
  "''",
  "'; DROP TABLE composition; --",
  "' OR '1'='1",
  "x' OR 1=1 --",
  '"',
  '"; DROP TABLE ehr; --',
  '$1',
  '$2::text',
  '$$ LANGUAGE sql $$',
  '$tag$ SELECT 1 $tag$',
  '--',
  '-- comment\nSELECT 1',
  '/* */',
  '*/ SELECT 1 /*',
  ';',
  '; SELECT pg_sleep(10);',
  '\\',
  "\\'",
  "E'\\x27'",
  'back\\slash\\\\',
  'O\u2019Brien',
  'Zoë Ångström',
  '患者',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀',
  '\u202eevil',
  'line\r\nbreak',
  'tab\there',
  'nul\u0000byte',
  '%_*?',
  '{"a": 1}',
  ')) OR TRUE --',
  '\u0000',
  '\u00001\u0000',
];

/** Every position a value can take in a query the AQL mapping is likely to build. */
function queryWith(value: unknown): SelectQuery {
  const data = sql.column('c', 'data');
  return sql.select({
    with: sql.withClause([sql.cte('scope', sql.select({ columns: [sql.star()], from: [sql.table('ehr')], where: sql.eq(sql.column('id'), sql.value(value)) }))]),
    columns: [
      sql.selectItem(sql.value(value), 'literal'),
      sql.jsonGetText(data, typeof value === 'string' ? value : 'k'),
      sql.fn('concat', [sql.value(value), sql.column('c', 'id')]),
      sql.caseWhen([sql.when(sql.eq(sql.column('c', 'id'), sql.value(value)), sql.value(value))], sql.value(value)),
    ],
    from: [sql.table('composition', 'c')],
    joins: [
      sql.crossJoinLateral(sql.functionTable(sql.jsonbPathQuery(data, typeof value === 'string' ? value : '$', { v: value }), 'item', { columns: ['value'] })),
    ],
    where: sql.and(
      sql.eq(sql.column('c', 'ehr_id'), sql.value(value)),
      sql.binary('LIKE', sql.jsonPathText(data, ['name', typeof value === 'string' ? value : 'v']), sql.value(value)),
      sql.inList(sql.column('c', 'template_id'), [sql.value(value), sql.value('other')]),
      sql.jsonContains(data, { [typeof value === 'string' ? value : 'k']: value }),
      sql.exists(sql.select({ columns: [sql.keyword('TRUE')], where: sql.ne(sql.value(value), sql.column('c', 'id')) })),
    ),
    orderBy: [sql.orderItem(sql.jsonGet(data, typeof value === 'string' ? value : 'k'))],
    limit: sql.value(10),
  });
}

const REFERENCE = compileSql(queryWith('x'));

/** A deterministic sequence of awkward strings: quotes, dollars, dashes, backslashes, NUL, unicode. */
function* randomStrings(count: number): Generator<string> {
  const alphabet = ["'", '"', '$', '-', ';', '\\', '/', '*', '(', ')', '\u0000', '\n', ' ', 'a', '1', 'é', '😀', '\u2019', '%', '?'];
  let seed = 0x2545f491;
  const next = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let i = 0; i < count; i++) {
    const length = 1 + (next() % 24);
    let text = '';
    for (let j = 0; j < length; j++) {
      text += alphabet[next() % alphabet.length];
    }
    yield text;
  }
}

describe('SQL injection', () => {
  describe('values never reach the SQL text', () => {
    for (const value of HOSTILE_VALUES) {
      it(`${JSON.stringify(value)}`, () => {
        const compiled = compileSql(queryWith(value));
        assert.equal(compiled.sql, REFERENCE.sql, 'the SQL text must not depend on the value');
        assert.equal(compiled.params.length, REFERENCE.params.length);
        const occurrences = compiled.params.filter((param) => param === value).length;
        assert.ok(occurrences >= 8, `the value is passed as a parameter (${occurrences} times)`);
        assert.ok(compiled.params.includes(JSON.stringify({ v: value })), 'jsonpath variables travel as a JSON parameter');
      });
    }

    it('for a thousand random awkward strings', () => {
      for (const value of randomStrings(1000)) {
        const compiled = compileSql(queryWith(value));
        assert.equal(compiled.sql, REFERENCE.sql, JSON.stringify(value));
      }
    });

    it('for values of other types: numbers, booleans, null, dates, arrays, objects', () => {
      const values: readonly unknown[] = [0, -1.5, Number.MAX_SAFE_INTEGER, 10n, true, false, null, new Date(0), ['a', "'"], { "'": '"' }];
      for (const value of values) {
        const compiled = compileSql(sql.eq(sql.column('c'), sql.value(value)));
        assert.equal(compiled.sql, '"c" = $1');
        assert.deepEqual(compiled.params, [value]);
      }
    });

    it('numbers the parameters $1..$n in the order they appear in the text', () => {
      const numbers = [...REFERENCE.sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
      assert.deepEqual(numbers, numbers.map((_, index) => index + 1));
      assert.equal(numbers.length, REFERENCE.params.length);
    });
  });

  describe('identifiers are escaped by one function', () => {
    const hostileNames: readonly string[] = [
      'plain',
      'UpperCase',
      'with space',
      'quote"inside',
      '"',
      '""',
      'x"; DROP TABLE ehr; --',
      "single'quote",
      'dollar$1',
      'semi;colon',
      'back\\slash',
      'Zoë',
      '😀',
      'select',
    ];

    /** The text of a double-quoted identifier read back as PostgreSQL reads it. */
    function unquote(quoted: string): string {
      assert.match(quoted, /^"(?:[^"]|"")*"$/, `not a single quoted identifier: ${quoted}`);
      return quoted.slice(1, -1).replaceAll('""', '"');
    }

    for (const name of hostileNames) {
      it(JSON.stringify(name), () => {
        assert.equal(unquote(sanitizeIdentifier(name)), name);
        const compiled = compileSql(
          sql.select({
            columns: [sql.selectItem(sql.column(name, name), name)],
            from: [sql.table(name, name, name)],
            joins: [sql.crossJoinLateral(sql.derivedTable(sql.select({ columns: [sql.keyword('TRUE')] }), name, [name]))],
          }),
        );
        const q = sanitizeIdentifier(name);
        assert.equal(
          compiled.sql,
          `SELECT ${q}.${q} AS ${q} FROM ${q}.${q} AS ${q} CROSS JOIN LATERAL (SELECT TRUE) AS ${q}(${q})`,
        );
        assert.deepEqual(compiled.params, []);
      });
    }

    it('for random awkward names, the quoted form always reads back as the name', () => {
      for (const name of randomStrings(1000)) {
        if (name.includes('\u0000') || new TextEncoder().encode(name).length > 63) {
          assert.throws(() => sanitizeIdentifier(name), (error: unknown) => isCdrError(error));
          continue;
        }
        assert.equal(unquote(sanitizeIdentifier(name)), name);
      }
    });
  });

  it('names that are not identifiers cannot carry text into the SQL', () => {
    const attempts: readonly (() => Expr)[] = [
      () => sql.fn("lower'); DROP TABLE ehr; --"),
      () => sql.fn('pg_sleep(10)--'),
      () => sql.cast(sql.column('a'), "text); DROP TABLE ehr; --"),
      () => sql.cast(sql.column('a'), 'text\u0000'),
      () => sql.keyword("NULL' OR '1'='1"),
      () => sql.keyword('null'),
      () => sql.keyword('TRUE; DROP TABLE ehr'),
    ];
    for (const attempt of attempts) {
      assert.throws(attempt, (error: unknown) => isCdrError(error) && error.status === 500);
    }
  });
});
