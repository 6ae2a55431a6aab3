/**
 * Random FHIR searches (known and unknown types and parameters, modifiers, prefixes, broken
 * dates, tokens full of separators, SQL and JSON fragments, cursors that were never issued,
 * huge numbers) through GET and POST _search: none may be a 500, and every answer is a
 * searchset Bundle or an OperationOutcome that is valid FHIR R4.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { loadMappings } from '@cdr/fhir';
import type { TestCdr } from '../testing/test-app.js';
import { FhirValidation, commitComposition, composition, createPatient, createResource, heartRate, startFhirCdr } from '../testing/fhir.js';

const mappings = loadMappings();

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

describe('FHIR search fuzz', function () {
  this.timeout(600_000);
  let cdr: TestCdr;
  let ehr: string;
  const validation = new FhirValidation();

  before(async () => {
    cdr = await startFhirCdr();
    ehr = await createPatient(cdr, { namespace: 'urn:fuzz', id: 'f1' });
    await commitComposition(cdr, ehr, composition('cdr.vital_signs.v1', '2024-01-15T10:30:00Z'));
    await commitComposition(cdr, ehr, composition('cdr.problem_list.v1', '2024-01-15T10:30:00Z'));
    await createResource(cdr, heartRate(ehr, '2024-02-29T12:00:00+05:00', 70));
  });

  after(async () => {
    await cdr.close();
  });

  it('gives no 500 for 1,500 random search strings, and answers each with valid FHIR', async () => {
    const next = random(1234567);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const types = [...mappings.resourceTypes(), 'AuditEvent', 'Spaceship', 'observation', 'Observation$', '_history', 'metadata'];
    const names = (type: string) => [
      ...(mappings.resourceTypes().includes(type) ? mappings.searchParameters(type).map((p) => p.code) : ['date', 'patient', 'action']),
      '_count', '_offset', '_sort', '_summary', '_total', '_cursor', '_format', '_elements', '_include', 'code:text', 'date:missing', 'patient:Patient', 'subject:Group', 'code:not', '', ' ', 'ünïcode', "'; drop table ehr; --", 'a'.repeat(300),
    ];
    const fragments = [
      ehr, `Patient/${ehr}`, 'http://loinc.org|8867-4', '8867-4', '|8867-4', 'http://loinc.org|', '|', '||', ',', ',,', '\\,', '\\|', '\\', 'a\\', 'active', 'final', 'laboratory',
      '2024', '2024-02', '2024-02-29', '2024-02-30', '2024-13', '0000', '9999-12-31T23:59:59.999Z', '2024-02-29T12:00:00+05:00', '2024-02-29T24:00', '2024-02-29T12:00:00+99:99', 'T10:00', '2024-1-1',
      'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap', 'xx', 'eq2024', 'ge2024-02', 'lt2024-02-29T00:00:00Z', 'ne2025',
      '0', '-1', '1', '20', '1000', '1001', '99999999999999999999', '1e3', '3.5', 'NaN', 'count', 'accurate', 'none', 'estimate', 'true', 'false',
      'date', '-date', '_id', '-_lastUpdated', 'code', 'onset-date,-_id',
      "' or '1'='1", '$1', '$$', '%', '_', '*', '"', '{}', '[]', '{"a":1}', 'null', 'undefined', '<script>', '\u0000', '\u2028', '😀', '%ZZ', '..', '../..',
      'WyIyMDI0LTAxLTAxVDAwOjAwOjAwWiIsW11d', 'WyIyMDI0LTAxLTAxVDAwOjAwOjAwWiIsWzEsMiwzXV0', 'WyJ4IixbIngiLCJ5Il1d', 'not-a-cursor', 'WyIxIixbIjIwMjQtMDEtMDEgMDA6MDA6MDArMDAiLDk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XV0',
      '8849182c-82ad-4088-a07f-48ead4180515', '8849182c-82ad-4088-a07f-48ead4180515.bp1', '8849182c-82ad-4088-a07f-48ead4180515.bp0', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
    ];
    const value = () => {
      const parts = 1 + Math.floor(next() * 3);
      return Array.from({ length: parts }, () => pick(fragments)).join(pick(['', ',', '|', '', '']));
    };
    let cases = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < 1500; i += 1) {
      const type = pick(types);
      const count = Math.floor(next() * 4);
      const params: [string, string][] = Array.from({ length: count }, () => [pick(names(type)), value()]);
      const query = next() < 0.1 ? params.map(([k, v]) => `${k}=${v}`).join('&') : new URLSearchParams(params).toString();
      const viaPost = next() < 0.25;
      const lenient = next() < 0.3;
      let req = viaPost
        ? request(cdr.app).post(`/fhir/${encodeURIComponent(type)}/_search`).set('Content-Type', 'application/x-www-form-urlencoded')
        : request(cdr.app).get(`/fhir/${encodeURIComponent(type)}?${query}`);
      if (lenient) {
        req = req.set('Prefer', 'handling=lenient');
      }
      let res: request.Response;
      try {
        res = viaPost ? await req.send(new URLSearchParams(params).toString()) : await req;
      } catch (error) {
        // a URL the HTTP client itself refuses to send is not a case
        if ((error as Error).message.includes('Invalid')) {
          continue;
        }
        throw error;
      }
      cases += 1;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const where = `${viaPost ? 'POST' : 'GET'} /fhir/${type} ${query}`;
      if (res.status >= 500) {
        failures.push(`${where}: ${res.status} ${res.text}`);
        continue;
      }
      const body = JSON.parse(res.text) as { resourceType?: string };
      assert.ok(body.resourceType === 'Bundle' || body.resourceType === 'OperationOutcome' || (type === 'metadata' && body.resourceType === 'CapabilityStatement'), `${where}: ${res.text.slice(0, 200)}`);
      try {
        validation.check(body, where);
      } catch (error) {
        failures.push(`${where}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
    console.log(`      [FHIR fuzz] ${cases} random searches: ${[...statuses.entries()].sort().map(([s, n]) => `${n} x ${s}`).join(', ')}; ${validation.validated} answers validated; ${failures.length} failures`);
    assert.deepEqual(failures.slice(0, 5), []);
    assert.ok(cases >= 1000);
  });
});
