import assert from 'node:assert/strict';
import { isCdrError } from '@cdr/rm';
import type { Issue } from '@cdr/rm';
import type { IdentifiedPath } from '../ast/nodes.js';
import { parseAql } from '../parse/parse.js';
import { checkAql, prepareAql } from './check.js';
import type { CheckOptions } from './check.js';

/** The issues a query is refused with; fails the test when it is accepted. */
function issues(text: string, options?: CheckOptions): Issue[] {
  try {
    prepareAql(text, options);
  } catch (error) {
    assert.ok(isCdrError(error), String(error));
    assert.equal(error.status, 400);
    return [...error.issues];
  }
  assert.fail(`expected the query to be refused: ${text}`);
}

function refusal(text: string, options?: CheckOptions): string {
  const found = issues(text, options);
  assert.equal(found.length, 1, `expected one issue, got ${JSON.stringify(found)}`);
  const [issue] = found;
  return `${issue?.path}: ${issue?.message}`;
}

const OBS = "FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]";
const MAGNITUDE = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';

describe('checkAql', () => {
  describe('a valid query', () => {
    const checked = prepareAql(
      `SELECT c/uid/value, ${MAGNITUDE} AS systolic ${OBS}
       WHERE e/ehr_id/value = $ehrId AND ${MAGNITUDE} > $limit ORDER BY systolic DESC`,
      { parameters: { ehrId: '7d44b88c-4199-4bad-97dc-d78268e01398', limit: 140 } },
    );

    it('returns the aliases with what contains them', () => {
      assert.deepEqual(
        [...checked.aliases.values()].map((binding) => [binding.alias, binding.rmType, binding.containers.map((c) => c.alias).join('>')]),
        [
          ['e', 'EHR', ''],
          ['c', 'COMPOSITION', 'e'],
          ['o', 'OBSERVATION', 'e>c'],
        ],
      );
    });

    it('lists the parameters in order of first use', () => {
      assert.deepEqual(checked.parameters, ['ehrId', 'limit']);
    });

    it('resolves an ORDER BY on a column alias to the column', () => {
      const [item] = checked.query.orderBy;
      assert.equal(item?.direction, 'desc');
      assert.equal((item?.expression as IdentifiedPath).steps.at(-1)?.attribute, 'magnitude');
    });
  });

  it('describes abstract classes by their concrete subtypes, and NOT CONTAINS and OR branches', () => {
    const checked = prepareAql(
      'SELECT x FROM EHR e CONTAINS (COMPOSITION c CONTAINS ENTRY x OR EHR_STATUS s NOT CONTAINS FOLDER f)',
    );
    const x = checked.aliases.get('x');
    assert.ok(x);
    assert.ok(x.concreteTypes.includes('OBSERVATION') && x.concreteTypes.includes('ADMIN_ENTRY'));
    assert.ok(!x.concreteTypes.includes('ENTRY'));
    assert.equal(x.optional, true);
    assert.equal(checked.aliases.get('f')?.negated, true);
    assert.deepEqual(checked.aliases.get('c')?.concreteTypes, ['COMPOSITION']);
  });

  it('can be run on a parsed query and leaves it alone', () => {
    const query = parseAql('SELECT c FROM COMPOSITION c');
    assert.equal(checkAql(query).query, query);
  });

  describe('aliases', () => {
    it('refuses an unknown alias in SELECT, WHERE and ORDER BY, naming the position', () => {
      assert.deepEqual(
        issues("SELECT x/name/value FROM EHR e CONTAINS COMPOSITION c WHERE y/a = 1 ORDER BY z/b").map((i) => `${i.path}: ${i.message}`),
        [
          "line 1, column 8: unknown alias 'x'; FROM defines e, c",
          "line 1, column 61: unknown alias 'y'; FROM defines e, c",
          "line 1, column 78: unknown alias 'z'; FROM defines e, c",
        ],
      );
    });

    it('finds unknown aliases inside function and aggregate arguments', () => {
      assert.equal(refusal('SELECT MAX(LENGTH(q/x)) FROM EHR e'), "line 1, column 19: unknown alias 'q'; FROM defines e");
    });

    it('suggests the call when a bare function name is used as an alias', () => {
      assert.match(refusal('SELECT CURRENT_DATE FROM EHR e'), /write CURRENT_DATE\(\)/);
    });

    it('refuses an alias defined twice in FROM', () => {
      assert.equal(
        refusal('SELECT c FROM EHR c CONTAINS COMPOSITION c'),
        "line 1, column 30: alias 'c' is already defined at line 1, column 15",
      );
    });

    it('refuses a column alias used twice', () => {
      assert.equal(
        refusal('SELECT c/uid/value AS x, c/name/value AS x FROM COMPOSITION c'),
        "line 1, column 26: column alias 'x' is already used at line 1, column 8",
      );
    });

    it('refuses to select an alias that is under NOT CONTAINS', () => {
      assert.equal(
        refusal('SELECT c/uid/value FROM EHR e NOT CONTAINS COMPOSITION c'),
        "line 1, column 8: alias 'c' is inside NOT CONTAINS and has no value to select or compare",
      );
    });
  });

  describe('the RM model', () => {
    it('refuses an unknown RM type in FROM', () => {
      assert.equal(refusal('SELECT c FROM EHR e CONTAINS COMPOSITON c'), "line 1, column 30: unknown RM type 'COMPOSITON' in FROM");
    });

    it('refuses an archetype of another class', () => {
      assert.equal(
        refusal('SELECT o FROM OBSERVATION o[openEHR-EHR-EVALUATION.problem_diagnosis.v1]'),
        'line 1, column 15: archetype openEHR-EHR-EVALUATION.problem_diagnosis.v1 is an archetype of EVALUATION, not of OBSERVATION',
      );
    });

    it('refuses an attribute the RM does not have, at the step', () => {
      assert.equal(refusal('SELECT c/contxt/start_time FROM COMPOSITION c'), "line 1, column 10: COMPOSITION has no attribute 'contxt'");
      assert.equal(
        refusal(`SELECT o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitud FROM OBSERVATION o`),
        "line 1, column 71: DATA_VALUE has no attribute 'magnitud'",
      );
    });

    it('checks the paths of FROM predicates', () => {
      assert.equal(refusal("SELECT e FROM EHR e[ehr_idd/value = 'x']"), "line 1, column 21: EHR has no attribute 'ehr_idd'");
    });

    it('accepts attributes of any subtype and of the class an archetype id names', () => {
      prepareAql('SELECT c/composer/name, c/context/participations/performer/identifiers/id FROM COMPOSITION c');
      prepareAql(
        'SELECT c/content[openEHR-EHR-INSTRUCTION.medication_order.v3]/activities[at0001]/description FROM COMPOSITION c',
      );
      prepareAql('SELECT v/commit_audit/time_committed/value FROM VERSION v CONTAINS COMPOSITION c');
    });
  });

  describe('types', () => {
    it('refuses LIKE on a number and a non-string pattern', () => {
      assert.equal(refusal("SELECT e FROM EHR e WHERE 5 LIKE 'x*'"), 'line 1, column 27: LIKE needs text on its left, not the number literal 5');
      assert.equal(
        refusal('SELECT e FROM EHR e WHERE e/ehr_id/value LIKE 5'),
        'line 1, column 47: LIKE needs a string pattern (a quoted string or a $parameter), not the number literal 5',
      );
    });

    it('refuses an aggregate inside WHERE', () => {
      assert.equal(
        refusal('SELECT e FROM EHR e WHERE COUNT(e/ehr_id/value) > 1'),
        'line 1, column 27: the aggregate function COUNT cannot be used in WHERE',
      );
    });

    it('refuses nested aggregates', () => {
      assert.match(refusal('SELECT MAX(COUNT(*)) FROM EHR e'), /line 1, column 12: aggregate functions cannot be nested \(COUNT\(\*\)\)/);
    });

    it('refuses SUM and AVG of non-numbers', () => {
      assert.equal(refusal("SELECT SUM('abc') FROM EHR e"), "line 1, column 8: SUM needs a numeric argument, not the string literal 'abc'");
      assert.equal(refusal('SELECT AVG(true) FROM EHR e'), 'line 1, column 8: AVG needs a numeric argument, not the boolean literal true');
    });

    it('refuses comparisons between values of different types', () => {
      assert.equal(
        refusal("SELECT e FROM EHR e WHERE 'abc' = 1"),
        "line 1, column 27: cannot compare the string literal 'abc' with the number literal 1",
      );
      assert.match(refusal("SELECT c FROM COMPOSITION c WHERE LENGTH(c/name/value) = 'long'"), /cannot compare LENGTH\(c\/name\/value\) \(a number\) with the string literal 'long'/);
    });

    it('refuses ordering against NULL but accepts = NULL', () => {
      assert.match(refusal('SELECT e FROM EHR e WHERE e/ehr_id/value > NULL'), /> against NULL is never true/);
      prepareAql('SELECT e FROM EHR e WHERE e/ehr_id/value = NULL');
    });

    it('checks function arity and argument types', () => {
      assert.equal(refusal('SELECT LENGTH(c/name/value, c/uid/value) FROM COMPOSITION c'), 'line 1, column 8: LENGTH() takes 1 argument, not 2');
      assert.equal(refusal('SELECT SUBSTRING(c/name/value) FROM COMPOSITION c'), 'line 1, column 8: SUBSTRING() takes 2 or 3 arguments, not 1');
      assert.equal(refusal('SELECT ABS(\'x\') FROM EHR e'), "line 1, column 12: ABS() needs a number as argument 1, not the string literal 'x'");
      assert.equal(refusal('SELECT CONCAT() FROM EHR e'), 'line 1, column 8: CONCAT() takes at least 1 argument, not 0');
    });

    it('checks MATCHES lists', () => {
      assert.match(refusal("SELECT c FROM COMPOSITION c WHERE c/name/value MATCHES {'a', 2}"), /line 1, column 62: MATCHES list mixes a string with the number literal 2/);
      assert.match(refusal('SELECT c FROM COMPOSITION c WHERE c/name/value MATCHES {c/uid/value}'), /MATCHES lists values; c\/uid\/value is not a value/);
      assert.match(refusal("SELECT e FROM EHR e WHERE 'a' MATCHES {'a'}"), /MATCHES needs a path on its left/);
    });

    it('refuses EXISTS on anything but a path', () => {
      assert.equal(refusal("SELECT e FROM EHR e WHERE EXISTS 'x'"), "line 1, column 27: EXISTS needs a path, not the string literal 'x'");
    });
  });

  describe('parameters', () => {
    const query = 'SELECT e FROM EHR e[ehr_id/value = $ehrId] CONTAINS COMPOSITION c[$archetype] WHERE c/name/value LIKE $pattern';

    it('are not required when no parameter map is given', () => {
      assert.deepEqual(prepareAql(query).parameters, ['ehrId', 'archetype', 'pattern']);
    });

    it('must all have a value when a parameter map is given', () => {
      assert.deepEqual(
        issues(query, { parameters: { archetype: 'openEHR-EHR-COMPOSITION.encounter.v1' } }).map((i) => `${i.path}: ${i.message}`),
        [
          'line 1, column 36: no value was supplied for the parameter $ehrId',
          'line 1, column 103: no value was supplied for the parameter $pattern',
        ],
      );
    });

    it('take part in the type checks', () => {
      assert.match(
        refusal(query, { parameters: { ehrId: 'x', archetype: 'openEHR-EHR-COMPOSITION.encounter.v1', pattern: 42 } }),
        /LIKE needs a string pattern .*not parameter \$pattern \(a number\)/,
      );
    });

    it('must be an archetype id or node id where a node is named', () => {
      assert.equal(
        refusal(query, { parameters: { ehrId: 'x', archetype: "x' OR 1=1", pattern: 'a*' } }),
        'line 1, column 67: the parameter $archetype stands for an archetype id or node id here, not "x\' OR 1=1"',
      );
    });

    it('must be plain values', () => {
      assert.match(
        refusal('SELECT e FROM EHR e WHERE e/ehr_id/value = $id', { parameters: { id: { value: 'x' } } }),
        /the parameter \$id must be a string, number, boolean or null, not an object/,
      );
    });
  });

  describe('refuses what is not supported, naming the feature and its position', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['SELECT TOP 5 BACKWARD e FROM EHR e', 'line 1, column 8: TOP ... BACKWARD is not supported'],
      ['SELECT o[at0001]/data FROM OBSERVATION o', "line 1, column 8: a predicate directly on the alias 'o' is not supported"],
      ['SELECT o/data[name/value matches {/^Blood/}] FROM OBSERVATION o', 'line 1, column 15: regular expressions in path predicates (matches {/.../}) are not supported'],
      ['SELECT o/data[name/value = archetype_node_id] FROM OBSERVATION o', 'line 1, column 28: a path on the right-hand side of a predicate comparison is not supported'],
      ['SELECT c FROM COMPOSITION c WHERE c/name/value MATCHES {terminology://fhir.hl7.org/ValueSet/x}', 'line 1, column 57: MATCHES with a terminology value set (terminology://fhir.hl7.org/ValueSet/x) is not supported'],
      ["SELECT c FROM COMPOSITION c WHERE c/name/value MATCHES TERMINOLOGY('expand', 'hl7.org/fhir/4.0', 'url=x')", 'line 1, column 56: TERMINOLOGY() is not supported'],
      ['SELECT MAX(DISTINCT c/name/value) FROM COMPOSITION c', 'line 1, column 8: DISTINCT inside MAX is not supported'],
      ['SELECT c FROM COMPOSITION c OR EHR_STATUS s', 'line 1, column 15: FROM with OR between unrelated roots is not supported'],
      ['SELECT SOUNDEX(c/name/value) FROM COMPOSITION c', 'line 1, column 8: the function SOUNDEX() is not supported'],
    ];
    for (const [text, expected] of cases) {
      it(expected.replace(/^line \d+, column \d+: /, ''), () => {
        assert.ok(refusal(text).startsWith(expected), refusal(text));
      });
    }

    it('refuses TOP together with LIMIT', () => {
      assert.equal(refusal('SELECT TOP 5 e FROM EHR e LIMIT 3'), 'line 1, column 27: TOP and LIMIT cannot be used together; use LIMIT');
    });
  });

  it('reports every problem at once, in query order, with the first in the message', () => {
    try {
      prepareAql("SELECT x/a, SUM('s') FROM EHR e CONTAINS COMPOSITON c WHERE COUNT(*) > 1");
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(isCdrError(error));
      assert.deepEqual(
        error.issues.map((issue) => issue.path),
        ['line 1, column 8', 'line 1, column 13', 'line 1, column 42', 'line 1, column 61'],
      );
      assert.equal(error.message, "AQL error at line 1, column 8: unknown alias 'x'; FROM defines e, c (and 3 more)");
    }
  });
});
