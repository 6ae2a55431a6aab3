import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRmObject, type Issue } from '@cdr/rm';
import { projectRoot } from '@cdr/rm/testing/shared';
import { parseOpt, validateComposition, type OperationalTemplate } from '@cdr/template';
import { TEMPLATES } from './compositions.js';
import { generatePatient, type GeneratedPatient, type PopulationOptions } from './patient.js';
import { compositionLines, ehrLine } from './population.js';

const OPTIONS: PopulationOptions = { seed: 7, years: 5, end: '2025-01-01T00:00:00Z' };
const PATIENTS = 40;

const templates = new Map<string, OperationalTemplate>(
  Object.values(TEMPLATES).map((id) => [id, parseOpt(readFileSync(join(projectRoot, 'templates', `${id}.opt`), 'utf8'))]),
);

type Json = Record<string, unknown>;

/** Every node of a composition with the given archetype node id. */
function nodes(value: unknown, nodeId: string, found: Json[] = []): Json[] {
  if (Array.isArray(value)) {
    value.forEach((v) => nodes(v, nodeId, found));
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Json;
    if (object.archetype_node_id === nodeId) {
      found.push(object);
    }
    Object.values(object).forEach((v) => nodes(v, nodeId, found));
  }
  return found;
}

/** The magnitude of the first ELEMENT at0004 under an observation of the archetype. */
function magnitude(composition: Json, archetypeId: string): number | undefined {
  const [observation] = nodes(composition, archetypeId);
  const [element] = nodes(observation, 'at0004');
  return (element?.value as { magnitude?: number } | undefined)?.magnitude;
}

describe('synthetic population', function () {
  let population: GeneratedPatient[];

  before(function () {
    population = Array.from({ length: PATIENTS }, (_, i) => generatePatient(OPTIONS, i));
  });

  it('writes compositions that pass the RM checks and validate against our templates', function () {
    const problems: string[] = [];
    let count = 0;
    for (const patient of population) {
      for (const issue of checkRmObject(patient.ehrStatus, 'EHR_STATUS')) {
        problems.push(`EHR_STATUS of patient ${patient.index}: ${issue.path}: ${issue.message}`);
      }
      for (const { templateId, composition } of patient.compositions) {
        count += 1;
        const template = templates.get(templateId);
        assert.ok(template, `unknown template ${templateId}`);
        const issues: Issue[] = [...checkRmObject(composition, 'COMPOSITION'), ...validateComposition(template, composition)];
        problems.push(...issues.map((i) => `${templateId} of patient ${patient.index}: ${i.path}: ${i.message}`));
      }
    }
    assert.ok(count > 20 * PATIENTS, `only ${count} compositions for ${PATIENTS} patients over five years`);
    assert.deepEqual(problems.slice(0, 20), []);
  });

  it('fills all five templates, with problem and allergy lists as versions of one composition', function () {
    const byTemplate = new Map<string, number>();
    for (const patient of population) {
      const versions = new Map<string, number[]>();
      for (const c of patient.compositions) {
        byTemplate.set(c.templateId, (byTemplate.get(c.templateId) ?? 0) + 1);
        versions.set(c.objectId, [...(versions.get(c.objectId) ?? []), c.version]);
        assert.equal((c.composition.uid as Json).value, `${c.objectId}::population.generator::${c.version}`);
      }
      for (const [objectId, list] of versions) {
        assert.deepEqual(list, list.map((_, i) => i + 1), `versions of ${objectId} are not 1..n in order`);
      }
    }
    for (const templateId of Object.values(TEMPLATES)) {
      assert.ok((byTemplate.get(templateId) ?? 0) > 0, `no ${templateId}`);
    }
    const problemLists = population.map((p) => p.compositions.filter((c) => c.templateId === TEMPLATES.problemList).length);
    assert.ok(problemLists.some((n) => n > 2), 'no problem list has more than two versions');
  });

  it('records vital signs at every encounter with consistent and plausible values', function () {
    let measuredBmi = 0;
    for (const patient of population) {
      let height: number | undefined;
      for (const { templateId, composition } of patient.compositions) {
        if (templateId !== TEMPLATES.vitalSigns) {
          continue;
        }
        const systolic = magnitude(composition, 'openEHR-EHR-OBSERVATION.blood_pressure.v2') as number;
        const [bp] = nodes(composition, 'openEHR-EHR-OBSERVATION.blood_pressure.v2');
        const diastolic = (nodes(bp, 'at0005')[0]?.value as { magnitude: number }).magnitude;
        assert.ok(systolic >= 85 && systolic <= 230 && diastolic >= 45 && diastolic <= systolic - 20, `blood pressure ${systolic}/${diastolic}`);
        const temperature = (nodes(nodes(composition, 'openEHR-EHR-OBSERVATION.body_temperature.v2'), 'at0004')[0]?.value as { magnitude: number }).magnitude;
        assert.ok(temperature >= 35 && temperature <= 41.5, `temperature ${temperature}`);
        height = magnitude(composition, 'openEHR-EHR-OBSERVATION.height.v2') ?? height;
        const weight = magnitude(composition, 'openEHR-EHR-OBSERVATION.body_weight.v2');
        const bmi = magnitude(composition, 'openEHR-EHR-OBSERVATION.body_mass_index.v2');
        if (bmi !== undefined) {
          assert.ok(weight !== undefined && height !== undefined, 'a BMI without weight and height');
          assert.ok(Math.abs(bmi - weight / (height / 100) ** 2) < 0.06, `BMI ${bmi} is not ${weight} kg / (${height} cm)^2`);
          measuredBmi += 1;
        }
      }
    }
    assert.ok(measuredBmi > PATIENTS * 5);
  });

  it('reports laboratory results with LOINC codes, units and reference ranges', function () {
    const codes = new Set<string>();
    for (const patient of population) {
      for (const { templateId, composition } of patient.compositions) {
        if (templateId !== TEMPLATES.laboratoryReport) {
          continue;
        }
        for (const analyte of nodes(composition, 'openEHR-EHR-CLUSTER.laboratory_test_analyte.v1')) {
          const name = nodes(analyte, 'at0024')[0]?.value as { defining_code: { terminology_id: { value: string }; code_string: string } };
          assert.equal(name.defining_code.terminology_id.value, 'LOINC');
          codes.add(name.defining_code.code_string);
          const result = nodes(analyte, 'at0001')[0]?.value as { units: string; magnitude: number; normal_range: Json; normal_status: { code_string: string } };
          assert.ok(result.units.length > 0 && Number.isFinite(result.magnitude) && result.normal_range);
          assert.ok(['L', 'N', 'H'].includes(result.normal_status.code_string));
        }
      }
    }
    for (const code of ['718-7', '2951-2', '14682-9', '62238-1']) {
      assert.ok(codes.has(code), `no analyte ${code}`);
    }
  });

  it('is the same on every run, and patient n is the same whatever range is generated', function () {
    const again = generatePatient(OPTIONS, 17);
    assert.deepEqual(again, population[17]);
    const lines = [ehrLine(again), ...compositionLines(again)].map((l) => JSON.stringify(l));
    assert.deepEqual(lines, [ehrLine(population[17] as GeneratedPatient), ...compositionLines(population[17] as GeneratedPatient)].map((l) => JSON.stringify(l)));
    const other = generatePatient({ ...OPTIONS, seed: 8 }, 17);
    assert.notEqual(other.ehrId, again.ehrId);
    assert.notDeepEqual(other.compositions[0]?.composition, again.compositions[0]?.composition);
  });
});
