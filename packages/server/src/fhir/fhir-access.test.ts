/**
 * Who sees what through the FHIR API, with authentication on: SMART scopes per resource type,
 * patient-context tokens held to their patient's compartment (reads of another patient's
 * resources are 404, searches and writes naming another patient 403, searches naming none
 * limited to theirs), consent (is_queryable) against patient-scoped access, the audit trail
 * only for scopes that name AuditEvent, and scopes checked per entry of a transaction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { TestCdr } from '../testing/test-app.js';
import { FhirValidation, commitComposition, composition, condition, createPatient, createResource, heartRate, searchAll, startFhirCdr } from '../testing/fhir.js';
import { DEV_AUDIENCE, DEV_ISSUER, devKeys, signToken, type DevKeys, type TokenClaims } from '../security/dev-tokens.js';
import { readSecurityConfig } from '../security/security-config.js';

describe('FHIR API access control', function () {
  this.timeout(120_000);
  let cdr: TestCdr;
  let keys: DevKeys;
  let admin: string;
  let a: string;
  let b: string;
  let hidden: string;
  const idsOf: Record<string, string[]> = {};
  const validation = new FhirValidation();
  const bearer = async (claims: TokenClaims) => `Bearer ${await signToken(keys.privateKey, claims)}`;

  const get = async (url: string, auth: string, status: number) => {
    const res = await request(cdr.app).get(url).set('Authorization', auth);
    assert.equal(res.status, status, `GET ${url}: ${res.text}`);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    validation.check(body);
    return body;
  };
  const matchIds = (bundle: Record<string, unknown>) => ((bundle['entry'] as { resource: { id: string } }[] | undefined) ?? []).map((e) => e.resource.id);

  before(async () => {
    keys = await devKeys(mkdtempSync(join(tmpdir(), 'cdr-fhir-keys-')));
    const security = readSecurityConfig({ CDR_AUTH: 'jwt', CDR_AUTH_PUBLIC_KEY: keys.publicKeyPem, CDR_AUTH_ISSUER: DEV_ISSUER, CDR_AUTH_AUDIENCE: DEV_AUDIENCE, CDR_RATE_LIMIT_PER_MINUTE: '0' });
    admin = await bearer({ sub: 'setup', roles: ['admin'], scope: 'system/*.cruds' });
    cdr = await startFhirCdr({ security, auth: admin });
    a = await createPatient(cdr, { namespace: 'urn:test', id: 'a' }, { auth: admin });
    b = await createPatient(cdr, { namespace: 'urn:test', id: 'b' }, { auth: admin });
    hidden = await createPatient(cdr, { namespace: 'urn:test', id: 'hidden' }, { queryable: false, auth: admin });
    for (const ehr of [a, b, hidden]) {
      await commitComposition(cdr, ehr, composition('cdr.vital_signs.v1', '2024-01-15T10:30:00Z'), admin);
      const created = await createResource(cdr, heartRate(ehr, '2024-02-01T08:00:00Z', 70), admin);
      idsOf[ehr] = [String(created['id'])];
    }
  });

  after(async () => {
    console.log(`      [FHIR access] resources validated against R4: ${validation.summary()}`);
    await cdr.close();
  });

  it('a patient-context token sees its own compartment only', async () => {
    const patientA = await bearer({ sub: 'patient-a', scope: 'patient/*.rs', patient: a });
    const own = idsOf[a]?.[0] as string;
    const others = idsOf[b]?.[0] as string;
    // a search that names no patient is limited to theirs
    const all = await searchAll(cdr, '/fhir/Observation?_count=3', patientA, validation);
    assert.ok(all.ids.length >= 9);
    const subjects = all.bundles.flatMap((bundle) => ((bundle['entry'] as { resource: { subject: { reference: string } } }[] | undefined) ?? []).map((e) => e.resource.subject.reference));
    assert.deepEqual([...new Set(subjects)], [`Patient/${a}`]);
    const everyone = await searchAll(cdr, '/fhir/Observation?_count=100', admin, validation);
    assert.ok(everyone.ids.length > all.ids.length);
    assert.deepEqual(matchIds(await get(`/fhir/Observation?patient=${a}&code=8867-4&date=2024-02`, patientA, 200)), [own]);
    // naming another patient is forbidden
    await get(`/fhir/Observation?patient=${b}`, patientA, 403);
    await get(`/fhir/Observation?subject=Patient/${b}`, patientA, 403);
    await get(`/fhir/Patient?_id=${b}`, patientA, 403);
    await get(`/fhir/Patient/${b}/Observation`, patientA, 403);
    // another patient's resources do not exist for them
    await get(`/fhir/Observation/${own}`, patientA, 200);
    await get(`/fhir/Observation/${others}`, patientA, 404);
    await get(`/fhir/Observation/${others}/_history`, patientA, 404);
    await get(`/fhir/Observation/${others}/_history/1`, patientA, 404);
    await get(`/fhir/Patient/${b}`, patientA, 404);
    assert.deepEqual(matchIds(await get('/fhir/Patient', patientA, 200)), [a]);
    assert.deepEqual(matchIds(await get(`/fhir/Patient/${a}/Observation?code=8867-4&date=2024-02`, patientA, 200)), [own]);
    // the admin sees both
    await get(`/fhir/Observation/${others}`, admin, 200);
  });

  it('a patient-context token writes only to its own record', async () => {
    const patientA = await bearer({ sub: 'patient-a', scope: 'patient/*.cruds', patient: a });
    const mine = await request(cdr.app).post('/fhir/Observation').set('Authorization', patientA).set('Content-Type', 'application/fhir+json').send(JSON.stringify(heartRate(a, '2024-03-01T08:00:00Z', 71)));
    assert.equal(mine.status, 201, mine.text);
    const theirs = await request(cdr.app).post('/fhir/Observation').set('Authorization', patientA).set('Content-Type', 'application/fhir+json').send(JSON.stringify(heartRate(b, '2024-03-01T08:00:00Z', 71)));
    assert.equal(theirs.status, 403);
    const other = JSON.parse((await request(cdr.app).get(`/fhir/Observation/${idsOf[b]?.[0]}`).set('Authorization', admin)).text) as Record<string, unknown>;
    const update = await request(cdr.app).put(`/fhir/Observation/${String(other['id'])}`).set('Authorization', patientA).set('Content-Type', 'application/fhir+json').send(JSON.stringify(other));
    assert.equal(update.status, 403);
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: heartRate(b, '2024-03-02T08:00:00Z', 72), request: { method: 'POST', url: 'Observation' } }],
    };
    const tx = await request(cdr.app).post('/fhir').set('Authorization', patientA).set('Content-Type', 'application/fhir+json').send(JSON.stringify(bundle));
    assert.equal(tx.status, 403);
    const readOnly = await bearer({ sub: 'patient-a', scope: 'patient/*.rs', patient: a });
    const refused = await request(cdr.app).post('/fhir/Observation').set('Authorization', readOnly).set('Content-Type', 'application/fhir+json').send(JSON.stringify(heartRate(a, '2024-03-01T08:00:00Z', 71)));
    assert.equal(refused.status, 403);
    const noPatient = await bearer({ sub: 'confused', scope: 'patient/*.rs' });
    await get('/fhir/Observation', noPatient, 403);
  });

  it('consent: EHRs that are not queryable are left out of population searches, and seen by their own patient', async () => {
    const clinician = await bearer({ sub: 'dr', scope: 'user/*.rs' });
    const population = await searchAll(cdr, '/fhir/Observation?code=8867-4&_count=50', clinician, validation);
    const hiddenIds = idsOf[hidden] ?? [];
    assert.ok(hiddenIds.length > 0);
    assert.ok(!population.ids.some((id) => hiddenIds.some((h) => id.endsWith(h))));
    assert.ok(population.ids.some((id) => idsOf[a]?.some((x) => id.endsWith(x))));
    const named = await searchAll(cdr, `/fhir/Observation?code=8867-4&patient=${hidden}`, clinician, validation);
    assert.ok(named.ids.some((id) => hiddenIds.some((h) => id.endsWith(h))));
    const patientHidden = await bearer({ sub: 'patient-hidden', scope: 'patient/*.rs', patient: hidden });
    const own = await searchAll(cdr, '/fhir/Observation?code=8867-4', patientHidden, validation);
    assert.ok(own.ids.some((id) => hiddenIds.some((h) => id.endsWith(h))));
    assert.deepEqual(matchIds(await get('/fhir/Patient?identifier=urn:test|hidden', clinician, 200)), []);
    assert.deepEqual(matchIds(await get('/fhir/Patient', patientHidden, 200)), [hidden]);
  });

  it('SMART scopes per resource type; the audit trail only for scopes that name AuditEvent', async () => {
    const observationsOnly = await bearer({ sub: 'device', scope: 'user/Observation.rs' });
    await get('/fhir/Observation?_count=1', observationsOnly, 200);
    await get('/fhir/Condition', observationsOnly, 403);
    await get(`/fhir/Patient/${a}/Condition`, await bearer({ sub: 'x', scope: 'user/Patient.rs' }), 403);
    const clinician = await bearer({ sub: 'dr', scope: 'user/*.cruds' });
    await get('/fhir/AuditEvent', clinician, 403);
    await get('/fhir/AuditEvent/1', clinician, 403);
    const auditor = await bearer({ sub: 'auditor', scope: 'user/AuditEvent.rs' });
    const trail = await get('/fhir/AuditEvent?_count=5&_total=accurate', auditor, 200);
    assert.ok(Number(trail['total']) > 10);
    const patientAudit = await bearer({ sub: 'patient-a', scope: 'patient/AuditEvent.rs', patient: a });
    const about = await searchAll(cdr, '/fhir/AuditEvent?_count=20', patientAudit, validation);
    assert.ok(about.ids.length > 0);
    for (const bundle of about.bundles) {
      for (const entry of (bundle['entry'] as { resource: { entity: { what: { reference?: string } }[] } }[] | undefined) ?? []) {
        assert.ok(entry.resource.entity.some((e) => e.what.reference === `Patient/${a}`), 'only events about their own record');
      }
    }
    await get(`/fhir/AuditEvent?patient=${b}`, patientAudit, 403);
    // the reads of this test are in the trail, with who read
    const reads = await searchAll(cdr, `/fhir/AuditEvent?altid=device&subtype=search-type`, auditor, validation);
    assert.ok(reads.ids.length >= 1);
  });

  it('checks the scopes of every entry of a transaction; one refused entry stores nothing', async () => {
    const observationWriter = await bearer({ sub: 'writer', scope: 'user/Observation.cruds' });
    const count = async () => Number((await get(`/fhir/Observation?patient=${b}&_summary=count`, admin, 200))['total']);
    const before = await count();
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: heartRate(b, '2024-04-01T08:00:00Z', 73), request: { method: 'POST', url: 'Observation' } },
        { resource: condition(b, { system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }, 'active', '2024-04-01'), request: { method: 'POST', url: 'Condition' } },
      ],
    };
    const refused = await request(cdr.app).post('/fhir').set('Authorization', observationWriter).set('Content-Type', 'application/fhir+json').send(JSON.stringify(bundle));
    assert.equal(refused.status, 403);
    assert.match(JSON.parse(refused.text).issue[0].diagnostics, /Bundle\.entry\[1\]/);
    assert.equal(await count(), before);
    const both = await bearer({ sub: 'writer', scope: 'user/Observation.cruds user/Condition.cruds' });
    const accepted = await request(cdr.app).post('/fhir').set('Authorization', both).set('Content-Type', 'application/fhir+json').send(JSON.stringify(bundle));
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(await count(), before + 1);
    const unauthenticated = await request(cdr.app).post('/fhir').set('Content-Type', 'application/fhir+json').send(JSON.stringify(bundle));
    assert.equal(unauthenticated.status, 401);
  });
});
