/** The project's own templates (`templates/*.opt`), for tests that commit real clinical content. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTemplatesDir } from '../default-templates.js';

export function ownTemplate(templateId: string): string {
  return readFileSync(join(defaultTemplatesDir, `${templateId}.opt`), 'utf8');
}
