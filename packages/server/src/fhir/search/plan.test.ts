/**
 * The search planner without a database: what a search compiles to (which mappings remain,
 * how the patient, code and date become SQL over the query index) and that no value of a
 * search, and nothing a mapping names, is ever part of the SQL text.
 */
import assert from 'node:assert/strict';
import { loadMappings, parametersOf, parseSearch } from '@cdr/fhir';
import { CompositionSearch } from './plan.js';
import { PatientSearch } from './patient-search.js';
import { AuditEventSearch } from '../audit-events.js';
import { Params } from './sql.js';

const mappings = loadMappings();
const EHR = '7d44b88c-4199-4bad-97dc-d78268e01398';
const SNAPSHOT = '2024-06-01T00:00:00.000Z';

function plan(type: string, query: string, scope: { ehrIds?: string[] } = {}) {
  const request = mappings.parseSearch(type, new URLSearchParams(query));
  return new CompositionSearch(mappings, request, scope);
}

describe('FHIR search planning', () => {
  it('a patient + code + date search of Observations: pulse events and laboratory analytes, with every value a parameter', () => {
    const search = plan('Observation', `patient=${EHR}&code=http://loinc.org|8867-4&date=ge2024-01-01&date=lt2024-02`, { ehrIds: [EHR] });
    const statement = search.page({ snapshot: SNAPSHOT, offset: 0, count: 20 });
    assert.ok(statement);
    // of the nine Observation mappings, heart rate (fixed LOINC 8867-4) and laboratory analytes (coded in the data) remain
    assert.equal(statement.sql.match(/select vo\.time_created as k0/g)?.length, 2);
    assert.ok(statement.params.includes('openEHR-EHR-OBSERVATION.pulse.v2'));
    assert.ok(statement.params.includes('openEHR-EHR-CLUSTER.laboratory_test_analyte.v1'));
    assert.ok(statement.params.includes('/data[at0002]/events[at0003]'));
    assert.ok(!statement.params.includes('openEHR-EHR-OBSERVATION.blood_pressure.v2'));
    assert.ok(statement.params.some((p) => Array.isArray(p) && p.includes(EHR)));
    assert.ok(statement.params.includes('2024-01-01T00:00:00.000Z') && statement.params.includes('2024-02-01T00:00:00.000Z'));
    // the event's own time: no subquery for it
    assert.match(statement.sql, /r\.data #> \$\d+::text\[\]/);
    assert.doesNotMatch(statement.sql, /is_queryable/, 'a search limited to named patients sees them whatever their consent');
    assert.doesNotMatch(statement.sql, /pulse|8867|2024|7d44b88c/);
    // read patient by patient from the named list, by key: one plan for any patients
    assert.equal(statement.generic, true);
    assert.equal(statement.sql.match(/from unnest\(\$\d+::uuid\[\]\) as s\(ehr_id\) cross join lateral \(select vo\.time_created as k0/g)?.length, 2);
    assert.match(statement.sql, /where r\.ehr_id = s\.ehr_id and /);
    assert.match(statement.sql, /s\.ehr_id = any\(\$\d+::uuid\[\]\)/, 'the patient criterion tests the named EHR');
    assert.doesNotMatch(statement.sql, /r\.ehr_id = any/);
    assert.equal(search.count(SNAPSHOT)?.generic, true);
  });

  it('names each patient once, whatever the case of the id', () => {
    const statement = plan('Observation', `patient=${EHR},${EHR.toUpperCase()}`, { ehrIds: [EHR, EHR.toUpperCase()] }).count(SNAPSHOT);
    assert.ok(statement);
    assert.ok(statement.params.some((p) => Array.isArray(p) && p.length === 1 && p[0] === EHR));
  });

  it('leaves out the mappings a fixed value rules out, and plans nothing when none remains', () => {
    const laboratory = plan('Observation', 'category=laboratory').page({ snapshot: SNAPSHOT, offset: 0, count: 20 });
    assert.equal(laboratory?.sql.match(/select vo\.time_created as k0/g)?.length, 1);
    assert.ok(laboratory?.params.includes('openEHR-EHR-CLUSTER.laboratory_test_analyte.v1'));
    assert.match(laboratory?.sql ?? '', /e\.is_queryable/, 'a population search leaves out EHRs that are not queryable');
    assert.ok(!laboratory?.generic, 'a population search is planned for its values');
    assert.doesNotMatch(laboratory?.sql ?? '', /lateral/);
    assert.equal(plan('Observation', 'category=vital-signs&code=http://snomed.info/sct|8867-4').page({ snapshot: SNAPSHOT, offset: 0, count: 20 }), undefined);
    assert.equal(plan('Condition', 'category=encounter-diagnosis').count(SNAPSHOT), undefined);
  });

  it('uses only the parameters its text refers to, numbered in order', () => {
    const statement = plan('Condition', 'clinical-status=active&_sort=-onset-date').page({ snapshot: SNAPSHOT, offset: 0, count: 5 });
    assert.ok(statement);
    const used = [...new Set([...statement.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((x, y) => x - y);
    assert.deepEqual(used, Array.from({ length: statement.params.length }, (_, i) => i + 1));
  });

  it('never puts a search value into the SQL text', () => {
    const hostile = ["'; drop table ehr; --", "x' or '1'='1", '$99 injected', '\\', '"quoted"', "O'Brien", '%_*'];
    for (const value of hostile) {
      const encoded = encodeURIComponent(value);
      const statements = [
        plan('Observation', `code=${encoded}&category=${encoded}|${encoded}`).page({ snapshot: SNAPSHOT, offset: 0, count: 20 }),
        plan('Condition', `code=${encoded}&_id=${encoded}`).count(SNAPSHOT),
        plan('MedicationRequest', `identifier=${encoded}|${encoded}`).page({ snapshot: SNAPSHOT, offset: 0, count: 20, after: [SNAPSHOT, EHR, EHR, 1, 0] }),
        new PatientSearch(mappings.parseSearch('Patient', new URLSearchParams(`identifier=${encoded}|${encoded}`)), {}).page({ snapshot: SNAPSHOT, offset: 0, count: 20 }),
        new AuditEventSearch(parseSearch('AuditEvent', new URLSearchParams(`altid=${encoded}&subtype=${encoded}|${encoded}`), {}, parametersOf('AuditEvent')), undefined).page({ snapshot: '10', offset: 0, count: 20 }),
      ];
      for (const statement of statements) {
        if (!statement) {
          continue;
        }
        assert.ok(!statement.sql.includes(value), `${value} in ${statement.sql.slice(0, 200)}`);
      }
    }
  });

  it('refuses cursor keys that do not fit the sort columns', () => {
    const search = plan('Observation', 'code=8867-4');
    assert.throws(() => search.page({ snapshot: SNAPSHOT, offset: 0, count: 20, after: ['x'] }), /cursor/);
    assert.throws(() => search.page({ snapshot: SNAPSHOT, offset: 0, count: 20, after: [SNAPSHOT, 'not-a-uuid', EHR, 1, 0] }), /cursor/);
    assert.throws(() => search.page({ snapshot: SNAPSHOT, offset: 0, count: 20, after: [SNAPSHOT, EHR, EHR, 2 ** 40, 0] }), /cursor/);
  });

  it('compacts parameters: unused ones are dropped and the rest renumbered', () => {
    const compacted = Params.compact('a = $3 and b = $1 and c = $3', ['one', 'two', 'three']);
    assert.deepEqual(compacted, { sql: 'a = $1 and b = $2 and c = $1', params: ['three', 'one'] });
  });
});
