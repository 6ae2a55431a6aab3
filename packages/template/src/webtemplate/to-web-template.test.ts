import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describeShared } from '@cdr/rm/testing/shared';
import { filesBelow, publicTemplatesById, readJsonWithComments, testdata, templateFromFile } from '../testing/public-data.js';
import { compareWebTemplates, percent, type Agreement } from '../testing/web-template-agreement.js';
import type { WebTemplate } from './model.js';
import { toWebTemplate } from './to-web-template.js';

interface Case {
  readonly name: string;
  readonly reference: WebTemplate;
  readonly templateFile: string | undefined;
}

function cases(): Case[] {
  const byId = publicTemplatesById();
  const result: Case[] = [];
  const ehrbase = [
    ...filesBelow(testdata('ehrbase-sdk', 'test-data', 'webtemplate'), (n) => n.endsWith('.json')),
    ...filesBelow(testdata('ehrbase-integration-tests', 'test_data_sets', 'valid_templates', 'expected_webtemplates'), (n) => n.endsWith('.json')),
  ];
  for (const file of ehrbase) {
    const reference = readJsonWithComments(file) as WebTemplate;
    result.push({ name: `ehrbase ${basename(file)}`, reference, templateFile: byId.get(reference.templateId)?.file });
  }
  for (const file of filesBelow(testdata('better-web-template', 'compatibility', 'web-templates'), (n) => n.endsWith('.json'))) {
    const reference = readJsonWithComments(file) as WebTemplate;
    const templateFile = testdata('better-web-template', 'compatibility', 'templates', basename(file).replace(/\.json$/, '.xml'));
    result.push({ name: `better ${basename(file)}`, reference, templateFile });
  }
  return result;
}

describeShared('web templates compared with the public reference web templates', () => {
  it('agrees with EHRbase and Better on node ids, aqlPaths, rmTypes and inputs', () => {
    const overall: Agreement = { total: 0, ids: 0, aqlPaths: 0, rmTypes: 0, inputs: 0, differences: [] };
    const lines: string[] = [];
    for (const c of cases()) {
      assert.ok(c.templateFile, `no public OPT for ${c.name} (${c.reference.templateId})`);
      const ours = toWebTemplate(templateFromFile(c.templateFile));
      assert.equal(ours.templateId, c.reference.templateId);
      const a = compareWebTemplates(ours, c.reference);
      overall.total += a.total;
      overall.ids += a.ids;
      overall.aqlPaths += a.aqlPaths;
      overall.rmTypes += a.rmTypes;
      overall.inputs += a.inputs;
      lines.push(
        `      ${c.name.padEnd(52)} nodes ${String(a.total).padStart(4)}  ids ${percent(a.ids, a.total).padStart(6)}  aqlPaths ${percent(a.aqlPaths, a.total).padStart(6)}  rmTypes ${percent(a.rmTypes, a.total).padStart(6)}  inputs ${percent(a.inputs, a.total).padStart(6)}`,
      );
      if (process.env.CDR_SHOW_DIFFERENCES) {
        lines.push(...a.differences.slice(0, Number(process.env.CDR_SHOW_DIFFERENCES)).map((d) => `        ${d}`));
      }
    }
    console.log(lines.join('\n'));
    console.log(
      `      overall: ${overall.total} reference nodes; ids ${overall.ids} (${percent(overall.ids, overall.total)}), aqlPaths ${overall.aqlPaths} (${percent(overall.aqlPaths, overall.total)}), rmTypes ${overall.rmTypes} (${percent(overall.rmTypes, overall.total)}), inputs ${overall.inputs} (${percent(overall.inputs, overall.total)})`,
    );
    assert.ok(overall.aqlPaths / overall.total > 0.9, 'aqlPaths agree for more than 90% of the reference nodes');
    assert.ok(overall.ids / overall.total > 0.85, 'ids agree for more than 85% of the reference nodes');
  });
});
