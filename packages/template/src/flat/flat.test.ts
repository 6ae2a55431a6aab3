import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describeShared } from '@cdr/rm/testing/shared';
import type { OperationalTemplate } from '../opt/model.js';
import { lostKeys, stable } from '../testing/flat-round-trip.js';
import { filesBelow, publicTemplateFiles, readJsonWithComments, shortName, templateFromFile, testdata } from '../testing/public-data.js';
import { validateComposition } from '../validation/validate-composition.js';
import { compositionToFlat } from './composition-to-flat.js';
import { flatToComposition } from './flat-to-composition.js';
import type { FlatValue } from './flat-tree.js';
import { compositionToStructured, structuredToComposition, structuredToFlat, type StructuredComposition } from './structured.js';
import { webTemplateOf } from './template-source.js';

type Flat = Record<string, FlatValue>;

let byRootId: Map<string, OperationalTemplate[]> | undefined;

/** Templates whose web template has a given root id (several templates may share one). */
function templatesWithRoot(id: string): OperationalTemplate[] {
  if (!byRootId) {
    byRootId = new Map();
    const seen = new Set<string>();
    for (const file of publicTemplateFiles()) {
      const template = templateFromFile(file);
      const key = `${template.templateId}|${file.split('/').slice(-2).join('/')}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      const root = webTemplateOf(template).webTemplate.tree.id;
      byRootId.set(root, [...(byRootId.get(root) ?? []), template]);
    }
  }
  return byRootId.get(id) ?? [];
}

/**
 * Of the templates with the FLAT's root id, the one whose web template knows most of its
 * paths; on a tie, the one whose template id the file is named after.
 */
function templateForFlat(flat: Flat, fileName = ''): OperationalTemplate | undefined {
  const keys = Object.keys(flat).filter((k) => !k.startsWith('ctx/'));
  const root = keys[0]?.split('/')[0];
  if (!root) {
    return undefined;
  }
  let best: OperationalTemplate | undefined;
  let bestScore = -1;
  for (const template of templatesWithRoot(root)) {
    const ids = new Set<string>();
    const collect = (node: { id: string; children?: readonly { id: string }[] }): void => {
      ids.add(node.id);
      for (const c of node.children ?? []) {
        collect(c as never);
      }
    };
    collect(webTemplateOf(template).webTemplate.tree);
    const simple = (t: string): string => t.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const named = simple(fileName).startsWith(simple(template.templateId)) ? 0.5 + simple(template.templateId).length / 1000 : 0;
    const score = keys.filter((k) => k.split('|')[0]!.split('/').every((s) => s.startsWith('_') || ids.has(s.split(':')[0]!))).length + named;
    if (score > bestScore) {
      best = template;
      bestScore = score;
    }
  }
  return best;
}

/** The FLAT keys a STRUCTURED composition stands for, enough to pick its template. */
function structuredToFlatKeys(root: string, structured: StructuredComposition): Flat {
  const keys: Flat = {};
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v) => walk(v, path));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '' || k.startsWith('|')) {
          keys[path] = 1;
        } else {
          walk(v, `${path}/${k}`);
        }
      }
    } else {
      keys[path] = 1;
    }
  };
  walk(structured[root], root);
  return keys;
}

/** STRUCTURED files nest objects; FLAT files map paths to plain values. */
function isStructured(json: unknown): boolean {
  return typeof json === 'object' && json !== null && Object.values(json).some((v) => typeof v === 'object' && v !== null);
}

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly valid?: boolean;
  readonly problem?: string;
}

function roundTripFlat(name: string, flat: Flat, template: OperationalTemplate): Outcome {
  try {
    const c1 = flatToComposition(template, flat);
    const f2 = compositionToFlat(template, c1);
    const c2 = flatToComposition(template, f2);
    const lost = lostKeys(flat, f2);
    const unstable = stable(c1, c2);
    const issues = validateComposition(template, c1);
    const valid = issues.length === 0;
    if (!valid && process.env.CDR_SHOW_DIFFERENCES) {
      console.log(`        (validation) ${name}: ${issues[0]!.path}: ${issues[0]!.message}`);
    }
    if (lost.length > 0) {
      return { name, ok: false, valid, problem: `${lost.length} key(s) not written back, e.g. ${lost.slice(0, 2).join('; ')}` };
    }
    if (unstable) {
      return { name, ok: false, valid, problem: `composition changed on the second read: ${unstable.slice(0, 300)}` };
    }
    return { name, ok: true, valid };
  } catch (e) {
    return { name, ok: false, problem: `refused: ${(e as Error).message.slice(0, 200)}` };
  }
}

function report(title: string, outcomes: readonly Outcome[]): void {
  const ok = outcomes.filter((o) => o.ok).length;
  const valid = outcomes.filter((o) => o.valid).length;
  console.log(`      ${title}: ${ok}/${outcomes.length} round trips match; ${valid}/${outcomes.length} read compositions valid against their template`);
  for (const o of outcomes.filter((x) => !x.ok)) {
    console.log(`        ${o.name}: ${o.problem}`);
  }
}

function isInvalidByName(file: string): boolean {
  return /invalid|wrong|missing|ism_/i.test(basename(file));
}

describeShared('FLAT and STRUCTURED round trips on the public compositions', () => {
  it('reads and writes the public FLAT compositions without losing values', () => {
    const files = [
      ...filesBelow(testdata('ehrbase-sdk', 'test-data', 'composition', 'flat', 'simSDT'), (n) => n.endsWith('.json')),
      ...filesBelow(testdata('better-web-template', 'compatibility', 'compositions', 'flat'), (n) => n.endsWith('.json')),
      ...filesBelow(testdata('ehrbase-integration-tests', 'test_data_sets', 'flat_compositions'), (n) => n.endsWith('.json')),
      ...filesBelow(testdata('ehrbase-integration-tests', 'test_data_sets', 'compositions', 'FLAT'), (n) => n.endsWith('.json')),
    ];
    const outcomes: Outcome[] = [];
    const skipped: string[] = [];
    for (const file of files) {
      let flat: Flat;
      try {
        flat = readJsonWithComments(file) as Flat;
      } catch {
        skipped.push(`${shortName(file)} (not JSON)`);
        continue;
      }
      if (isStructured(flat)) {
        continue;
      }
      const better = file.includes('better-web-template') ? templateFromFile(testdata('better-web-template', 'compatibility', 'templates', `${basename(file).replace(/\(\d+\)\.json$/, '')}.xml`)) : undefined;
      const template = better ?? templateForFlat(flat, basename(file));
      if (!template) {
        skipped.push(`${shortName(file)} (no public template)`);
        continue;
      }
      outcomes.push(roundTripFlat(shortName(file), flat, template));
    }
    const expectedFine = outcomes.filter((o) => !isInvalidByName(o.name));
    report('FLAT', outcomes);
    console.log(`      skipped: ${skipped.join(', ') || 'none'}`);
    const matched = expectedFine.filter((o) => o.ok).length;
    assert.ok(matched / expectedFine.length >= 0.8, `at least 80% of the FLAT round trips match (${matched}/${expectedFine.length})`);
  });

  it('reads and writes the public STRUCTURED compositions without losing values', () => {
    const pairs: [string, () => OperationalTemplate | undefined][] = [];
    for (const file of filesBelow(testdata('better-web-template', 'compatibility', 'compositions', 'structured'), (n) => n.endsWith('.json'))) {
      pairs.push([file, () => templateFromFile(testdata('better-web-template', 'compatibility', 'templates', `${basename(file).replace(/\(\d+\)\.json$/, '')}.xml`))]);
    }
    for (const file of [
      ...filesBelow(testdata('ehrbase-integration-tests', 'test_data_sets', 'flat_compositions'), (n) => n.endsWith('.json')).filter((f) => {
        try {
          return isStructured(readJsonWithComments(f));
        } catch {
          return false;
        }
      }),
      ...filesBelow(testdata('ehrbase-sdk', 'test-data', 'composition', 'flat', 'structured'), (n) => n.endsWith('.json')),
      ...filesBelow(testdata('ehrbase-integration-tests', 'test_data_sets', 'compositions', 'STRUCTURED'), (n) => n.endsWith('.json')),
    ]) {
      pairs.push([file, () => undefined]);
    }
    const outcomes: Outcome[] = [];
    for (const [file, knownTemplate] of pairs) {
      let structured: StructuredComposition;
      try {
        structured = readJsonWithComments(file) as StructuredComposition;
      } catch {
        outcomes.push({ name: shortName(file), ok: false, problem: 'not JSON' });
        continue;
      }
      const root = Object.keys(structured).find((k) => k !== 'ctx' && !k.startsWith('ctx/'));
      const template = knownTemplate() ?? (root ? templateForFlat(structuredToFlatKeys(root, structured), basename(file)) : undefined);
      if (!template) {
        outcomes.push({ name: shortName(file), ok: false, problem: 'no public template' });
        continue;
      }
      try {
        const c1 = structuredToComposition(template, structured);
        const s2 = compositionToStructured(template, c1);
        const c2 = structuredToComposition(template, s2);
        const lost = lostKeys(structuredToFlat(template, structured), structuredToFlat(template, s2));
        const unstable = stable(c1, c2);
        const valid = validateComposition(template, c1).length === 0;
        outcomes.push(
          lost.length > 0
            ? { name: shortName(file), ok: false, valid, problem: `${lost.length} value(s) not written back, e.g. ${lost.slice(0, 2).join('; ')}` }
            : unstable
              ? { name: shortName(file), ok: false, valid, problem: `composition changed on the second read: ${unstable.slice(0, 200)}` }
              : { name: shortName(file), ok: true, valid },
        );
      } catch (e) {
        outcomes.push({ name: shortName(file), ok: false, problem: `refused: ${(e as Error).message.slice(0, 200)}` });
      }
    }
    report('STRUCTURED', outcomes);
    const fine = outcomes.filter((o) => !isInvalidByName(o.name));
    assert.ok(fine.filter((o) => o.ok).length / fine.length >= 0.8, 'at least 80% of the STRUCTURED round trips match');
  });
});
