/**
 * FHIR search semantics on real data: date prefixes and partial dates, tokens with and
 * without a system, paging that stays stable while new data arrives, counts, sorting, and a
 * differential check: for hundreds of generated searches the server's answer (planned into
 * SQL) must be exactly the resources that match when FHIR's rules are applied to the resources
 * themselves, here in the test.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { dateMatches, dateRange, loadMappings, parseDateValue, type DateRange } from '@cdr/fhir';
import type { TestCdr } from '../testing/test-app.js';
import {
  FhirValidation,
  allergy,
  bloodPressure,
  commitComposition,
  composition,
  condition,
  createPatient,
  createResource,
  heartRate,
  labResult,
  medicationRequest,
  searchAll,
  startFhirCdr,
} from '../testing/fhir.js';

const mappings = loadMappings();
const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
type Resource = Record<string, unknown> & { resourceType: string; id: string };

// ---------------------------------------------------------------- FHIR's rules, applied to resources

interface Coding {
  readonly system?: string | undefined;
  readonly code?: string | undefined;
}

/** The values at a FHIR path (`effective` reaches effectiveDateTime, effectivePeriod...). */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(value)) {
    return value.flatMap((v) => valuesAt(v, path));
  }
  if (path.length === 0) {
    return value === undefined ? [] : [value];
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const [head, ...rest] = path as [string, ...string[]];
  return Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key === head || (key.startsWith(head) && /^[A-Z]/.test(key.slice(head.length))))
    .flatMap(([, v]) => valuesAt(v, rest));
}

function codingsOf(value: unknown): Coding[] {
  if (typeof value === 'string') {
    return [{ code: value }];
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['coding'])) {
    return (v['coding'] as Record<string, string>[]).map((c) => ({ system: c['system'], code: c['code'] }));
  }
  if (typeof v['code'] === 'string') {
    return [{ system: v['system'] as string | undefined, code: v['code'] }];
  }
  if (typeof v['value'] === 'string') {
    return [{ system: v['system'] as string | undefined, code: v['value'] }];
  }
  return [];
}

function tokenMatches(token: string, coding: Coding): boolean {
  const bar = token.indexOf('|');
  if (bar < 0) {
    return coding.code === token;
  }
  const system = token.slice(0, bar);
  const code = token.slice(bar + 1);
  return (system === '' ? coding.system === undefined : coding.system === system) && (code === '' || coding.code === code);
}

function rangesOf(value: unknown): DateRange[] {
  if (typeof value === 'string') {
    const range = dateRange(value);
    return range ? [range] : [];
  }
  if (typeof value === 'object' && value !== null) {
    const period = value as { start?: string; end?: string };
    const start = period.start ? dateRange(period.start)?.start : undefined;
    if (start) {
      return [{ start, end: period.end ? (dateRange(period.end)?.end ?? '9999-12-31T00:00:00.000Z') : '9999-12-31T00:00:00.000Z' }];
    }
  }
  return [];
}

/** Whether a resource matches one parameter (name and value as in a URL). */
function matches(resource: Resource, name: string, value: string): boolean {
  const alternatives = value.split(',');
  if (name === '_id') {
    return alternatives.includes(resource.id);
  }
  const definition = [...mappings.searchParameters(resource.resourceType)].find((p) => p.code === name);
  assert.ok(definition, `${resource.resourceType}.${name}`);
  switch (definition.type) {
    case 'reference': {
      const refs = definition.paths.flatMap((p) => valuesAt(resource, p.split('.'))).map((r) => String((r as { reference?: string }).reference ?? '').toLowerCase());
      return alternatives.some((a) => refs.includes((a.includes('/') ? a : `Patient/${a}`).toLowerCase()));
    }
    case 'token': {
      const codings = definition.paths.flatMap((p) => valuesAt(resource, p.split('.'))).flatMap(codingsOf);
      return alternatives.some((a) => codings.some((c) => tokenMatches(a, c)));
    }
    case 'date': {
      const ranges = name === '_lastUpdated' ? rangesOf((resource['meta'] as { lastUpdated: string }).lastUpdated) : definition.paths.flatMap((p) => valuesAt(resource, p.split('.'))).flatMap(rangesOf);
      return alternatives.some((a) => ranges.some((r) => dateMatches(parseDateValue(a), r)));
    }
    default:
      return assert.fail(`no rule for ${definition.type}`);
  }
}

/** A small seeded generator, so that a failing search can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('FHIR search', function () {
  this.timeout(300_000);
  let cdr: TestCdr;
  let a: string;
  let b: string;
  let hidden: string;
  const validation = new FhirValidation();
  const heartRates: Record<string, string> = {};

  const ids = async (url: string) => {
    const res = await request(cdr.app).get(url);
    assert.equal(res.status, 200, `${url}: ${res.text}`);
    const bundle = JSON.parse(res.text) as { entry?: { resource: Resource; search: { mode: string } }[]; total?: number };
    validation.check(bundle, url);
    return (bundle.entry ?? []).filter((e) => e.search.mode === 'match').map((e) => e.resource.id).sort();
  };

  before(async () => {
    cdr = await startFhirCdr();
    a = await createPatient(cdr, { namespace: 'urn:oid:2.16.840.1.113883.2.1.4.1', id: '9000000009' });
    b = await createPatient(cdr, { namespace: 'urn:oid:2.16.840.1.113883.2.1.4.1', id: '9000000017' });
    hidden = await createPatient(cdr, { namespace: 'urn:oid:2.16.840.1.113883.2.1.4.1', id: '9000000025' }, { queryable: false });
    const times = ['2023-01-10T09:00:00Z', '2023-06-15T14:30:00+02:00', '2024-01-15T10:30:00Z'];
    for (const [i, ehr] of [a, b, hidden].entries()) {
      for (const time of times.slice(0, 3 - i)) {
        await commitComposition(cdr, ehr, composition('cdr.vital_signs.v1', time));
      }
      for (const templateId of ['cdr.problem_list.v1', 'cdr.adverse_reaction_list.v1', 'cdr.medication_order.v1', 'cdr.laboratory_report.v1']) {
        await commitComposition(cdr, ehr, composition(templateId, times[i] as string));
      }
    }
    const hrTimes = ['2024-02-28T23:59:59Z', '2024-02-29T00:00:00Z', '2024-02-29T12:00:00+05:00', '2024-03-01T00:00:00Z', '2024-03-01T00:00:01Z', '2025-12-31T23:59:59.500Z'];
    for (const [i, time] of hrTimes.entries()) {
      const created = await createResource(cdr, heartRate(i % 2 === 0 ? a : b, time, 60 + i));
      heartRates[time] = created['id'] as string;
    }
    await createResource(cdr, bloodPressure(a, '2024-03-01T08:00:00Z', 140, 90));
    await createResource(cdr, heartRate(hidden, '2024-02-29T10:00:00Z', 99));
    const dx = [
      [{ system: SCT, code: '195967001', display: 'Asthma' }, 'active', '2019-05-01', undefined],
      [{ system: SCT, code: '44054006', display: 'Diabetes mellitus type 2' }, 'resolved', '2010-01-01', '2015-06-30'],
      [{ system: SCT, code: '38341003', display: 'Hypertension' }, 'inactive', '2020-02-02', undefined],
      [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J45', display: 'Asthma' }, 'active', '2018', undefined],
    ] as const;
    for (const [i, [code, status, onset, abatement]] of dx.entries()) {
      await createResource(cdr, condition(i % 2 === 0 ? a : b, code, status, onset, abatement));
    }
    await createResource(cdr, allergy(a, { system: SCT, code: '91935009', display: 'Allergy to peanut' }, 'active', 'high', 'food'));
    await createResource(cdr, allergy(b, { system: SCT, code: '294505008', display: 'Amoxicillin allergy' }, 'inactive', 'low', 'medication'));
    await createResource(cdr, medicationRequest(a, 'Metformin 500 mg tablets', '2024-03-05T09:00:00Z'));
    await createResource(cdr, labResult(b, { code: '2345-7', display: 'Glucose' }, 5.4, 'mmol/L', '2024-04-02T07:00:00Z'));
    await createResource(cdr, labResult(a, { code: '718-7', display: 'Hemoglobin' }, 135, 'g/L', '2024-04-03T07:00:00Z'));
  });

  after(async () => {
    console.log(`      [FHIR search] resources validated against R4: ${validation.summary()}`);
    await cdr.close();
  });

  it('dates: a partial date stands for its year, month or day; eq, ne, lt, le, gt and ge as FHIR defines them', async () => {
    const hr = async (query: string) => ids(`/fhir/Observation?code=8867-4&${query}&_count=100`).then((found) => found.filter((id) => Object.values(heartRates).includes(id)));
    const at = (...times: string[]) => times.map((t) => heartRates[t] as string).sort();
    assert.deepEqual(await hr('date=2024-02-29'), at('2024-02-29T00:00:00Z', '2024-02-29T12:00:00+05:00'));
    assert.deepEqual(await hr('date=eq2024-02'), at('2024-02-28T23:59:59Z', '2024-02-29T00:00:00Z', '2024-02-29T12:00:00+05:00'));
    assert.deepEqual(await hr('date=2025'), at('2025-12-31T23:59:59.500Z'));
    assert.deepEqual(await hr('date=lt2024-02-29'), at('2024-02-28T23:59:59Z'));
    assert.deepEqual(await hr('date=le2024-02-29'), at('2024-02-28T23:59:59Z', '2024-02-29T00:00:00Z', '2024-02-29T12:00:00+05:00'));
    assert.deepEqual(await hr('date=gt2024-02-29'), at('2024-03-01T00:00:00Z', '2024-03-01T00:00:01Z', '2025-12-31T23:59:59.500Z'));
    assert.deepEqual(await hr('date=ge2024-03-01T00:00:01Z'), at('2024-03-01T00:00:01Z', '2025-12-31T23:59:59.500Z'));
    assert.deepEqual(await hr('date=ne2024-02'), at('2024-03-01T00:00:00Z', '2024-03-01T00:00:01Z', '2025-12-31T23:59:59.500Z'));
    // an offset moves the day: 12:00+05:00 is 07:00 UTC
    assert.deepEqual(await hr('date=eq2024-02-29T07:00:00Z'), at('2024-02-29T12:00:00+05:00'));
    assert.deepEqual(await hr('date=ge2024-02-29&date=lt2024-03-01T00:00:01Z'), at('2024-02-29T00:00:00Z', '2024-02-29T12:00:00+05:00', '2024-03-01T00:00:00Z'));
    assert.deepEqual(await hr('date=2024-02-28,2025-12'), at('2024-02-28T23:59:59Z', '2025-12-31T23:59:59.500Z'));
  });

  it('tokens with and without a system: code, system|code, |code, system|', async () => {
    const all = await ids('/fhir/Observation?_count=1000');
    const pulse = await ids('/fhir/Observation?code=8867-4&_count=1000');
    assert.ok(pulse.length >= 9);
    assert.deepEqual(await ids(`/fhir/Observation?code=${encodeURIComponent(`${LOINC}|8867-4`)}&_count=1000`), pulse);
    assert.deepEqual(await ids('/fhir/Observation?code=%7C8867-4&_count=1000'), [], 'a LOINC code has a system');
    assert.deepEqual(await ids(`/fhir/Observation?code=${encodeURIComponent(`${SCT}|8867-4`)}&_count=1000`), []);
    assert.deepEqual(await ids(`/fhir/Observation?code=${encodeURIComponent(`${LOINC}|`)}&_count=1000`), all, 'every Observation here is LOINC-coded');
    const active = await ids('/fhir/Condition?clinical-status=active&_count=100');
    assert.deepEqual(await ids(`/fhir/Condition?clinical-status=${encodeURIComponent('http://terminology.hl7.org/CodeSystem/condition-clinical|active')}&_count=100`), active);
    assert.deepEqual(await ids(`/fhir/Condition?code=${encodeURIComponent('http://hl7.org/fhir/sid/icd-10|J45')}`), (await ids('/fhir/Condition?code=J45')));
    assert.equal((await ids(`/fhir/Condition?code=${encodeURIComponent(`${SCT}|195967001,http://hl7.org/fhir/sid/icd-10|J45`)}`)).length, 2);
    assert.deepEqual(await ids('/fhir/Observation?category=laboratory&_count=100'), (await ids(`/fhir/Observation?code=2345-7,718-7,${encodeURIComponent(`${LOINC}|`)}&category=laboratory`)));
  });

  it('population searches leave out EHRs that are not queryable; a search that names the patient sees them', async () => {
    const population = await ids('/fhir/Observation?code=8867-4&_count=1000');
    const own = await ids(`/fhir/Observation?code=8867-4&patient=${hidden}&_count=1000`);
    assert.ok(own.length >= 2);
    assert.ok(own.every((id) => !population.includes(id)));
    assert.deepEqual(await ids(`/fhir/Patient?identifier=urn:oid:2.16.840.1.113883.2.1.4.1|9000000025`), []);
    assert.deepEqual(await ids(`/fhir/Patient?_id=${hidden}`), [hidden]);
    assert.deepEqual(await ids(`/fhir/Patient?identifier=urn:oid:2.16.840.1.113883.2.1.4.1|9000000009`), [a]);
    assert.deepEqual(await ids(`/fhir/Patient?identifier=9000000017`), [b]);
    assert.deepEqual(await ids(`/fhir/Patient?identifier=other-system|9000000017`), []);
  });

  it('searches limited to named patients find each patient\'s own resources, one patient or several, whichever patient came before', async () => {
    // these run as statements planned once per database session for any patient: every
    // patient, in any order, must get exactly their own rows
    const generic = await cdr.db.genericPlanPool().query<{ plan_cache_mode: string }>('show plan_cache_mode');
    assert.equal(generic.rows[0]?.plan_cache_mode, 'force_generic_plan');
    const criteria = `code=${encodeURIComponent(`${LOINC}|8867-4`)}&date=ge2024-01-01&_count=100`;
    const population = await searchAll(cdr, `/fhir/Observation?${criteria}`, undefined, validation);
    const subjects = new Map<string, string>();
    for (const bundle of population.bundles) {
      for (const entry of (bundle['entry'] as { resource: Resource }[] | undefined) ?? []) {
        subjects.set(entry.resource.id, String((entry.resource['subject'] as { reference?: string } | undefined)?.reference));
      }
    }
    const expected = (...patients: string[]) => [...subjects].filter(([, subject]) => patients.some((p) => subject.toLowerCase() === `patient/${p.toLowerCase()}`)).map(([id]) => id).sort();
    assert.ok(expected(a).length >= 2 && expected(b).length >= 2, 'both patients have heart rates since 2024');
    const ownOfHidden = await ids(`/fhir/Observation?patient=${hidden}&${criteria}`);
    assert.equal(ownOfHidden.length, 1, 'the heart rate of the patient that is not queryable');
    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [string, string[]][] = [
      [a, expected(a)],
      [b, expected(b)],
      [hidden, ownOfHidden],
      [`${a},${b}`, expected(a, b)],
      [nobody, []],
      [`${b},${hidden}`, [...expected(b), ...ownOfHidden].sort()],
      [`${a}&patient=${b}`, []],
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const [patient, want] of round % 2 === 0 ? cases : [...cases].reverse()) {
        assert.deepEqual(await ids(`/fhir/Observation?patient=${patient}&${criteria}`), want, `round ${round}, patient=${patient}`);
        const counted = await request(cdr.app).get(`/fhir/Observation?patient=${patient}&${criteria}&_summary=count`).expect(200);
        assert.equal((JSON.parse(counted.text) as { total: number }).total, want.length, `count, round ${round}, patient=${patient}`);
      }
    }
    // one patient's search paged while another patient's first page runs in between
    const ofB = await ids(`/fhir/Observation?patient=${b}&code=8867-4&_count=100`);
    const paged: string[] = [];
    let next: string | undefined = `/fhir/Observation?patient=${a}&code=8867-4&_count=1`;
    while (next) {
      const res = await request(cdr.app).get(next).expect(200);
      const bundle = JSON.parse(res.text) as { entry?: { resource: Resource }[]; link: { relation: string; url: string }[] };
      paged.push(...(bundle.entry ?? []).map((e) => e.resource.id));
      const link = bundle.link.find((l) => l.relation === 'next')?.url;
      next = link ? `${new URL(link).pathname}${new URL(link).search}` : undefined;
      const first = await ids(`/fhir/Observation?patient=${b}&code=8867-4&_count=1`);
      assert.ok(first.length === 1 && ofB.includes(first[0] as string));
    }
    assert.deepEqual(paged.sort(), await ids(`/fhir/Observation?patient=${a}&code=8867-4&_count=100`));
    assert.deepEqual(await ids(`/fhir/Patient?_id=${a},${hidden}`), [a, hidden].sort());
    assert.deepEqual(await ids(`/fhir/Patient?_id=${b}`), [b]);
  });

  it('_summary=count and _total give the number of matches; pages stay stable while new data arrives', async () => {
    const query = `/fhir/Observation?patient=${a}&_sort=date&_count=4`;
    const counted = await request(cdr.app).get(`/fhir/Observation?patient=${a}&_summary=count`).expect(200);
    const summary = JSON.parse(counted.text) as { total: number; entry?: unknown[] };
    validation.check(summary);
    assert.equal(summary.entry, undefined);
    const first = await request(cdr.app).get(`${query}&_total=accurate`).expect(200);
    const firstBundle = JSON.parse(first.text) as { total: number; entry: { resource: Resource }[]; link: { relation: string; url: string }[] };
    assert.equal(firstBundle.total, summary.total);
    assert.equal(firstBundle.entry.length, 4);
    // new data arrives between the pages: before, inside and after the range already paged
    await createResource(cdr, heartRate(a, '2000-01-01T00:00:00Z', 70));
    await createResource(cdr, heartRate(a, '2024-02-29T00:00:00Z', 71));
    await createResource(cdr, heartRate(a, '2099-01-01T00:00:00Z', 72));
    let next = firstBundle.link.find((l) => l.relation === 'next')?.url;
    const seen = firstBundle.entry.map((e) => e.resource.id);
    while (next) {
      const url = new URL(next);
      const res = await request(cdr.app).get(`${url.pathname}${url.search}`).expect(200);
      const bundle = JSON.parse(res.text) as { total: number; entry?: { resource: Resource }[]; link: { relation: string; url: string }[] };
      validation.check(bundle);
      assert.equal(bundle.total, summary.total, 'the total is that of the first page');
      for (const entry of bundle.entry ?? []) {
        seen.push(entry.resource.id);
      }
      next = bundle.link.find((l) => l.relation === 'next')?.url;
    }
    assert.equal(new Set(seen).size, seen.length, 'no entry twice');
    assert.equal(seen.length, summary.total, 'every entry that existed at the first page, once');
    const now = await searchAll(cdr, `/fhir/Observation?patient=${a}&_count=7`, undefined, validation);
    assert.equal(now.ids.length, summary.total + 3, 'a new search sees the new data');
    for (const id of seen) {
      assert.ok(now.ids.includes(`Observation/${id}`));
    }
  });

  it('sorts by date, both ways, with resources without a value last', async () => {
    const times = (bundles: Record<string, unknown>[]) =>
      bundles.flatMap((b) => ((b['entry'] as { resource: Record<string, unknown> }[] | undefined) ?? []).map((e) => String(e.resource['effectiveDateTime'] ?? (e.resource['effectivePeriod'] as { start?: string } | undefined)?.start ?? '')));
    const ascending = times((await searchAll(cdr, `/fhir/Observation?_sort=date&_count=5`, undefined, validation)).bundles).map((t) => dateRange(t)?.start ?? '');
    assert.deepEqual(ascending, [...ascending].sort());
    const descending = times((await searchAll(cdr, `/fhir/Observation?_sort=-date&_count=5`, undefined, validation)).bundles).map((t) => dateRange(t)?.start ?? '');
    assert.deepEqual(descending, [...descending].sort().reverse());
    const conditions = (await searchAll(cdr, '/fhir/Condition?_sort=-onset-date,_id&_count=2', undefined, validation)).bundles.flatMap((b) => ((b['entry'] as { resource: Record<string, unknown> }[] | undefined) ?? []).map((e) => String(e.resource['onsetDateTime'] ?? '')));
    const withOnset = conditions.filter((c) => c !== '');
    assert.deepEqual(withOnset.map((c) => dateRange(c)?.start), withOnset.map((c) => dateRange(c)?.start).sort().reverse());
    assert.deepEqual(conditions.slice(withOnset.length).filter((c) => c !== ''), [], 'without an onset last');
  });

  it('answers exactly the resources that match FHIR search rules, for generated searches of every type', async () => {
    const types = mappings.resourceTypes();
    const universe = new Map<string, Resource[]>();
    for (const type of types) {
      const population = await searchAll(cdr, `/fhir/${type}?_count=1000`, undefined, validation);
      const hiddenOnes = type === 'Patient' ? await searchAll(cdr, `/fhir/Patient?_id=${hidden}`, undefined, validation) : await searchAll(cdr, `/fhir/${type}?patient=${hidden}&_count=1000`, undefined, validation);
      const resources = [...population.bundles, ...hiddenOnes.bundles].flatMap((bundle) => ((bundle['entry'] as { resource: Resource }[] | undefined) ?? []).map((e) => e.resource));
      universe.set(type, resources);
    }
    // the unfiltered searches are checked against what the mappings make of every stored composition
    const everything = new Map<string, Set<string>>();
    for (const ehr of [a, b, hidden]) {
      const documents = await searchAll(cdr, `/fhir/DocumentReference?patient=${ehr}&_count=1000`, undefined, validation);
      for (const bundle of documents.bundles) {
        for (const entry of (bundle['entry'] as { resource: { content: { attachment: { url: string } }[] } }[] | undefined) ?? []) {
          const url = new URL(entry.resource.content[0]?.attachment.url as string);
          const stored = await request(cdr.app).get(url.pathname).expect(200);
          const uid = url.pathname.split('/composition/')[1] as string;
          for (const r of mappings.toFhir(stored.body, { ehrId: ehr, versionUid: uid, timeCommitted: '2024-01-01T00:00:00Z' })) {
            const set = everything.get(r.resourceType) ?? new Set<string>();
            set.add(r.id as string);
            everything.set(r.resourceType, set);
          }
        }
      }
    }
    everything.set('Patient', new Set([a, b, hidden]));
    for (const type of types) {
      assert.deepEqual((universe.get(type) ?? []).map((r) => r.id).sort(), [...(everything.get(type) ?? [])].sort(), `every ${type} is found`);
    }

    const next = random(20240229);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    let searches = 0;
    let nonEmpty = 0;
    const failures: string[] = [];
    for (let round = 0; round < 40; round += 1) {
      for (const type of types) {
        const resources = universe.get(type) ?? [];
        const parameters = mappings.searchParameters(type);
        const criteria: [string, string][] = [];
        const wanted = 1 + Math.floor(next() * 3);
        for (let i = 0; i < wanted; i += 1) {
          const parameter = pick(parameters);
          const sample = resources.length > 0 ? pick(resources) : undefined;
          let value: string | undefined;
          switch (parameter.type) {
            case 'reference':
              value = pick([a, b, hidden, `Patient/${a}`, '00000000-0000-4000-8000-000000000000']);
              break;
            case 'token': {
              if (parameter.code === '_id') {
                value = sample ? sample.id : 'x';
                break;
              }
              const codings = sample ? parameter.paths.flatMap((p) => valuesAt(sample, p.split('.'))).flatMap(codingsOf) : [];
              const coding = codings.length > 0 ? pick(codings) : { system: 'http://example.org', code: 'nothing' };
              const form = Math.floor(next() * 4);
              value = form === 0 ? String(coding.code) : form === 1 ? `${coding.system ?? ''}|${coding.code ?? ''}` : form === 2 ? `${coding.system ?? 'http://example.org'}|` : `${coding.code},${pick(['x', 'final', 'active', '8867-4'])}`;
              break;
            }
            case 'date': {
              const dates = sample
                ? parameter.code === '_lastUpdated'
                  ? [(sample['meta'] as { lastUpdated: string }).lastUpdated]
                  : parameter.paths.flatMap((p) => valuesAt(sample, p.split('.'))).flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'object' && v !== null ? Object.values(v as Record<string, string>) : []))
                : [];
              const date = dates.length > 0 ? String(pick(dates)) : '2024-02-29';
              const precision = pick([4, 7, 10, date.length]);
              const text = precision >= date.length ? date : date.slice(0, precision);
              value = `${pick(['', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'])}${text}`;
              break;
            }
            default:
              value = undefined;
          }
          if (value !== undefined && dateRange(value.replace(/^[a-z]{2}/, '')) !== undefined || (value !== undefined && parameter.type !== 'date')) {
            criteria.push([parameter.code, value as string]);
          }
        }
        const names = new Set(criteria.map(([name]) => name));
        const namesPatient = criteria.some(([name, v]) => (name === 'patient' || name === 'subject' || (type === 'Patient' && name === '_id')) && v.toLowerCase().includes(hidden));
        const expected = resources
          .filter((r) => namesPatient || !JSON.stringify(r).includes(hidden))
          .filter((r) => criteria.every(([name, value]) => matches(r, name, value)))
          .map((r) => `${type}/${r.id}`)
          .sort();
        const sort = pick(['', '&_sort=_id', '&_sort=-_lastUpdated', ...parameters.filter((p) => p.type === 'date' && !names.has(p.code)).map((p) => `&_sort=${p.code}`)]);
        const url = `/fhir/${type}?${new URLSearchParams(criteria).toString()}&_count=${pick([1, 3, 50])}${sort}`;
        const found = (await searchAll(cdr, url, undefined, validation)).ids.sort();
        searches += 1;
        nonEmpty += expected.length > 0 ? 1 : 0;
        if (JSON.stringify(found) !== JSON.stringify(expected)) {
          failures.push(`${url}\n  expected ${expected.join(', ') || '(none)'}\n  found    ${found.join(', ') || '(none)'}`);
        }
      }
    }
    console.log(`      [FHIR search] ${searches} generated searches over ${types.length} resource types (${nonEmpty} with matches), ${failures.length} disagreeing with FHIR's rules applied to the resources`);
    assert.deepEqual(failures.slice(0, 10), []);
  });
});
