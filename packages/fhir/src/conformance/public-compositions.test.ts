/**
 * Our mappings over public compositions (EHRbase's test data) that use the archetypes we map,
 * from templates other than ours: what they give is valid FHIR R4, and the values are the
 * compositions' values.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePath, isJsonObject } from '@cdr/rm';
import { describeShared, sharedPath } from '@cdr/rm/testing/shared';
import { loadMappings } from '../load.js';
import { toFhirDateTime } from '../mapping/convert.js';
import type { FhirResource } from '../engine/to-fhir.js';
import { validateFhir } from '../testing/fhir-validation.js';

const EHR = '0f3a3bd4-9d0c-4b59-9d67-5c1f7d0b7d55';
const context = { ehrId: EHR, versionUid: 'c5db0694-5cd2-4fd1-a5bf-ed25f1c5d371::ehrbase.org::1', timeCommitted: '2021-12-03T17:40:00+01:00' };

function count(value: unknown, archetypeId: string): number {
  if (Array.isArray(value)) {
    return value.reduce<number>((n, v) => n + count(v, archetypeId), 0);
  }
  if (!isJsonObject(value)) {
    return 0;
  }
  return (value['archetype_node_id'] === archetypeId ? 1 : 0) + Object.values(value).reduce<number>((n, v) => n + count(v, archetypeId), 0);
}

describeShared('our mappings over public compositions', () => {
  const mappings = loadMappings();
  const dir = () => sharedPath('testdata', 'ehrbase-sdk', 'test-data', 'composition', 'canonical_json');
  const read = (file: string) => JSON.parse(readFileSync(join(dir(), file), 'utf8')) as Record<string, unknown>;

  it('every resource made from every public canonical JSON composition is valid FHIR R4', () => {
    let resources = 0;
    let files = 0;
    const errors: string[] = [];
    for (const file of readdirSync(dir()).filter((f) => f.endsWith('.json'))) {
      let composition: unknown;
      try {
        composition = JSON.parse(readFileSync(join(dir(), file), 'utf8'));
      } catch {
        continue;
      }
      if (!isJsonObject(composition) || composition['_type'] !== 'COMPOSITION') {
        continue;
      }
      files += 1;
      for (const r of mappings.toFhir(composition, context)) {
        resources += 1;
        errors.push(...validateFhir(r).map((e) => `${file} ${r.resourceType}/${r.id}: ${e}`));
      }
    }
    assert.deepEqual(errors, []);
    assert.ok(files > 20 && resources > files, `${files} compositions, ${resources} resources`);
  });

  it('the International Patient Summary: vital signs with the values recorded, problems, a laboratory report with its analytes', () => {
    const ips = read('ips_canonical.json');
    const resources = mappings.toFhir(ips, context);
    const withCode = (code: string): FhirResource | undefined => resources.find((r) => JSON.stringify(r['code'] ?? '').includes(`"${code}"`));
    const bp = '/content[openEHR-EHR-SECTION.adhoc.v1]/items[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006]';
    const [systolic] = evaluatePath(ips, `${bp}/data[at0003]/items[at0004]/value/magnitude`);
    const [time] = evaluatePath(ips, `${bp}/time/value`);
    const panel = withCode('85354-9');
    const component = (panel?.['component'] as { code: { coding: { code: string }[] }; valueQuantity: { value: number } }[]).find((c) => c.code.coding[0]?.code === '8480-6');
    assert.equal(component?.valueQuantity.value, systolic);
    assert.equal(panel?.['effectiveDateTime'], time);
    const [spo2] = evaluatePath(ips, '/content[openEHR-EHR-SECTION.adhoc.v1]/items[openEHR-EHR-OBSERVATION.pulse_oximetry.v1]/data[at0001]/events[at0002]/data[at0003]/items[at0006]/value/numerator');
    assert.equal((withCode('2708-6')?.['valueQuantity'] as { value: number; code: string }).value, spo2);
    assert.equal(resources.filter((r) => r.resourceType === 'Condition').length, count(ips, 'openEHR-EHR-EVALUATION.problem_diagnosis.v1'));
    const report = resources.find((r) => r.resourceType === 'DiagnosticReport');
    const analytes = resources.filter((r) => r.resourceType === 'Observation' && JSON.stringify(r['category']).includes('laboratory'));
    assert.equal(analytes.length, count(ips, 'openEHR-EHR-CLUSTER.laboratory_test_analyte.v1'));
    assert.deepEqual(
      (report?.['result'] as { reference: string }[]).map((r) => r.reference),
      analytes.map((a) => `Observation/${a.id}`),
    );
  });

  it('a composition of several events gives one Observation per event, each with its own time', () => {
    const composition = read('multi_occurrence.json');
    const times = evaluatePath(composition, '/content[openEHR-EHR-OBSERVATION.body_temperature.v2]/data[at0002]/events/time/value');
    const temperatures = mappings.toFhir(composition, context).filter((r) => JSON.stringify(r['code'] ?? '').includes('8310-5'));
    assert.ok(times.length > 1);
    // FHIR writes the decimal comma of ISO 8601 as a point
    assert.deepEqual(
      temperatures.map((t) => t['effectiveDateTime']),
      times.map((t) => toFhirDateTime(t as string)),
    );
  });
});
