/**
 * The package's behaviour on a small template of its own (no public data needed):
 * parsing, web template, validation messages and paths, FLAT and STRUCTURED, examples.
 */
import assert from 'node:assert/strict';
import {
  compositionToFlat,
  compositionToStructured,
  exampleComposition,
  flatToComposition,
  parseOpt,
  structuredToComposition,
  toWebTemplate,
  validateComposition,
  type OperationalTemplate,
  type WebTemplateNode,
} from './index.js';
import { SAMPLE_OPT } from './testing/sample-opt.js';

const BP = "/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006]/data[at0003]";

function find(node: WebTemplateNode, id: string): WebTemplateNode | undefined {
  if (node.id === id) {
    return node;
  }
  for (const child of node.children ?? []) {
    const found = find(child, id);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('a small template end to end', () => {
  const template: OperationalTemplate = parseOpt(SAMPLE_OPT);

  it('parses the template and survives a JSON round trip', () => {
    assert.equal(template.templateId, 'test.blood_pressure.v1');
    assert.equal(template.concept, 'Blood pressure record');
    const stored = JSON.parse(JSON.stringify(template)) as OperationalTemplate;
    assert.deepEqual(toWebTemplate(stored), toWebTemplate(template));
  });

  it('gives web template nodes ids, AQL paths and inputs', () => {
    const web = toWebTemplate(template);
    assert.equal(web.tree.id, 'blood_pressure_record');
    const systolic = find(web.tree, 'systolic');
    assert.ok(systolic);
    assert.equal(systolic.rmType, 'DV_QUANTITY');
    assert.equal(systolic.aqlPath, `${BP}/items[at0004]/value`);
    assert.deepEqual([systolic.min, systolic.max], [1, 1]);
    assert.deepEqual(systolic.inputs?.map((i) => [i.suffix, i.type]), [
      ['magnitude', 'DECIMAL'],
      ['unit', 'CODED_TEXT'],
    ]);
    assert.deepEqual(systolic.inputs?.[1]?.list?.map((v) => v.value), ['mm[Hg]']);
    assert.deepEqual(systolic.termBindings, { 'SNOMED-CT': { value: '271649006', terminologyId: 'SNOMED-CT' } });
    const position = find(web.tree, 'position');
    assert.deepEqual(position?.inputs?.[0]?.list?.map((v) => [v.value, v.label]), [
      ['at0011', 'Standing'],
      ['at0012', 'Sitting'],
    ]);
    assert.equal(find(web.tree, 'any_event')?.max, -1);
  });

  it('builds an example that conforms, and reads its FLAT and STRUCTURED forms back', () => {
    const example = exampleComposition(template);
    assert.deepEqual(validateComposition(template, example), []);
    const flat = compositionToFlat(template, example);
    assert.equal(flat['blood_pressure_record/blood_pressure/any_event:0/systolic|unit'], 'mm[Hg]');
    const fromFlat = flatToComposition(template, flat);
    assert.deepEqual(validateComposition(template, fromFlat), []);
    assert.deepEqual(compositionToFlat(template, fromFlat), flat);
    const fromStructured = structuredToComposition(template, compositionToStructured(template, example));
    assert.deepEqual(compositionToFlat(template, fromStructured), flat);
  });

  it('reads FLAT written by hand, with ctx defaults', () => {
    const composition = flatToComposition(template, {
      'ctx/language': 'en',
      'ctx/territory': 'GB',
      'ctx/composer_name': 'Dr. Who',
      'ctx/time': '2024-03-01T08:00:00Z',
      'blood_pressure_record/blood_pressure/any_event:0/systolic|magnitude': 120,
      'blood_pressure_record/blood_pressure/any_event:0/systolic|unit': 'mm[Hg]',
      'blood_pressure_record/blood_pressure/any_event:1/systolic|magnitude': 118,
      'blood_pressure_record/blood_pressure/any_event:1/systolic|unit': 'mm[Hg]',
      'blood_pressure_record/blood_pressure/any_event:1/position|code': 'at0012',
    });
    assert.deepEqual(validateComposition(template, composition), []);
    const events = (composition.content as { data: { events: { time: { value: string }; data: { items: { value: Record<string, unknown> }[] } }[] } }[])[0]!.data.events;
    assert.equal(events.length, 2);
    assert.equal(events[1]!.time.value, '2024-03-01T08:00:00Z');
    assert.deepEqual(events[1]!.data.items[1]!.value, {
      _type: 'DV_CODED_TEXT',
      value: 'Sitting',
      defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'local' }, code_string: 'at0012' },
    });
  });

  it('reports problems with AQL paths and human messages', () => {
    const valid = exampleComposition(template);
    type Items = { archetype_node_id: string; value?: Record<string, unknown> }[];
    const items = (c: Record<string, unknown>): Items =>
      (c.content as { data: { events: { data: { items: Items } }[] } }[])[0]!.data.events[0]!.data.items;

    const wrongUnits = clone(valid);
    items(wrongUnits).find((i) => i.archetype_node_id === 'at0004')!.value!.units = 'kg';
    assert.deepEqual(validateComposition(template, wrongUnits), [{ path: `${BP}/items[at0004]/value/units`, message: `units "kg" are not allowed; the template allows 'mm[Hg]'` }]);

    const tooHigh = clone(valid);
    items(tooHigh).find((i) => i.archetype_node_id === 'at0004')!.value!.magnitude = 2000;
    assert.deepEqual(validateComposition(template, tooHigh), [{ path: `${BP}/items[at0004]/value/magnitude`, message: '2000 mm[Hg] is out of range: the template allows >= 0 and <= 1000' }]);

    const missing = clone(valid);
    const list = items(missing);
    list.splice(list.findIndex((i) => i.archetype_node_id === 'at0004'), 1);
    const issues = validateComposition(template, missing);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, `${BP}/items[at0004]`);
    assert.match(issues[0]!.message, /requires 'Systolic' \(ELEMENT at0004\).*missing/);

    const unknown = clone(valid);
    items(unknown).push({ archetype_node_id: 'at9999', _type: 'ELEMENT', name: { _type: 'DV_TEXT', value: 'Extra' } } as never);
    assert.match(validateComposition(template, unknown)[0]!.message, /no node 'at9999'/);

    const badCode = clone(valid);
    const coded = items(badCode).find((i) => i.archetype_node_id === 'at0010')!.value!;
    (coded.defining_code as Record<string, unknown>).code_string = 'at0099';
    assert.deepEqual(validateComposition(template, badCode), [
      { path: `${BP}/items[at0010]/value/defining_code/code_string`, message: "code 'at0099' is not allowed here; the template allows 'at0011', 'at0012'" },
    ]);
  });

  it('refuses FLAT keys outside the template root', () => {
    assert.throws(() => flatToComposition(template, { 'other/path': 1 }), /must start with 'blood_pressure_record\/'/);
  });
});
