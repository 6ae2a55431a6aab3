/**
 * The template generator's entry points: archetype facts + template descriptions -> OPT 1.4
 * XML. Pure functions; reading and writing the project's files is in `project-files.ts`.
 */
import type { OperationalTemplate } from '../opt/model.js';
import type { ArchetypeRegistry } from './build-template.js';
import { buildTemplate } from './build-template.js';
import type { ArchetypeFacts } from './facts.js';
import { AuthoringError } from './intervals.js';
import type { TemplateSpec } from './template-spec.js';
import { writeOpt } from './write-opt.js';

export { buildTemplate, type ArchetypeRegistry } from './build-template.js';
export { readArchetypeFacts, type ArchetypeFacts } from './facts.js';
export { AuthoringError } from './intervals.js';
export { readTemplateSpec, type TemplateSpec } from './template-spec.js';
export { writeOpt } from './write-opt.js';

/** Indexes archetype facts by archetype id, refusing an archetype described twice. */
export function archetypeRegistry(facts: readonly ArchetypeFacts[]): ArchetypeRegistry {
  const registry = new Map<string, ArchetypeFacts>();
  for (const f of facts) {
    if (registry.has(f.archetypeId)) {
      throw new AuthoringError(`${f.archetypeId} is described twice under archetypes/`);
    }
    registry.set(f.archetypeId, f);
  }
  return registry;
}

/** The file name of a template's OPT under templates/. */
export function optFileName(templateId: string): string {
  return `${templateId}.opt`;
}

export interface GeneratedTemplate {
  readonly fileName: string;
  readonly template: OperationalTemplate;
  readonly xml: string;
}

/** Builds and writes one template. */
export function generateTemplate(spec: TemplateSpec, registry: ArchetypeRegistry): GeneratedTemplate {
  const template = buildTemplate(spec, registry);
  return { fileName: optFileName(spec.templateId), template, xml: writeOpt(template) };
}

/** Generates every template, refusing two descriptions with the same template id. */
export function generateTemplates(specs: readonly TemplateSpec[], facts: readonly ArchetypeFacts[]): GeneratedTemplate[] {
  const registry = archetypeRegistry(facts);
  const seen = new Set<string>();
  return specs.map((spec) => {
    if (seen.has(spec.templateId)) {
      throw new AuthoringError(`template id ${spec.templateId} is used by two template descriptions`);
    }
    seen.add(spec.templateId);
    return generateTemplate(spec, registry);
  });
}
