/**
 * The project's own operational templates (`templates/*.opt`), stored on start when the
 * database does not have them yet, so a new server can take the core clinical domains.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateRepository } from '@cdr/store';
import { parseOpt } from '@cdr/template';
import type { Logger } from 'pino';

/** The project's `templates/` folder (this file is packages/server/dist/default-templates.js). */
export const defaultTemplatesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../templates');

export async function loadDefaultTemplates(templates: TemplateRepository, logger: Logger, dir = defaultTemplatesDir): Promise<string[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((name) => name.endsWith('.opt')).sort();
  } catch {
    return [];
  }
  const loaded: string[] = [];
  for (const file of files) {
    const opt = await readFile(join(dir, file), 'utf8');
    const template = parseOpt(opt);
    if (await templates.exists(template.templateId)) {
      continue;
    }
    await templates.save({ templateId: template.templateId, opt, concept: template.concept, archetypeId: template.definition.archetypeId });
    loaded.push(template.templateId);
  }
  if (loaded.length > 0) {
    logger.info({ templates: loaded }, 'stored the default templates');
  }
  return loaded;
}
