/**
 * A real FHIR client (fhir-kit-client) against the server listening on a port: capability
 * statement, create, read, search with paging, update, vread, history, a transaction and a
 * Patient compartment search, as an application would do them.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'fhir-kit-client';
import type { TestCdr } from '../testing/test-app.js';
import { FhirValidation, bloodPressure, createPatient, heartRate, startFhirCdr } from '../testing/fhir.js';

type Json = Record<string, unknown>;

describe('FHIR API with fhir-kit-client', function () {
  this.timeout(120_000);
  let cdr: TestCdr;
  let server: Server;
  let client: Client;
  let ehr: string;
  const validation = new FhirValidation();
  let calls = 0;
  const checked = async (promise: Promise<unknown>): Promise<Json> => {
    const body = (await promise) as Json;
    calls += 1;
    validation.check(body);
    return body;
  };

  before(async () => {
    cdr = await startFhirCdr();
    ehr = await createPatient(cdr, { namespace: 'urn:oid:1.2.36.146.595.217.0.1', id: 'client-test' });
    server = createServer(cdr.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new Client({ baseUrl: `http://127.0.0.1:${port}/fhir` });
  });

  after(async () => {
    console.log(`      [fhir-kit-client] ${calls} client calls; resources validated against R4: ${validation.summary()}`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await cdr.close();
  });

  it('reads the CapabilityStatement', async () => {
    const statement = await checked(client.capabilityStatement());
    assert.equal(statement['resourceType'], 'CapabilityStatement');
  });

  it('creates, reads, updates, and reads the history and each version', async () => {
    const created = await checked(client.create({ resourceType: 'Observation', body: heartRate(ehr, '2024-05-05T05:05:05Z', 75) as never }));
    const id = String(created['id']);
    const read = await checked(client.read({ resourceType: 'Observation', id }));
    assert.deepEqual(read, created);
    const updated = await checked(client.update({ resourceType: 'Observation', id, body: { ...read, valueQuantity: { value: 77, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } } as never }));
    assert.equal((updated['meta'] as { versionId: string }).versionId, '2');
    assert.equal((updated['valueQuantity'] as { value: number }).value, 77);
    const history = await checked(client.history({ resourceType: 'Observation', id }));
    assert.deepEqual(((history['entry'] as { resource: Json }[]) ?? []).map((e) => (e.resource['valueQuantity'] as { value: number }).value), [77, 75]);
    const first = await checked(client.vread({ resourceType: 'Observation', id, version: '1' }));
    assert.equal((first['valueQuantity'] as { value: number }).value, 75);
  });

  it('searches and follows next links page by page', async () => {
    const times = Array.from({ length: 12 }, (_, i) => `2024-06-${String(i + 1).padStart(2, '0')}T08:00:00Z`);
    for (const [i, time] of times.entries()) {
      await checked(client.create({ resourceType: 'Observation', body: heartRate(ehr, time, 60 + i) as never }));
    }
    let bundle: Json | undefined = await checked(client.search({ resourceType: 'Observation', searchParams: { patient: ehr, code: 'http://loinc.org|8867-4', date: 'ge2024-06', _sort: '-date', _count: 5, _total: 'accurate' } }));
    assert.equal(bundle['total'], 12);
    const seen: string[] = [];
    let pages = 0;
    while (bundle) {
      pages += 1;
      for (const entry of (bundle['entry'] as { resource: Json }[] | undefined) ?? []) {
        seen.push(String(entry.resource['effectiveDateTime']));
      }
      const next: Promise<unknown> | undefined = client.nextPage({ bundle: bundle as never });
      bundle = next ? await checked(next) : undefined;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...times].reverse());
  });

  it('commits a transaction and searches the Patient compartment', async () => {
    const response = await checked(
      client.transaction({
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { resource: heartRate(ehr, '2024-07-07T07:07:07Z', 81), request: { method: 'POST', url: 'Observation' } },
            { resource: bloodPressure(ehr, '2024-07-07T07:07:07Z', 121, 79), request: { method: 'POST', url: 'Observation' } },
          ],
        } as never,
      }),
    );
    assert.equal(response['type'], 'transaction-response');
    const compartment = await checked(client.compartmentSearch({ resourceType: 'Observation', compartment: { resourceType: 'Patient', id: ehr }, searchParams: { date: '2024-07-07' } }));
    assert.equal(((compartment['entry'] as unknown[]) ?? []).length, 2);
  });

  it('gets OperationOutcomes as errors', async () => {
    await assert.rejects(client.read({ resourceType: 'Observation', id: '8849182c-82ad-4088-a07f-48ead4180515.hr1' }), (error: { response?: { status?: number; data?: unknown } }) => {
      assert.equal(error.response?.status, 404);
      validation.check(error.response?.data);
      assert.equal((error.response?.data as { resourceType?: string }).resourceType, 'OperationOutcome');
      return true;
    });
  });
});
