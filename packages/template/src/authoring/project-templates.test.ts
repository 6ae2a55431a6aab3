import assert from 'node:assert/strict';
import type { CObject, OperationalTemplate } from '../opt/model.js';
import { isComplex } from '../opt/model.js';
import { parseOpt } from '../opt/parse-opt.js';
import { followPath, splitArchetypePath } from '../opt/template-path.js';
import { toWebTemplate } from '../webtemplate/to-web-template.js';
import type { GeneratedTemplate } from './generate.js';
import { generateTemplates } from './generate.js';
import { MAPPED_NODES } from './mapping-paths.js';
import { readArchetypeFiles, readCommittedOpts, readTemplateFiles } from './project-files.js';

const REGENERATE = 'run `node packages/template/dist/authoring/cli.js` to regenerate templates/*.opt';

const generated: GeneratedTemplate[] = generateTemplates(readTemplateFiles(), readArchetypeFiles());
const committed = readCommittedOpts();
const parsed = new Map<string, OperationalTemplate>();

function parsedTemplate(templateId: string): OperationalTemplate {
  let template = parsed.get(templateId);
  if (!template) {
    const file = generated.find((g) => g.template.templateId === templateId)?.fileName;
    const xml = file ? committed.get(file) : undefined;
    assert.ok(xml, `templates/${templateId}.opt is missing; ${REGENERATE}`);
    template = parseOpt(xml);
    parsed.set(templateId, template);
  }
  return template;
}

function valueAlternatives(element: CObject): readonly CObject[] {
  if (!isComplex(element)) {
    return [];
  }
  return element.attributes.find((a) => a.rmAttributeName === 'value')?.children ?? [];
}

function allowedCodes(alternative: CObject): { terminology?: string; codes: readonly string[] } | undefined {
  if (!isComplex(alternative)) {
    return undefined;
  }
  const code = alternative.attributes.find((a) => a.rmAttributeName === 'defining_code')?.children[0];
  return code?.kind === 'C_CODE_PHRASE' ? { ...(code.terminologyId ? { terminology: code.terminologyId } : {}), codes: code.codeList } : undefined;
}

describe("the project's operational templates", () => {
  it('has the core-domain templates', () => {
    assert.deepEqual(generated.map((g) => g.template.templateId).sort(), [
      'cdr.adverse_reaction_list.v1',
      'cdr.laboratory_report.v1',
      'cdr.medication_order.v1',
      'cdr.problem_list.v1',
      'cdr.vital_signs.v1',
    ]);
  });

  for (const { fileName, xml, template } of generated) {
    describe(fileName, () => {
      it('is committed exactly as the generator writes it now', () => {
        assert.ok(committed.has(fileName), `templates/${fileName} is missing; ${REGENERATE}`);
        assert.ok(committed.get(fileName) === xml, `templates/${fileName} differs from what the generator writes; ${REGENERATE}`);
      });

      it('parses as OPT 1.4 into the template the generator built', () => {
        const read = parsedTemplate(template.templateId);
        assert.equal(read.templateId, template.templateId);
        assert.deepStrictEqual(read, template);
      });

      it('gives a web template', () => {
        const webTemplate = toWebTemplate(parsedTemplate(template.templateId));
        assert.equal(webTemplate.templateId, template.templateId);
      });
    });
  }

  it('has no committed OPT that no template description generates', () => {
    const orphans = [...committed.keys()].filter((name) => !generated.some((g) => g.fileName === name));
    assert.deepEqual(orphans, [], `remove them or add their descriptions under templates/src`);
  });

  describe('nodes the FHIR mapping reads', () => {
    for (const mapped of MAPPED_NODES) {
      it(`${mapped.templateId} ${mapped.path} (${mapped.fhir})`, () => {
        const template = parsedTemplate(mapped.templateId);
        const found = followPath(template.definition, splitArchetypePath(mapped.path).segments);
        assert.ok(found, `${mapped.path} does not exist in ${mapped.templateId}`);
        assert.equal(found.rmTypeName, mapped.rmType);
        const alternatives = valueAlternatives(found);
        for (const type of mapped.valueTypes ?? []) {
          assert.ok(
            alternatives.some((a) => a.rmTypeName === type),
            `${mapped.path} allows ${alternatives.map((a) => a.rmTypeName).join(', ') || 'no value'}, not ${type}`,
          );
        }
        if (mapped.units) {
          const quantity = alternatives.find((a) => a.kind === 'C_DV_QUANTITY');
          assert.ok(quantity?.kind === 'C_DV_QUANTITY');
          assert.deepEqual(
            mapped.units.filter((u) => !quantity.list.some((item) => item.units === u)),
            [],
            `units missing at ${mapped.path}`,
          );
        }
        if (mapped.codes || mapped.terminology) {
          const coded = alternatives.map(allowedCodes).find((c) => c !== undefined);
          assert.ok(coded, `${mapped.path} has no coded value`);
          if (mapped.terminology) {
            assert.equal(coded.terminology, mapped.terminology);
          }
          assert.deepEqual(
            (mapped.codes ?? []).filter((c) => !coded.codes.includes(c)),
            [],
            `codes missing at ${mapped.path}`,
          );
        }
      });
    }
  });

  describe('example compositions', () => {
    for (const { template } of generated) {
      it(`an example composition of ${template.templateId} validates`, async function () {
        const api = (await import('../index.js')) as unknown as Record<string, unknown>;
        const example = api.exampleComposition;
        const validate = api.validateComposition;
        if (typeof example !== 'function' || typeof validate !== 'function') {
          this.skip();
        }
        const opt = parsedTemplate(template.templateId);
        const composition: unknown = await (example as (t: OperationalTemplate) => unknown)(opt);
        const result: unknown = await (validate as (t: OperationalTemplate, c: unknown) => unknown)(opt, composition);
        const issues = Array.isArray(result) ? result : ((result as { issues?: unknown[] } | undefined)?.issues ?? []);
        assert.deepEqual(issues, []);
      });
    }
  });
});
