/**
 * Access control end to end: authentication (401 with WWW-Authenticate), the
 * authorisation matrix (endpoints x roles x patient contexts, zero bypasses), the audit
 * trail (every access of a scripted session found with its correlation id), rate limits.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PROJECT_TEMPLATES, createResource, heartRate } from '../testing/fhir.js';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';
import { ownTemplate } from '../testing/own-templates.js';
import { DEV_AUDIENCE, DEV_ISSUER, devKeys, signToken, type DevKeys, type TokenClaims } from './dev-tokens.js';
import { ROLES, type Role } from './permissions.js';
import { readSecurityConfig } from './security-config.js';

const VITALS = 'cdr.vital_signs.v1';

describe('access control', function () {
  this.timeout(120_000);
  let cdr: TestCdr;
  let keys: DevKeys;
  let ehrA: string;
  let ehrB: string;
  let compositionA: string;
  const token = (claims: TokenClaims) => signToken(keys.privateKey, claims);

  before(async () => {
    keys = await devKeys(mkdtempSync(join(tmpdir(), 'cdr-keys-')));
    const security = readSecurityConfig({
      CDR_AUTH: 'jwt',
      CDR_AUTH_PUBLIC_KEY: keys.publicKeyPem,
      CDR_AUTH_ISSUER: DEV_ISSUER,
      CDR_AUTH_AUDIENCE: DEV_AUDIENCE,
      CDR_RATE_LIMIT_PER_MINUTE: '0',
    });
    cdr = await startTestCdr({ security });
    const admin = `Bearer ${await token({ sub: 'setup', roles: ['admin'] })}`;
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Authorization', admin).set('Content-Type', 'application/xml').send(ownTemplate(VITALS)).expect(201);
    ehrA = (await request(cdr.app).post('/openehr/v1/ehr').set('Authorization', admin).expect(201)).headers.etag!.replace(/"/g, '');
    ehrB = (await request(cdr.app).post('/openehr/v1/ehr').set('Authorization', admin).expect(201)).headers.etag!.replace(/"/g, '');
    const example = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).set('Authorization', admin)).body;
    compositionA = (await request(cdr.app).post(`/openehr/v1/ehr/${ehrA}/composition`).set('Authorization', admin).send(example).expect(201)).headers.etag!.replace(/"/g, '');
  });
  after(async () => cdr.close());

  describe('authentication', () => {
    it('answers a request without a token with 401 and a Bearer challenge', async () => {
      const res = await request(cdr.app).get(`/openehr/v1/ehr/${ehrA}`);
      assert.equal(res.status, 401);
      assert.match(res.headers['www-authenticate'] ?? '', /^Bearer realm="openehr-cdr"/);
      assert.ok(res.body.message);
    });

    it('refuses expired, not-yet-valid, foreign and tampered tokens with 401 invalid_token', async () => {
      const other = await devKeys(mkdtempSync(join(tmpdir(), 'cdr-other-keys-')));
      const bad = [
        await token({ sub: 'u', roles: ['admin'], ttlSeconds: -3600 }),
        await token({ sub: 'u', roles: ['admin'], notBeforeSeconds: 3600, ttlSeconds: 7200 }),
        await token({ sub: 'u', roles: ['admin'], audience: 'some-other-api' }),
        await token({ sub: 'u', roles: ['admin'], issuer: 'https://elsewhere.example' }),
        await signToken(other.privateKey, { sub: 'u', roles: ['admin'] }),
        (await token({ sub: 'u', roles: ['clinical.read'] })).replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ sub: 'u', roles: ['admin'] })).toString('base64url')}.`),
      ];
      for (const jwt of bad) {
        const res = await request(cdr.app).get(`/openehr/v1/ehr/${ehrA}`).set('Authorization', `Bearer ${jwt}`);
        assert.equal(res.status, 401);
        assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
      }
      const malformed = await request(cdr.app).get(`/openehr/v1/ehr/${ehrA}`).set('Authorization', 'Basic dXNlcjpwYXNz');
      assert.equal(malformed.status, 401);
    });

    it('leaves the operations endpoints and SMART discovery open', async () => {
      for (const path of ['/health', '/ready', '/metrics', '/.well-known/smart-configuration']) {
        assert.equal((await request(cdr.app).get(path)).status, 200, path);
      }
      const smart = await request(cdr.app).get('/.well-known/smart-configuration');
      assert.ok((smart.body.capabilities as string[]).includes('permission-v2'));
    });
  });

  describe('authorisation', () => {
    interface Endpoint {
      readonly name: string;
      readonly role: Role;
      /** The EHR the request is about, if any (patient-context tokens may reach only their own). */
      readonly ehr?: () => string;
      readonly send: (auth: string | undefined) => Promise<request.Response>;
    }

    const call = (method: 'get' | 'post' | 'put' | 'delete', path: () => string, body?: unknown, type?: string) => (auth: string | undefined) => {
      let req = request(cdr.app)[method](path());
      if (auth) {
        req = req.set('Authorization', auth);
      }
      if (type) {
        req = req.set('Content-Type', type);
      }
      const payload = typeof body === 'function' ? (body as () => unknown)() : body;
      return payload === undefined ? req : req.send(payload as object);
    };

    const endpoints: Endpoint[] = [];
    for (const [label, ehr] of [['own', () => ehrA], ['other', () => ehrB]] as const) {
      endpoints.push(
        { name: `GET EHR (${label})`, role: 'clinical.read', ehr, send: call('get', () => `/openehr/v1/ehr/${ehr()}`) },
        { name: `GET EHR_STATUS (${label})`, role: 'clinical.read', ehr, send: call('get', () => `/openehr/v1/ehr/${ehr()}/ehr_status`) },
        { name: `GET versioned EHR_STATUS (${label})`, role: 'clinical.read', ehr, send: call('get', () => `/openehr/v1/ehr/${ehr()}/versioned_ehr_status/revision_history`) },
        { name: `POST composition (${label})`, role: 'clinical.write', ehr, send: call('post', () => `/openehr/v1/ehr/${ehr()}/composition`, { _type: 'COMPOSITION' }) },
        { name: `PUT EHR_STATUS (${label})`, role: 'clinical.write', ehr, send: call('put', () => `/openehr/v1/ehr/${ehr()}/ehr_status`, { _type: 'EHR_STATUS' }) },
        { name: `DELETE composition (${label})`, role: 'clinical.write', ehr, send: call('delete', () => `/openehr/v1/ehr/${ehr()}/composition/${compositionA.replace(/::\d+$/, '::9')}`) },
        { name: `POST contribution (${label})`, role: 'clinical.write', ehr, send: call('post', () => `/openehr/v1/ehr/${ehr()}/contribution`, { versions: [] }) },
        { name: `AQL for one EHR (${label})`, role: 'clinical.read', ehr, send: call('get', () => `/openehr/v1/query/aql?q=${encodeURIComponent('SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c')}&ehr_id=${ehr()}`) },
      );
    }
    endpoints.push(
      { name: 'GET composition', role: 'clinical.read', ehr: () => ehrA, send: call('get', () => `/openehr/v1/ehr/${ehrA}/composition/${compositionA}`) },
      { name: 'POST EHR', role: 'clinical.write', send: call('post', () => '/openehr/v1/ehr') },
      { name: 'GET templates', role: 'clinical.read', send: call('get', () => '/openehr/v1/definition/template/adl1.4') },
      { name: 'GET web template', role: 'clinical.read', send: call('get', () => `/openehr/v1/definition/template/adl1.4/${VITALS}`) },
      { name: 'POST template', role: 'template.admin', send: call('post', () => '/openehr/v1/definition/template/adl1.4', '<not-a-template/>', 'application/xml') },
      { name: 'AQL across the population', role: 'population.query', send: call('get', () => `/openehr/v1/query/aql?q=${encodeURIComponent('SELECT count(c) FROM COMPOSITION c')}`) },
      { name: 'POST AQL across the population', role: 'population.query', send: call('post', () => '/openehr/v1/query/aql', { q: 'SELECT e/ehr_id/value FROM EHR e' }) },
      { name: 'PUT stored query', role: 'template.admin', send: call('put', () => '/openehr/v1/definition/query/org.example::vitals/1.0.0', 'SELECT e/ehr_id/value FROM EHR e', 'text/plain') },
      { name: 'GET audit trail', role: 'admin', send: call('get', () => '/admin/audit') },
      // A `$ehr_id` AQL parameter does not scope a query: it stays a population query.
      { name: 'POST AQL with an ehr_id query parameter', role: 'population.query', send: call('post', () => '/openehr/v1/query/aql', () => ({ q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c', query_parameters: { ehr_id: ehrA } })) },
      // Scoped in the body to the patient's EHR but in the URL to another: both must be allowed.
      { name: 'POST AQL scoped twice', role: 'clinical.read', ehr: () => ehrB, send: call('post', () => `/openehr/v1/query/aql?ehr_id=${ehrA}`, () => ({ q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c', ehr_id: ehrB })) },
    );

    interface Caller {
      readonly name: string;
      readonly roles: readonly Role[];
      readonly patient?: () => string;
    }
    const callers: Caller[] = [
      ...ROLES.map((role) => ({ name: role, roles: [role] as Role[] })),
      { name: 'no role', roles: [] },
      { name: 'clinical read+write', roles: ['clinical.read', 'clinical.write'] },
      { name: 'patient-context reader', roles: ['clinical.read'], patient: () => ehrA },
      { name: 'patient-context writer', roles: ['clinical.read', 'clinical.write'], patient: () => ehrA },
      { name: 'patient-context with every role', roles: [...ROLES], patient: () => ehrA },
    ];

    function expected(caller: Caller, endpoint: Endpoint): boolean {
      const hasRole = caller.roles.includes(endpoint.role) || caller.roles.includes('admin');
      if (!hasRole) {
        return false;
      }
      if (caller.patient) {
        const limited = endpoint.role === 'admin' || endpoint.role === 'template.admin' || endpoint.role === 'population.query';
        return !limited && endpoint.ehr !== undefined && endpoint.ehr() === caller.patient();
      }
      return true;
    }

    it('allows exactly what each role and patient context grants, with zero bypasses', async () => {
      let cases = 0;
      const bypasses: string[] = [];
      const wrongRefusals: string[] = [];
      for (const caller of callers) {
        const auth = `Bearer ${await token({ sub: `user-${caller.name}`, roles: caller.roles, ...(caller.patient ? { patient: caller.patient() } : {}) })}`;
        for (const endpoint of endpoints) {
          cases += 1;
          const res = await endpoint.send(auth);
          const allowed = res.status !== 401 && res.status !== 403;
          if (allowed && !expected(caller, endpoint)) {
            bypasses.push(`${caller.name} -> ${endpoint.name}: ${res.status}`);
          } else if (!allowed && expected(caller, endpoint)) {
            wrongRefusals.push(`${caller.name} -> ${endpoint.name}: ${res.status} ${res.body.message}`);
          } else if (!allowed) {
            assert.equal(res.status, 403, `${caller.name} -> ${endpoint.name}`);
            assert.ok(res.body.message, 'a 403 says what was missing');
          }
        }
      }
      for (const endpoint of endpoints) {
        cases += 1;
        if ((await endpoint.send(undefined)).status !== 401) {
          bypasses.push(`no token -> ${endpoint.name}`);
        }
      }
      console.log(`      [authorisation] matrix: ${callers.length + 1} callers x ${endpoints.length} endpoints = ${cases} cases, ${bypasses.length} bypasses, ${wrongRefusals.length} wrong refusals`);
      assert.deepEqual(bypasses, []);
      assert.deepEqual(wrongRefusals, []);
    });
  });

  describe('FHIR: SMART scopes and patient contexts', () => {
    type Outcome = 'allow' | 'deny';
    interface FhirEndpoint {
      readonly name: string;
      readonly type: string;
      readonly interaction: 'c' | 'r' | 's';
      /** The patient the request reaches; undefined for a search that names none. */
      readonly patient?: () => string;
      readonly send: (auth: string) => request.Test;
    }
    interface ScopeCaller {
      readonly scope: string;
      readonly patient?: () => string;
    }
    let observationA: string;
    let observationB: string;

    before(async () => {
      const admin = `Bearer ${await token({ sub: 'setup', roles: ['admin'], scope: 'system/*.cruds' })}`;
      for (const id of PROJECT_TEMPLATES.filter((t) => t !== VITALS)) {
        await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Authorization', admin).set('Content-Type', 'application/xml').send(ownTemplate(id)).expect(201);
      }
      observationA = String((await createResource(cdr, heartRate(ehrA, '2024-02-01T08:00:00Z', 72), admin)).id);
      observationB = String((await createResource(cdr, heartRate(ehrB, '2024-02-01T08:00:00Z', 64), admin)).id);
    });

    const endpoints: FhirEndpoint[] = [
      { name: 'read own Observation', type: 'Observation', interaction: 'r', patient: () => ehrA, send: (auth) => request(cdr.app).get(`/fhir/Observation/${observationA}`).set('Authorization', auth) },
      { name: "read another's Observation", type: 'Observation', interaction: 'r', patient: () => ehrB, send: (auth) => request(cdr.app).get(`/fhir/Observation/${observationB}`).set('Authorization', auth) },
      { name: 'search own Observations', type: 'Observation', interaction: 's', patient: () => ehrA, send: (auth) => request(cdr.app).get(`/fhir/Observation?patient=${ehrA}`).set('Authorization', auth) },
      { name: "search another's Observations", type: 'Observation', interaction: 's', patient: () => ehrB, send: (auth) => request(cdr.app).get(`/fhir/Observation?patient=${ehrB}`).set('Authorization', auth) },
      { name: 'search Observations of everyone', type: 'Observation', interaction: 's', send: (auth) => request(cdr.app).get('/fhir/Observation?code=8867-4').set('Authorization', auth) },
      { name: "search another's Conditions", type: 'Condition', interaction: 's', patient: () => ehrB, send: (auth) => request(cdr.app).get(`/fhir/Condition?patient=${ehrB}`).set('Authorization', auth) },
      { name: "another's compartment", type: 'Observation', interaction: 's', patient: () => ehrB, send: (auth) => request(cdr.app).get(`/fhir/Patient/${ehrB}/Observation`).set('Authorization', auth) },
      { name: 'read own Patient', type: 'Patient', interaction: 'r', patient: () => ehrA, send: (auth) => request(cdr.app).get(`/fhir/Patient/${ehrA}`).set('Authorization', auth) },
      { name: 'create own Observation', type: 'Observation', interaction: 'c', patient: () => ehrA, send: (auth) => request(cdr.app).post('/fhir/Observation').set('Authorization', auth).set('Content-Type', 'application/fhir+json').send(heartRate(ehrA, '2024-03-01T08:00:00Z', 70)) },
      { name: "create another's Observation", type: 'Observation', interaction: 'c', patient: () => ehrB, send: (auth) => request(cdr.app).post('/fhir/Observation').set('Authorization', auth).set('Content-Type', 'application/fhir+json').send(heartRate(ehrB, '2024-03-01T08:00:00Z', 70)) },
    ];
    const callers: ScopeCaller[] = [
      { scope: 'patient/Observation.read', patient: () => ehrA },
      { scope: 'patient/*.rs', patient: () => ehrA },
      { scope: 'patient/*.cruds', patient: () => ehrA },
      { scope: 'patient/Observation.c', patient: () => ehrA },
      { scope: 'user/Observation.read' },
      { scope: 'user/Condition.rs' },
      { scope: 'user/*.cruds' },
      { scope: 'system/*.read' },
      { scope: 'system/Patient.r' },
      { scope: 'openid fhirUser' },
    ];

    function grants(scope: string, type: string, interaction: 'c' | 'r' | 's'): boolean {
      return scope.split(' ').some((one) => {
        const m = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)$/.exec(one);
        if (!m || (m[2] !== '*' && m[2] !== type)) {
          return false;
        }
        const access = m[3] as string;
        const letters = access === 'read' ? 'rs' : access === 'write' ? 'cud' : access === '*' ? 'cruds' : access;
        return letters.includes(interaction);
      });
    }

    function expected(caller: ScopeCaller, endpoint: FhirEndpoint): Outcome {
      if (!grants(caller.scope, endpoint.type, endpoint.interaction)) {
        return 'deny';
      }
      if (caller.patient && endpoint.patient && endpoint.patient() !== caller.patient()) {
        return 'deny';
      }
      return 'allow';
    }

    it('allows exactly what the scopes and the patient context grant, with zero bypasses', async () => {
      let cases = 0;
      const bypasses: string[] = [];
      const wrongRefusals: string[] = [];
      for (const caller of callers) {
        const auth = `Bearer ${await token({ sub: `app-${caller.scope}`, scope: caller.scope, ...(caller.patient ? { patient: caller.patient() } : {}) })}`;
        for (const endpoint of endpoints) {
          cases += 1;
          const res = await endpoint.send(auth);
          // A patient-context caller is told another patient's resources do not exist (404).
          const hidden = caller.patient !== undefined && endpoint.interaction === 'r' && res.status === 404;
          const outcome: Outcome = res.status === 401 || res.status === 403 || hidden ? 'deny' : 'allow';
          const want = expected(caller, endpoint);
          if (outcome === 'allow' && want === 'deny') {
            bypasses.push(`${caller.scope}${caller.patient ? ' (patient A)' : ''} -> ${endpoint.name}: ${res.status}`);
          } else if (outcome === 'deny' && want === 'allow') {
            wrongRefusals.push(`${caller.scope} -> ${endpoint.name}: ${res.status} ${res.text.slice(0, 200)}`);
          }
          if (outcome === 'allow' && endpoint.interaction === 's' && caller.patient && res.status === 200) {
            const subjects = ((res.body.entry ?? []) as { resource: { subject?: { reference: string } } }[]).map((e) => e.resource.subject?.reference);
            assert.ok(subjects.every((s) => s === undefined || s === `Patient/${caller.patient!()}`), `${caller.scope} -> ${endpoint.name} returned another patient's data`);
          }
        }
      }
      console.log(`      [authorisation] FHIR matrix: ${callers.length} scope sets x ${endpoints.length} endpoints = ${cases} cases, ${bypasses.length} bypasses, ${wrongRefusals.length} wrong refusals`);
      assert.deepEqual(bypasses, []);
      assert.deepEqual(wrongRefusals, []);
    });
  });

  describe('audit trail', () => {
    it('records every access of a session, failures included, with its correlation id', async () => {
      const clinician = `Bearer ${await token({ sub: 'dr-who', name: 'Dr Who', clientId: 'ward-app', roles: ['clinical.read', 'clinical.write'] })}`;
      const analyst = `Bearer ${await token({ sub: 'analyst-1', roles: ['population.query'] })}`;
      const admin = `Bearer ${await token({ sub: 'auditor', roles: ['admin'] })}`;
      const aql = 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c';
      const example = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).set('Authorization', clinician)).body;
      const session: { id: string; run: () => request.Test; action: string; status: number; ehr?: string; query?: string; subject?: string }[] = [
        { id: 'audit-read', run: () => request(cdr.app).get(`/openehr/v1/ehr/${ehrA}/composition/${compositionA}`).set('Authorization', clinician).set('X-Purpose-Of-Use', 'TREAT'), action: 'read', status: 200, ehr: ehrA, subject: 'dr-who' },
        { id: 'audit-write', run: () => request(cdr.app).post(`/openehr/v1/ehr/${ehrA}/composition`).set('Authorization', clinician).send(example), action: 'create', status: 201, ehr: ehrA, subject: 'dr-who' },
        { id: 'audit-invalid', run: () => request(cdr.app).post(`/openehr/v1/ehr/${ehrA}/composition`).set('Authorization', clinician).send({ _type: 'COMPOSITION' }), action: 'create', status: 422, ehr: ehrA, subject: 'dr-who' },
        { id: 'audit-forbidden', run: () => request(cdr.app).get(`/openehr/v1/query/aql?q=${encodeURIComponent(aql)}`).set('Authorization', clinician), action: 'query', status: 403, query: aql, subject: 'dr-who' },
        { id: 'audit-query', run: () => request(cdr.app).post('/openehr/v1/query/aql').set('Authorization', analyst).send({ q: aql }), action: 'query', status: 200, query: aql, subject: 'analyst-1' },
        { id: 'audit-anonymous', run: () => request(cdr.app).get(`/openehr/v1/ehr/${ehrB}`), action: 'read', status: 401, ehr: ehrB },
        { id: 'audit-template', run: () => request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Authorization', admin).set('Content-Type', 'application/xml').send('<x/>'), action: 'template-upload', status: 400, subject: 'auditor' },
      ];
      for (const step of session) {
        const res = await step.run().set('X-Request-Id', step.id);
        assert.equal(res.status, step.status, `${step.id}: ${JSON.stringify(res.body)}`);
      }
      let found = 0;
      for (const step of session) {
        const res = await request(cdr.app).get('/admin/audit').query({ correlation_id: step.id }).set('Authorization', admin);
        assert.equal(res.status, 200);
        const events = res.body.events as { action: string; status: number; ehrIds: string[]; subject?: string; query?: string; outcome: string; purpose?: string; clientId?: string }[];
        assert.equal(events.length, 1, `${step.id} is in the audit trail once`);
        const event = events[0]!;
        assert.equal(event.action, step.action, step.id);
        assert.equal(event.status, step.status, step.id);
        assert.equal(event.outcome, step.status < 400 ? 'success' : 'failure');
        assert.equal(event.subject, step.subject, step.id);
        if (step.ehr) {
          assert.deepEqual(event.ehrIds, [step.ehr], step.id);
        }
        if (step.query) {
          assert.equal(event.query, step.query, step.id);
        }
        found += 1;
      }
      const read = (await request(cdr.app).get('/admin/audit').query({ correlation_id: 'audit-read' }).set('Authorization', admin)).body.events[0];
      assert.equal(read.purpose, 'TREAT');
      assert.equal(read.clientId, 'ward-app');
      const byEhr = await request(cdr.app).get('/admin/audit').query({ ehr_id: ehrA, subject: 'dr-who' }).set('Authorization', admin);
      assert.ok(byEhr.body.events.length >= 3);
      console.log(`      [audit] ${found}/${session.length} accesses of the scripted session found with their correlation ids`);
    });

    it('keeps the trail append-only', async () => {
      await assert.rejects(cdr.db.query('update audit_event set subject = $1', ['someone else']), /append-only/);
      await assert.rejects(cdr.db.query('delete from audit_event'), /append-only/);
    });
  });
});
