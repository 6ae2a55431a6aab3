/**
 * Patient search: one Patient per EHR, found through the EHR table and the subject index
 * (`identifier=<namespace>|<subject id>` is a primary-key lookup), with the EHR_STATUS's
 * latest version for `_lastUpdated`. Population searches leave out EHRs that are not
 * queryable; naming the patient (`_id`, or a patient-context token) sees them.
 */
import { parseResourceId, type Criterion, type SearchRequest, type TokenValue } from '@cdr/fhir';
import { FALSE, TRUE, and, or, render, sql, Params, type Predicate } from './sql.js';
import { instantMatches } from './values.js';
import type { PageRequest, SearchScope, Statement } from './plan.js';
import { keysetAfter, type SortColumn } from './keyset.js';

export interface PatientRow {
  readonly keys: readonly unknown[];
  readonly ehrId: string;
  readonly statusId: string;
  readonly version: number;
}

function identifier(token: TokenValue, params: Params): Predicate {
  if (token.system === '') {
    return FALSE; // a subject always has a namespace
  }
  const parts = [
    ...(token.system !== undefined ? [`s.namespace = ${params.add(token.system)}`] : []),
    ...(token.code !== undefined ? [`s.subject_id = ${params.add(token.code)}`] : []),
  ];
  return sql(`exists (select 1 from ehr_subject s where s.ehr_id = e.ehr_id and ${parts.join(' and ')})`);
}

function criterion(c: Criterion, params: Params): Predicate {
  switch (c.parameter.code) {
    case '_id': {
      if (c.kind !== 'token') {
        return FALSE;
      }
      const ids = c.values.filter((v) => v.system === undefined || v.system === '').map((v) => (v.code ? parseResourceId(v.code) : undefined)).filter((p) => p?.kind === 'ehr');
      return ids.length > 0 ? sql(`e.ehr_id = any(${params.add(ids.map((p) => (p as { ehrId: string }).ehrId), 'uuid[]')})`) : FALSE;
    }
    case 'identifier':
      return c.kind === 'token' ? or(...c.values.map((v) => identifier(v, params))) : FALSE;
    case '_lastUpdated':
      return c.kind === 'date' ? instantMatches(c.values, 'ov.time_committed', params) : FALSE;
    default:
      return FALSE;
  }
}

export class PatientSearch {
  constructor(
    readonly request: SearchRequest,
    private readonly scope: SearchScope,
  ) {}

  get columns(): SortColumn[] {
    return [
      ...this.request.sort.map((key): SortColumn => ({ descending: key.descending, type: key.parameter.code === '_id' ? 'text' : 'timestamptz' })),
      { descending: false, type: 'timestamptz' },
      { descending: false, type: 'uuid' },
    ];
  }

  private select(params: Params, snapshot: string): string | undefined {
    const where = and(...this.request.criteria.map((c) => criterion(c, params)));
    if (where.kind === 'false') {
      return undefined;
    }
    const keys = this.request.sort.map((key) => (key.parameter.code === '_id' ? 'e.ehr_id::text' : 'ov.time_committed'));
    const columns = [...keys, 'e.time_created', 'e.ehr_id'].map((k, i) => `${k} as k${i}`);
    const scoped = this.scope.ehrIds ? sql(`e.ehr_id = any(${params.add(this.scope.ehrIds, 'uuid[]')})`) : TRUE;
    // naming the patient by _id sees an EHR that is not queryable, as a patient-scoped search does
    const named = this.scope.ehrIds !== undefined || this.request.criteria.some((c) => c.parameter.code === '_id');
    const conditions = and(sql(`e.time_created <= ${params.add(snapshot, 'timestamptz')}`), scoped, named ? TRUE : sql('e.is_queryable'), where);
    return `select ${columns.join(', ')}, e.ehr_status_id as status_id, ov.version
      from ehr e
      join versioned_object vo on vo.ehr_id = e.ehr_id and vo.object_id = e.ehr_status_id
      join object_version ov on ov.ehr_id = e.ehr_id and ov.object_id = e.ehr_status_id and ov.version = vo.latest_version
      where ${render(conditions)}`;
  }

  page(page: PageRequest): Statement | undefined {
    const params = new Params();
    const select = this.select(params, page.snapshot);
    if (!select) {
      return undefined;
    }
    const columns = this.columns;
    const after = page.after ? keysetAfter(columns, columns.map((_, i) => `u.k${i}`), page.after, params) : undefined;
    const order = columns.map((c, i) => `u.k${i}${c.descending ? ' desc' : ''}`).join(', ');
    return {
      ...Params.compact(
        `select u.* from (${select}) u${after ? ` where ${after}` : ''} order by ${order} limit ${params.add(page.count + 1, 'integer')} offset ${params.add(page.offset, 'bigint')}`,
        params.values,
      ),
      generic: this.generic,
    };
  }

  count(snapshot: string): Statement | undefined {
    const params = new Params();
    const select = this.select(params, snapshot);
    return select ? { ...Params.compact(`select count(*)::integer as total from (${select}) u`, params.values), generic: this.generic } : undefined;
  }

  /** Limited to named EHRs, found by primary key whoever they are: planned once for any (`Statement.generic`). */
  private get generic(): boolean {
    return this.scope.ehrIds !== undefined;
  }

  rows(result: readonly Record<string, unknown>[]): PatientRow[] {
    const n = this.columns.length;
    return result.map((row) => ({
      keys: Array.from({ length: n }, (_, i) => row[`k${i}`]),
      ehrId: String(row[`k${n - 1}`]),
      statusId: String(row['status_id']),
      version: Number(row['version']),
    }));
  }
}
