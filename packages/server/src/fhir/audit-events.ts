/**
 * The audit trail as FHIR AuditEvent resources: one per recorded access (`audit_event`
 * rows), read by id and searched by date, patient, action, outcome, the caller (`altid`)
 * and the RESTful interaction (`subtype`). Searches page by (recorded time, id) newest first,
 * bounded by the highest event id at the first page: the trail only grows, so pages are
 * stable. The audit trail is not versioned; every AuditEvent is version 1.
 */
import { isUuid, notFound } from '@cdr/rm';
import { parseResourceId, printable, type Criterion, type SearchRequest, type TokenValue } from '@cdr/fhir';
import { isoTimestamp, type Database } from '@cdr/store';
import { keysetAfter, type SortColumn } from './search/keyset.js';
import type { PageRequest, Statement } from './search/plan.js';
import { FALSE, and, or, render, sql, Params, type Predicate } from './search/sql.js';
import { instantMatches } from './search/values.js';

export interface AuditRow {
  readonly id: number;
  readonly recorded_at: string;
  readonly correlation_id: string;
  readonly subject: string | null;
  readonly client_id: string | null;
  readonly on_behalf_of: string | null;
  readonly purpose: string | null;
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly outcome: 'success' | 'failure' | 'aborted';
  readonly ehr_ids: string[];
  readonly resources: string[];
  readonly query: string | null;
}

const ACTION_CODES: Readonly<Record<string, string>> = {
  create: 'C',
  'template-upload': 'C',
  read: 'R',
  update: 'U',
  delete: 'D',
  search: 'E',
  query: 'E',
};

const INTERACTION_SYSTEM = 'http://hl7.org/fhir/restful-interaction';
const LOCAL_ACTION_SYSTEM = 'urn:openehr-cdr:audit-action';
const SUBJECT_SYSTEM = 'urn:openehr-cdr:subject';

/** The RESTful interaction of a recorded request, when it is a FHIR one. */
function interactionOf(row: Pick<AuditRow, 'action' | 'method' | 'path'>): string | undefined {
  if (!row.path.startsWith('/fhir')) {
    return undefined;
  }
  if (row.path === '/fhir' || row.path === '/fhir/') {
    return row.method === 'POST' ? 'transaction' : undefined;
  }
  if (/\/_history\/[^/]+$/.test(row.path)) {
    return 'vread';
  }
  if (/\/_history$/.test(row.path)) {
    return 'history-instance';
  }
  if (row.path.endsWith('/metadata')) {
    return 'capabilities';
  }
  switch (row.action) {
    case 'search':
      return 'search-type';
    case 'read':
      return /^\/fhir\/[A-Z][A-Za-z]+\/_search$/.test(row.path) ? 'search-type' : 'read';
    case 'create':
      return /\/_search$/.test(row.path) ? 'search-type' : 'create';
    case 'update':
    case 'delete':
      return row.action;
    default:
      return undefined;
  }
}

export function outcomeCode(row: Pick<AuditRow, 'outcome' | 'status'>): string {
  if (row.outcome === 'success') {
    return '0';
  }
  return row.status >= 500 ? '8' : '4';
}

/** A reference to a resource of this server, from a Location header or a relative reference. */
function referenceOf(text: string): string | undefined {
  const found = /(?:^|\/fhir\/)([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/\d+)?$/.exec(text);
  return found?.[1];
}

export function toAuditEvent(row: AuditRow): Record<string, unknown> {
  const recorded = isoTimestamp(row.recorded_at);
  const interaction = interactionOf(row);
  const subject = row.subject ?? 'anonymous';
  const entities: Record<string, unknown>[] = row.ehr_ids.map((ehrId) => ({
    what: { reference: `Patient/${ehrId}` },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
  }));
  for (const resource of row.resources) {
    const reference = referenceOf(resource);
    if (reference && !reference.startsWith('Patient/')) {
      entities.push({ what: { reference }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' } });
    } else if (!reference) {
      entities.push({ what: { display: resource }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' } });
    }
  }
  entities.push({
    what: { display: `${row.method} ${row.path}` },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: row.query ? '24' : '4', display: row.query ? 'Query' : 'Domain Resource' },
    ...(row.query ? { query: Buffer.from(row.query, 'utf8').toString('base64') } : {}),
    detail: [{ type: 'correlation-id', valueString: row.correlation_id }],
  });
  const agents: Record<string, unknown>[] = [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' }] },
      who: { identifier: { system: SUBJECT_SYSTEM, value: subject } },
      altId: subject,
      requestor: true,
      ...(row.purpose ? { purposeOfUse: [{ text: row.purpose }] } : {}),
    },
  ];
  if (row.client_id) {
    agents.push({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'dataprocessor', display: 'data processor' }] },
      who: { identifier: { system: 'urn:openehr-cdr:client', value: row.client_id } },
      requestor: false,
    });
  }
  if (row.on_behalf_of) {
    agents.push({ who: { identifier: { system: SUBJECT_SYSTEM, value: row.on_behalf_of } }, altId: row.on_behalf_of, requestor: false });
  }
  return {
    resourceType: 'AuditEvent',
    id: String(row.id),
    meta: { versionId: '1', lastUpdated: recorded, source: 'urn:openehr-cdr:audit-trail' },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [interaction ? { system: INTERACTION_SYSTEM, code: interaction } : { system: LOCAL_ACTION_SYSTEM, code: row.action }],
    ...(ACTION_CODES[row.action] ? { action: ACTION_CODES[row.action] } : {}),
    recorded,
    outcome: outcomeCode(row),
    outcomeDesc: `HTTP ${row.status}${row.outcome === 'aborted' ? ' (aborted by the client)' : ''}`,
    ...(row.purpose ? { purposeOfEvent: [{ text: row.purpose }] } : {}),
    agent: agents,
    source: {
      observer: { display: 'openEHR CDR' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: entities,
  };
}

function token(c: Criterion, match: (value: TokenValue) => Predicate): Predicate {
  return c.kind === 'token' ? or(...c.values.map(match)) : FALSE;
}

function criterion(c: Criterion, params: Params): Predicate {
  switch (c.parameter.code) {
    case '_id':
      return token(c, (v) => (v.code !== undefined && /^\d{1,18}$/.test(v.code) && !v.system ? sql(`a.id = ${params.add(v.code, 'bigint')}`) : FALSE));
    case '_lastUpdated':
    case 'date':
      return c.kind === 'date' ? instantMatches(c.values, 'a.recorded_at', params) : FALSE;
    case 'patient': {
      if (c.kind !== 'reference') {
        return FALSE;
      }
      const ids = c.values.map((v) => parseResourceId(v.id)).filter((p) => p?.kind === 'ehr').map((p) => (p as { ehrId: string }).ehrId);
      return ids.length > 0 ? sql(`a.ehr_ids && ${params.add(ids, 'uuid[]')}`) : FALSE;
    }
    case 'action':
      return token(c, (v) => {
        const actions = Object.entries(ACTION_CODES).filter(([, code]) => v.code === undefined || code === v.code).map(([action]) => action);
        return v.system && v.system !== 'http://hl7.org/fhir/audit-event-action' ? FALSE : sql(`a.action = any(${params.add(actions, 'text[]')})`);
      });
    case 'outcome':
      return token(c, (v) => {
        if (v.system && v.system !== 'http://hl7.org/fhir/audit-event-outcome') {
          return FALSE;
        }
        switch (v.code) {
          case '0':
            return sql(`a.outcome = 'success'`);
          case '4':
            return sql(`a.outcome <> 'success' and a.status < 500`);
          case '8':
            return sql(`a.outcome <> 'success' and a.status >= 500`);
          case undefined:
            return sql('true');
          default:
            return FALSE;
        }
      });
    case 'altid':
      return token(c, (v) => (v.code === undefined || v.system ? FALSE : sql(`(coalesce(a.subject, 'anonymous') = ${params.add(v.code)} or a.on_behalf_of = ${params.add(v.code)})`)));
    case 'subtype':
      // the interaction is derived from the action and the path; narrowed here by action and method
      return token(c, (v) => {
        if (v.system === LOCAL_ACTION_SYSTEM) {
          return v.code === undefined ? sql('true') : sql(`a.action = ${params.add(v.code)}`);
        }
        if (v.system !== undefined && v.system !== INTERACTION_SYSTEM) {
          return FALSE;
        }
        switch (v.code) {
          case 'read':
            return sql(`a.path like '/fhir/%' and a.action = 'read' and a.path !~ '/_history' and a.path !~ '/_search$'`);
          case 'vread':
            return sql(`a.path like '/fhir/%' and a.path ~ '/_history/[^/]+$'`);
          case 'history-instance':
            return sql(`a.path like '/fhir/%' and a.path ~ '/_history$'`);
          case 'search-type':
            return sql(`a.path like '/fhir/%' and (a.action = 'search' or a.path ~ '/_search$')`);
          case 'create':
            return sql(`a.path ~ '^/fhir/[A-Z][A-Za-z]+$' and a.method = 'POST'`);
          case 'update':
            return sql(`a.path like '/fhir/%' and a.action = 'update'`);
          case 'transaction':
            return sql(`a.path in ('/fhir', '/fhir/') and a.method = 'POST'`);
          default:
            return FALSE;
        }
      });
    default:
      return FALSE;
  }
}

export class AuditEventSearch {
  constructor(
    readonly request: SearchRequest,
    /** A patient-context caller sees only the events about their own record. */
    private readonly patient: string | undefined,
  ) {}

  /** Newest first unless the search sorts by date ascending. */
  get columns(): SortColumn[] {
    const first = this.request.sort[0];
    const descending = first ? first.descending : true;
    return [
      { descending, type: 'timestamptz' },
      { descending, type: 'bigint' },
    ];
  }

  private select(params: Params, snapshot: string): string | undefined {
    const where = and(...this.request.criteria.map((c) => criterion(c, params)));
    if (where.kind === 'false') {
      return undefined;
    }
    const scoped = this.patient ? sql(`a.ehr_ids && ${params.add([this.patient], 'uuid[]')}`) : sql('true');
    return `select a.recorded_at as k0, a.id as k1, a.* from audit_event a where a.id <= ${params.add(snapshot, 'bigint')} and ${render(and(scoped, where))}`;
  }

  page(page: PageRequest): Statement | undefined {
    const params = new Params();
    const select = this.select(params, page.snapshot);
    if (!select) {
      return undefined;
    }
    const columns = this.columns;
    const after = page.after ? keysetAfter(columns, ['u.k0', 'u.k1'], page.after, params) : undefined;
    const order = columns.map((c, i) => `u.k${i}${c.descending ? ' desc' : ''}`).join(', ');
    return Params.compact(
      `select u.* from (${select}) u${after ? ` where ${after}` : ''} order by ${order} limit ${params.add(page.count + 1, 'integer')} offset ${params.add(page.offset, 'bigint')}`,
      params.values,
    );
  }

  count(snapshot: string): Statement | undefined {
    const params = new Params();
    const select = this.select(params, snapshot);
    return select ? Params.compact(`select count(*)::integer as total from (${select}) u`, params.values) : undefined;
  }
}

/** The highest audit event id now: the snapshot of a first page. */
export async function auditSnapshot(db: Database): Promise<string> {
  const result = await db.query<{ id: string | number | null }>('select max(id) as id from audit_event');
  return String(result.rows[0]?.id ?? 0);
}

export async function readAuditEvent(db: Database, id: string, patient: string | undefined): Promise<Record<string, unknown>> {
  if (!/^\d{1,18}$/.test(id)) {
    throw notFound(`AuditEvent/${printable(id)} is not known`);
  }
  const result = await db.query<AuditRow>('select * from audit_event where id = $1::bigint', [id]);
  const row = result.rows[0];
  // a patient-context caller sees only events about their record; others do not exist for them
  if (!row || (patient !== undefined && !row.ehr_ids.some((e) => isUuid(e) && e.toLowerCase() === patient.toLowerCase()))) {
    throw notFound(`AuditEvent/${printable(id)} is not known`);
  }
  return toAuditEvent(row);
}
