/**
 * Templates as the server uses them: uploaded OPTs parsed once (kept in the database
 * beside the XML, and in memory), web templates, example compositions, and validation
 * of compositions against their template.
 */
import { CdrError, notFound, type Issue } from '@cdr/rm';
import type { JsonObject, TemplateRecord, TemplateRepository } from '@cdr/store';
import { parseOpt, toWebTemplate, validateComposition, type OperationalTemplate, type WebTemplate } from '@cdr/template';
import type { TemplateValidator } from './content-checks.js';

interface Loaded {
  readonly template: OperationalTemplate;
  readonly webTemplate: WebTemplate;
}

/** Parsed templates kept in memory; templates never change once stored. */
const CACHE_LIMIT = 256;

export class TemplateService implements TemplateValidator {
  private readonly cache = new Map<string, Promise<Loaded | undefined>>();

  constructor(readonly repository: TemplateRepository) {}

  /** Parses and stores an OPT: 400 when it is not a valid OPT, 409 when a different one has its id. */
  async upload(opt: string): Promise<{ record: TemplateRecord; created: boolean }> {
    const template = parseOpt(opt);
    const webTemplate = toWebTemplate(template);
    const result = await this.repository.save({
      templateId: template.templateId,
      opt,
      concept: template.concept,
      archetypeId: template.definition.archetypeId,
      parsed: template,
      webTemplate,
    });
    if (result.created) {
      this.remember(template.templateId, Promise.resolve({ template, webTemplate }));
    }
    return result;
  }

  async exists(templateId: string): Promise<boolean> {
    return (await this.load(templateId)) !== undefined;
  }

  /** The parsed template; 404 when it is not stored. */
  async template(templateId: string): Promise<OperationalTemplate> {
    return (await this.require(templateId)).template;
  }

  async webTemplate(templateId: string): Promise<WebTemplate> {
    return (await this.require(templateId)).webTemplate;
  }

  async validate(templateId: string, composition: JsonObject): Promise<readonly Issue[]> {
    const loaded = await this.load(templateId);
    if (!loaded) {
      return [{ path: '/archetype_details/template_id/value', message: `unknown template '${templateId}'` }];
    }
    return validateComposition(loaded.template, composition);
  }

  private async require(templateId: string): Promise<Loaded> {
    const loaded = await this.load(templateId);
    if (!loaded) {
      throw notFound(`template '${templateId}' not found`);
    }
    return loaded;
  }

  private load(templateId: string): Promise<Loaded | undefined> {
    const cached = this.cache.get(templateId);
    if (cached) {
      return cached;
    }
    const loading = this.fetch(templateId);
    this.remember(templateId, loading);
    // A failed load is not remembered, so that the next request tries again.
    loading.then(
      (loaded) => loaded === undefined && this.cache.delete(templateId),
      () => this.cache.delete(templateId),
    );
    return loading;
  }

  private async fetch(templateId: string): Promise<Loaded | undefined> {
    const forms = await this.repository.forms(templateId);
    if (!forms) {
      return undefined;
    }
    const parsed = forms.parsed as OperationalTemplate | null;
    const web = forms.webTemplate as WebTemplate | null;
    if (parsed && web && parsed.formatVersion === 1) {
      return { template: parsed, webTemplate: web };
    }
    // Stored before its parsed forms were kept, or by an older parser: parse it again, once.
    const record = await this.repository.get(templateId);
    if (!record) {
      return undefined;
    }
    let template: OperationalTemplate;
    try {
      template = parseOpt(record.opt);
    } catch (error) {
      throw new CdrError('internal', `stored template '${templateId}' can no longer be parsed`, { cause: error });
    }
    const webTemplate = toWebTemplate(template);
    await this.repository.saveForms(templateId, { parsed: template, webTemplate });
    return { template, webTemplate };
  }

  private remember(templateId: string, loaded: Promise<Loaded | undefined>): void {
    if (this.cache.size >= CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) {
        this.cache.delete(oldest);
      }
    }
    this.cache.set(templateId, loaded);
  }
}
