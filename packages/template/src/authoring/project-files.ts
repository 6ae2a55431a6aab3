/**
 * Where the authoring sources live in the project and how they are read and written:
 * `archetypes/*.yml` (archetype facts), `templates/src/*.yml` (template descriptions) and
 * the generated `templates/*.opt`. The only module of the generator that touches files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ArchetypeFacts } from './facts.js';
import { readArchetypeFacts } from './facts.js';
import { AuthoringError } from './intervals.js';
import type { TemplateSpec } from './template-spec.js';
import { readTemplateSpec } from './template-spec.js';

/** The project root: four levels above this compiled file (packages/template/dist/authoring). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface ProjectPaths {
  readonly archetypes: string;
  readonly templateSources: string;
  readonly templates: string;
}

export function projectPaths(root: string = projectRoot): ProjectPaths {
  return { archetypes: join(root, 'archetypes'), templateSources: join(root, 'templates', 'src'), templates: join(root, 'templates') };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

function readYaml(file: string, root: string): { document: unknown; where: string } {
  const where = relative(root, file);
  try {
    return { document: parse(readFileSync(file, 'utf8'), { prettyErrors: true }), where };
  } catch (e) {
    throw new AuthoringError(`${where}: not valid YAML: ${(e as Error).message}`);
  }
}

export function readArchetypeFiles(root: string = projectRoot): ArchetypeFacts[] {
  return yamlFiles(projectPaths(root).archetypes).map((file) => {
    const { document, where } = readYaml(file, root);
    return readArchetypeFacts(document, where);
  });
}

export function readTemplateFiles(root: string = projectRoot): TemplateSpec[] {
  return yamlFiles(projectPaths(root).templateSources).map((file) => {
    const { document, where } = readYaml(file, root);
    return readTemplateSpec(document, where);
  });
}

/** The committed OPT files: file name -> text. */
export function readCommittedOpts(root: string = projectRoot): Map<string, string> {
  const dir = projectPaths(root).templates;
  return new Map(
    readdirSync(dir)
      .filter((name) => name.endsWith('.opt'))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

export function writeOptFile(fileName: string, xml: string, root: string = projectRoot): string {
  const file = join(projectPaths(root).templates, fileName);
  writeFileSync(file, xml, 'utf8');
  return file;
}
