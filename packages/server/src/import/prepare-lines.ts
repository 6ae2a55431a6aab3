/**
 * What an import does to each line before it is written: the envelope parsed, the content
 * checked exactly as a commit checks it (the RM checks of every object, and for a
 * composition a stored template and validation against it: `ContentChecks`), and the rows
 * prepared (`prepareVersion`, `prepareEhr` of the store's bulk path). Pure CPU work: it runs
 * in worker threads, or inline.
 */
import { randomUUID } from 'node:crypto';
import { CdrError, isJsonObject, tryParseVersionUid, type Issue } from '@cdr/rm';
import { LifecycleState, prepareEhr, prepareVersion, type JsonObject, type PreparedEhr, type PreparedVersion } from '@cdr/store';
import { validateComposition, type OperationalTemplate } from '@cdr/template';
import { ContentChecks, type TemplateValidator } from '../services/content-checks.js';
import { DEFAULT_EHR_STATUS } from '../services/ehr-service.js';
import { parseImportLine } from './records.js';

export type PreparedLine =
  | { readonly kind: 'ehr'; readonly ehr: PreparedEhr }
  | { readonly kind: 'version'; readonly version: PreparedVersion }
  | { readonly kind: 'blank' }
  | { readonly kind: 'rejected'; readonly status: number; readonly message: string; readonly issues: readonly Issue[] };

/** Templates by id, as parsed when stored. */
export class TemplateSet implements TemplateValidator {
  constructor(private readonly templates: ReadonlyMap<string, OperationalTemplate>) {}

  async exists(templateId: string): Promise<boolean> {
    return this.templates.has(templateId);
  }

  async validate(templateId: string, composition: JsonObject): Promise<readonly Issue[]> {
    const template = this.templates.get(templateId);
    return template ? validateComposition(template, composition) : [{ path: '/archetype_details/template_id/value', message: `unknown template '${templateId}'` }];
  }
}

function withoutUid(data: JsonObject): JsonObject {
  const { uid: _uid, ...rest } = data;
  return rest;
}

export class LinePreparer {
  private readonly checks: ContentChecks;

  constructor(
    templates: TemplateSet,
    private readonly systemId: string,
  ) {
    this.checks = new ContentChecks(templates);
  }

  async prepare(text: string): Promise<PreparedLine> {
    if (text.trim() === '') {
      return { kind: 'blank' };
    }
    try {
      const line = parseImportLine(text);
      if (line.kind === 'ehr') {
        const status = line.ehrStatus === undefined ? DEFAULT_EHR_STATUS : (await this.checks.check('EHR_STATUS', line.ehrStatus, 'ehr_status: ')).data;
        const uid = isJsonObject(status.uid) && typeof status.uid.value === 'string' ? tryParseVersionUid(status.uid.value) : undefined;
        return {
          kind: 'ehr',
          ehr: prepareEhr({ ehrId: line.ehrId, statusId: uid?.objectId ?? randomUUID(), ehrStatus: withoutUid(status), lifecycleState: LifecycleState.complete }, this.systemId),
        };
      }
      const checked = await this.checks.check('COMPOSITION', line.composition, 'composition: ');
      return {
        kind: 'version',
        version: prepareVersion(
          {
            ehrId: line.ehrId,
            objectId: line.objectId,
            version: line.version,
            rmType: 'COMPOSITION',
            lifecycleState: line.lifecycleState,
            templateId: checked.templateId,
            archetypeNodeId: checked.archetypeNodeId,
            data: checked.data,
          },
          this.systemId,
        ),
      };
    } catch (error) {
      if (error instanceof CdrError) {
        return { kind: 'rejected', status: error.status, message: error.message, issues: error.issues };
      }
      return { kind: 'rejected', status: 500, message: (error as Error).message, issues: [] };
    }
  }

  async prepareAll(lines: readonly string[]): Promise<PreparedLine[]> {
    const results: PreparedLine[] = [];
    for (const line of lines) {
      results.push(await this.prepare(line));
    }
    return results;
  }
}
