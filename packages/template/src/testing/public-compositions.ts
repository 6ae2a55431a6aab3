/**
 * Test support: the public canonical compositions (JSON and XML) with the template each
 * names, looked up first among the templates of the same data set. XML is read with the
 * RM package's codec; where it refuses a document that other systems accept (extra
 * elements, misspelt xsi:types), a lenient reader stands in and the refusal is recorded.
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { OperationalTemplate } from '../opt/model.js';
import { fromXml, isCdrError } from '@cdr/rm';
import { canonicalXmlToJson } from './canonical-xml.js';
import { filesBelow, publicTemplateFiles, templateFromFile, testdata } from './public-data.js';

export interface PublicComposition {
  readonly file: string;
  readonly name: string;
  /** Set when the RM codec refused the XML and the lenient test reader read it instead. */
  readonly codecRefusal?: string;
  /** The parsed canonical JSON, or the reason it could not be read. */
  readonly composition: unknown;
  readonly readError?: string;
  readonly templateId?: string;
  readonly template?: OperationalTemplate;
}

const DIRECTORIES: readonly (readonly string[])[] = [
  ['ehrbase-sdk', 'validation', 'composition'],
  ['ehrbase-sdk', 'test-data', 'composition', 'canonical_json'],
  ['ehrbase-sdk', 'test-data', 'composition', 'canonical_xml'],
  ['ehrbase-integration-tests', 'test_data_sets', 'compositions', 'CANONICAL_JSON'],
  ['ehrbase-integration-tests', 'test_data_sets', 'compositions', 'CANONICAL_XML'],
  ['ehrbase-integration-tests', 'test_data_sets', 'compositions', 'valid'],
  ['ehrbase-integration-tests', 'test_data_sets', 'xml_compositions'],
  ['ehrbase-integration-tests', 'test_data_sets', 'data_load', 'compositions'],
  ['ehrbase-integration-tests', 'test_data_sets', 'aql', 'data_load', 'compositions'],
  ['ehrbase-integration-tests', 'test_data_sets', 'valid_templates'],
  ['ehrbase-integration-tests', 'test_data_sets', 'invalid_templates'],
];

function dataset(file: string): string {
  return relative(testdata(), file).split('/')[0] ?? '';
}

let templateIndex: Map<string, Map<string, string>> | undefined;

/** dataset -> template id -> OPT file */
function templatesByDataset(): Map<string, Map<string, string>> {
  if (!templateIndex) {
    templateIndex = new Map();
    for (const file of publicTemplateFiles()) {
      const set = dataset(file);
      const byId = templateIndex.get(set) ?? new Map<string, string>();
      const id = templateFromFile(file).templateId;
      if (!byId.has(id)) {
        byId.set(id, file);
      }
      templateIndex.set(set, byId);
    }
  }
  return templateIndex;
}

export function findTemplate(templateId: string, near: string): OperationalTemplate | undefined {
  const index = templatesByDataset();
  const file = index.get(dataset(near))?.get(templateId) ?? [...index.values()].map((m) => m.get(templateId)).find((f) => f !== undefined);
  return file ? templateFromFile(file) : undefined;
}

/**
 * Compositions of EHRbase's SDK validation folder are paired with their OPTs by file, as
 * EHRbase's own validator tests pair them (some template ids differ in spacing).
 */
const SDK_VALIDATION_PAIRS: readonly [RegExp, readonly string[]][] = [
  [/^IDCR-LabReportRAW1/, ['ehrbase-sdk', 'validation', 'operational_templates', 'IDCR-LaboratoryTestReport.opt']],
  [/^IDCR Problem List/, ['ehrbase-sdk', 'validation', 'operational_templates', 'IDCR Problem List.v1.opt']],
  [/^IDCR - Adverse Reaction List/, ['ehrbase-sdk', 'validation', 'operational_templates', 'IDCR - Adverse Reaction List.v1.opt']],
  [/^name-test/, ['ehrbase-sdk', 'validation', 'operational_templates', 'name-test.ehrbase.org.v0.opt']],
  [/^cluster-slot/, ['ehrbase-sdk', 'validation', 'operational_templates', 'cluster-slot.ehrbase.org.v0.opt']],
  [/^RIPPLE-ConformanceTest/, ['ehrbase-sdk', 'test-data', 'operationaltemplate', 'RIPPLE-Conformance Test.opt']],
];

function pairedTemplate(file: string): OperationalTemplate | undefined {
  if (!file.includes('/ehrbase-sdk/validation/')) {
    return undefined;
  }
  const pair = SDK_VALIDATION_PAIRS.find(([name]) => name.test(basename(file)));
  return pair ? templateFromFile(testdata(...pair[1])) : undefined;
}

function templateIdOf(composition: unknown): string | undefined {
  const details = (composition as { archetype_details?: { template_id?: { value?: unknown } } } | undefined)?.archetype_details;
  const id = details?.template_id?.value;
  return typeof id === 'string' ? id : undefined;
}

function isCompositionFile(file: string): boolean {
  const name = basename(file);
  if (name.endsWith('.xml')) {
    return !/version|contribution|\.opt/i.test(name) && readFileSync(file, 'utf8').slice(0, 400).includes('<composition');
  }
  if (name.endsWith('.json')) {
    return !/contribution|webtemplate|_wt\.json|flat|structured/i.test(name) && !file.includes('/expected_webtemplates/');
  }
  return false;
}

export function publicCompositions(): PublicComposition[] {
  const result: PublicComposition[] = [];
  for (const parts of DIRECTORIES) {
    for (const file of filesBelow(testdata(...parts), (n) => n.endsWith('.json') || n.endsWith('.xml'))) {
      if (!isCompositionFile(file)) {
        continue;
      }
      const name = relative(testdata(), file);
      const text = readFileSync(file, 'utf8');
      let composition: unknown;
      let codecRefusal: string | undefined;
      try {
        if (file.endsWith('.xml')) {
          try {
            composition = fromXml(text);
          } catch (e) {
            if (!isCdrError(e) || e.status !== 422) {
              throw e;
            }
            codecRefusal = `${e.message}: ${e.issues[0]?.path}: ${e.issues[0]?.message}`;
            composition = canonicalXmlToJson(text);
          }
        } else {
          composition = JSON.parse(text) as unknown;
        }
      } catch (e) {
        result.push({ file, name, composition: undefined, readError: (e as Error).message });
        continue;
      }
      if (file.endsWith('.json') && (composition as { _type?: unknown } | null)?._type !== 'COMPOSITION' && !/invalid/i.test(name)) {
        continue;
      }
      const templateId = templateIdOf(composition);
      const template = pairedTemplate(file) ?? (templateId ? findTemplate(templateId, file) : undefined);
      result.push({ file, name, composition, ...(codecRefusal ? { codecRefusal } : {}), ...(templateId ? { templateId } : {}), ...(template ? { template } : {}) });
    }
  }
  return result;
}
