/**
 * Vital-signs compositions of the project's own template (templates/cdr.vital_signs.v1.opt)
 * for the query tests: the template's example composition with the values a test sets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { projectRoot } from '@cdr/rm/testing/shared';

export const VITAL_SIGNS = 'cdr.vital_signs.v1';
export const BP = 'openEHR-EHR-OBSERVATION.blood_pressure.v2';
export const SYSTOLIC = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';
export const DIASTOLIC = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude';

type Json = Record<string, unknown>;

let example: Json | undefined;

/** Uploads the template and keeps its example composition. */
export async function loadVitalSigns(app: Express): Promise<void> {
  const opt = readFileSync(join(projectRoot, 'templates', `${VITAL_SIGNS}.opt`), 'utf8');
  const uploaded = await request(app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(opt);
  if (uploaded.status !== 201 && uploaded.status !== 409) {
    throw new Error(`uploading ${VITAL_SIGNS}: ${uploaded.status} ${uploaded.text}`);
  }
  const res = await request(app).get(`/openehr/v1/definition/template/adl1.4/${VITAL_SIGNS}/example`).set('Accept', 'application/json');
  if (res.status !== 200) {
    throw new Error(`the example of ${VITAL_SIGNS}: ${res.status}`);
  }
  example = res.body as Json;
}

const at = (value: unknown, ...keys: (string | number)[]): Json =>
  keys.reduce<unknown>((current, key) => (current as Record<string | number, unknown>)[key], value) as Json;

export interface Reading {
  readonly time: string;
  readonly systolic: number;
  readonly diastolic: number;
  readonly position?: 'Standing' | 'Sitting';
}

/** A vital-signs composition holding a blood pressure (and the template's other observations). */
export function vitalSigns(reading: Reading): Json {
  if (!example) {
    throw new Error('call loadVitalSigns first');
  }
  const composition = structuredClone(example);
  at(composition, 'context', 'start_time').value = reading.time;
  const bp = at(composition, 'content', 0);
  const items = at(bp, 'data', 'events', 0, 'data', 'items') as unknown as Json[];
  at(items, 0, 'value').magnitude = reading.systolic;
  at(items, 1, 'value').magnitude = reading.diastolic;
  at(bp, 'data', 'events', 0, 'time').value = reading.time;
  if (reading.position === 'Sitting') {
    const position = at(bp, 'data', 'events', 0, 'state', 'items', 0, 'value');
    position.value = 'Sitting';
    at(position, 'defining_code').code_string = 'at1001';
  }
  return composition;
}

/** Creates an EHR (queryable or not) and commits the readings; returns its id and the composition uids. */
export async function patientWith(app: Express, readings: readonly Reading[], options: { queryable?: boolean } = {}): Promise<{ ehrId: string; uids: string[] }> {
  const status = {
    _type: 'EHR_STATUS',
    name: { _type: 'DV_TEXT', value: 'EHR Status' },
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    subject: { _type: 'PARTY_SELF' },
    is_queryable: options.queryable ?? true,
    is_modifiable: true,
  };
  const ehr = await request(app).post('/openehr/v1/ehr').send(status);
  if (ehr.status !== 201) {
    throw new Error(`creating an EHR: ${ehr.status} ${ehr.text}`);
  }
  const ehrId = String(ehr.headers.etag).replace(/"/g, '');
  const uids: string[] = [];
  for (const reading of readings) {
    const res = await request(app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Prefer', 'return=representation').send(vitalSigns(reading));
    if (res.status !== 201) {
      throw new Error(`committing a reading: ${res.status} ${res.text.slice(0, 500)}`);
    }
    uids.push(res.body.uid.value as string);
  }
  return { ehrId, uids };
}
