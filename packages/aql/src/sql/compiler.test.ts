import assert from 'node:assert/strict';
import { isCdrError } from '@cdr/rm';
import { compileSql } from './compiler.js';
import * as sql from './factory.js';
import type { SqlNode } from './nodes.js';

const c = (name: string): ReturnType<typeof sql.column> => sql.column('c', name);

function compiles(node: SqlNode, expected: string, params: readonly unknown[] = []): void {
  const compiled = compileSql(node);
  assert.equal(compiled.sql, expected);
  assert.deepEqual(compiled.params, params);
}

function refuses(node: () => SqlNode, message: RegExp): void {
  assert.throws(
    () => compileSql(node()),
    (error: unknown) => isCdrError(error) && error.status === 500 && message.test(error.message),
  );
}

describe('compileSql', () => {
  it('compiles a SELECT with WHERE, ORDER BY, LIMIT and OFFSET', () => {
    compiles(
      sql.select({
        columns: [sql.selectItem(c('id')), sql.selectItem(c('data'), 'doc')],
        from: [sql.table('composition', 'c', 'cdr')],
        where: sql.and(sql.eq(c('ehr_id'), sql.value('7d44b88c')), sql.gte(c('version'), sql.value(2))),
        orderBy: [sql.orderItem(c('committed'), 'DESC', 'LAST'), sql.orderItem(c('id'))],
        limit: sql.value(10),
        offset: sql.value(20),
      }),
      'SELECT "c"."id", "c"."data" AS "doc" FROM "cdr"."composition" AS "c" WHERE "c"."ehr_id" = $1 AND "c"."version" >= $2 ORDER BY "c"."committed" DESC NULLS LAST, "c"."id" LIMIT $3 OFFSET $4',
      ['7d44b88c', 2, 10, 20],
    );
  });

  it('compiles joins, including LATERAL joins on derived tables and set-returning functions', () => {
    const items = sql.functionTable(sql.fn('jsonb_array_elements', [sql.jsonGet(c('data'), 'content')]), 'item', {
      columns: ['value', 'ordinal'],
      withOrdinality: true,
    });
    const latest = sql.derivedTable(
      sql.select({ columns: [sql.star()], from: [sql.table('version', 'v')], where: sql.eq(sql.column('v', 'object_id'), c('id')), limit: sql.value(1) }),
      'latest',
    );
    compiles(
      sql.select({
        columns: [sql.star('c')],
        from: [sql.table('composition', 'c')],
        joins: [
          sql.innerJoin(sql.table('ehr', 'e'), sql.eq(sql.column('e', 'id'), c('ehr_id'))),
          sql.leftJoin(sql.table('folder', 'f'), sql.eq(sql.column('f', 'ehr_id'), c('ehr_id'))),
          sql.crossJoinLateral(items),
          sql.leftJoinLateral(latest, sql.keyword('TRUE')),
          sql.crossJoin(sql.table('system')),
        ],
      }),
      'SELECT "c".* FROM "composition" AS "c" JOIN "ehr" AS "e" ON "e"."id" = "c"."ehr_id" LEFT JOIN "folder" AS "f" ON "f"."ehr_id" = "c"."ehr_id" ' +
        'CROSS JOIN LATERAL jsonb_array_elements("c"."data" -> CAST($1 AS text)) WITH ORDINALITY AS "item"("value", "ordinal") ' +
        'LEFT JOIN LATERAL (SELECT * FROM "version" AS "v" WHERE "v"."object_id" = "c"."id" LIMIT $2) AS "latest" ON TRUE CROSS JOIN "system"',
      ['content', 1],
    );
  });

  it('compiles CTEs (recursive, with columns and materialisation) and set operations, numbering parameters in text order', () => {
    const tree = sql.cte(
      'tree',
      sql.setOperation('UNION ALL', [
        sql.select({
          columns: [sql.column('f', 'id'), sql.cast(sql.value(0), 'integer')],
          from: [sql.table('folder', 'f')],
          where: sql.eq(sql.column('f', 'id'), sql.value('root')),
        }),
        sql.select({
          columns: [sql.column('f', 'id'), sql.binary('+', sql.column('t', 'depth'), sql.value(1))],
          from: [sql.table('folder', 'f')],
          joins: [sql.innerJoin(sql.table('tree', 't'), sql.eq(sql.column('f', 'parent_id'), sql.column('t', 'id')))],
        }),
      ]),
      { columns: ['id', 'depth'] },
    );
    const counted = sql.cte('counted', sql.select({ columns: [sql.countAll()], from: [sql.table('tree')] }), { materialized: false });
    compiles(
      sql.select({ with: sql.withClause([tree, counted], true), columns: [sql.star()], from: [sql.table('counted')], where: sql.gt(sql.column('count'), sql.value(5)) }),
      'WITH RECURSIVE "tree"("id", "depth") AS ((SELECT "f"."id", CAST($1 AS integer) FROM "folder" AS "f" WHERE "f"."id" = $2) UNION ALL ' +
        '(SELECT "f"."id", "t"."depth" + $3 FROM "folder" AS "f" JOIN "tree" AS "t" ON "f"."parent_id" = "t"."id")), ' +
        '"counted" AS NOT MATERIALIZED (SELECT count(*) FROM "tree") SELECT * FROM "counted" WHERE "count" > $4',
      [0, 'root', 1, 5],
    );
  });

  it('compiles subqueries: EXISTS, NOT EXISTS, IN (list), IN (query), scalar', () => {
    const contained = sql.select({ columns: [sql.keyword('TRUE')], from: [sql.table('node', 'n')], where: sql.eq(sql.column('n', 'composition_id'), c('id')) });
    compiles(
      sql.select({
        columns: [sql.selectItem(sql.subquery(sql.select({ columns: [sql.fn('max', [sql.column('v', 'n')])], from: [sql.table('version', 'v')] })), 'latest')],
        from: [sql.table('composition', 'c')],
        where: sql.and(
          sql.exists(contained),
          sql.exists(contained, true),
          sql.inList(c('template_id'), [sql.value('a'), sql.value('b')]),
          sql.inList(c('ehr_id'), sql.select({ columns: [sql.column('id')], from: [sql.table('ehr')] }), true),
        ),
      }),
      'SELECT (SELECT max("v"."n") FROM "version" AS "v") AS "latest" FROM "composition" AS "c" WHERE EXISTS (SELECT TRUE FROM "node" AS "n" WHERE "n"."composition_id" = "c"."id") ' +
        'AND NOT EXISTS (SELECT TRUE FROM "node" AS "n" WHERE "n"."composition_id" = "c"."id") AND "c"."template_id" IN ($1, $2) AND "c"."ehr_id" NOT IN (SELECT "id" FROM "ehr")',
      ['a', 'b'],
    );
  });

  it('compiles aggregates with DISTINCT, ORDER BY and FILTER, GROUP BY, HAVING and DISTINCT ON', () => {
    compiles(
      sql.select({
        distinct: [c('ehr_id')],
        columns: [
          c('ehr_id'),
          sql.fn('count', [c('id')], { distinct: true }),
          sql.fn('jsonb_agg', [c('data')], { orderBy: [sql.orderItem(c('committed'), 'ASC')], filter: sql.isNotNull(c('data')) }),
        ],
        from: [sql.table('composition', 'c')],
        groupBy: [c('ehr_id')],
        having: sql.gt(sql.countAll(), sql.value(1)),
      }),
      'SELECT DISTINCT ON ("c"."ehr_id") "c"."ehr_id", count(DISTINCT "c"."id"), jsonb_agg("c"."data" ORDER BY "c"."committed" ASC) FILTER (WHERE "c"."data" IS NOT NULL) ' +
        'FROM "composition" AS "c" GROUP BY "c"."ehr_id" HAVING count(*) > $1',
      [1],
    );
  });

  it('compiles casts, CASE, ARRAY and keywords', () => {
    compiles(
      sql.select({
        distinct: true,
        columns: [
          sql.cast(c('magnitude'), 'numeric(10,2)'),
          sql.cast(sql.value('2024-01-01T00:00:00Z'), 'timestamp with time zone'),
          sql.caseWhen([sql.when(sql.isNull(c('x')), sql.keyword('NULL')), sql.when(sql.lt(c('x'), sql.value(0)), sql.value('negative'))], sql.value('other')),
          sql.array([sql.value('a'), sql.value('b')]),
          sql.keyword('CURRENT_TIMESTAMP'),
        ],
        from: [sql.table('composition', 'c')],
      }),
      'SELECT DISTINCT CAST("c"."magnitude" AS numeric(10,2)), CAST($1 AS timestamp with time zone), CASE WHEN "c"."x" IS NULL THEN NULL WHEN "c"."x" < $2 THEN $3 ELSE $4 END, ARRAY[$5, $6], CURRENT_TIMESTAMP FROM "composition" AS "c"',
      ['2024-01-01T00:00:00Z', 0, 'negative', 'other', 'a', 'b'],
    );
  });

  it('compiles the JSONB operators with their keys, paths and documents as parameters', () => {
    const data = c('data');
    compiles(
      sql.select({
        columns: [
          sql.jsonGetText(sql.jsonGet(data, 'name'), 'value'),
          sql.jsonGet(sql.jsonGet(data, 'items'), 0),
          sql.jsonPath(data, ['context', 'start_time']),
          sql.jsonPathText(data, ['content', 0, 'name', 'value']),
        ],
        from: [sql.table('composition', 'c')],
        where: sql.and(
          sql.jsonContains(data, { archetype_details: { template_id: { value: 'vital_signs' } } }),
          sql.jsonPathExistsOperator(data, '$.content[*] ? (@.archetype_node_id == "openEHR-EHR-OBSERVATION.bp.v2")'),
          sql.jsonPathMatchOperator(data, '$.uid.value like_regex "^a"'),
        ),
      }),
      'SELECT "c"."data" -> CAST($1 AS text) ->> CAST($2 AS text), "c"."data" -> CAST($3 AS text) -> CAST($4 AS integer), ' +
        '"c"."data" #> CAST($5 AS text[]), "c"."data" #>> CAST($6 AS text[]) FROM "composition" AS "c" WHERE "c"."data" @> CAST($7 AS jsonb) AND "c"."data" @? CAST($8 AS jsonpath) AND "c"."data" @@ CAST($9 AS jsonpath)',
      [
        'name',
        'value',
        'items',
        0,
        ['context', 'start_time'],
        ['content', '0', 'name', 'value'],
        '{"archetype_details":{"template_id":{"value":"vital_signs"}}}',
        '$.content[*] ? (@.archetype_node_id == "openEHR-EHR-OBSERVATION.bp.v2")',
        '$.uid.value like_regex "^a"',
      ],
    );
  });

  it('compiles the jsonb_path_query family, with variables as a JSON parameter', () => {
    const data = c('data');
    const path = '$.content[*] ? (@.archetype_node_id == $id)';
    compiles(
      sql.select({
        columns: [
          sql.jsonbPathQueryFirst(data, path, { id: 'openEHR-EHR-OBSERVATION.bp.v2' }),
          sql.jsonbPathQueryArray(data, '$.content[*].name.value'),
          sql.jsonbPathExists(data, '$.context'),
          sql.jsonbPathMatch(data, '$.uid.value == "x"'),
        ],
        from: [sql.table('composition', 'c')],
        joins: [sql.crossJoinLateral(sql.functionTable(sql.jsonbPathQuery(data, path, { id: 'x' }), 'o', { columns: ['item'] }))],
      }),
      'SELECT jsonb_path_query_first("c"."data", CAST($1 AS jsonpath), CAST($2 AS jsonb)), jsonb_path_query_array("c"."data", CAST($3 AS jsonpath)), ' +
        'jsonb_path_exists("c"."data", CAST($4 AS jsonpath)), jsonb_path_match("c"."data", CAST($5 AS jsonpath)) FROM "composition" AS "c" ' +
        'CROSS JOIN LATERAL jsonb_path_query("c"."data", CAST($6 AS jsonpath), CAST($7 AS jsonb)) AS "o"("item")',
      [path, '{"id":"openEHR-EHR-OBSERVATION.bp.v2"}', '$.content[*].name.value', '$.context', '$.uid.value == "x"', path, '{"id":"x"}'],
    );
  });

  describe('brackets', () => {
    const a = sql.column('a');
    const b = sql.column('b');
    const d = sql.column('d');

    it('brackets OR inside AND, and AND inside OR for the reader', () => {
      compiles(sql.and(sql.or(sql.eq(a, b), sql.eq(b, d)), sql.eq(a, d)), '("a" = "b" OR "b" = "d") AND "a" = "d"');
      compiles(sql.or(sql.and(sql.eq(a, b), sql.eq(b, d)), sql.eq(a, d)), '("a" = "b" AND "b" = "d") OR "a" = "d"');
    });

    it('brackets what NOT negates unless it is a single term', () => {
      compiles(sql.not(sql.eq(a, b)), 'NOT ("a" = "b")');
      compiles(sql.not(sql.fn('jsonb_path_exists', [a, b])), 'NOT jsonb_path_exists("a", "b")');
    });

    it('follows PostgreSQL precedence for arithmetic and operators', () => {
      compiles(sql.binary('-', a, sql.binary('-', b, d)), '"a" - ("b" - "d")');
      compiles(sql.binary('-', sql.binary('-', a, b), d), '"a" - "b" - "d"');
      compiles(sql.binary('*', sql.binary('+', a, b), d), '("a" + "b") * "d"');
      compiles(sql.binary('+', sql.binary('*', a, b), d), '"a" * "b" + "d"');
      compiles(sql.eq(sql.binary('||', a, b), d), '"a" || "b" = "d"');
      compiles(sql.eq(sql.eq(a, b), d), '("a" = "b") = "d"');
      compiles(sql.isNull(sql.eq(a, b)), '("a" = "b") IS NULL');
      compiles(sql.binary('LIKE', sql.jsonGetText(a, 'x'), b), '"a" ->> CAST($1 AS text) LIKE "b"', ['x']);
    });
  });

  describe('refuses malformed trees', () => {
    it('names that are not names', () => {
      refuses(() => sql.fn('count(*); DROP TABLE x; --'), /is not a valid function name/);
      refuses(() => sql.cast(sql.value(1), 'int); DROP TABLE x; --'), /is not a valid type name/);
      refuses(() => sql.keyword('1; DROP TABLE x'), /is not an SQL keyword/);
      refuses(() => ({ kind: 'keyword', keyword: 'NULL; DROP TABLE x' }), /is not an SQL keyword/);
      refuses(() => ({ kind: 'function', name: 'now() --', args: [], distinct: false, orderBy: [], filter: undefined }), /is not a valid function name/);
      refuses(() => ({ kind: 'binary', operator: '= 1 OR 1 =', left: sql.column('a'), right: sql.column('b') }) as unknown as SqlNode, /is not a known operator/);
    });

    it('identifiers PostgreSQL would reject or truncate', () => {
      refuses(() => sql.column(''), /non-empty/);
      refuses(() => sql.column('a\u0000b'), /NUL/);
      refuses(() => sql.table('x'.repeat(64)), /longer than 63 bytes/);
      refuses(() => ({ kind: 'column', table: undefined, name: 'é'.repeat(32) }), /longer than 63 bytes/);
    });

    it('joins without a condition, and empty lists', () => {
      refuses(() => sql.join('INNER', sql.table('t')), /needs an ON condition/);
      refuses(() => sql.select({ columns: [] }), /at least one column/);
      refuses(() => sql.inList(sql.column('a'), []), /at least one value/);
      refuses(() => ({ kind: 'value', value: undefined }), /cannot be undefined/);
    });
  });

  it('returns frozen results', () => {
    const compiled = compileSql(sql.eq(sql.column('a'), sql.value(1)));
    assert.ok(Object.isFrozen(compiled) && Object.isFrozen(compiled.params));
  });
});
