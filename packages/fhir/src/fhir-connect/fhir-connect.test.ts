/**
 * The public FHIR Connect mapping files for the domains the CDR maps, read in place from
 * ../shared/reference/fhir-connect and run by our engine: how many files and rules it
 * executes, what it does not execute and why, and what running them on compositions gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluatePath } from '@cdr/rm';
import { describeShared, sharedPath } from '@cdr/rm/testing/shared';
import { parse } from 'yaml';
import type { FhirResource } from '../engine/to-fhir.js';
import type { Mappings } from '../mappings.js';
import { example } from '../testing/project-templates.js';
import { validateFhir } from '../testing/fhir-validation.js';
import type { FhirConnectReport } from './report.js';
import { fhirConnectReport } from './report.js';

/** Files read together: a model with the cluster models its slots use and the extensions of it. */
const SETS: readonly (readonly string[])[] = [
  ['openfhir/blood_pressure/blood-pressure.model.yml'],
  ['openfhir/nigerianhealth/blood_pressure_nhealth.yml'],
  ['openfhir/nigerianhealth/pulse_nhealth.yml'],
  ['openfhir/nigerianhealth/respiration_nhealth.yaml'],
  ['openfhir/nigerianhealth/pulse_oximetry_nhealth.yml'],
  ['openfhir/nigerianhealth/temperature_nhealth.yaml'],
  ['openfhir/growth_chart/body-weight.model.yml'],
  ['openfhir/growth_chart/body-height.model.yml'],
  [
    'openfhir/ips/core/evaluation/org/openehr/evaluation/problem_diagnosis.v1.yml',
    'openfhir/ips/core/evaluation/org/openehr/cluster/problem_qualifier.yml',
    'openfhir/ips/core/evaluation/org/openehr/evaluation/adverse_reaction_list.v1.yml',
    'openfhir/ips/core/evaluation/org/openehr/cluster/adverse_reaction_event.v1.yml',
    'openfhir/ips/ips.problem_diagnosis.v1.yml',
    'openfhir/ips/ips.allergies_and_intolerances.v1.yml',
  ],
  ['openfhir/medication_order/medication-order.model.yml', 'openfhir/medication_order/therapeutic-direction.model.yml', 'openfhir/medication_order/dosage.model.yml'],
  ['fhirconnect-mapping-lib/model/evaluation/org.openehr/problem_diagnosis.v1.yml', 'fhirconnect-mapping-lib/model/cluster/org.openehr/problem_qualifier.v2.yml'],
  [
    'fhirconnect-mapping-lib/model/observation/org.openehr/laboratory_test_result.v1.yml',
    'fhirconnect-mapping-lib/model/cluster/org.openehr/laboratory_test_analyte.v1.yml',
    'fhirconnect-mapping-lib/projects/org.openehr/EEHRxF/lab/bundle/lab_result.yml',
    'fhirconnect-mapping-lib/projects/org.openehr/EEHRxF/lab/bundle/lab_analyte.yml',
  ],
];

/** The kinds of reason the engine gives; a reason of another kind fails the test (and must be looked at). */
const KNOWN_REASONS: readonly RegExp[] = [
  /^reference \(an ad-hoc resource made for the rule and referred to\) is not executed$/,
  /^link \(an openEHR LINK between entries\) is not executed$/,
  /^inside a rule that is not executed$/,
  /^'\$reference' \(a separate resource/,
  /^no mapping for the slot archetype /,
  /^FHIR [A-Za-z.]+ has no element '/,
  /^there is no rule '.*' in the extended model$/,
  /^no executed rule reaches this cluster model \(by a slot\)$/,
  /is a primitive type and has no element/,
];

const EHR = '7d44b88c-4199-4bad-97dc-d78268e01398';
const context = { ehrId: EHR, versionUid: '8849182c-82ad-4088-a07f-48ead4180515::cdr.local::1', timeCommitted: '2024-01-15T10:31:00Z' };

function run(mappings: Mappings, composition: unknown): FhirResource[] {
  return mappings.toFhir(composition, context).filter((r) => r.resourceType !== 'Patient');
}

describeShared('FHIR Connect mapping files of the domains we map, run by our engine', () => {
  const root = (file: string) => sharedPath('reference', 'fhir-connect', file);
  const text = new Map<string, string>();
  let report: FhirConnectReport;

  before(() => {
    report = fhirConnectReport(
      SETS.map((set) =>
        set.map((file) => {
          const source = readFileSync(root(file), 'utf8');
          const name = file.split('/').pop() as string;
          text.set(name, source);
          return { name, document: parse(source) };
        }),
      ),
    );
    const rules = report.files.reduce((n, f) => n + f.rules, 0);
    const executed = report.files.reduce((n, f) => n + f.executed, 0);
    const full = report.files.filter((f) => f.executed === f.rules && !f.fileProblem).length;
    console.log(`\n      FHIR Connect: ${full} of ${report.files.length} files executed in full; ${executed} of ${rules} rules executed`);
    for (const f of report.files) {
      console.log(`        ${f.file}: ${f.executed}/${f.rules}${f.fileProblem ? ` (${f.fileProblem})` : ''}`);
      for (const n of f.notExecuted) {
        console.log(`          not executed: ${n.where} '${n.name}': ${n.reason}`);
      }
    }
  });

  it('reads every file and names a reason of a known kind for every rule it does not execute', () => {
    assert.equal(report.files.length, SETS.flat().length);
    const unknown = report.files.flatMap((f) => f.notExecuted.filter((n) => !KNOWN_REASONS.some((r) => r.test(n.reason))).map((n) => `${f.file} ${n.where}: ${n.reason}`));
    assert.deepEqual(unknown, []);
    assert.deepEqual(
      report.files.filter((f) => f.fileProblem).map((f) => f.file),
      [],
    );
  });

  it('executes the vital signs files in full', () => {
    const vitals = report.files.filter((f) => /blood|pulse|respiration|temperature|body-weight|body-height/.test(f.file));
    assert.equal(vitals.length, 8);
    for (const f of vitals) {
      assert.ok(f.rules > 0);
      assert.deepEqual(f.notExecuted, [], f.file);
    }
  });

  it('leaves out exactly the rules that use references and links, and those inside them', () => {
    for (const f of report.files) {
      const source = text.get(f.file) as string;
      const usesReference = /^\s*reference:\s*$/m.test(source);
      const usesLink = /^\s*link:\s*$/m.test(source);
      const reasons = f.notExecuted.map((n) => n.reason);
      assert.equal(reasons.some((r) => r.startsWith('reference')), usesReference, `${f.file}: reference`);
      // a link inside a reference is left out with the reference
      assert.equal(reasons.some((r) => r.startsWith('link') || (usesReference && r === 'inside a rule that is not executed')), usesLink || usesReference, `${f.file}: link`);
      if (!usesLink) {
        assert.ok(!reasons.some((r) => r.startsWith('link')), `${f.file}: no link`);
      }
    }
  });

  it("runs the blood pressure model: the components carry the composition's systolic and diastolic", () => {
    const c = example('cdr.vital_signs.v1');
    const bp = '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006]/data[at0003]';
    (evaluatePath(c, `${bp}/items[at0004]/value`)[0] as Record<string, unknown>)['magnitude'] = 141;
    (evaluatePath(c, `${bp}/items[at0005]/value`)[0] as Record<string, unknown>)['magnitude'] = 92;
    for (const index of [0, 1]) {
      const [observation] = run(report.mappings[index] as Mappings, c);
      assert.ok(observation, `set ${index}`);
      const components = observation['component'] as { code: { coding: { code: string }[] }; valueQuantity?: { value: number; code: string } }[];
      const value = (code: string) => components.find((x) => x.code.coding.some((k) => k.code === code))?.valueQuantity;
      assert.equal(value('8480-6')?.value, 141);
      assert.equal(value('8480-6')?.code, 'mm[Hg]');
      // the nhealth file codes the diastolic as 8462-6, a known typo for 8462-4; the engine does what the file says
      assert.equal(value(index === 0 ? '8462-4' : '8462-6')?.value, 92);
    }
  });

  it('runs the nhealth heart rate model, with its inline unit map', () => {
    const c = example('cdr.vital_signs.v1');
    const rate = evaluatePath(c, '/content[openEHR-EHR-OBSERVATION.pulse.v2]/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value')[0] as Record<string, unknown>;
    rate['magnitude'] = 58;
    const [observation] = run(report.mappings[2] as Mappings, c);
    assert.deepEqual(observation?.['valueQuantity'], { value: 58, unit: 'beats/min', system: 'http://unitsofmeasure.org', code: 'beats/min' });
    assert.equal(observation?.['status'], 'final');
    assert.deepEqual(
      (observation?.['code'] as { coding: { code: string }[] }).coding.map((k) => k.code),
      ['8867-4'],
    );
  });

  it('runs the IPS problem and allergy models on our templates: codes and statuses from the data', () => {
    const ips = report.mappings[8] as Mappings;
    const problems = example('cdr.problem_list.v1');
    const [condition] = run(ips, problems);
    assert.equal(condition?.resourceType, 'Condition');
    const problemCode = evaluatePath(problems, '/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0002]/value/defining_code/code_string')[0];
    assert.equal((condition?.['code'] as { coding: { code: string }[] }).coding[0]?.code, problemCode);
    const allergies = example('cdr.adverse_reaction_list.v1');
    const [allergy] = run(ips, allergies);
    const criticality = evaluatePath(allergies, '/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]/data[at0001]/items[at0101]/value/defining_code/code_string')[0];
    const expected: Record<string, string> = { at0102: 'low', at0103: 'high', at0124: 'unable-to-assess' };
    assert.equal(allergy?.['criticality'], expected[criticality as string]);
    assert.ok(Array.isArray(allergy?.['reaction']), 'reaction events through the adverse_reaction_event slot model');
  });

  it('reports what running every file on our example compositions gives, and how much of it is valid FHIR', () => {
    const compositions = ['cdr.vital_signs.v1', 'cdr.problem_list.v1', 'cdr.adverse_reaction_list.v1', 'cdr.medication_order.v1', 'cdr.laboratory_report.v1'].map((id) => example(id));
    let made = 0;
    let valid = 0;
    for (const mappings of report.mappings) {
      for (const c of compositions) {
        for (const r of run(mappings, c)) {
          made += 1;
          valid += validateFhir(r).length === 0 ? 1 : 0;
        }
      }
    }
    console.log(`      running them on the example compositions of our templates: ${made} resources, ${valid} valid FHIR R4`);
    assert.ok(made >= report.mappings.length);
  });
});
