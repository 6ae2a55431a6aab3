import assert from 'node:assert/strict';
import { CdrError } from '@cdr/rm';
import { describeShared } from '@cdr/rm/testing/shared';
import { invalidTemplateFiles, publicTemplateFiles, readText, shortName, templateFromFile } from '../testing/public-data.js';
import type { CObject } from './model.js';
import { isComplex } from './model.js';
import { parseOpt } from './parse-opt.js';
import { resolveArchetypePath } from './template-path.js';

function* walk(object: CObject): Generator<CObject> {
  yield object;
  if (isComplex(object)) {
    for (const attribute of object.attributes) {
      for (const child of attribute.children) {
        yield* walk(child);
      }
    }
  }
}

/** What each invalid template exercises, and the reason we expect it to be refused for. */
const EXPECTED_REASONS: readonly [RegExp, RegExp][] = [
  [/alien_tags\//, /unexpected element <bullfrog>/],
  [/empty_file\.opt$/, /is empty/],
  [/empty_xml\.opt$/, /not well-formed/],
  [/empty_xml_template\.opt$/, /required element <language> is missing/],
  [/concept_twice/, /<concept> appears twice/],
  [/definition_twice/, /appears twice/],
  [/template-id_twice/, /<template_id> appears twice/],
  [/removed_concept\.opt$/, /<concept> is missing/],
  [/removed_concept_value/, /<concept> is empty/],
  [/removed_definition/, /<definition> is missing/],
  [/removed_description_and_concept/, /<concept> is missing/],
  [/removed_language/, /<language> is missing/],
  [/removed_template_id\//, /template.id/],
  [/\.xml$/, /root element is <composition>/],
];

describeShared('OPT 1.4 parser on the public templates', () => {
  it('parses every public operational template', () => {
    const failures: string[] = [];
    const files = publicTemplateFiles();
    for (const file of files) {
      try {
        const template = templateFromFile(file);
        assert.ok(template.templateId.length > 0);
        assert.equal(template.languages[0], template.language);
      } catch (e) {
        failures.push(`${shortName(file)}: ${(e as Error).message}`);
      }
    }
    console.log(`      OPTs parsed: ${files.length - failures.length}/${files.length}`);
    assert.deepEqual(failures, []);
  });

  it('refuses every invalid template with a reason that names the problem', () => {
    const files = invalidTemplateFiles();
    const outcomes: string[] = [];
    let refusedCount = 0;
    for (const file of files) {
      const expected = EXPECTED_REASONS.find(([name]) => name.test(file))?.[1];
      try {
        parseOpt(readText(file));
        outcomes.push(`${shortName(file)}: accepted`);
      } catch (e) {
        assert.ok(e instanceof CdrError, `${shortName(file)} threw ${String(e)}`);
        assert.equal(e.status, 400);
        if (expected && !expected.test(e.message)) {
          outcomes.push(`${shortName(file)}: refused for another reason: ${e.message}`);
        } else {
          refusedCount++;
        }
      }
    }
    console.log(`      invalid templates refused for the expected reason: ${refusedCount}/${files.length}`);
    assert.deepEqual(outcomes, []);
  });

  it('keeps the parsed template serialisable as JSON', () => {
    for (const file of publicTemplateFiles()) {
      const template = templateFromFile(file);
      assert.deepEqual(JSON.parse(JSON.stringify(template)), template, shortName(file));
    }
  });

  it('reads quantities, code lists, ordinals, slots, term bindings and languages', () => {
    const files = publicTemplateFiles();
    const ips = templateFromFile(files.find((f) => f.endsWith('Vital Signs Pathfinder Demo.xml'))!);
    const objects = [...walk(ips.definition)];
    const bp = objects.find((o) => o.kind === 'C_ARCHETYPE_ROOT' && o.archetypeId === 'openEHR-EHR-OBSERVATION.blood_pressure.v2');
    assert.ok(bp && bp.kind === 'C_ARCHETYPE_ROOT');
    const systolic = resolveArchetypePath(bp, '/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value');
    assert.ok(systolic?.kind === 'C_DV_QUANTITY', 'systolic is a quantity constraint');
    assert.equal(systolic.list[0]?.units, 'mm[Hg]');
    assert.equal(systolic.list[0]?.magnitude?.upper, 1000);
    assert.equal(bp.termDefinitions.en?.at0004?.text, 'Systolic');
    assert.ok(Object.keys(bp.termBindings).length > 0, 'term bindings are read');
    assert.ok(objects.some((o) => o.kind === 'ARCHETYPE_SLOT' && o.includes.some((i) => i.archetypeIdPattern)));
    assert.ok(objects.some((o) => o.kind === 'C_CODE_PHRASE' && o.terminologyId === 'local' && o.codeList.length > 1));

    const allTypes = templateFromFile(files.find((f) => f.endsWith('test-data/operationaltemplate/Test_all_types.opt'))!);
    const ordinal = [...walk(allTypes.definition)].find((o) => o.kind === 'C_DV_ORDINAL');
    assert.ok(ordinal?.kind === 'C_DV_ORDINAL' && ordinal.list.length > 1, 'ordinals are read');
    assert.equal(ordinal.list[0]?.symbol.terminologyId, 'local');

    const demo = templateFromFile(files.find((f) => f.endsWith('Demo Vitals.opt'))!);
    assert.deepEqual([...demo.languages].sort(), ['en', 'sl']);
    const dialog = [...walk(demo.definition)].find((o) => o.kind === 'C_ARCHETYPE_ROOT' && o.archetypeId === 'openEHR-EHR-SECTION.ispek_dialog.v1');
    assert.ok(dialog?.kind === 'C_ARCHETYPE_ROOT');
    assert.equal(dialog.termDefinitions.sl?.at0000?.text, 'Dialog');
  });

  it('attaches template default values to their nodes', () => {
    const file = publicTemplateFiles().find((f) => f.endsWith('IDCR - Adverse Reaction List.v1.opt') && f.includes('ehrbase-sdk'))!;
    const defaults = [...walk(templateFromFile(file).definition)].filter((o) => o.defaultValue !== undefined);
    assert.ok(defaults.some((o) => JSON.stringify(o.defaultValue).includes('No known allergies or adverse reactions')));
  });
});

describe('OPT 1.4 parser', () => {
  it('refuses XML that is not an operational template', () => {
    assert.throws(
      () => parseOpt('<composition xmlns="http://schemas.openehr.org/v1"/>'),
      (e: unknown) => e instanceof CdrError && e.status === 400 && /root element is <composition>/.test(e.message),
    );
  });
});
