/**
 * The project's own templates (`templates/*.opt`) and example compositions of them, for tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@cdr/rm/testing/shared';
import { exampleComposition, parseOpt } from '@cdr/template';
import type { OperationalTemplate } from '@cdr/template';

const cache = new Map<string, OperationalTemplate>();

export function projectTemplateIds(): string[] {
  return readdirSync(join(projectRoot, 'templates'))
    .filter((f) => f.endsWith('.opt'))
    .map((f) => f.slice(0, -'.opt'.length))
    .sort();
}

export function projectTemplate(templateId: string): OperationalTemplate {
  let template = cache.get(templateId);
  if (!template) {
    template = parseOpt(readFileSync(join(projectRoot, 'templates', `${templateId}.opt`), 'utf8'));
    cache.set(templateId, template);
  }
  return template;
}

/** A canonical JSON example composition of a project template (a fresh, mutable copy). */
export function example(templateId: string, time = '2024-01-15T10:30:00Z'): Record<string, unknown> {
  return structuredClone(exampleComposition(projectTemplate(templateId), { time })) as Record<string, unknown>;
}
