/**
 * The project's own operational templates (`templates/*.opt`), stored on start when the
 * database does not have them yet, so a new server can take the core clinical domains.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { TemplateService } from './services/template-service.js';

/** The project's `templates/` folder (this file is packages/server/dist/default-templates.js). */
export const defaultTemplatesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../templates');

export async function loadDefaultTemplates(templates: TemplateService, logger: Logger, dir = defaultTemplatesDir): Promise<string[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((name) => name.endsWith('.opt')).sort();
  } catch {
    return [];
  }
  const loaded: string[] = [];
  for (const file of files) {
    const opt = await readFile(join(dir, file), 'utf8');
    const templateId = /<template_id>\s*<value>([^<]+)<\/value>/.exec(opt)?.[1]?.trim();
    if (templateId && (await templates.exists(templateId))) {
      continue;
    }
    const { record, created } = await templates.upload(opt);
    if (created) {
      loaded.push(record.templateId);
    }
  }
  if (loaded.length > 0) {
    logger.info({ templates: loaded }, 'stored the default templates');
  }
  return loaded;
}
