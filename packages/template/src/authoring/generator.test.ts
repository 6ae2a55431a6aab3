import assert from 'node:assert/strict';
import type { CArchetypeRoot, CObject } from '../opt/model.js';
import { isComplex } from '../opt/model.js';
import { parseOpt } from '../opt/parse-opt.js';
import { followPath, splitArchetypePath } from '../opt/template-path.js';
import { buildTemplate } from './build-template.js';
import { readArchetypeFacts } from './facts.js';
import { archetypeRegistry, generateTemplate } from './generate.js';
import { formatInterval, parseInterval, integerBound, numberBound, durationBound } from './intervals.js';
import { readTemplateSpec } from './template-spec.js';

/** A small observation archetype, in the authoring format. */
const OBSERVATION = {
  archetype_id: 'openEHR-EHR-OBSERVATION.test_measure.v1',
  text: 'Test measure',
  description: 'A measurement used by the generator tests.',
  bindings: { LOINC: '1234-5' },
  definition: {
    data: {
      'HISTORY[at0001]': {
        text: 'History',
        description: '@ internal @',
        events: {
          cardinality: '1..*',
          'EVENT[at0002]': {
            occurrences: '0..*',
            text: 'Any event',
            description: 'Any event.',
            data: {
              'ITEM_TREE[at0003]': {
                text: 'Tree',
                description: '@ internal @',
                items: {
                  cardinality: '1..*',
                  'ELEMENT[at0004]': {
                    text: 'Weight',
                    description: 'The weight.',
                    value: { DV_QUANTITY: { property: 124, units: { kg: { magnitude: '0..1000', precision: 1 }, g: { magnitude: '0..1000000' } } } },
                  },
                  'ELEMENT[at0005]': {
                    occurrences: '0..1',
                    text: 'Position',
                    description: 'The position.',
                    value: {
                      DV_CODED_TEXT: { codes: { at0006: { text: 'Standing', description: 'Standing up.' }, at0007: { text: 'Lying', description: 'Lying down.' } } },
                      DV_TEXT: null,
                    },
                  },
                  'ELEMENT[at0008]': { occurrences: '0..*', text: 'Comment', description: 'A comment.', value: { DV_TEXT: null } },
                  'CLUSTER[at0009]': { occurrences: '0..1', text: 'Device', description: 'The device.', slot: { include: 'openEHR-EHR-CLUSTER\\.device(-[a-zA-Z0-9_]+)*\\.v1' } },
                },
              },
            },
          },
        },
      },
    },
  },
};

const DEVICE = {
  archetype_id: 'openEHR-EHR-CLUSTER.device.v1',
  text: 'Medical device',
  description: 'A device.',
  definition: { items: { cardinality: '1..*', 'ELEMENT[at0001]': { text: 'Device name', description: 'The name.', value: { DV_TEXT: null } } } },
};

const OTHER_CLUSTER = { ...DEVICE, archetype_id: 'openEHR-EHR-CLUSTER.other_thing.v1' };

const COMPOSITION = {
  archetype_id: 'openEHR-EHR-COMPOSITION.test_event.v1',
  text: 'Test event',
  description: 'An event composition.',
  definition: { category: { DV_CODED_TEXT: { terminology: 'openehr', codes: [433] } } },
};

const ITEMS = '/data[at0001]/events[at0002]/data[at0003]/items';

function registry(...extra: object[]) {
  return archetypeRegistry([OBSERVATION, DEVICE, OTHER_CLUSTER, COMPOSITION, ...extra].map((a, i) => readArchetypeFacts(a, `archetype ${i}`)));
}

function spec(observationUse: Record<string, unknown>) {
  return readTemplateSpec(
    {
      template_id: 'test.measure.v1',
      concept: 'Test measure',
      purpose: 'Tests.',
      root: { archetype: 'openEHR-EHR-COMPOSITION.test_event.v1', fill: { '/content': [{ archetype: 'openEHR-EHR-OBSERVATION.test_measure.v1', ...observationUse }] } },
    },
    'test.yml',
  );
}

function node(root: CArchetypeRoot, path: string): CObject | undefined {
  return followPath(root, splitArchetypePath(path).segments);
}

describe('authoring interval notation', () => {
  it('reads closed, open, half-open and single-value intervals', () => {
    assert.deepEqual(parseInterval('0..1', integerBound, 'x'), { lower: 0, upper: 1, lowerIncluded: true, upperIncluded: true });
    assert.deepEqual(parseInterval('1..*', integerBound, 'x'), { lower: 1, lowerIncluded: true, upperIncluded: false });
    assert.deepEqual(parseInterval('0..<1000', numberBound, 'x'), { lower: 0, upper: 1000, lowerIncluded: true, upperIncluded: false });
    assert.deepEqual(parseInterval('>=PT0S', durationBound, 'x'), { lower: 'PT0S', lowerIncluded: true, upperIncluded: false });
    assert.deepEqual(parseInterval(2, integerBound, 'x'), { lower: 2, upper: 2, lowerIncluded: true, upperIncluded: true });
    assert.equal(formatInterval(parseInterval('-90..90', numberBound, 'x')), '-90..90');
  });

  it('names the place of a malformed interval', () => {
    assert.throws(() => parseInterval('1..0', integerBound, 'nodes.x.occurrences'), /nodes\.x\.occurrences: .*lower bound above its upper bound/);
    assert.throws(() => parseInterval('one', integerBound, 'nodes.x.occurrences'), /nodes\.x\.occurrences: 'one' is not an interval/);
  });
});

describe('archetype facts reader', () => {
  it('collects the terms of nodes and local codes, and the bindings', () => {
    const facts = readArchetypeFacts(OBSERVATION, 'obs.yml');
    assert.equal(facts.rmType, 'OBSERVATION');
    assert.equal(facts.terms.get('at0000')?.text, 'Test measure');
    assert.equal(facts.terms.get('at0007')?.description, 'Lying down.');
    assert.equal(facts.bindings.get('at0000')?.get('LOINC'), '1234-5');
  });

  it('refuses unknown keys, unknown RM attributes and nodes without text', () => {
    assert.throws(() => readArchetypeFacts({ ...DEVICE, colour: 'red' }, 'd.yml'), /d\.yml: unknown key 'colour'/);
    assert.throws(
      () => readArchetypeFacts({ ...DEVICE, definition: { things: { 'ELEMENT[at0001]': { text: 'x', description: 'y' } } } }, 'd.yml'),
      /CLUSTER has no attribute 'things'/,
    );
    assert.throws(() => readArchetypeFacts({ ...DEVICE, definition: { items: { 'ELEMENT[at0001]': { value: { DV_TEXT: null } } } } }, 'd.yml'), /ELEMENT\[at0001\] needs its text/);
  });
});

describe('template builder', () => {
  it('keeps the listed nodes with their ancestors and removes the rest', () => {
    const template = buildTemplate(spec({ keep: [`${ITEMS}[at0004]`] }), registry());
    const observation = node(template.definition, '/content[openEHR-EHR-OBSERVATION.test_measure.v1]') as CArchetypeRoot;
    assert.equal(observation.kind, 'C_ARCHETYPE_ROOT');
    assert.ok(node(observation, `${ITEMS}[at0004]`));
    assert.equal(node(observation, `${ITEMS}[at0005]`), undefined);
    assert.equal(node(observation, `${ITEMS}[at0009]`), undefined);
  });

  it('narrows occurrences and refuses to widen them', () => {
    const template = buildTemplate(spec({ constrain: { [`${ITEMS}[at0005]`]: { occurrences: '1..1' } } }), registry());
    assert.equal(formatInterval(node(template.definition, `/content[openEHR-EHR-OBSERVATION.test_measure.v1]${ITEMS}[at0005]`)!.occurrences), '1');
    assert.throws(() => buildTemplate(spec({ constrain: { [`${ITEMS}[at0005]`]: { occurrences: '0..*' } } }), registry()), /occurrences 0\.\.\* of '.*at0005\]' are wider than the archetype's 0\.\.1/);
  });

  it('refuses to remove a node the archetype requires', () => {
    assert.throws(() => buildTemplate(spec({ keep: [`${ITEMS}[at0008]`] }), registry()), /ELEMENT\[at0004\] .* is mandatory in openEHR-EHR-OBSERVATION\.test_measure\.v1/);
  });

  it('narrows units and codes, and refuses ones the archetype does not have', () => {
    const template = buildTemplate(spec({ constrain: { [`${ITEMS}[at0004]`]: { units: ['kg'] }, [`${ITEMS}[at0005]`]: { codes: ['at0006'] } } }), registry());
    const weight = node(template.definition, `/content[openEHR-EHR-OBSERVATION.test_measure.v1]${ITEMS}[at0004]/value`);
    assert.ok(weight?.kind === 'C_DV_QUANTITY');
    assert.deepEqual(
      weight.list.map((u) => u.units),
      ['kg'],
    );
    assert.throws(() => buildTemplate(spec({ constrain: { [`${ITEMS}[at0004]`]: { units: ['[lb_av]'] } } }), registry()), /does not allow the units '\[lb_av\]'/);
    assert.throws(() => buildTemplate(spec({ constrain: { [`${ITEMS}[at0005]`]: { codes: ['at0099'] } } }), registry()), /does not allow the code 'at0099'/);
  });

  it('allows a coded text where the archetype allows any text, but not a quantity', () => {
    const snomed = { [`${ITEMS}[at0008]`]: { value: { DV_CODED_TEXT: { terminology: 'SNOMED-CT' } } } };
    const template = buildTemplate(spec({ constrain: snomed }), registry());
    const value = node(template.definition, `/content[openEHR-EHR-OBSERVATION.test_measure.v1]${ITEMS}[at0008]/value`);
    assert.equal(value?.rmTypeName, 'DV_CODED_TEXT');
    assert.throws(() => buildTemplate(spec({ constrain: { [`${ITEMS}[at0008]`]: { value: { DV_QUANTITY: null } } } }), registry()), /DV_QUANTITY set at .* does not narrow any of the archetype's \(DV_TEXT\)/);
  });

  it('fills a slot only with an archetype the slot admits, unless the template says why', () => {
    const filled = buildTemplate(spec({ fill: { [`${ITEMS}[at0009]`]: [{ archetype: 'openEHR-EHR-CLUSTER.device.v1' }] } }), registry());
    const device = node(filled.definition, `/content[openEHR-EHR-OBSERVATION.test_measure.v1]${ITEMS}[openEHR-EHR-CLUSTER.device.v1]`);
    assert.equal(device?.kind, 'C_ARCHETYPE_ROOT');
    assert.equal(formatInterval(device.occurrences), '0..1', 'a filler takes its slot occurrences');
    assert.throws(() => buildTemplate(spec({ fill: { [`${ITEMS}[at0009]`]: [{ archetype: 'openEHR-EHR-CLUSTER.other_thing.v1' }] } }), registry()), /does not admit openEHR-EHR-CLUSTER\.other_thing\.v1/);
    const outside = buildTemplate(spec({ fill: { [`${ITEMS}[at0009]`]: [{ archetype: 'openEHR-EHR-CLUSTER.other_thing.v1', outside_slot: 'a newer revision admits it' }] } }), registry());
    assert.ok(node(outside.definition, `/content[openEHR-EHR-OBSERVATION.test_measure.v1]${ITEMS}[openEHR-EHR-CLUSTER.other_thing.v1]`));
  });

  it('refuses paths that are not nodes of the archetype', () => {
    assert.throws(() => buildTemplate(spec({ keep: [`${ITEMS}[at0042]`] }), registry()), /the path '.*at0042\]' is not a node of openEHR-EHR-OBSERVATION\.test_measure\.v1/);
  });

  it('writes XML that the OPT parser reads back as the same template', () => {
    const generated = generateTemplate(spec({ fill: { [`${ITEMS}[at0009]`]: [{ archetype: 'openEHR-EHR-CLUSTER.device.v1' }] } }), registry());
    const parsed = parseOpt(generated.xml);
    assert.deepStrictEqual(parsed, generated.template);
    const observation = node(parsed.definition, '/content[openEHR-EHR-OBSERVATION.test_measure.v1]') as CArchetypeRoot;
    assert.equal(observation.termDefinitions.en?.at0006?.text, 'Standing');
    assert.deepEqual(observation.termBindings.LOINC?.at0000, { terminologyId: 'LOINC', codeString: '1234-5' });
    assert.ok(isComplex(parsed.definition));
  });
});
