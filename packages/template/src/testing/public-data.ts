/**
 * Test support: where the public test data of ../shared keeps operational templates and
 * the files that go with them. Only tests import this module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { sharedPath } from '@cdr/rm/testing/shared';
import type { OperationalTemplate } from '../opt/model.js';
import { parseOpt } from '../opt/parse-opt.js';

export function testdata(...parts: string[]): string {
  return sharedPath('testdata', ...parts);
}

/** All files below a directory (recursively) whose name satisfies `accept`. */
export function filesBelow(dir: string, accept: (name: string) => boolean): string[] {
  const result: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) {
        walk(full);
      } else if (accept(entry)) {
        result.push(full);
      }
    }
  };
  walk(dir);
  return result;
}

/** Every public operational template that is meant to be valid. */
export function publicTemplateFiles(): string[] {
  const root = testdata();
  const opts = filesBelow(root, (name) => name.toLowerCase().endsWith('.opt')).filter((f) => !f.includes('/invalid_templates/'));
  const better = filesBelow(testdata('better-web-template', 'compatibility', 'templates'), (name) => name.endsWith('.xml'));
  return [...opts, ...better];
}

/** The invalid templates of the integration tests (OPTs and anything else kept there). */
export function invalidTemplateFiles(): string[] {
  return filesBelow(testdata('ehrbase-integration-tests', 'test_data_sets', 'invalid_templates'), (name) => !name.endsWith('.txt'));
}

export function shortName(file: string): string {
  return relative(testdata(), file);
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Strips the leading `//` comment lines Better puts in front of its JSON files. */
export function readJsonWithComments(file: string): unknown {
  const text = readText(file)
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  return JSON.parse(text) as unknown;
}

const cache = new Map<string, OperationalTemplate>();

/** Parses (once) the public template in a file. */
export function templateFromFile(file: string): OperationalTemplate {
  let template = cache.get(file);
  if (!template) {
    template = parseOpt(readFileSync(file));
    cache.set(file, template);
  }
  return template;
}

/** Public templates by template id (first file wins when two files carry the same id). */
export function publicTemplatesById(): Map<string, { file: string; template: OperationalTemplate }> {
  const result = new Map<string, { file: string; template: OperationalTemplate }>();
  for (const file of publicTemplateFiles()) {
    const template = templateFromFile(file);
    if (!result.has(template.templateId)) {
      result.set(template.templateId, { file, template });
    }
  }
  return result;
}

export { basename };
