/**
 * Replays the setup operations of the EHRbase AQL suites through our HTTP API and judges
 * query responses the way the suites do (AQL-CONFORMANCE-SETUP.md, §1.2-1.5).
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { withExplicitTypes } from '@cdr/rm';
import { ChangeType, LifecycleState, type Database, type JsonObject, type Store } from '@cdr/store';
import { compareResult } from './compare.js';
import { expectedText, readData, readExtra, type Comparison } from './data.js';

export type Vars = Record<string, string>;

export type Outcome =
  | { readonly status: 'pass' }
  | { readonly status: 'refused'; readonly message: string }
  | { readonly status: 'skip'; readonly message: string }
  | { readonly status: 'fail'; readonly message: string };

export interface QueryResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Compositions of the data set that this CDR refuses on commit, with the reason. The
 * suites that use them load them through the store instead (as EHRbase stores them), so
 * that their queries can still be replayed.
 */
export const REFUSED_COMPOSITIONS: Readonly<Record<string, string>> = {
  'external/all_types_systematic_tests.json':
    'does not conform to test_all_types.en.v1: a DV_TEXT where the template allows only DV_URI, and a date with a day where the pattern yyyy-??-XX allows none',
  'external/all_types_systematic_tests_feeder_audit.json':
    'breaks the RM: feeder_system_audit written as an attribute of INSTRUCTION and ADMIN_ENTRY (it belongs to FEEDER_AUDIT)',
};

const TABLES = 'ehr, ehr_subject, contribution, versioned_object, object_version, aql_node, aql_folder_item, stored_query';

function randomDigits(count: number): string {
  return Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');
}

function substitute(text: string, vars: Vars): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

export class Harness {
  vars: Vars = {};
  private readonly ehrs: string[] = [];
  /** Compositions loaded through the store because the API refuses them. */
  readonly loadedDirectly = new Set<string>();

  constructor(
    readonly app: Express,
    private readonly db: Database,
    private readonly store: Store,
  ) {}

  /** An empty store (templates stay, as the suites allow). */
  async reset(): Promise<void> {
    await this.db.query(`truncate ${TABLES} cascade`);
    this.vars = {};
    this.ehrs.length = 0;
  }

  private api = (path: string) => `/openehr/v1${path}`;

  private fail(what: string, res: { status: number; body: unknown; text?: string }): never {
    throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 600)}`);
  }

  private ehrNumber(): number {
    return this.ehrs.length;
  }

  async upload(opt: string): Promise<void> {
    const xml = readData('data_load', 'opts', opt);
    const res = await request(this.app)
      .post(this.api('/definition/template/adl1.4'))
      .set('Content-Type', 'application/xml')
      .set('Prefer', 'return=representation')
      .send(xml);
    if (res.status !== 201 && res.status !== 200 && res.status !== 409) {
      this.fail(`uploading ${opt}`, res);
    }
    const id = /<template_id>\s*<value>([^<]*)<\/value>/.exec(xml)?.[1];
    if (id) {
      this.vars.template_id = id;
    }
  }

  private randomised(body: Record<string, unknown>): Record<string, unknown> {
    const copy = structuredClone(body);
    const ref = (copy.subject as { external_ref?: { id?: { value?: string }; namespace?: string } } | undefined)?.external_ref;
    if (ref?.id) {
      ref.id.value = randomUUID();
      ref.namespace = `namespace_${randomDigits(7)}`;
    }
    return copy;
  }

  /** EHR() / EHR(id=X) / EHR(status=sN); `as` names the ehr_idN variable. */
  async ehr(options: { id?: string; status?: string; as?: string } = {}): Promise<string> {
    const template = options.status
      ? (JSON.parse(readData('data_load', 'ehrs', options.status)) as Record<string, unknown>)
      : (JSON.parse(readExtra('000_ehr_status_with_other_details.json')) as Record<string, unknown>);
    const body = this.randomised(template);
    const req = options.id ? request(this.app).put(this.api(`/ehr/${options.id}`)) : request(this.app).post(this.api('/ehr'));
    const res = await req.set('Prefer', 'return=representation').set('Content-Type', 'application/json').send(body);
    if (res.status !== 201) {
      this.fail('creating an EHR', res);
    }
    const ehrId = res.body.ehr_id.value as string;
    this.ehrs.push(ehrId);
    this.vars.ehr_id = ehrId;
    this.vars[`ehr_id${this.ehrNumber()}`] = ehrId;
    if (options.as) {
      this.vars[options.as] = ehrId;
    }
    if (!options.status) {
      this.vars.system_id_with_tenant = res.body.system_id.value as string;
    }
    this.vars.ehr_time_created = res.body.time_created.value as string;
    const status = await request(this.app).get(this.api(`/ehr/${ehrId}/ehr_status`));
    if (status.status !== 200) {
      this.fail('reading the EHR_STATUS', status);
    }
    this.vars.subject_external_ref_value = status.body.subject.external_ref.id.value as string;
    this.vars.subject_external_ref_namespace = status.body.subject.external_ref.namespace as string;
    this.vars.ehr_status_uid = status.body.uid.value as string;
    this.vars.ehr_status_subject_id = this.vars.subject_external_ref_value;
    this.vars.ehr_status_subject_namespace = this.vars.subject_external_ref_namespace;
    return ehrId;
  }

  /** STATUS-PUT(sN): a new EHR_STATUS version of the current EHR; returns its uid. */
  async statusPut(file: string): Promise<string> {
    const body = JSON.parse(readData('data_load', 'ehrs', file)) as unknown;
    const res = await request(this.app)
      .put(this.api(`/ehr/${this.vars.ehr_id}/ehr_status`))
      .set('If-Match', `"${this.vars.ehr_status_uid}"`)
      .set('Prefer', 'return=representation')
      .set('Content-Type', 'application/json')
      .send(body as object);
    if (res.status !== 200) {
      this.fail('updating the EHR_STATUS', res);
    }
    this.vars.ehr_status_uid = res.body.uid.value as string;
    return this.vars.ehr_status_uid;
  }

  private committed(uid: string, names: { short?: string; full?: string }): string {
    const [short, system] = uid.split('::');
    this.vars.composition_uid = uid;
    this.vars.composition_short_uid = short as string;
    this.vars.system_id_with_tenant = system as string;
    if (names.short) {
      this.vars[names.short] = short as string;
    }
    if (names.full) {
      this.vars[names.full] = uid;
    }
    return uid;
  }

  /** COMMIT(f) of canonical JSON; `short` / `full` name the variables for its uid. */
  async commit(file: string, names: { short?: string; full?: string } = {}): Promise<string> {
    let text = readData('data_load', 'compositions', file);
    if (this.vars.system_id_with_tenant) {
      text = text.replaceAll('${system_id_with_tenant}', this.vars.system_id_with_tenant);
    }
    const res = await request(this.app)
      .post(this.api(`/ehr/${this.vars.ehr_id}/composition`))
      .set('Prefer', 'return=representation')
      .set('Content-Type', 'application/json')
      .send(text);
    if (res.status === 422 && REFUSED_COMPOSITIONS[file]) {
      return this.committed(await this.commitThroughStore(file, text), names);
    }
    if (res.status !== 201) {
      this.fail(`committing ${file}`, res);
    }
    return this.committed(res.body.uid.value as string, names);
  }

  private async commitThroughStore(file: string, text: string): Promise<string> {
    this.loadedDirectly.add(file);
    const data = withExplicitTypes(JSON.parse(text), 'COMPOSITION') as JsonObject;
    const details = data.archetype_details as { template_id?: { value?: string } } | undefined;
    const contribution = await this.store.commit({
      ehrId: this.vars.ehr_id as string,
      audit: { committer: { _type: 'PARTY_IDENTIFIED', name: 'conformance replay' } },
      versions: [
        {
          rmType: 'COMPOSITION',
          changeType: ChangeType.creation,
          lifecycleState: LifecycleState.complete,
          data,
          ...(details?.template_id?.value ? { templateId: details.template_id.value } : {}),
          ...(typeof data.archetype_node_id === 'string' ? { archetypeNodeId: data.archetype_node_id } : {}),
        },
      ],
    });
    return (contribution.versions[0] as { uid: string }).uid;
  }

  /** COMMIT-FLAT(f, template). */
  async commitFlat(file: string, templateId: string, names: { short?: string; full?: string } = {}): Promise<string> {
    const text = readData('data_load', 'compositions', file);
    const res = await request(this.app)
      .post(this.api(`/ehr/${this.vars.ehr_id}/composition`))
      .query({ format: 'FLAT', templateId })
      .set('Content-Type', 'application/json')
      .send(text);
    if (res.status !== 201) {
      this.fail(`committing FLAT ${file}`, res);
    }
    return this.committed(String(res.headers.etag).replace(/"/g, ''), names);
  }

  /** UPDATE(f) of the composition whose full uid is in `of`. */
  async update(file: string, of: string, full: string): Promise<string> {
    const current = this.vars[of] as string;
    const text = readData('data_load', 'compositions', file);
    const res = await request(this.app)
      .put(this.api(`/ehr/${this.vars.ehr_id}/composition/${current.split('::')[0]}`))
      .set('If-Match', `"${current}"`)
      .set('Prefer', 'return=representation')
      .set('Content-Type', 'application/json')
      .send(text);
    if (res.status !== 200) {
      this.fail(`updating with ${file}`, res);
    }
    this.vars[full] = res.body.uid.value as string;
    return this.vars[full];
  }

  async deleteComposition(of: string): Promise<void> {
    const res = await request(this.app).delete(this.api(`/ehr/${this.vars.ehr_id}/composition/${this.vars[of]}`));
    if (res.status !== 204) {
      this.fail('deleting a composition', res);
    }
  }

  /** CONTRIB: the minimal persistent contribution; returns the version uid it created. */
  async contribution(full: string): Promise<void> {
    const res = await request(this.app)
      .post(this.api(`/ehr/${this.vars.ehr_id}/contribution`))
      .set('Prefer', 'return=representation')
      .set('Content-Type', 'application/json')
      .send(readExtra('minimal_persistent.contribution.json'));
    if (res.status !== 201) {
      this.fail('committing the contribution', res);
    }
    this.vars[full] = res.body.versions[0].id.value as string;
  }

  async folder(file: string): Promise<void> {
    const text = substitute(readData('data_load', 'folder', file), this.vars);
    const res = await request(this.app)
      .post(this.api(`/ehr/${this.vars.ehr_id}/directory`))
      .set('Prefer', 'return=representation')
      .set('Content-Type', 'application/json')
      .send(text);
    if (res.status !== 201) {
      this.fail(`creating the directory ${file}`, res);
    }
  }

  /** ADMIN-DEL: our API has no admin delete; the harness removes the EHR's rows itself. */
  async adminDelete(ehrVar: string): Promise<void> {
    const id = this.vars[ehrVar];
    for (const table of ['aql_node', 'aql_folder_item', 'object_version', 'versioned_object', 'contribution', 'ehr_subject', 'ehr']) {
      await this.db.query(`delete from ${table} where ehr_id = $1`, [id]);
    }
  }

  // ---------------------------------------------------------------- queries

  async post(q: string, extra: Record<string, unknown> = {}): Promise<QueryResponse> {
    const res = await request(this.app).post(this.api('/query/aql')).set('Content-Type', 'application/json').send({ q, ...extra });
    return { status: res.status, body: res.body as Record<string, unknown> };
  }

  /**
   * Sends a query and judges it: status handling of §1.4 step 6, the row count, then the
   * expected file (empty string: a file the suite has but that is empty) and extra checks.
   */
  async judge(
    q: string,
    options: {
      readonly extra?: Record<string, unknown>;
      readonly count?: number | undefined;
      readonly expected?: { readonly area: string; readonly file: string; readonly comparison: Comparison; readonly vars?: Vars } | undefined;
      readonly check?: (body: Record<string, unknown>) => string | undefined;
      readonly expectError?: { readonly status: number; readonly contains: string };
    } = {},
  ): Promise<Outcome> {
    const res = await this.post(q, options.extra);
    const message = String(res.body.message ?? '');
    if (options.expectError) {
      return res.status === options.expectError.status && message.includes(options.expectError.contains)
        ? { status: 'pass' }
        : { status: 'fail', message: `expected ${options.expectError.status} with '${options.expectError.contains}', got ${res.status} ${message}` };
    }
    if (res.status === 400 && message.includes('Not implemented')) {
      return { status: 'skip', message };
    }
    if (res.status === 400 && (message.includes('is not supported') || message.includes('targets a COMPOSITION or EHR_STATUS'))) {
      return { status: 'refused', message };
    }
    if (res.status !== 200) {
      return { status: 'fail', message: `${res.status}: ${message || JSON.stringify(res.body).slice(0, 300)}` };
    }
    const rows = res.body.rows as unknown[][];
    if (options.count !== undefined && rows.length !== options.count) {
      return { status: 'fail', message: `${rows.length} rows, expected ${options.count}: ${JSON.stringify(rows).slice(0, 800)}` };
    }
    if (options.expected) {
      const { area, file, comparison } = options.expected;
      const text = expectedText(area, file);
      if (text.trim() === '') {
        return { status: 'fail', message: `the expected file ${file} is empty: only a refusal can pass` };
      }
      const vars = { ...this.vars, ...(options.expected.vars ?? {}) };
      let prepared = text;
      if (comparison.mode === 'SUB') {
        const missing = [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] as string).filter((name) => vars[name] === undefined);
        if (missing.length > 0) {
          return { status: 'fail', message: `the expected file uses undefined variables ${missing.join(', ')}` };
        }
        prepared = text.replace(/\$\{([^}]+)\}/g, (_, name: string) => vars[name] as string);
      }
      const difference = compareResult(res.body, JSON.parse(prepared), comparison);
      if (difference) {
        return { status: 'fail', message: difference };
      }
    }
    const problem = options.check?.(res.body);
    return problem ? { status: 'fail', message: problem } : { status: 'pass' };
  }
}

/** §1.4: `${var}` from the variables, `${EMPTY}`, `${TRUE}`, then backslash unescaping. */
export function resolveCell(cell: string, vars: Vars): string {
  const replaced = cell.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'EMPTY') {
      return '';
    }
    if (name === 'TRUE') {
      return 'True';
    }
    return vars[name] ?? whole;
  });
  return replaced.replace(/\\(.)/g, '$1');
}

/** §1.4 step 4: the query as the server receives it after the unescaped JSON transport. */
export function transported(text: string): string {
  return text.replace(/\\(["\\/bfnrt]|u[0-9a-fA-F]{4})/g, (_, e: string) => {
    switch (e[0]) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

/** Fills `${column}` placeholders of a query template with a row's resolved values. */
export function fill(template: string, values: Vars): string {
  return template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
