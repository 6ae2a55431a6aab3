/**
 * Operational templates as uploaded (OPT 1.4 XML), with a digest that tells a repeated
 * upload of the same template from a different template under the same id.
 */
import { createHash } from 'node:crypto';
import { conflict } from '@cdr/rm';
import type { Database } from './database.js';
import { isoTimestamp } from './store.js';

export interface TemplateRecord {
  readonly templateId: string;
  readonly opt: string;
  readonly sha256: string;
  readonly concept: string | null;
  readonly archetypeId: string | null;
  readonly uploadedAt: string;
}

export interface TemplateSummary {
  readonly templateId: string;
  readonly concept: string | null;
  readonly archetypeId: string | null;
  readonly uploadedAt: string;
}

export interface NewTemplate {
  readonly templateId: string;
  readonly opt: string;
  readonly concept?: string;
  readonly archetypeId?: string;
  /** The parsed template and its web template, stored beside the OPT (JSON). */
  readonly parsed?: unknown;
  readonly webTemplate?: unknown;
}

/** The derived forms of a stored template; null where they were never computed. */
export interface TemplateForms {
  readonly parsed: unknown;
  readonly webTemplate: unknown;
}

interface TemplateRow {
  template_id: string;
  opt: string;
  sha256: string;
  concept: string | null;
  archetype_id: string | null;
  uploaded_at: string;
}

export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class TemplateRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores a template. Uploading the same content again is accepted (`created: false`);
   * different content under an existing id is a conflict.
   */
  async save(template: NewTemplate): Promise<{ created: boolean; record: TemplateRecord }> {
    const sha256 = digest(template.opt);
    const inserted = await this.db.query<TemplateRow>(
      `insert into template (template_id, opt, sha256, concept, archetype_id, parsed, web_template)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (template_id) do nothing
       returning template_id, opt, sha256, concept, archetype_id, uploaded_at`,
      [
        template.templateId,
        template.opt,
        sha256,
        template.concept ?? null,
        template.archetypeId ?? null,
        template.parsed === undefined ? null : JSON.stringify(template.parsed),
        template.webTemplate === undefined ? null : JSON.stringify(template.webTemplate),
      ],
    );
    const row = inserted.rows[0];
    if (row) {
      return { created: true, record: toRecord(row) };
    }
    const existing = await this.get(template.templateId);
    if (existing && existing.sha256 === sha256) {
      return { created: false, record: existing };
    }
    throw conflict(`a different template with id '${template.templateId}' is already stored`);
  }

  async get(templateId: string): Promise<TemplateRecord | undefined> {
    const result = await this.db.query<TemplateRow>(
      'select template_id, opt, sha256, concept, archetype_id, uploaded_at from template where template_id = $1',
      [templateId],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  }

  /** The parsed template and web template, or undefined when no such template is stored. */
  async forms(templateId: string): Promise<TemplateForms | undefined> {
    const result = await this.db.query<{ parsed: unknown; web_template: unknown }>(
      'select parsed, web_template from template where template_id = $1',
      [templateId],
    );
    const row = result.rows[0];
    return row ? { parsed: row.parsed, webTemplate: row.web_template } : undefined;
  }

  /** Stores derived forms computed later (for templates uploaded before they were kept). */
  async saveForms(templateId: string, forms: TemplateForms): Promise<void> {
    await this.db.query('update template set parsed = $2, web_template = $3 where template_id = $1', [
      templateId,
      JSON.stringify(forms.parsed),
      JSON.stringify(forms.webTemplate),
    ]);
  }

  async exists(templateId: string): Promise<boolean> {
    const result = await this.db.query('select 1 from template where template_id = $1', [templateId]);
    return (result.rowCount ?? 0) > 0;
  }

  async list(): Promise<TemplateSummary[]> {
    const result = await this.db.query<Omit<TemplateRow, 'opt' | 'sha256'>>(
      'select template_id, concept, archetype_id, uploaded_at from template order by template_id',
    );
    return result.rows.map((row) => ({
      templateId: row.template_id,
      concept: row.concept,
      archetypeId: row.archetype_id,
      uploadedAt: isoTimestamp(row.uploaded_at),
    }));
  }
}

function toRecord(row: TemplateRow): TemplateRecord {
  return {
    templateId: row.template_id,
    opt: row.opt,
    sha256: row.sha256,
    concept: row.concept,
    archetypeId: row.archetype_id,
    uploadedAt: isoTimestamp(row.uploaded_at),
  };
}
