import assert from 'node:assert/strict';
import { describeShared } from '@cdr/rm/testing/shared';
import { compositionToFlat } from '../flat/composition-to-flat.js';
import { flatToComposition } from '../flat/flat-to-composition.js';
import { lostKeys } from '../testing/flat-round-trip.js';
import { publicTemplateFiles, shortName, templateFromFile } from '../testing/public-data.js';
import { validateComposition } from '../validation/validate-composition.js';
import { exampleComposition } from './example-composition.js';
import { patternExample } from './pattern-example.js';

describe('example values for string patterns', () => {
  it('produces a string each pattern matches', () => {
    for (const pattern of ['\\d{4}-[A-Z]{2}', 'openEHR-EHR-ACTION\\.medication\\.v1', '(abc|de)+x?', '[^0-9]+', 'ID[0-9]{3}']) {
      const value = patternExample(pattern);
      assert.ok(value !== undefined && new RegExp(`^(?:${pattern})$`).test(value), `${pattern} -> ${value}`);
    }
  });
});

/**
 * Public templates no composition can satisfy: a section cardinality of 1..1 with five
 * mandatory sections (EHRbase's cardinality test), and a proportion that must be a
 * fraction (integral by the RM) and not integral.
 */
const UNSATISFIABLE = [/validation\/cardinality_of_section\.opt$/, /minimal_action_2_with_proportion_is_integral\.opt$/];

describeShared('example compositions of the public templates', () => {
  it('are valid against their own template, and survive FLAT', () => {
    const seen = new Set<string>();
    const failures: string[] = [];
    const flatLosses: string[] = [];
    const unsatisfiable: string[] = [];
    let total = 0;
    for (const file of publicTemplateFiles()) {
      const template = templateFromFile(file);
      const key = `${template.templateId}|${JSON.stringify(template.definition).length}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      total++;
      const example = exampleComposition(template);
      const issues = validateComposition(template, example);
      if (UNSATISFIABLE.some((re) => re.test(file))) {
        assert.ok(issues.length > 0, `${shortName(file)} cannot be satisfied, yet its example passed`);
        unsatisfiable.push(`${shortName(file)}: ${issues[0]!.message}`);
        continue;
      }
      if (issues.length > 0) {
        failures.push(`${shortName(file)}: ${issues.length} issue(s): ${issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join(' | ')}`);
        continue;
      }
      const flat = compositionToFlat(template, example);
      const back = flatToComposition(template, flat);
      const again = compositionToFlat(template, back);
      const lost = lostKeys(flat, again);
      const backIssues = validateComposition(template, back);
      if (lost.length > 0 || backIssues.length > 0) {
        flatLosses.push(`${shortName(file)}: ${lost[0] ?? `${backIssues[0]!.path}: ${backIssues[0]!.message}`}`);
      }
    }
    total -= unsatisfiable.length;
    console.log(`      example compositions valid against their template: ${total - failures.length}/${total} (and ${unsatisfiable.length} templates no composition can satisfy)`);
    for (const u of unsatisfiable) {
      console.log(`        unsatisfiable: ${u}`);
    }
    console.log(`      examples whose FLAT form reads back to a valid composition with every key: ${total - failures.length - flatLosses.length}/${total - failures.length}`);
    for (const f of [...failures, ...flatLosses]) {
      console.log(`        ${f}`);
    }
    assert.deepEqual(failures, []);
  });

  it('read back from FLAT keep the mandatory item structures no FLAT path reaches', () => {
    // an interval event whose data the template leaves unconstrained; a single event whose
    // data holds only an empty slot
    const cases: [RegExp, string][] = [
      [/operationaltemplate\/EHRN Vital signs\.v2\.opt$/, '/content[openEHR-EHR-SECTION.vital_signs.v1]/items[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at1042]/data'],
      [/cluster-slot\.ehrbase\.org\.v0\.opt$/, '/content[openEHR-EHR-OBSERVATION.cluster_slot.v0]/data[at0001]/events[at0002]/data'],
    ];
    for (const [pattern, path] of cases) {
      const file = publicTemplateFiles().find((f) => pattern.test(f));
      assert.ok(file, `${pattern} is in the public data`);
      const template = templateFromFile(file);
      const flat = compositionToFlat(template, exampleComposition(template));
      assert.ok(!Object.keys(flat).some((k) => k.endsWith('/data')), 'no FLAT key stands for the structure');
      const back = flatToComposition(template, flat);
      assert.deepEqual(validateComposition(template, back), [], `${shortName(file)}: ${path}`);
    }
  });
});
