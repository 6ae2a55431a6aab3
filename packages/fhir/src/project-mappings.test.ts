/**
 * The package's mapping files over the project's templates: what they read exists in the
 * templates, what they make is valid FHIR R4 (and valid against the profiles it claims), and
 * what comes back through FHIR is a composition the template accepts.
 */
import assert from 'node:assert/strict';
import { checkRmObject, evaluatePath, isJsonObject } from '@cdr/rm';
import { MAPPED_NODES } from '@cdr/template/authoring/mapping-paths';
import { resolveArchetypePath, validateComposition } from '@cdr/template';
import type { CArchetypeRoot, CObject, OperationalTemplate } from '@cdr/template';
import { loadMappings } from './load.js';
import type { FhirResource } from './engine/to-fhir.js';
import { planTargets } from './search/targets.js';
import { validateFhir } from './testing/fhir-validation.js';
import { example, projectTemplate, projectTemplateIds } from './testing/project-templates.js';

const EHR = '7d44b88c-4199-4bad-97dc-d78268e01398';
const UID = '8849182c-82ad-4088-a07f-48ead4180515';
const context = { ehrId: EHR, versionUid: `${UID}::cdr.local::2`, timeCommitted: '2024-01-15T10:31:07.123Z', openehrBaseUrl: 'https://cdr.example.org/openehr/v1' };

const mappings = loadMappings();

type Json = Record<string, unknown>;

/** Sets the attribute at the end of a path in every object its parent path reaches. */
function set(root: unknown, path: string, value: unknown): void {
  const cut = path.lastIndexOf('/');
  const parents = evaluatePath(root, path.slice(0, cut) || '/');
  assert.ok(parents.length > 0, `nothing at ${path.slice(0, cut)}`);
  for (const parent of parents) {
    (parent as Json)[path.slice(cut + 1)] = value;
  }
}

function remove(root: unknown, path: string): void {
  const cut = path.lastIndexOf('/');
  const step = path.slice(cut + 1);
  const nodeId = /\[([^\]]+)\]$/.exec(step)?.[1];
  const attribute = step.replace(/\[.*$/, '');
  for (const parent of evaluatePath(root, path.slice(0, cut) || '/') as Json[]) {
    const list = parent[attribute];
    if (Array.isArray(list)) {
      parent[attribute] = list.filter((x: unknown) => !(isJsonObject(x) && x['archetype_node_id'] === nodeId));
    } else {
      delete parent[attribute];
    }
  }
}

function byCode(resources: readonly FhirResource[], code: string): FhirResource {
  const found = resources.find((r) => JSON.stringify(r['code'] ?? '').includes(`"code":"${code}"`));
  assert.ok(found, `no resource with code ${code}`);
  return found;
}

function archetypeRoots(object: CObject, found: CArchetypeRoot[] = []): CArchetypeRoot[] {
  if (object.kind === 'C_ARCHETYPE_ROOT') {
    found.push(object);
  }
  if (object.kind === 'C_ARCHETYPE_ROOT' || object.kind === 'C_COMPLEX_OBJECT') {
    for (const a of object.attributes) {
      for (const c of a.children) {
        archetypeRoots(c, found);
      }
    }
  }
  return found;
}

/** The path up to its last node (LOCATABLE) step: what a template constrains. */
function nodePath(path: string): string {
  const steps = path.split('/');
  let last = 0;
  steps.forEach((s, i) => {
    if (s.includes('[')) {
      last = i;
    }
  });
  return steps.slice(0, last + 1).join('/') || '/';
}

/** Where an archetype sits in a template, from the composition root (archetype roots by id). */
function placement(template: OperationalTemplate, archetypeId: string): string | undefined {
  const search = (object: CObject, path: string): string | undefined => {
    if (object.kind !== 'C_ARCHETYPE_ROOT' && object.kind !== 'C_COMPLEX_OBJECT') {
      return undefined;
    }
    for (const a of object.attributes) {
      for (const c of a.children) {
        const id = c.kind === 'C_ARCHETYPE_ROOT' ? c.archetypeId : c.nodeId;
        const next = `${path}/${a.rmAttributeName}${id ? `[${id}]` : ''}`;
        if (c.kind === 'C_ARCHETYPE_ROOT' && c.archetypeId === archetypeId) {
          return next;
        }
        const deeper = search(c, next);
        if (deeper) {
          return deeper;
        }
      }
    }
    return undefined;
  };
  return search(template.definition, '');
}

function templatesOf(archetypeId: string): string[] {
  return projectTemplateIds().filter((id) => archetypeRoots(projectTemplate(id).definition).some((r) => r.archetypeId === archetypeId));
}

/** Every openEHR path our mappings read, as a path from the composition root, per template. */
function readPaths(): { readonly templateId: string; readonly mapping: string; readonly path: string }[] {
  const out: { templateId: string; mapping: string; path: string }[] = [];
  for (const plan of mappings.plans) {
    const { anchor } = plan.mapping;
    if (anchor.kind === 'ehr-status') {
      continue;
    }
    const templateIds = anchor.kind === 'archetype' ? templatesOf(anchor.archetypeId) : projectTemplateIds();
    for (const templateId of templateIds) {
      const prefix = anchor.kind === 'archetype' ? placement(projectTemplate(templateId), anchor.archetypeId) : '';
      for (const target of planTargets(plan)) {
        if (target.kind !== 'data') {
          continue;
        }
        if (target.location.root === 'archetype') {
          out.push({ templateId, mapping: plan.mapping.name, path: `${prefix}${target.location.path === '/' ? '' : target.location.path}` });
        } else if (target.location.root === 'composition') {
          out.push({ templateId, mapping: plan.mapping.name, path: target.location.path });
        }
      }
    }
  }
  return out;
}

describe('our mappings over the project templates', () => {
  it('read only nodes the templates have (every openEHR path of every rule resolves in each template using the archetype)', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { templateId, mapping, path } of readPaths()) {
      const node = nodePath(path);
      const template = projectTemplate(templateId);
      // composition-level paths of an Encounter or DocumentReference only apply where the template has them
      if (!resolveArchetypePath(template.definition, node)) {
        if (mapping === 'encounter' || mapping === 'document-reference') {
          continue;
        }
        missing.push(`${mapping} in ${templateId}: ${path}`);
      }
      checked += 1;
    }
    assert.deepEqual(missing, []);
    assert.ok(checked > 60, `only ${checked} paths checked`);
  });

  it('read every node the templates list as feeding the FHIR mapping', () => {
    const read = readPaths();
    const unread = MAPPED_NODES.filter((n) => !read.some((r) => r.templateId === n.templateId && (r.path === n.path || r.path.startsWith(`${n.path}/`)))).map(
      (n) => `${n.templateId} ${n.path} (${n.fhir})`,
    );
    assert.deepEqual(unread, []);
  });

  for (const templateId of projectTemplateIds()) {
    it(`${templateId}: the example composition gives valid FHIR R4 resources, one per mapped archetype (per event), all references resolving`, () => {
      const composition = example(templateId);
      const resources = mappings.toFhir(composition, context);
      const errors = resources.flatMap((r) => validateFhir(r).map((e) => `${r.resourceType}/${r.id}: ${e}`));
      assert.deepEqual(errors, []);
      // one resource per anchor (and per each node) found in the input
      for (const mapping of mappings.resourceMappings) {
        const made = resources.filter((r) => r.id?.split('.')[1]?.replace(/\d+$/, '') === mapping.idKey && r.resourceType === mapping.resourceType);
        let expected: number;
        if (mapping.anchor.kind === 'archetype') {
          const archetypeId = mapping.anchor.archetypeId;
          const where = placement(projectTemplate(templateId), archetypeId);
          const anchors = where ? evaluatePath(composition, where) : [];
          expected = anchors.reduce<number>((n, a) => n + (mapping.each ? evaluatePath(a, mapping.each.text).length : 1), 0);
        } else if (mapping.anchor.kind === 'composition') {
          expected = mapping.name === 'encounter' ? (composition['archetype_node_id'] === 'openEHR-EHR-COMPOSITION.encounter.v1' ? 1 : 0) : 1;
        } else {
          expected = 0;
        }
        assert.equal(made.length, expected, `${mapping.name}: ${made.length} resources, expected ${expected}`);
      }
      const ids = resources.map((r) => `${r.resourceType}/${r.id}`);
      assert.equal(new Set(ids).size, ids.length, 'resource ids are unique');
      for (const r of resources) {
        assert.equal(mappings.locate(r.resourceType, r.id as string)?.mapping.resourceType, r.resourceType, `${r.id} is not an id of ours`);
        assert.deepEqual(mappings.read(composition, context, r.resourceType, r.id as string), r);
        assert.deepEqual(r.meta?.['source'], `openehr:/ehr/${EHR}/composition/${UID}::cdr.local::2`);
        assert.equal(r.meta?.['versionId'], '2');
        assert.equal(r.meta?.['lastUpdated'], '2024-01-15T10:31:07.123Z');
      }
      const references = JSON.stringify(resources).match(/"reference":"[^"]+"/g) ?? [];
      for (const reference of references) {
        const target = reference.slice('"reference":"'.length, -1);
        assert.ok(target === `Patient/${EHR}` || ids.includes(target), `${target} refers to nothing made here`);
      }
    });
  }

  it('vital signs: codes, values, units and times come from the composition', () => {
    const c = example('cdr.vital_signs.v1', '2024-03-02T07:45:00+01:00');
    const bp = '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006]/data[at0003]';
    set(c, `${bp}/items[at0004]/value/magnitude`, 132);
    set(c, `${bp}/items[at0005]/value/magnitude`, 84);
    set(c, '/content[openEHR-EHR-OBSERVATION.pulse.v2]/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude', 71);
    set(c, '/content[openEHR-EHR-OBSERVATION.pulse_oximetry.v1]/data[at0001]/events[at0002]/data[at0003]/items[at0006]/value/numerator', 96.5);
    set(c, '/content[openEHR-EHR-OBSERVATION.body_temperature.v2]/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value', { _type: 'DV_QUANTITY', magnitude: 37.4, units: 'Cel', precision: 1 });
    set(c, '/content[openEHR-EHR-OBSERVATION.body_weight.v2]/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value', { _type: 'DV_QUANTITY', magnitude: 71.2, units: 'kg', precision: 1 });
    const resources = mappings.toFhir(c, context);
    const quantity = (r: FhirResource) => r['valueQuantity'] as Json;
    const panel = byCode(resources, '85354-9');
    const components = panel['component'] as { code: { coding: { code: string }[] }; valueQuantity: Json }[];
    const component = (code: string) => components.find((x) => x.code.coding[0]?.code === code)?.valueQuantity;
    assert.deepEqual(component('8480-6'), { value: 132, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
    assert.equal(component('8462-4')?.['value'], 84);
    assert.deepEqual(quantity(byCode(resources, '8867-4')), { value: 71, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' });
    assert.deepEqual(quantity(byCode(resources, '2708-6')), { value: 96.5, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
    assert.equal(quantity(byCode(resources, '8310-5'))['code'], 'Cel');
    assert.equal(quantity(byCode(resources, '29463-7'))['value'], 71.2);
    for (const code of ['85354-9', '8867-4', '9279-1', '2708-6', '8310-5', '29463-7', '8302-2', '39156-5']) {
      const o = byCode(resources, code);
      assert.equal(o['status'], 'final');
      assert.equal(o['effectiveDateTime'], '2024-03-02T07:45:00+01:00');
      assert.deepEqual((o['category'] as { coding: { code: string }[] }[])[0]?.coding[0]?.code, 'vital-signs');
      assert.deepEqual(o['subject'], { reference: `Patient/${EHR}` });
      assert.deepEqual(validateFhir(o), []);
    }
    assert.deepEqual((byCode(resources, '2708-6')['code'] as { coding: { code: string }[] }).coding.map((k) => k.code), ['2708-6', '59408-5']);
  });

  it('a blood pressure without its systolic value still meets the profile: the component says why it is absent', () => {
    const c = example('cdr.vital_signs.v1');
    const systolic = '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006]/data[at0003]/items[at0004]';
    const element = evaluatePath(c, systolic)[0] as Json;
    delete element['value'];
    element['null_flavour'] = { _type: 'DV_CODED_TEXT', value: 'masked', defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '272' } };
    const panel = byCode(mappings.toFhir(c, context), '85354-9');
    const component = (panel['component'] as Json[]).find((x) => JSON.stringify(x['code']).includes('8480-6'));
    assert.equal(component?.['valueQuantity'], undefined);
    assert.deepEqual((component?.['dataAbsentReason'] as { coding: Json[] }).coding[0], { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'masked', display: 'Masked' });
    assert.deepEqual(validateFhir(panel), []);
  });

  describe('Condition.clinicalStatus follows the qualifier and the date of resolution, as FHIR requires (con-4)', () => {
    const qualifier = '/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[openEHR-EHR-CLUSTER.problem_qualifier.v2]';
    const resolution = '/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0030]';
    const local = (code: string, value: string) => ({ _type: 'DV_CODED_TEXT', value, defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'local' }, code_string: code } });
    const status = (c: unknown): string[] => {
      const [condition] = mappings.toFhir(c, context).filter((r) => r.resourceType === 'Condition');
      assert.ok(condition);
      assert.deepEqual(validateFhir(condition), []);
      return ((condition['clinicalStatus'] as { coding: { code: string }[] } | undefined)?.coding ?? []).map((k) => k.code);
    };
    const variant = (activeInactive: string | undefined, phase: string | undefined, resolved: boolean): unknown => {
      const c = example('cdr.problem_list.v1');
      if (activeInactive) {
        set(c, `${qualifier}/items[at0003]/value`, local(activeInactive, activeInactive === 'at0026' ? 'Active' : 'Inactive'));
      } else {
        remove(c, `${qualifier}/items[at0003]`);
      }
      if (phase) {
        set(c, `${qualifier}/items[at0083]/value`, local(phase, 'phase'));
      } else {
        remove(c, `${qualifier}/items[at0083]`);
      }
      if (!resolved) {
        remove(c, resolution);
      }
      return c;
    };
    it('active or inactive from the qualifier when there is no date of resolution', () => {
      assert.deepEqual(status(variant('at0026', undefined, false)), ['active']);
      assert.deepEqual(status(variant('at0027', undefined, false)), ['inactive']);
    });
    it('resolved or relapsed from the resolution phase', () => {
      assert.deepEqual(status(variant('at0026', 'at0084', false)), ['resolved']);
      assert.deepEqual(status(variant('at0026', 'at0097', false)), ['relapse']);
      assert.deepEqual(status(variant('at0026', 'at0085', false)), ['active']);
    });
    it('resolved when there is a date of resolution, unless the qualifier says inactive', () => {
      assert.deepEqual(status(variant('at0026', undefined, true)), ['resolved']);
      assert.deepEqual(status(variant('at0027', undefined, true)), ['inactive']);
    });
    it('active when nothing says otherwise', () => {
      assert.deepEqual(status(variant(undefined, undefined, false)), ['active']);
    });
  });

  for (const templateId of projectTemplateIds()) {
    it(`${templateId}: each resource that can be written comes back as a composition the template accepts, with the same FHIR content`, () => {
      const template = projectTemplate(templateId);
      const original = mappings.toFhir(example(templateId), context);
      const writable = original.filter((r) => mappings.mappingsFor(r.resourceType).some((m) => m.templates.includes(templateId)));
      assert.ok(writable.length > 0);
      for (const resource of writable) {
        const result = mappings.fromFhir(resource, { template, composer: 'Example composer', now: '2024-02-01T00:00:00Z', territory: 'GB' });
        assert.equal(result.target, 'composition');
        if (result.target !== 'composition') {
          continue;
        }
        assert.equal(result.templateId, templateId);
        assert.deepEqual(checkRmObject(result.composition, 'COMPOSITION'), [], `${resource.id}: RM`);
        assert.deepEqual(validateComposition(template, result.composition), [], `${resource.id}: template`);
        const again = mappings.toFhir(result.composition, { ...context, versionUid: `${UID}::cdr.local::3` }).filter((r) => r.resourceType === resource.resourceType);
        const content = (r: FhirResource): Json => {
          const { id: _id, meta: _meta, encounter: _encounter, result: _result, specimen: _specimen, note: _note, ...rest } = r;
          return rest;
        };
        assert.ok(
          again.some((a) => JSON.stringify(content(a)) === JSON.stringify(content(resource))),
          `${resource.resourceType} ${resource.id} changed on the way through openEHR:\n${JSON.stringify(content(resource))}\n${again.map((a) => JSON.stringify(content(a))).join('\n')}`,
        );
      }
    });
  }

  it('resources written by a FHIR client become compositions the templates accept', () => {
    const snomed = (code: string, display: string) => ({ coding: [{ system: 'http://snomed.info/sct', code, display }], text: display });
    const cases: { readonly resource: Json; readonly templateId: string; readonly expect: readonly (readonly [string, unknown])[] }[] = [
      {
        templateId: 'cdr.vital_signs.v1',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
          subject: { reference: `Patient/${EHR}` },
          effectiveDateTime: '2024-04-04T09:15:00+02:00',
          valueQuantity: { value: 64, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
        },
        expect: [
          ['/content[openEHR-EHR-OBSERVATION.pulse.v2]/data[at0002]/events[at0003]/data[at0001]/items[at0004]/value/magnitude', 64],
          ['/content[openEHR-EHR-OBSERVATION.pulse.v2]/data[at0002]/events[at0003]/time/value', '2024-04-04T09:15:00+02:00'],
        ],
      },
      {
        templateId: 'cdr.problem_list.v1',
        resource: {
          resourceType: 'Condition',
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
          verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
          severity: { coding: [{ system: 'http://snomed.info/sct', code: '6736007' }] },
          code: snomed('195967001', 'Asthma'),
          subject: { reference: `Patient/${EHR}` },
          onsetDateTime: '2019-05',
          note: [{ text: 'worse in winter' }, { text: 'inhaler at night' }],
        },
        expect: [
          ['/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0002]/value/defining_code/code_string', '195967001'],
          ['/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0005]/value/defining_code/code_string', 'at0048'],
          ['/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0073]/value/defining_code/code_string', 'at0076'],
          ['/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[openEHR-EHR-CLUSTER.problem_qualifier.v2]/items[at0003]/value/defining_code/code_string', 'at0026'],
          ['/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0069]/value/value', 'worse in winter\n\ninhaler at night'],
        ],
      },
      {
        templateId: 'cdr.adverse_reaction_list.v1',
        resource: {
          resourceType: 'AllergyIntolerance',
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
          criticality: 'high',
          category: ['food'],
          type: 'allergy',
          code: snomed('91935009', 'Allergy to peanut'),
          patient: { reference: `Patient/${EHR}` },
          reaction: [{ manifestation: [snomed('39579001', 'Anaphylaxis')], severity: 'severe' }],
        },
        expect: [
          ['/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]/data[at0001]/items[at0101]/value/defining_code/code_string', 'at0103'],
          ['/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]/data[at0001]/items[at0120]/value/defining_code/code_string', 'at0121'],
          ['/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]/data[at0001]/items[at0058]/value/defining_code/code_string', 'at0059'],
          ['/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]/data[at0001]/items[openEHR-EHR-CLUSTER.adverse_reaction_event.v1]/items[at0006]/value/defining_code/code_string', '39579001'],
          ['/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]/data[at0001]/items[openEHR-EHR-CLUSTER.adverse_reaction_event.v1]/items[at0010]/value/defining_code/code_string', 'at0013'],
        ],
      },
      {
        templateId: 'cdr.medication_order.v1',
        resource: {
          resourceType: 'MedicationRequest',
          status: 'active',
          intent: 'order',
          subject: { reference: `Patient/${EHR}` },
          authoredOn: '2024-04-01T08:00:00Z',
          medicationCodeableConcept: { text: 'Amoxicillin 500 mg capsules' },
          dosageInstruction: [{ text: 'one capsule three times a day', timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'capsule' } }] }],
        },
        expect: [
          ['/content[openEHR-EHR-INSTRUCTION.medication_order.v3]/activities[at0001]/description[at0002]/items[at0070]/value/value', 'Amoxicillin 500 mg capsules'],
          ['/content[openEHR-EHR-INSTRUCTION.medication_order.v3]/activities[at0001]/description[at0002]/items[at0009]/value/value', 'one capsule three times a day'],
          ['/context/start_time/value', '2024-04-01T08:00:00Z'],
        ],
      },
      {
        templateId: 'cdr.laboratory_report.v1',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }] },
          subject: { reference: `Patient/${EHR}` },
          effectiveDateTime: '2024-04-02T07:00:00Z',
          valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
        },
        expect: [
          ['/content[openEHR-EHR-OBSERVATION.laboratory_test_result.v1]/data[at0001]/events[at0002]/data[at0003]/items[openEHR-EHR-CLUSTER.laboratory_test_analyte.v1]/items[at0001]/value/magnitude', 5.4],
          ['/content[openEHR-EHR-OBSERVATION.laboratory_test_result.v1]/data[at0001]/events[at0002]/data[at0003]/items[openEHR-EHR-CLUSTER.laboratory_test_analyte.v1]/items[at0018]', undefined],
          ['/content[openEHR-EHR-OBSERVATION.laboratory_test_result.v1]/data[at0001]/events[at0002]/time/value', '2024-04-02T07:00:00Z'],
        ],
      },
    ];
    for (const { resource, templateId, expect } of cases) {
      const template = projectTemplate(templateId);
      const result = mappings.fromFhir(resource, { template, composer: 'Dr Client', now: '2024-04-05T00:00:00Z' });
      assert.equal(result.target, 'composition');
      if (result.target !== 'composition') {
        continue;
      }
      assert.deepEqual(validateComposition(template, result.composition), [], `${resource['resourceType']} into ${templateId}`);
      for (const [path, value] of expect) {
        assert.deepEqual(evaluatePath(result.composition, path), value === undefined ? [] : [value], `${resource['resourceType']}: ${path}`);
      }
    }
  });

  it('names the FHIR element of a composition path a write made: validation problems of a write are FHIR expressions', () => {
    assert.equal(
      mappings.fhirElementOf('observation-blood-pressure', "/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006,'Any event']/data[at0003]/items[at0004,'Systolic']/value/magnitude"),
      'Observation.component.value',
    );
    assert.equal(mappings.fhirElementOf('observation-heart-rate', '/content[openEHR-EHR-OBSERVATION.pulse.v2]/data[at0002]/events[at0003]/time'), 'Observation.effective');
    assert.equal(mappings.fhirElementOf('condition-problem-diagnosis', '/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]/data[at0001]/items[at0002]'), 'Condition.code');
    assert.equal(mappings.fhirElementOf('medication-request', '/context/start_time/value'), 'MedicationRequest.authoredOn');
    assert.equal(mappings.fhirElementOf('condition-problem-diagnosis', '/language'), 'Condition');
    assert.equal(mappings.fhirElementOf('no-such-mapping', '/language'), undefined);
  });

  it('the Patient of an EHR: id = EHR id, identifier from the subject, provenance from EHR_STATUS; and back', () => {
    const status = {
      _type: 'EHR_STATUS',
      archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
      name: { _type: 'DV_TEXT', value: 'EHR status' },
      subject: { _type: 'PARTY_SELF', external_ref: { _type: 'PARTY_REF', namespace: 'nhs', type: 'PERSON', id: { _type: 'GENERIC_ID', value: '9449305552', scheme: 'nhs-number' } } },
      is_queryable: true,
      is_modifiable: true,
    };
    const statusUid = '0b7e7a9a-2c55-4b8e-9a1f-3a6e4b1d2c3e::cdr.local::4';
    const [patient, ...others] = mappings.toFhir(status, { ehrId: EHR, versionUid: statusUid, timeCommitted: '2024-01-01T00:00:00Z' });
    assert.equal(others.length, 0);
    assert.ok(patient);
    assert.equal(patient.id, EHR);
    assert.deepEqual(patient['identifier'], [{ type: { text: 'nhs-number' }, system: 'nhs', value: '9449305552' }]);
    assert.deepEqual(patient.meta, { versionId: '4', lastUpdated: '2024-01-01T00:00:00Z', source: `openehr:/ehr/${EHR}/ehr_status/${statusUid}` });
    assert.deepEqual(validateFhir(patient), []);
    assert.deepEqual(mappings.locate('Patient', EHR)?.kind, 'ehr');
    const back = mappings.fromFhir({ resourceType: 'Patient', identifier: [{ system: 'nhs', value: '9449305552', type: { text: 'nhs-number' } }] });
    assert.equal(back.target, 'ehr_status');
    if (back.target === 'ehr_status') {
      assert.deepEqual(evaluatePath(back.ehrStatus, '/subject/external_ref'), [status.subject.external_ref]);
      assert.deepEqual(checkRmObject(back.ehrStatus, 'EHR_STATUS'), []);
    }
  });

  it('every composition is a DocumentReference pointing at its openEHR REST URL; encounter compositions are Encounters', () => {
    for (const templateId of projectTemplateIds()) {
      const composition = example(templateId);
      const resources = mappings.toFhir(composition, context);
      const [document] = resources.filter((r) => r.resourceType === 'DocumentReference');
      assert.ok(document, templateId);
      assert.equal(document.id, `${UID}.doc`);
      const attachment = (document['content'] as { attachment: Json }[])[0]?.attachment;
      assert.equal(attachment?.['url'], `https://cdr.example.org/openehr/v1/ehr/${EHR}/composition/${UID}::cdr.local::2`);
      assert.deepEqual((document['type'] as { coding: Json[] }).coding[0], { system: 'urn:openehr:template', code: templateId });
      assert.equal(document['status'], 'current');
      const encounter = resources.find((r) => r.resourceType === 'Encounter');
      if (composition['archetype_node_id'] === 'openEHR-EHR-COMPOSITION.encounter.v1') {
        assert.equal((encounter?.['period'] as Json)['start'], evaluatePath(composition, '/context/start_time/value')[0]);
      } else {
        assert.equal(encounter, undefined);
      }
    }
    const [old] = mappings.toFhir(example('cdr.problem_list.v1'), { ...context, latest: false }).filter((r) => r.resourceType === 'DocumentReference');
    assert.equal(old?.['status'], 'superseded');
  });
});
