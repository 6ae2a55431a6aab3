import assert from 'node:assert/strict';
import { CdrError } from '@cdr/rm';
import { prepareAql } from '../check/check.js';
import { compileAql } from './compile-query.js';

const BP = 'openEHR-EHR-OBSERVATION.blood_pressure.v2';
const SYSTOLIC = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';

function compile(q: string, parameters: Record<string, unknown> = {}, options: { ehrId?: string; limit?: number } = {}) {
  return compileAql(prepareAql(q, { parameters }), { systemId: 'cdr.local', parameters, ...options });
}

function refusal(q: string, parameters: Record<string, unknown> = {}): string {
  try {
    compile(q, parameters);
  } catch (error) {
    assert.ok(error instanceof CdrError, String(error));
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail(`${q} compiled`);
}

describe('AQL compiler: golden SQL', () => {
  it('one EHR: the EHR by its primary key, the observation by EHR and archetype, values by archetype path', () => {
    const compiled = compile(
      `SELECT c/uid/value, ${SYSTOLIC} AS systolic FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] ORDER BY c/context/start_time DESC LIMIT 10`,
      { ehr: '7d44b88c-4199-4bad-97dc-d78268e01398' },
    );
    assert.equal(
      compiled.sql,
      'SELECT "q"."c0" AS "c0", "q"."c1" AS "c1" FROM (SELECT "r"."x0" AS "c0", "r"."x1" AS "c1", "r"."x2" AS "x2" FROM (' +
        'SELECT "n2"."data" -> CAST($1 AS text) -> CAST($2 AS text) AS "x0", to_jsonb("n4"."magnitude") AS "x1", "n5"."data" -> CAST($3 AS text) AS "x2" ' +
        'FROM "ehr" AS "e1" ' +
        'JOIN "aql_node" AS "n2" ON "n2"."rm_type" = CAST($4 AS text) AND "n2"."num" = CAST($5 AS integer) AND "n2"."ehr_id" = "e1"."ehr_id" ' +
        'JOIN "aql_node" AS "n3" ON "n3"."rm_type" = CAST($6 AS text) AND "n3"."archetype_node_id" = CAST($7 AS text) AND "n3"."ehr_id" = "n2"."ehr_id" AND "n3"."vo_id" = "n2"."vo_id" AND "n3"."num" > "n2"."num" AND "n3"."num" <= "n2"."num_cap" ' +
        'LEFT JOIN "aql_node" AS "n4" ON "n4"."ehr_id" = "n3"."ehr_id" AND "n4"."vo_id" = "n3"."vo_id" AND "n4"."arch_root" = "n3"."num" AND "n4"."arch_path" = CAST($8 AS text) AND "n4"."arch_id" = CAST($9 AS text) ' +
        'LEFT JOIN "aql_node" AS "n5" ON "n5"."ehr_id" = "n2"."ehr_id" AND "n5"."vo_id" = "n2"."vo_id" AND "n5"."arch_root" = "n2"."num" AND "n5"."arch_path" = CAST($10 AS text) ' +
        'WHERE "e1"."ehr_id" = CAST($11 AS uuid) AND ("e1"."is_queryable" OR "e1"."ehr_id" IN (CAST($12 AS uuid)))) AS "r") AS "q" ' +
        'ORDER BY aql_sort("q"."x2") DESC LIMIT CAST($13 AS bigint)',
    );
    assert.deepEqual(compiled.params, [
      'uid',
      'value',
      'start_time',
      'COMPOSITION',
      0,
      'OBSERVATION',
      BP,
      '/data[at0001]/events[at0006]/data[at0003]/items[at0004]',
      BP,
      '/context',
      '7d44b88c-4199-4bad-97dc-d78268e01398',
      '7d44b88c-4199-4bad-97dc-d78268e01398',
      10,
    ]);
    assert.deepEqual(compiled.columns, [
      { name: '#0', path: 'c/uid/value' },
      { name: 'systolic', path: SYSTOLIC },
    ]);
  });

  it('population COUNT: no row for the composition or the observation, the magnitude from its index column', () => {
    const compiled = compile(`SELECT COUNT(*) FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] WHERE ${SYSTOLIC} >= 140`);
    assert.equal(
      compiled.sql,
      'SELECT "q"."c0" AS "c0" FROM (SELECT to_jsonb(count(*)) AS "c0" FROM (SELECT TRUE AS "x" FROM "ehr" AS "e1" ' +
        'JOIN "aql_node" AS "n2" ON "n2"."arch_path" = CAST($1 AS text) AND "n2"."arch_id" = CAST($2 AS text) AND "n2"."ehr_id" = "e1"."ehr_id" AND "n2"."obj_type" = CAST($3 AS text) AND "n2"."arch_root" > CAST($4 AS integer) ' +
        'WHERE "n2"."magnitude" >= CAST($5 AS numeric) AND "e1"."is_queryable") AS "r") AS "q"',
    );
    assert.deepEqual(compiled.params, ['/data[at0001]/events[at0006]/data[at0003]/items[at0004]', BP, 'COMPOSITION', 0, '140']);
    assert.deepEqual(compiled.columns, [{ name: '#0' }]);
  });

  it('keeps every value out of the SQL text, whatever it holds', () => {
    const hostile = "x' OR '1'='1'; DROP TABLE ehr; --";
    const compiled = compile(`SELECT c/name/value FROM COMPOSITION c WHERE c/name/value = $p OR c/name/value LIKE '${hostile.replaceAll("'", "\\'")}*'`, { p: hostile });
    assert.ok(!compiled.sql.includes('DROP'), compiled.sql);
    assert.ok(compiled.params.includes(JSON.stringify(hostile)));
    assert.ok(compiled.params.some((p) => typeof p === 'string' && p.startsWith("x' OR")));
  });

  it('scopes to the EHR of the ehrId option, which stays visible without consent', () => {
    const compiled = compile('SELECT c/uid/value FROM COMPOSITION c', {}, { ehrId: '7D44B88C-4199-4bad-97dc-d78268e01398' });
    assert.match(compiled.sql, /"h\d+"\."ehr_id" = CAST\(\$\d+ AS uuid\) AND \("h\d+"\."is_queryable" OR "h\d+"\."ehr_id" IN \(CAST\(\$\d+ AS uuid\)\)\)/);
    assert.equal(compiled.params.filter((p) => p === '7d44b88c-4199-4bad-97dc-d78268e01398').length, 2);
  });

  it('tells whether the query reads only EHRs it names by id', () => {
    const id = '7d44b88c-4199-4bad-97dc-d78268e01398';
    const other = '0b2a1a5e-8f3c-4c1e-9d7a-2f1e5b9c0a11';
    const named: [string, Record<string, unknown>, { ehrId?: string }][] = [
      ['SELECT c/uid/value FROM EHR e[ehr_id/value = $e] CONTAINS COMPOSITION c', { e: id }, {}],
      [`SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = '${id}' AND c/name/value = 'x'`, {}, {}],
      ['SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value MATCHES {$a, $b}', { a: id, b: other }, {}],
      ['SELECT c/uid/value FROM COMPOSITION c', {}, { ehrId: id }],
    ];
    for (const [q, parameters, options] of named) {
      assert.equal(compile(q, parameters, options).namedEhrsOnly, true, q);
    }
    const population: [string, Record<string, unknown>][] = [
      ['SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c', {}],
      [`SELECT c/uid/value FROM EHR e[ehr_id/value = '${id}' or ehr_id/value = '${other}'] CONTAINS COMPOSITION c`, {}],
      [`SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = '${id}' OR c/name/value = 'x'`, {}],
      ["SELECT c/uid/value FROM EHR e[ehr_id/value = 'not-a-uuid'] CONTAINS COMPOSITION c", {}],
    ];
    for (const [q, parameters] of population) {
      assert.equal(compile(q, parameters).namedEhrsOnly, false, q);
    }
  });

  it('applies the limit and offset it is given, else the query\'s own', () => {
    assert.deepEqual(compile('SELECT c/uid/value FROM COMPOSITION c LIMIT 5 OFFSET 2').params.slice(-2), [5, 2]);
    assert.deepEqual(compile('SELECT c/uid/value FROM COMPOSITION c', {}, { limit: 7 }).params.slice(-1), [7]);
  });
});

describe('AQL compiler: what it refuses, with the position', () => {
  const cases: readonly [string, RegExp][] = [
    ['SELECT e FROM EHR e', /line 1, column 8: selecting a whole EHR is not supported/],
    ['SELECT c FROM COMPOSITION c CONTAINS PARTICIPATION p', /line 1, column 38: FROM PARTICIPATION is not supported/],
    [`SELECT AVG(o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value) FROM OBSERVATION o[${BP}]`, /AVG over data values \(only over numbers\) is not supported/],
    ['SELECT e/ehr_access FROM EHR e', /line 1, column 10: the EHR attribute 'ehr_access' is not supported/],
    [`SELECT DISTINCT c/name/value FROM COMPOSITION c ORDER BY c/uid/value`, /ORDER BY a value that is not selected, together with DISTINCT or aggregates, is not supported/],
    ['SELECT c FROM COMPOSITION c CONTAINS VERSION v', /line 1, column 38: VERSION inside COMPOSITION is not supported/],
    ['SELECT v/signature FROM VERSION v CONTAINS COMPOSITION c', /the VERSION attribute 'signature' is not supported/],
  ];
  for (const [q, message] of cases) {
    it(q, () => assert.match(refusal(q), message));
  }

  it('refuses a uid without version, and a uid of another system', () => {
    const uuid = '9b9725a1-347a-40dd-8c68-e78938ec0f19';
    assert.match(refusal(`SELECT c FROM COMPOSITION c WHERE c/uid/value = '${uuid}::cdr.local::'`), /is not a valid OBJECT_VERSION_ID\/UID/);
    assert.match(refusal(`SELECT c FROM COMPOSITION c WHERE c/uid/value = '${uuid}::elsewhere::1'`), /does not match this server \(cdr\.local\)/);
  });

  it('refuses a LIKE pattern with a backslash before anything but *, ? or a backslash', () => {
    assert.match(refusal("SELECT c FROM COMPOSITION c WHERE c/name/value LIKE '*20\\\\%*'"), /Invalid LIKE pattern: \*20\\%\*/);
  });

  it('refuses a parameter without a value', () => {
    assert.throws(() => compileAql(prepareAql('SELECT c FROM COMPOSITION c WHERE c/name/value = $n'), { systemId: 'cdr.local' }), /no value was supplied for the parameter \$n/);
  });
});
