/**
 * The FHIR API end to end: the CapabilityStatement, reads of what openEHR compositions make,
 * writes through FHIR as openEHR commits (readable through both APIs), updates as new
 * versions, history and vread, transactions, errors as OperationOutcome, and the audit
 * trail. Every resource a response carries is validated against FHIR R4 (and the vital signs
 * profiles it claims).
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { loadMappings } from '@cdr/fhir';
import type { TestCdr } from '../testing/test-app.js';
import {
  FhirValidation,
  PROJECT_TEMPLATES,
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
  startFhirCdr,
} from '../testing/fhir.js';

const FHIR_JSON = 'application/fhir+json';
const mappings = loadMappings();

describe('FHIR API', function () {
  this.timeout(120_000);
  let cdr: TestCdr;
  let ehr: string;
  let other: string;
  const validation = new FhirValidation();
  /** openEHR-committed compositions: template id -> version uid */
  const committed = new Map<string, string>();

  const get = async (url: string, status = 200) => {
    const res = await request(cdr.app).get(url);
    assert.equal(res.status, status, `GET ${url}: ${res.text}`);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    validation.check(body, `GET ${url}`);
    return { res, body };
  };
  const send = async (method: 'post' | 'put', url: string, body: unknown, headers: Record<string, string> = {}) => {
    let req = request(cdr.app)[method](url).set('Content-Type', FHIR_JSON);
    for (const [k, v] of Object.entries(headers)) {
      req = req.set(k, v);
    }
    const res = await req.send(JSON.stringify(body));
    const parsed = res.text ? (JSON.parse(res.text) as Record<string, unknown>) : undefined;
    if (parsed) {
      validation.check(parsed, `${method.toUpperCase()} ${url}`);
    }
    return { res, body: parsed };
  };
  const entryIds = (bundle: Record<string, unknown>) => ((bundle['entry'] as { resource: { resourceType: string; id: string } }[] | undefined) ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`);

  before(async () => {
    cdr = await startFhirCdr();
    ehr = await createPatient(cdr, { namespace: 'https://fhir.nhs.uk/Id/nhs-number', id: '9449305552' });
    other = await createPatient(cdr, { namespace: 'https://fhir.nhs.uk/Id/nhs-number', id: '9449305560' });
    for (const templateId of PROJECT_TEMPLATES) {
      committed.set(templateId, await commitComposition(cdr, ehr, composition(templateId, '2024-01-15T10:30:00Z')));
    }
  });

  after(async () => {
    console.log(`      [FHIR API] resources validated against R4: ${validation.summary()}`);
    await cdr.close();
  });

  it('GET /fhir/metadata: a CapabilityStatement listing exactly the resource types, interactions and search parameters supported', async () => {
    const { body } = await get('/fhir/metadata');
    assert.equal(body['resourceType'], 'CapabilityStatement');
    assert.equal(body['fhirVersion'], '4.0.1');
    const rest = (body['rest'] as { resource: { type: string; interaction: { code: string }[]; searchParam: { name: string }[] }[]; interaction?: { code: string }[] }[])[0];
    assert.ok(rest);
    assert.deepEqual(rest.resource.map((r) => r.type), [...mappings.resourceTypes(), 'AuditEvent'].sort());
    assert.deepEqual(rest.interaction, [{ code: 'transaction' }]);
    for (const r of rest.resource) {
      const codes = r.interaction.map((i) => i.code);
      const writable = mappings.mappingsFor(r.type).some((m) => m.templates.length > 0 && m.anchor.kind === 'archetype');
      assert.equal(codes.includes('create') && codes.includes('update'), writable, `${r.type}: ${codes.join(', ')}`);
      if (r.type !== 'AuditEvent') {
        assert.deepEqual(r.searchParam.map((p) => p.name), mappings.searchParameters(r.type).map((p) => p.code), r.type);
        assert.ok(codes.includes('vread') && codes.includes('history-instance') && codes.includes('search-type'), r.type);
      }
    }
    for (const type of ['Observation', 'Condition', 'AllergyIntolerance', 'MedicationRequest']) {
      assert.ok(rest.resource.find((r) => r.type === type)?.interaction.some((i) => i.code === 'create'), `${type} is writable`);
    }
    const audit = rest.resource.find((r) => r.type === 'AuditEvent');
    assert.deepEqual(audit?.interaction.map((i) => i.code), ['read', 'search-type']);
  });

  it('reads every resource an openEHR composition makes, with its provenance (meta.source = the version uid)', async () => {
    let read = 0;
    const self = ((await get('/fhir/Patient?_count=1')).body['link'] as { url: string }[])[0]?.url as string;
    const origin = new URL(self).origin;
    for (const [templateId, uid] of committed) {
      const openehr = await request(cdr.app).get(`/openehr/v1/ehr/${ehr}/composition/${uid}`).expect(200);
      const made = mappings.toFhir(openehr.body, { ehrId: ehr, versionUid: uid, timeCommitted: '2024-01-01T00:00:00Z', openehrBaseUrl: `${origin}/openehr/v1` });
      assert.ok(made.length > 0, templateId);
      for (const expected of made) {
        const { res, body } = await get(`/fhir/${expected.resourceType}/${expected.id}`);
        const meta = body['meta'] as { versionId: string; lastUpdated: string; source: string };
        assert.equal(meta.versionId, '1');
        assert.equal(meta.source, `openehr:/ehr/${ehr}/composition/${uid}`);
        assert.ok(!Number.isNaN(Date.parse(meta.lastUpdated)));
        assert.equal(res.headers['etag'], 'W/"1"');
        assert.equal(res.headers['last-modified'], new Date(meta.lastUpdated).toUTCString());
        // the same resource the mappings make of the version (the DocumentReference's date is the commit time)
        const comparable = (r: Record<string, unknown>) => JSON.parse(JSON.stringify({ ...r, meta: undefined, date: undefined }).replace(/http:\/\/127\.0\.0\.1:\d+/g, ''));
        assert.deepEqual(comparable(body), comparable(expected), `${expected.resourceType}/${expected.id}`);
        read += 1;
      }
    }
    const patient = await get(`/fhir/Patient/${ehr}`);
    assert.deepEqual(patient.body['identifier'], [{ type: { text: 'id' }, system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9449305552' }]);
    assert.match(String((patient.body['meta'] as { source: string }).source), new RegExp(`^openehr:/ehr/${ehr}/ehr_status/`));
    console.log(`      [FHIR API] ${read} resources of ${committed.size} openEHR compositions read back through FHIR`);
  });

  it('creates an Observation as an openEHR composition, updates it as a new version; vread and history follow the openEHR versions', async () => {
    const created = await send('post', '/fhir/Observation', heartRate(ehr, '2024-02-01T08:00:00+01:00', 72));
    assert.equal(created.res.status, 201);
    const resource = created.body as { id: string; meta: { versionId: string; source: string }; valueQuantity: { value: number } };
    assert.equal(resource.meta.versionId, '1');
    assert.equal(created.res.headers['location'], `${new URL(String(created.res.headers['location'])).origin}/fhir/Observation/${resource.id}/_history/1`);
    assert.equal(created.res.headers['etag'], 'W/"1"');
    const versionUid = resource.meta.source.split('/composition/')[1] as string;
    const openehr = await request(cdr.app).get(`/openehr/v1/ehr/${ehr}/composition/${versionUid}`).expect(200);
    assert.equal(openehr.body.archetype_details.template_id.value, 'cdr.vital_signs.v1');

    const changed = { ...resource, valueQuantity: { ...resource.valueQuantity, value: 88 } };
    const updated = await send('put', `/fhir/Observation/${resource.id}`, changed, { 'If-Match': 'W/"1"' });
    assert.equal(updated.res.status, 200, JSON.stringify(updated.body));
    assert.equal((updated.body as { meta: { versionId: string } }).meta.versionId, '2');
    assert.equal(updated.res.headers['etag'], 'W/"2"');
    const objectId = versionUid.split('::')[0];
    const history = await request(cdr.app).get(`/openehr/v1/ehr/${ehr}/versioned_composition/${objectId}/revision_history`).expect(200);
    assert.equal(history.body.items.length, 2, 'the update is a second openEHR version of the same composition');

    assert.equal(((await get(`/fhir/Observation/${resource.id}`)).body['valueQuantity'] as { value: number }).value, 88);
    assert.equal(((await get(`/fhir/Observation/${resource.id}/_history/1`)).body['valueQuantity'] as { value: number }).value, 72);
    assert.equal(((await get(`/fhir/Observation/${resource.id}/_history/2`)).body['valueQuantity'] as { value: number }).value, 88);
    await get(`/fhir/Observation/${resource.id}/_history/3`, 404);
    const { body: bundle } = await get(`/fhir/Observation/${resource.id}/_history`);
    assert.equal(bundle['type'], 'history');
    const entries = bundle['entry'] as { resource: { meta: { versionId: string } }; request: { method: string }; response: { etag: string } }[];
    assert.deepEqual(entries.map((e) => [e.resource.meta.versionId, e.request.method, e.response.etag]), [['2', 'PUT', 'W/"2"'], ['1', 'POST', 'W/"1"']]);

    const stale = await send('put', `/fhir/Observation/${resource.id}`, changed, { 'If-Match': 'W/"1"' });
    assert.equal(stale.res.status, 412);
    assert.equal(stale.res.headers['etag'], 'W/"2"');
  });

  it('updates one resource of a composition with several in place: the others and their ids stay', async () => {
    const uid = committed.get('cdr.vital_signs.v1') as string;
    const objectId = uid.split('::')[0] as string;
    const { body: before } = await get(`/fhir/Observation?patient=${ehr}&_count=100`);
    const fromThis = (before['entry'] as { resource: Record<string, unknown> }[]).map((e) => e.resource).filter((r) => String(r['id']).startsWith(objectId));
    const pulse = fromThis.find((r) => String(r['id']).endsWith('.hr1')) as Record<string, unknown>;
    assert.ok(pulse);
    const updated = await send('put', `/fhir/Observation/${String(pulse['id'])}`, { ...pulse, valueQuantity: { value: 101, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } });
    assert.equal(updated.res.status, 200, JSON.stringify(updated.body));
    for (const previous of fromThis) {
      const { body: now } = await get(`/fhir/Observation/${String(previous['id'])}`);
      assert.equal((now['meta'] as { versionId: string }).versionId, '2');
      if (previous['id'] === pulse['id']) {
        assert.equal((now['valueQuantity'] as { value: number }).value, 101);
      } else {
        const strip = (r: Record<string, unknown>) => JSON.stringify({ ...r, meta: undefined });
        assert.equal(strip(now), strip(previous), `${String(previous['id'])} changed`);
      }
    }
  });

  it('writes Condition, AllergyIntolerance and MedicationRequest as compositions of our templates, readable through both APIs', async () => {
    const sct = (code: string, display: string) => ({ system: 'http://snomed.info/sct', code, display });
    const cases: [Record<string, unknown>, string][] = [
      [condition(ehr, sct('195967001', 'Asthma'), 'active', '2019-05-01'), 'cdr.problem_list.v1'],
      [allergy(ehr, sct('91935009', 'Allergy to peanut'), 'active', 'high', 'food'), 'cdr.adverse_reaction_list.v1'],
      [medicationRequest(ehr, 'Amoxicillin 500 mg capsules', '2024-04-01T08:00:00Z'), 'cdr.medication_order.v1'],
      [labResult(ehr, { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }, 5.4, 'mmol/L', '2024-04-02T07:00:00Z'), 'cdr.laboratory_report.v1'],
    ];
    for (const [resource, templateId] of cases) {
      const created = await createResource(cdr, resource);
      validation.check(created);
      const source = (created['meta'] as { source: string }).source;
      const [, ehrPart, uid] = /^openehr:\/ehr\/([^/]+)\/composition\/(.+)$/.exec(source) ?? [];
      assert.equal(ehrPart, ehr);
      const openehr = await request(cdr.app).get(`/openehr/v1/ehr/${ehr}/composition/${uid}`).expect(200);
      assert.equal(openehr.body.archetype_details.template_id.value, templateId);
      const { body: read } = await get(`/fhir/${String(resource['resourceType'])}/${String(created['id'])}`);
      assert.deepEqual(read, created);
    }
  });

  it('an Observation written through FHIR is found by AQL through the openEHR API', async () => {
    const created = await createResource(cdr, heartRate(other, '2024-06-01T12:00:00Z', 57));
    const result = await request(cdr.app)
      .post('/openehr/v1/query/aql')
      .set('Content-Type', 'application/json')
      .send({
        q: 'SELECT c/uid/value, o/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.pulse.v2] WHERE e/ehr_id/value = $ehr',
        query_parameters: { ehr: other },
      })
      .expect(200);
    const uid = (created['meta'] as { source: string }).source.split('/composition/')[1];
    assert.deepEqual(result.body.rows, [[uid, 57]]);
  });

  it('a composition committed through openEHR is found by FHIR search', async () => {
    const bp = composition('cdr.vital_signs.v1', '2023-03-03T03:03:03Z');
    const uid = await commitComposition(cdr, other, bp);
    const { body } = await get(`/fhir/Observation?patient=Patient/${other}&code=http://loinc.org|85354-9&date=2023-03-03`);
    const ids = entryIds(body);
    assert.deepEqual(ids, [`Observation/${uid.split('::')[0]}.bp1`]);
    const entry = (body['entry'] as { fullUrl: string; search: { mode: string } }[])[0];
    assert.equal(entry?.fullUrl, `${new URL(entry?.fullUrl ?? '').origin}/fhir/${ids[0]}`);
    assert.equal(entry?.search.mode, 'match');
  });

  it('a transaction Bundle commits its entries in one contribution per patient, or nothing', async () => {
    const count = async () => Number(((await get(`/fhir/Observation?patient=${other}&_summary=count`)).body['total']) ?? -1);
    const before = await count();
    const ok = await send('post', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: heartRate(other, '2024-07-01T08:00:00Z', 61), request: { method: 'POST', url: 'Observation' } },
        { resource: bloodPressure(other, '2024-07-01T08:00:00Z', 131, 84), request: { method: 'POST', url: 'Observation' } },
        { resource: condition(other, { system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }, 'active', '2024-07-01'), request: { method: 'POST', url: 'Condition' } },
      ],
    });
    assert.equal(ok.res.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body?.['type'], 'transaction-response');
    const entries = ok.body?.['entry'] as { response: { status: string; location: string }; resource: { meta: { source: string } } }[];
    assert.deepEqual(entries.map((e) => e.response.status), ['201 Created', '201 Created', '201 Created']);
    const contributions = new Set<string>();
    for (const entry of entries) {
      const uid = entry.resource.meta.source.split('/composition/')[1] as string;
      const version = await request(cdr.app).get(`/openehr/v1/ehr/${other}/versioned_composition/${uid.split('::')[0]}/version/${uid}`).expect(200);
      contributions.add(version.body.contribution.id.value);
    }
    assert.equal(contributions.size, 1, 'one contribution');
    assert.equal(await count(), before + 2);

    const invalid = heartRate(other, '2024-07-02T08:00:00Z', 70);
    invalid['valueQuantity'] = { value: 70, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' };
    const bad = await send('post', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: heartRate(other, '2024-07-02T08:00:00Z', 62), request: { method: 'POST', url: 'Observation' } },
        { resource: invalid, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    assert.equal(bad.res.status, 422);
    const issues = (bad.body?.['issue'] as { expression: string[]; diagnostics: string }[]) ?? [];
    assert.ok(issues.some((i) => i.expression[0]?.startsWith('Bundle.entry[1].resource')), JSON.stringify(issues));
    assert.equal(await count(), before + 2, 'nothing of a failed transaction is stored');

    const ehrCount = async () => Number(((await get(`/fhir/Observation?patient=${ehr}&_summary=count`)).body['total']) ?? -1);
    const ehrBefore = await ehrCount();
    const twoPatients = await send('post', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: heartRate(other, '2024-07-03T08:00:00Z', 63), request: { method: 'POST', url: 'Observation' } },
        { resource: heartRate(ehr, '2024-07-03T08:00:00Z', 64), request: { method: 'POST', url: 'Observation' } },
        { resource: heartRate(other, '2024-07-03T09:00:00Z', 65), request: { method: 'POST', url: 'Observation' } },
      ],
    });
    assert.equal(twoPatients.res.status, 200, JSON.stringify(twoPatients.body));
    const written = twoPatients.body?.['entry'] as { response: { location: string } }[];
    const values: number[] = [];
    for (const entry of written) {
      const read = await get(`/fhir/${entry.response.location.split('/_history/')[0]}`);
      values.push((read.body['valueQuantity'] as { value: number }).value);
      assert.equal((read.body['subject'] as { reference: string }).reference, `Patient/${values.length === 2 ? ehr : other}`);
    }
    assert.deepEqual(values, [63, 64, 65], 'each entry answered in its own place');
    assert.equal(await count(), before + 4);
    assert.equal(await ehrCount(), ehrBefore + 1);

    const spanningInvalid = await send('post', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: heartRate(ehr, '2024-07-04T08:00:00Z', 66), request: { method: 'POST', url: 'Observation' } },
        { resource: { ...invalid, subject: { reference: `Patient/${other}` } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    assert.equal(spanningInvalid.res.status, 422);
    assert.equal(await count(), before + 4, 'nothing of a failed transaction is stored, for either patient');
    assert.equal(await ehrCount(), ehrBefore + 1);

    // the second patient's record refuses the commit itself: the first patient's entry goes too
    const closed = (await request(cdr.app).post('/openehr/v1/ehr').expect(201)).headers.etag!.replace(/"/g, '');
    const status = await request(cdr.app).get(`/openehr/v1/ehr/${closed}/ehr_status`).expect(200);
    await request(cdr.app).put(`/openehr/v1/ehr/${closed}/ehr_status`).set('If-Match', `"${status.body.uid.value}"`).send({ ...status.body, is_modifiable: false }).expect(204);
    const refused = await send('post', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: heartRate(ehr, '2024-07-05T08:00:00Z', 67), request: { method: 'POST', url: 'Observation' } },
        { resource: heartRate(closed, '2024-07-05T08:00:00Z', 68), request: { method: 'POST', url: 'Observation' } },
      ],
    });
    assert.equal(refused.res.status, 409, JSON.stringify(refused.body));
    assert.equal(await ehrCount(), ehrBefore + 1, 'the entry for the open record was not kept');
  });

  it('answers errors as OperationOutcome with the right status', async () => {
    await get('/fhir/Spaceship', 404);
    await get('/fhir/Spaceship/1', 404);
    await get('/fhir/Observation/not-an-id', 404);
    await get('/fhir/Observation/8849182c-82ad-4088-a07f-48ead4180515.bp1', 404);
    await get(`/fhir/Patient/${'0'.repeat(8)}-0000-4000-8000-000000000000`, 404);
    const badDate = await get('/fhir/Observation?date=2024-13-45', 400);
    assert.deepEqual((badDate.body['issue'] as { expression: string[] }[])[0]?.expression, ['date']);
    const unknown = await get('/fhir/Observation?colour=blue', 400);
    assert.deepEqual((unknown.body['issue'] as { expression: string[] }[])[0]?.expression, ['colour']);
    const lenient = await request(cdr.app).get(`/fhir/Observation?colour=blue&patient=${other}`).set('Prefer', 'handling=lenient');
    assert.equal(lenient.status, 200);
    const bundle = JSON.parse(lenient.text) as { entry: { search: { mode: string }; resource: { resourceType: string } }[] };
    validation.check(bundle);
    assert.ok(bundle.entry.some((e) => e.search.mode === 'outcome' && e.resource.resourceType === 'OperationOutcome'));
    assert.ok(bundle.entry.filter((e) => e.search.mode === 'match').length > 0);

    const invalid = heartRate(ehr, '2024-02-01T08:00:00Z', 70);
    invalid['valueQuantity'] = { value: 70, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' };
    const unprocessable = await send('post', '/fhir/Observation', invalid);
    assert.equal(unprocessable.res.status, 422);
    const issue = (unprocessable.body?.['issue'] as { expression: string[]; diagnostics: string }[])[0];
    assert.deepEqual(issue?.expression, ['Observation.value']);
    assert.match(issue?.diagnostics ?? '', /openEHR \/content\[openEHR-EHR-OBSERVATION\.pulse\.v2\]/);

    const nobody = await send('post', '/fhir/Observation', heartRate('6f0b5d9e-0000-4000-8000-000000000000', '2024-02-01T08:00:00Z', 70));
    assert.equal(nobody.res.status, 422);
    assert.deepEqual((nobody.body?.['issue'] as { expression: string[] }[])[0]?.expression, ['Observation.subject']);
    const noSubject = heartRate(ehr, '2024-02-01T08:00:00Z', 70);
    delete noSubject['subject'];
    assert.equal((await send('post', '/fhir/Observation', noSubject)).res.status, 422);
    assert.equal((await send('post', '/fhir/Observation', { resourceType: 'Condition' })).res.status, 400);
    assert.equal((await send('post', '/fhir/Encounter', { resourceType: 'Encounter', status: 'finished' })).res.status, 422);
    const xml = await request(cdr.app).post('/fhir/Observation').set('Content-Type', 'application/fhir+xml').send('<Observation/>');
    assert.equal(xml.status, 415);
    const acceptXml = await request(cdr.app).get(`/fhir/Patient/${ehr}`).set('Accept', 'application/fhir+xml');
    assert.equal(acceptXml.status, 406);
    validation.check(JSON.parse(acceptXml.text));

    // a deleted composition: its resources are gone (410), their history stays
    const uid = await commitComposition(cdr, other, composition('cdr.problem_list.v1', '2022-01-01T00:00:00Z'));
    const id = `${uid.split('::')[0]}.dx1`;
    await get(`/fhir/Condition/${id}`);
    await request(cdr.app).delete(`/openehr/v1/ehr/${other}/composition/${uid}`).expect(204);
    const gone = await get(`/fhir/Condition/${id}`, 410);
    assert.equal((gone.body['issue'] as { code: string }[])[0]?.code, 'deleted');
    const { body: history } = await get(`/fhir/Condition/${id}/_history`);
    assert.deepEqual((history['entry'] as { request: { method: string } }[]).map((e) => e.request.method), ['DELETE', 'POST']);
    assert.deepEqual(entryIds(await get(`/fhir/Condition?_id=${id}`).then((r) => r.body)), []);
  });

  it('the audit trail as AuditEvent: the reads and writes of a patient, searchable by patient, action and date', async () => {
    const created = await createResource(cdr, heartRate(other, '2024-08-01T08:00:00Z', 66));
    await get(`/fhir/Observation/${String(created['id'])}`);
    const { body } = await get(`/fhir/AuditEvent?patient=${other}&_count=50`);
    const events = (body['entry'] as { resource: Record<string, unknown> }[]).map((e) => e.resource);
    const read = events.find((e) => (e['subtype'] as { code: string }[])[0]?.code === 'read' && JSON.stringify(e['entity']).includes(String(created['id'])));
    assert.ok(read, 'the read is in the audit trail');
    assert.equal(read['action'], 'R');
    assert.equal(read['outcome'], '0');
    const creates = await get(`/fhir/AuditEvent?patient=${other}&action=C&date=ge${new Date(Date.now() - 3_600_000).toISOString().slice(0, 10)}`);
    assert.ok(((creates.body['entry'] as { resource: { action: string } }[]) ?? []).every((e) => e.resource.action === 'C'));
    assert.ok(((creates.body['entry'] as unknown[]) ?? []).length > 0);
    const one = await get(`/fhir/AuditEvent/${String(read['id'])}`);
    assert.equal(one.body['id'], read['id']);
    await get('/fhir/AuditEvent/999999999', 404);
  });
});
