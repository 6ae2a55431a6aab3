/**
 * A FHIR type search from request to Bundle: the parameters parsed against what the
 * mappings support, the caller's patient compartment applied, the plan run in the database
 * (one statement for the page, one for the total when asked, one to read the versions the
 * page's resources come from), and the searchset Bundle with `self` and `next` links.
 * Statements limited to named patients are prepared once per session with a generic plan.
 */
import { CdrError, badRequest, isUuid, notFound } from '@cdr/rm';
import { parametersOf, parseSearch, printable, type Criterion, type Mappings, type SearchRequest } from '@cdr/fhir';
import type { Database } from '@cdr/store';
import { AuditEventSearch, auditSnapshot, toAuditEvent, type AuditRow } from '../audit-events.js';
import type { FhirResources } from '../resources.js';
import { CURSOR_PARAMETER, decodeCursor, encodeCursor, type Cursor } from './cursor.js';
import { PatientSearch } from './patient-search.js';
import { CompositionSearch, type Statement } from './plan.js';

/** Who searches: a patient-context caller is held to their own compartment. */
export interface SearchCaller {
  readonly patientOnly: boolean;
  readonly patient?: string | undefined;
}

export interface SearchInput {
  readonly resourceType: string;
  /** The parameters in order (query string, and the form body of `POST _search`). */
  readonly params: readonly (readonly [string, string])[];
  readonly lenient: boolean;
  /** `https://host` (links are `<base>/fhir/...`). */
  readonly baseUrl: string;
  readonly caller: SearchCaller;
}

export interface SearchOutput {
  readonly bundle: Record<string, unknown>;
  /** The EHRs whose data the page shows (for the audit trail). */
  readonly ehrIds: readonly string[];
  readonly query: string;
}

const DEFAULT_COUNT = 20;
const MAX_COUNT = 1000;

function forbidden(message: string): CdrError {
  return new CdrError('forbidden', message);
}

/** The EHR ids a criterion on the patient names (values that are not EHR ids name no EHR). */
function namedPatients(criteria: readonly Criterion[], codes: readonly string[]): string[] | undefined {
  const named = criteria.filter((c): c is Extract<Criterion, { kind: 'reference' }> => c.kind === 'reference' && codes.includes(c.parameter.code));
  if (named.length === 0) {
    return undefined;
  }
  return [...new Set(named.flatMap((c) => c.values.map((v) => v.id.toLowerCase())))];
}

export class SearchHandler {
  constructor(
    private readonly mappings: Mappings,
    private readonly db: Database,
    private readonly resources: FhirResources,
  ) {}

  /** The search parameters of the audit trail. */
  auditParameters() {
    return parametersOf('AuditEvent');
  }

  async search(input: SearchInput): Promise<SearchOutput> {
    const { resourceType } = input;
    const cursorValues = input.params.filter(([name]) => name === CURSOR_PARAMETER);
    if (cursorValues.length > 1) {
      throw badRequest(`${CURSOR_PARAMETER} is given more than once`, [{ path: CURSOR_PARAMETER, message: 'given more than once' }]);
    }
    const cursor = cursorValues[0] ? decodeCursor(cursorValues[0][1]) : undefined;
    const params = input.params.filter(([name]) => name !== CURSOR_PARAMETER);
    const options = { lenient: input.lenient, defaultCount: DEFAULT_COUNT, maxCount: MAX_COUNT };
    const query = new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();

    let request: SearchRequest;
    if (resourceType === 'AuditEvent') {
      request = parseSearch(resourceType, params, options, parametersOf('AuditEvent'));
    } else if (this.mappings.resourceTypes().includes(resourceType)) {
      request = this.mappings.parseSearch(resourceType, params, options);
    } else {
      throw notFound(`resource type '${printable(resourceType)}' is not supported (supported: ${[...this.mappings.resourceTypes(), 'AuditEvent'].join(', ')})`);
    }

    const page = { offset: cursor ? 0 : request.offset, count: request.summary === 'count' ? 0 : request.count };
    const wantsTotal = request.summary === 'count' || request.total !== 'none' || request.count === 0;
    let total: number | undefined;
    let entries: Record<string, unknown>[];
    let nextKeys: readonly unknown[] | undefined;
    let snapshot: string;
    const ehrIds = new Set<string>();
    const openehrBase = `${input.baseUrl}/openehr/v1`;

    if (resourceType === 'AuditEvent') {
      const named = namedPatients(request.criteria, ['patient']);
      if (input.caller.patientOnly && named?.some((id) => id !== input.caller.patient?.toLowerCase())) {
        throw forbidden(`a patient-context token for ${input.caller.patient} cannot search the audit events of another patient`);
      }
      const search = new AuditEventSearch(request, input.caller.patientOnly ? input.caller.patient : undefined);
      snapshot = cursor?.snapshot ?? (await auditSnapshot(this.db));
      if (!/^\d{1,18}$/.test(snapshot)) {
        throw badRequest(`${CURSOR_PARAMETER} is not a cursor of this server`);
      }
      const result = page.count > 0 ? await this.run(search.page({ snapshot, offset: page.offset, count: page.count, ...(cursor ? { after: cursor.after } : {}) })) : [];
      const shown = result.slice(0, page.count);
      entries = shown.map((row) => this.entry(input.baseUrl, toAuditEvent(row as unknown as AuditRow)));
      nextKeys = result.length > page.count ? [shown[shown.length - 1]?.['k0'], shown[shown.length - 1]?.['k1']] : undefined;
      total = wantsTotal ? await this.count(search.count(snapshot)) : undefined;
    } else if (resourceType === 'Patient') {
      // a Patient search names patients by _id
      const named = request.criteria.flatMap((c) => (c.kind === 'token' && c.parameter.code === '_id' ? c.values.map((v) => (v.code ?? '').toLowerCase()) : []));
      const scope = this.scopeFor(input.caller, named.length > 0 ? named : undefined);
      const search = new PatientSearch(request, scope);
      snapshot = this.snapshot(cursor);
      const result = page.count > 0 ? await this.run(search.page({ snapshot, offset: page.offset, count: page.count, ...(cursor ? { after: cursor.after } : {}) })) : [];
      const rows = search.rows(result);
      const shown = rows.slice(0, page.count);
      const resources = await this.resources.ofHits(
        shown.map((r) => ({ ehrId: r.ehrId, objectId: r.statusId, version: r.version, resourceType: 'Patient', id: r.ehrId })),
        openehrBase,
      );
      shown.forEach((r) => ehrIds.add(r.ehrId));
      entries = resources.map((r) => this.entry(input.baseUrl, r));
      nextKeys = rows.length > page.count ? shown[shown.length - 1]?.keys : undefined;
      total = wantsTotal ? await this.count(search.count(snapshot)) : undefined;
    } else {
      const named = namedPatients(request.criteria, ['patient', 'subject']);
      const scope = this.scopeFor(input.caller, named);
      const search = new CompositionSearch(this.mappings, request, scope);
      snapshot = this.snapshot(cursor);
      const result = page.count > 0 ? await this.run(search.page({ snapshot, offset: page.offset, count: page.count, ...(cursor ? { after: cursor.after } : {}) })) : [];
      const rows = search.rows(result);
      const shown = rows.slice(0, page.count);
      const resources = await this.resources.ofHits(
        shown.map((r) => ({ ehrId: r.ehrId, objectId: r.objectId, version: r.version, resourceType, id: `${r.objectId}.${r.mapping.idKey}${r.position ?? ''}` })),
        openehrBase,
      );
      shown.forEach((r) => ehrIds.add(r.ehrId));
      entries = resources.map((r) => this.entry(input.baseUrl, r));
      nextKeys = rows.length > page.count ? shown[shown.length - 1]?.keys : undefined;
      total = wantsTotal ? await this.count(search.count(snapshot)) : undefined;
    }

    const self = `${input.baseUrl}/fhir/${resourceType}${query ? `?${query}` : ''}`;
    const links: Record<string, unknown>[] = [{ relation: 'self', url: cursor ? `${self}${query ? '&' : '?'}${CURSOR_PARAMETER}=${encodeURIComponent(cursorValues[0]?.[1] ?? '')}` : self }];
    if (nextKeys && page.count > 0) {
      const next: Cursor = { snapshot, after: nextKeys };
      const kept = new URLSearchParams(params.filter(([name]) => name !== '_offset').map(([k, v]): [string, string] => [k, v]));
      kept.append(CURSOR_PARAMETER, encodeCursor(next));
      links.push({ relation: 'next', url: `${input.baseUrl}/fhir/${resourceType}?${kept.toString()}` });
    }
    if (request.ignored.length > 0) {
      entries.push({
        resource: {
          resourceType: 'OperationOutcome',
          issue: request.ignored.map((name) => ({ severity: 'warning', code: 'not-supported', diagnostics: `parameter '${name}' is not supported and was ignored`, expression: [name] })),
        },
        search: { mode: 'outcome' },
      });
    }
    return {
      bundle: {
        resourceType: 'Bundle',
        type: 'searchset',
        ...(total !== undefined ? { total } : {}),
        link: links,
        ...(entries.length > 0 ? { entry: entries } : {}),
      },
      ehrIds: [...ehrIds],
      query,
    };
  }

  /**
   * The EHRs a search may look at: a patient-context caller's own (naming another is 403), or
   * the patients the search names, or (undefined) the population of queryable EHRs.
   */
  private scopeFor(caller: SearchCaller, named: readonly string[] | undefined): { ehrIds?: readonly string[] } {
    if (caller.patientOnly) {
      const own = (caller.patient ?? '').toLowerCase();
      const other = named?.find((id) => id !== own);
      if (other !== undefined) {
        throw forbidden(`a patient-context token for ${caller.patient} cannot search the records of another patient (${other})`);
      }
      return { ehrIds: isUuid(own) ? [own] : [] };
    }
    return named ? { ehrIds: named.filter(isUuid) } : {};
  }

  private snapshot(cursor: Cursor | undefined): string {
    if (!cursor) {
      return new Date().toISOString();
    }
    if (Number.isNaN(Date.parse(cursor.snapshot))) {
      throw badRequest(`${CURSOR_PARAMETER} is not a cursor of this server`);
    }
    return cursor.snapshot;
  }

  private async run(statement: Statement | undefined): Promise<Record<string, unknown>[]> {
    if (!statement) {
      return [];
    }
    const result = await this.execute<Record<string, unknown>>(statement);
    return result.rows;
  }

  private async count(statement: Statement | undefined): Promise<number> {
    if (!statement) {
      return 0;
    }
    const result = await this.execute<{ total: number }>(statement);
    return Number(result.rows[0]?.total ?? 0);
  }

  /**
   * A statement whose plan holds for any values (a search limited to named patients) runs as
   * a named statement on sessions that plan it once, generically: planning it anew took
   * longer than running it. Any other is planned for its values on every call.
   */
  private execute<R extends Record<string, unknown>>(statement: Statement) {
    return statement.generic ? this.db.genericPlanPool().queryPrepared<R>(statement.sql, statement.params) : this.db.query<R>(statement.sql, statement.params);
  }

  private entry(baseUrl: string, resource: Record<string, unknown>): Record<string, unknown> {
    return { fullUrl: `${baseUrl}/fhir/${String(resource['resourceType'])}/${String(resource['id'])}`, resource, search: { mode: 'match' } };
  }
}
