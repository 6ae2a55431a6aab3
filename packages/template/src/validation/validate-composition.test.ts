import assert from 'node:assert/strict';
import { describeShared } from '@cdr/rm/testing/shared';
import { publicCompositions, type PublicComposition } from '../testing/public-compositions.js';
import { validateComposition } from './validate-composition.js';

/**
 * The validation sets: EHRbase's SDK validation folder and the integration tests'
 * compositions (CANONICAL_JSON, CANONICAL_XML, valid, xml_compositions, and the
 * compositions kept under valid_templates/invalid_templates). Their file names say what
 * is expected: `invalid`, `Bad ...`, `non_existing` must be refused.
 */
const VALIDATION_SETS = [/^ehrbase-sdk\/validation\//, /^ehrbase-integration-tests\/test_data_sets\/(compositions|xml_compositions|invalid_templates)\//];

function inValidationSets(name: string): boolean {
  return VALIDATION_SETS.some((re) => re.test(name));
}

function expectedInvalid(name: string): boolean {
  return /invalid|Bad Cod|non_existing/i.test(name);
}

/** Codes that only a terminology server can judge (the template names FHIR value sets). */
function needsTerminologyServer(name: string): boolean {
  return /terminology_test/.test(name) && expectedInvalid(name);
}

/**
 * Compositions of the sets that do not conform to their own templates although their
 * names do not say so, with the reason we refuse them. The `Test_dv_*` files are seeds
 * the integration suite edits before each commit (it replaces the values under test);
 * as published they carry out-of-range values, numbers written as JSON strings and
 * values outside closed lists. The section-cardinality composition is one EHRbase's own
 * validator tests as invalid (four violations).
 */
const NONCONFORMING: readonly [RegExp, RegExp][] = [
  [/cardinality_of_section__full/, /content has \d+ item\(s\); the template allows 1\.\.1/],
  [/Test_dv_boolean_true_false/, /false is not allowed here; the template allows only true/],
  [/Test_dv_count_range_constraint/, /25 is out of range/],
  [/Test_dv_interval_dv_(count|quantity)_lower_upper_constraint/, /-10 .*out of range/],
  [/Test_dv_interval_dv_(count|quantity)_open_constraint/, /lower bound is above its upper bound/],
  [/Test_dv_multimedia_open_constraint/, /'application\/dicom' is not allowed here/],
  [/Test_dv_parsable_open_constraint/, /'abc' is not one of the allowed values/],
  [/Test_dv_(ordinal|proportion|quantity)_/, /expected (a number|an integer), found "/],
  [/clinical_content_validation__full/, /name\/value: '.*' is not one of the allowed values/],
];

interface Outcome {
  readonly composition: PublicComposition;
  readonly issues: readonly { path: string; message: string }[];
}

function run(compositions: readonly PublicComposition[]): Outcome[] {
  return compositions.map((composition) => ({
    composition,
    issues:
      composition.readError !== undefined
        ? [{ path: '/', message: `not readable: ${composition.readError}` }]
        : validateComposition(composition.template!, composition.composition),
  }));
}

const first = (o: Outcome): string => `${o.issues[0]?.path}: ${o.issues[0]?.message}${o.issues.length > 1 ? ` (+${o.issues.length - 1} more)` : ''}`;

describeShared('composition validation against the public validation sets', () => {
  const all = publicCompositions();
  const judged = all.filter((c) => c.template !== undefined || c.readError !== undefined);

  it('accepts the valid compositions and refuses the invalid ones, for the expected reason', () => {
    const outcomes = run(judged.filter((c) => inValidationSets(c.name)));
    const problems: string[] = [];
    const refused: string[] = [];
    const offline: string[] = [];
    let valid = 0;
    let validAccepted = 0;
    let invalid = 0;
    let invalidRefused = 0;
    for (const o of outcomes) {
      const name = o.composition.name;
      const nonconforming = NONCONFORMING.find(([file]) => file.test(name));
      if (expectedInvalid(name) || nonconforming) {
        if (o.issues.length === 0 && needsTerminologyServer(name)) {
          offline.push(name);
          continue;
        }
        invalid++;
        if (o.issues.length === 0) {
          problems.push(`${name}: accepted, expected to be refused`);
        } else if (nonconforming && !o.issues.some((i) => nonconforming[1].test(`${i.path}: ${i.message}`))) {
          problems.push(`${name}: refused for another reason: ${first(o)}`);
        } else {
          invalidRefused++;
          refused.push(`        ${name}\n          ${first(o)}`);
        }
      } else {
        valid++;
        if (o.issues.length === 0) {
          validAccepted++;
        } else {
          problems.push(`${name}: ${o.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join(' | ')}`);
        }
      }
    }
    console.log(`      valid compositions accepted: ${validAccepted}/${valid}`);
    console.log(`      invalid compositions refused for the expected reason: ${invalidRefused}/${invalid}`);
    console.log(refused.join('\n'));
    console.log(`      not judged offline (codes from FHIR value sets need a terminology server): ${offline.join(', ') || 'none'}`);
    const unjudged = all.filter((c) => inValidationSets(c.name) && c.template === undefined && c.readError === undefined);
    console.log(`      without a public template: ${unjudged.map((c) => `${c.name} (${c.templateId ?? 'no template id'})`).join(', ') || 'none'}`);
    const lenient = judged.filter((c) => c.codecRefusal !== undefined);
    console.log(`      XML the RM codec refuses, read leniently here: ${lenient.map((c) => `${c.name} (${c.codecRefusal})`).join('; ') || 'none'}`);
    for (const p of problems) {
      console.log(`      FAIL ${p}`);
    }
    assert.deepEqual(problems, []);
  });

  it('refuses a name of the wrong type where the template requires a coded name', () => {
    const nameTest = all.find((c) => c.name.endsWith('ehrbase-sdk/validation/composition/name-test.json'));
    assert.ok(nameTest?.template);
    assert.deepEqual(validateComposition(nameTest.template, nameTest.composition), []);
    const changed = structuredClone(nameTest.composition) as { content: { data: { events: { data: { items: { name: unknown }[] } }[] } }[] };
    const items = changed.content[0]!.data.events[0]!.data.items;
    const target = items.find((i) => (i.name as { value?: string }).value === 'NameOne');
    assert.ok(target, 'the composition has a cluster named NameOne');
    target.name = { _type: 'DV_TEXT', value: 'NameOne' };
    const issues = validateComposition(nameTest.template, changed);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.path, /items\[openEHR-EHR-CLUSTER\.name_code\.v0(,'NameOne')?\]\/name$/);
    assert.match(issues[0]!.message, /expected a DV_CODED_TEXT but got DV_TEXT/);
  });

  it('reports how the other public compositions fare against their templates', () => {
    const outcomes = run(judged.filter((c) => !inValidationSets(c.name) && c.readError === undefined));
    const accepted = outcomes.filter((o) => o.issues.length === 0);
    console.log(`      other public compositions valid against their template: ${accepted.length}/${outcomes.length}`);
    for (const o of outcomes.filter((x) => x.issues.length > 0)) {
      console.log(`        ${o.composition.name}\n          ${first(o)}`);
    }
    assert.ok(accepted.length > outcomes.length / 2, 'most of the other public compositions conform to their templates');
  });
});
