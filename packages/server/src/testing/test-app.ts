/** An in-process CDR for HTTP tests: the app on the run's test database, driven with supertest. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { AqlIndexer, Database, Store, TemplateRepository } from '@cdr/store';
import { isolatedTestDatabase, openTestDatabase } from '@cdr/store/testing/database';
import { createApp } from '../app.js';
import { silentLogger } from '../logger.js';
import type { SecurityConfig } from '../security/security-config.js';

export interface TestCdr {
  readonly app: Express;
  readonly db: Database;
  readonly store: Store;
  readonly templates: TemplateRepository;
  close(): Promise<void>;
}

export const TEST_SYSTEM_ID = 'test.cdr.local';

/**
 * The app on the run's test database, or with `isolated` on an empty database of its own
 * (dropped on close) for suites that must not see what other suites store.
 */
export async function startTestCdr(options: { isolated?: boolean; security?: SecurityConfig } = {}): Promise<TestCdr> {
  const isolated = options.isolated ? await isolatedTestDatabase() : undefined;
  const db = isolated ? new Database({ url: isolated.url }) : await openTestDatabase();
  const store = new Store(db, { systemId: TEST_SYSTEM_ID, indexer: new AqlIndexer() });
  const templates = new TemplateRepository(db);
  const app = createApp({
    db,
    store,
    templates,
    logger: silentLogger(),
    bodyLimitBytes: 5 * 1024 * 1024,
    ...(options.security ? { security: options.security } : {}),
  });
  return {
    app,
    db,
    store,
    templates,
    async close() {
      await db.close();
      await isolated?.drop();
    },
  };
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test-fixtures');

export function fixture(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

export const CLINICAL_NOTE_TEMPLATE_ID = 'cdr_test_clinical_note.v1';

/** A valid composition of the test template, with a synopsis text. */
export function clinicalNote(synopsis: string): Record<string, unknown> {
  return {
    _type: 'COMPOSITION',
    name: { _type: 'DV_TEXT', value: 'Report' },
    archetype_node_id: 'openEHR-EHR-COMPOSITION.report.v1',
    archetype_details: {
      _type: 'ARCHETYPED',
      archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-COMPOSITION.report.v1' },
      template_id: { _type: 'TEMPLATE_ID', value: CLINICAL_NOTE_TEMPLATE_ID },
      rm_version: '1.0.4',
    },
    language: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_639-1' }, code_string: 'en' },
    territory: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_3166-1' }, code_string: 'GB' },
    category: {
      _type: 'DV_CODED_TEXT',
      value: 'event',
      defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '433' },
    },
    composer: { _type: 'PARTY_IDENTIFIED', name: 'Dr Ada Lovelace' },
    context: {
      _type: 'EVENT_CONTEXT',
      start_time: { _type: 'DV_DATE_TIME', value: '2024-03-01T10:15:00Z' },
      setting: {
        _type: 'DV_CODED_TEXT',
        value: 'other care',
        defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '238' },
      },
    },
    content: [
      {
        _type: 'EVALUATION',
        name: { _type: 'DV_TEXT', value: 'Clinical synopsis' },
        archetype_node_id: 'openEHR-EHR-EVALUATION.clinical_synopsis.v1',
        archetype_details: {
          _type: 'ARCHETYPED',
          archetype_id: { _type: 'ARCHETYPE_ID', value: 'openEHR-EHR-EVALUATION.clinical_synopsis.v1' },
          rm_version: '1.0.4',
        },
        language: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_639-1' }, code_string: 'en' },
        encoding: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'IANA_character-sets' }, code_string: 'UTF-8' },
        subject: { _type: 'PARTY_SELF' },
        data: {
          _type: 'ITEM_TREE',
          name: { _type: 'DV_TEXT', value: 'List' },
          archetype_node_id: 'at0001',
          items: [
            {
              _type: 'ELEMENT',
              name: { _type: 'DV_TEXT', value: 'Synopsis' },
              archetype_node_id: 'at0002',
              value: { _type: 'DV_TEXT', value: synopsis },
            },
          ],
        },
      },
    ],
  };
}
