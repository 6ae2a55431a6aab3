/**
 * The FHIR R4 API under /fhir: resources mapped from and onto openEHR compositions.
 *
 * - `GET /metadata`: the CapabilityStatement (from the mappings, plus AuditEvent);
 * - `GET /{type}/{id}`, `GET /{type}/{id}/_history/{vid}`, `GET /{type}/{id}/_history`: read,
 *   vread and history from the openEHR versions of the composition (a Patient: of the EHR_STATUS);
 * - `GET /{type}?...`, `POST /{type}/_search`: search, planned into SQL (search/plan.ts);
 * - `POST /{type}`, `PUT /{type}/{id}`: writes as commits of our templates (writes.ts);
 * - `POST /` with a transaction Bundle: one contribution per patient, all or nothing.
 *
 * A patient-context caller (`req.fhirAccess.patientOnly`) sees only its patient's
 * compartment: another patient's resource reads as 404 (it does not exist for them), a search
 * or write that names another patient is 403, a search that names none is limited to theirs.
 * The audit trail (AuditEvent) needs a SMART scope that names AuditEvent, or the admin role.
 */
import express, { Router, type Request, type Response } from 'express';
import { CdrError, badRequest, notFound } from '@cdr/rm';
import { loadMappings, printable, type FhirResource } from '@cdr/fhir';
import type { AuditTrail, StoredVersion } from '@cdr/store';
import type { AppDependencies } from '../app.js';
import { committerFromIdentity } from '../http/audit-headers.js';
import { baseUrl } from '../http/negotiation.js';
import { noteAudit } from '../security/audit.js';
import { smartAllows, type SmartInteraction } from '../security/permissions.js';
import { readSecurityConfig } from '../security/security-config.js';
import { smartConfiguration } from '../security/smart-configuration.js';
import { ContentChecks } from '../services/content-checks.js';
import type { TemplateService } from '../services/template-service.js';
import { readAuditEvent } from './audit-events.js';
import { FhirResources, GoneError } from './resources.js';
import { SearchHandler } from './search/search-handler.js';
import { FhirWriter, type PreparedWrite, type WriteResult, type Writer } from './writes.js';

export interface FhirDependencies extends AppDependencies {
  readonly templateService: TemplateService;
  readonly auditTrail: AuditTrail;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json+fhir'];
const TYPE = /^[A-Z][A-Za-z]+$/;

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(FHIR_JSON);
  if (body === undefined) {
    res.end();
  } else {
    res.send(JSON.stringify(body));
  }
}

function outcome(severity: 'information' | 'warning' | 'error', code: string, diagnostics: string): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

/** The request's parameters in order, as given (the query parser of express merges repeats). */
function queryParams(req: Request): [string, string][] {
  const query = req.originalUrl.split('?')[1];
  return query ? [...new URLSearchParams(query).entries()] : [];
}

/** `Prefer: return=minimal | representation | OperationOutcome` (default representation). */
function preferredReturn(req: Request): 'minimal' | 'representation' | 'OperationOutcome' {
  const found = /return=(minimal|representation|OperationOutcome)/i.exec(req.get('prefer') ?? '');
  const value = found?.[1]?.toLowerCase();
  return value === 'minimal' ? 'minimal' : value === 'operationoutcome' ? 'OperationOutcome' : 'representation';
}

function lenient(req: Request): boolean {
  return /handling\s*=\s*lenient/i.test(req.get('prefer') ?? '');
}

/** `W/"3"` or `"3"`: the version a client last saw. */
function versionOfEtag(text: string | undefined, header: string): number | undefined {
  if (text === undefined || text === '') {
    return undefined;
  }
  const found = /^(?:W\/)?"(\d+)"$/.exec(text.trim());
  if (!found) {
    throw badRequest(`${header} must be a version tag such as W/"2", not '${text}'`);
  }
  return Number(found[1]);
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

function versionHeaders(res: Response, resource: FhirResource): void {
  const meta = resource['meta'] as { versionId?: string; lastUpdated?: string } | undefined;
  if (meta?.versionId) {
    res.setHeader('ETag', `W/"${meta.versionId}"`);
  }
  if (meta?.lastUpdated) {
    res.setHeader('Last-Modified', httpDate(meta.lastUpdated));
  }
}

/** Only JSON is produced: a request that accepts none of it is refused. */
function checkAccept(req: Request): void {
  const format = new URLSearchParams(req.originalUrl.split('?')[1] ?? '').get('_format');
  if (format !== null && !['json', 'application/json', 'application/fhir+json', 'application/json+fhir'].includes(format)) {
    throw new CdrError('not-acceptable', `_format=${printable(format)} is not supported; this server speaks application/fhir+json`);
  }
  const accept = req.get('accept');
  if (accept && !req.accepts([...JSON_TYPES, '*/*'])) {
    throw new CdrError('not-acceptable', `this server answers in application/fhir+json, which ${printable(accept)} does not accept`);
  }
}

function checkContentType(req: Request): void {
  if (!req.is(JSON_TYPES)) {
    throw new CdrError('unsupported-media-type', `a FHIR resource is sent as application/fhir+json, not ${req.get('content-type') ?? 'without a Content-Type'}`);
  }
}

function forbidden(message: string): CdrError {
  return new CdrError('forbidden', message);
}

/** 412 for a stale version: the latest as a FHIR version tag. */
function asFhirConflict(error: unknown): unknown {
  if (error instanceof CdrError && (error.kind === 'precondition-failed' || error.kind === 'conflict') && error.headers['X-Latest-Version-Uid']) {
    const latest = /::(\d+)$/.exec(error.headers['X-Latest-Version-Uid'])?.[1];
    return new CdrError(error.kind, error.message, { ...(latest ? { headers: { ETag: `W/"${latest}"` } } : {}), cause: error });
  }
  return error;
}

export function fhirRoutes(deps: FhirDependencies): Router {
  const mappings = loadMappings();
  const resources = new FhirResources(mappings, deps.db, deps.store);
  const writer = new FhirWriter(mappings, deps.store, new ContentChecks(deps.templateService), deps.templateService, resources, (version: StoredVersion) =>
    deps.metrics?.commits.inc({ rm_type: version.rmType, change_type: version.changeType }),
  );
  const searches = new SearchHandler(mappings, deps.db, resources);
  const security = deps.security ?? readSecurityConfig({ CDR_AUTH: 'off' });
  const knownTypes = new Set([...mappings.resourceTypes(), 'AuditEvent']);
  const router = Router();

  const base = (req: Request) => baseUrl(req, deps.publicUrl);
  const openehrBase = (req: Request) => `${base(req)}/openehr/v1`;
  const access = (req: Request) => req.fhirAccess ?? { patientOnly: false };
  const ownPatient = (req: Request) => access(req).patient?.toLowerCase();

  const requireType = (type: string): void => {
    if (!TYPE.test(type) || !knownTypes.has(type)) {
      throw notFound(`resource type '${printable(type)}' is not supported (supported: ${[...knownTypes].sort().join(', ')})`);
    }
  };

  /** The audit trail is for callers whose scopes name AuditEvent (wildcards do not reach it), or administrators. */
  const requireAuditAccess = (req: Request, interaction: SmartInteraction): void => {
    const identity = req.identity;
    const named = identity?.smartScopes.some((s) => s.resourceType === 'AuditEvent' && s.interactions.has(interaction));
    if (!identity || !(named || identity.roles.has('admin'))) {
      throw forbidden('the audit trail (AuditEvent) needs a SMART scope that names AuditEvent');
    }
  };

  const writerOf = (req: Request, patientOnly: boolean): Writer => ({
    committer: committerFromIdentity(req),
    composer: req.identity && !req.identity.anonymous ? (req.identity.name ?? req.identity.subject) : 'anonymous',
    patientOnly,
    patient: access(req).patient ?? req.identity?.patient,
  });

  router.use((req, _res, next) => {
    checkAccept(req);
    next();
  });

  router.get('/metadata', (req, res) => {
    const statement = mappings.capabilityStatement(`${base(req)}/fhir`, {
      writes: true,
      transaction: true,
      software: { name: 'openEHR CDR FHIR API', version: '0.1.0' },
      extraResources: [
        {
          type: 'AuditEvent',
          profiles: [],
          searchParameters: [...searches.auditParameters()],
          writable: false,
          interactions: ['read', 'search-type'],
          versioned: false,
          documentation: 'The audit trail: every access to clinical data. Needs a SMART scope naming AuditEvent.',
        },
      ],
    });
    send(res, 200, statement);
  });

  router.get('/.well-known/smart-configuration', smartConfiguration(security));

  // ------------------------------------------------------------ transaction

  router.post('/', async (req, res) => {
    checkContentType(req);
    const bundle = req.body as Record<string, unknown> | undefined;
    if (typeof bundle !== 'object' || bundle === null || bundle['resourceType'] !== 'Bundle') {
      throw badRequest('POST /fhir takes a Bundle of type transaction');
    }
    if (bundle['type'] !== 'transaction') {
      throw badRequest(`Bundles of type '${String(bundle['type'])}' are not taken; send a transaction`, [{ path: 'Bundle.type', message: 'must be transaction' }]);
    }
    const entries = bundle['entry'];
    if (!Array.isArray(entries) || entries.length === 0) {
      throw badRequest('the transaction has no entries', [{ path: 'Bundle.entry', message: 'at least one entry is needed' }]);
    }
    const identity = req.identity;
    const prepared: PreparedWrite[] = [];
    const updated = new Set<string>();
    let staleAs: 'conflict' | 'precondition-failed' = 'conflict';
    for (const [index, raw] of entries.entries()) {
      const where = `Bundle.entry[${index}]`;
      const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const request = (entry['request'] ?? {}) as Record<string, unknown>;
      const method = String(request['method'] ?? '');
      const url = String(request['url'] ?? '').replace(/^\/+/, '').split('?')[0] as string;
      const [type, id, ...more] = url.split('/');
      if (!type || !TYPE.test(type) || more.length > 0 || (method === 'POST' && id !== undefined) || (method === 'PUT' && !id)) {
        throw badRequest(`${where}.request: a transaction entry is POST <type> or PUT <type>/<id>, not ${method || '(no method)'} ${url || '(no url)'}`, [
          { path: `${where}.request`, message: 'POST <type> or PUT <type>/<id> expected' },
        ]);
      }
      if (method !== 'POST' && method !== 'PUT') {
        throw badRequest(`${where}.request.method: ${method} is not taken in a transaction (POST and PUT are)`, [{ path: `${where}.request.method`, message: 'POST or PUT' }]);
      }
      requireType(type);
      const interaction: SmartInteraction = method === 'POST' ? 'c' : 'u';
      const decision = identity ? smartAllows(identity.smartScopes, type, interaction) : { allowed: false as const };
      if (!decision.allowed) {
        throw forbidden(`${where}: ${method} ${type} needs a SMART scope granting '${interaction}' on ${type}`);
      }
      if (decision.patientOnly && identity?.patient === undefined) {
        throw forbidden(`${where}: patient/ scopes need a patient context (the token has no patient claim)`);
      }
      const entryWriter = writerOf(req, decision.patientOnly || access(req).patientOnly);
      const ifMatch = versionOfEtag(typeof request['ifMatch'] === 'string' ? request['ifMatch'] : undefined, `${where}.request.ifMatch`);
      if (ifMatch !== undefined) {
        staleAs = 'precondition-failed';
      }
      const write =
        method === 'POST'
          ? await writer.prepareCreate(type, entry['resource'], entryWriter, `${where}.resource`)
          : await writer.prepareUpdate(type, id as string, entry['resource'], ifMatch, entryWriter, `${where}.resource`);
      if (write.version.objectId !== undefined) {
        if (updated.has(write.version.objectId)) {
          throw badRequest(`${where}: a transaction changes a composition once; ${type}/${printable(id ?? '')} is made from one an earlier entry changes`);
        }
        updated.add(write.version.objectId);
      }
      prepared.push(write);
    }
    let results: WriteResult[];
    try {
      results = await writer.commit(prepared, writerOf(req, access(req).patientOnly), staleAs, openehrBase(req));
    } catch (error) {
      throw asFhirConflict(error);
    }
    noteAudit(req, { action: 'transaction' });
    for (const ehrId of new Set(prepared.map((w) => w.ehrId))) {
      noteAudit(req, { ehrId });
    }
    const representation = preferredReturn(req) === 'representation';
    const response = {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: results.map(({ resource, version }, i) => {
        const location = `${String(resource.resourceType)}/${String(resource.id)}`;
        noteAudit(req, { resource: location });
        return {
          fullUrl: `${base(req)}/fhir/${location}`,
          ...(representation ? { resource } : {}),
          response: {
            status: prepared[i]?.kind === 'create' ? '201 Created' : '200 OK',
            location: `${location}/_history/${version.version}`,
            etag: `W/"${version.version}"`,
            lastModified: version.timeCommitted,
          },
        };
      }),
    };
    send(res, 200, response);
  });

  // ------------------------------------------------------------ search

  const search = async (req: Request, res: Response, params: [string, string][], caller = access(req)) => {
    const type = String(req.params['type']);
    requireType(type);
    if (type === 'AuditEvent') {
      requireAuditAccess(req, 's');
    }
    const result = await searches.search({ resourceType: type, params, lenient: lenient(req), baseUrl: base(req), caller });
    for (const ehrId of result.ehrIds) {
      noteAudit(req, { ehrId });
    }
    noteAudit(req, { query: `${type}?${result.query}`, action: 'search' });
    send(res, 200, result.bundle);
  };

  router.get('/:type', (req, res) => search(req, res, queryParams(req)));
  router.post('/:type/_search', express.urlencoded({ extended: false, limit: deps.bodyLimitBytes }), (req, res) => {
    if (!req.is('application/x-www-form-urlencoded') && req.get('content-length') !== '0' && req.get('content-type')) {
      throw new CdrError('unsupported-media-type', 'POST _search takes its parameters as application/x-www-form-urlencoded');
    }
    const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    const form: [string, string][] = Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, String(x)]) : [[k, String(v)] as [string, string]]));
    return search(req, res, [...queryParams(req), ...form]);
  });

  // ------------------------------------------------------------ create, update

  router.post('/:type', async (req, res) => {
    const type = String(req.params['type']);
    requireType(type);
    checkContentType(req);
    const caller = writerOf(req, access(req).patientOnly);
    const write = await writer.prepareCreate(type, req.body, caller);
    const [result] = await writer.commit([write], caller, 'conflict', openehrBase(req));
    const { resource, version } = result as WriteResult;
    const location = `${base(req)}/fhir/${type}/${String(resource.id)}/_history/${version.version}`;
    noteAudit(req, { ehrId: write.ehrId, resource: `${type}/${String(resource.id)}` });
    res.setHeader('Location', location);
    versionHeaders(res, resource);
    const wanted = preferredReturn(req);
    send(res, 201, wanted === 'minimal' ? undefined : wanted === 'OperationOutcome' ? outcome('information', 'informational', `created ${type}/${String(resource.id)}`) : resource);
  });

  router.put('/:type/:id', async (req, res) => {
    const type = String(req.params['type']);
    const id = String(req.params['id']);
    requireType(type);
    checkContentType(req);
    const caller = writerOf(req, access(req).patientOnly);
    const ifMatch = versionOfEtag(req.get('if-match'), 'If-Match');
    const write = await writer.prepareUpdate(type, id, req.body, ifMatch, caller);
    let results: WriteResult[];
    try {
      results = await writer.commit([write], caller, 'precondition-failed', openehrBase(req));
    } catch (error) {
      throw asFhirConflict(error);
    }
    const { resource, version } = results[0] as WriteResult;
    noteAudit(req, { ehrId: write.ehrId, resource: `${type}/${printable(id)}` });
    res.setHeader('Content-Location', `${base(req)}/fhir/${type}/${printable(id)}/_history/${version.version}`);
    versionHeaders(res, resource);
    const wanted = preferredReturn(req);
    send(res, 200, wanted === 'minimal' ? undefined : wanted === 'OperationOutcome' ? outcome('information', 'informational', `updated ${type}/${printable(id)}`) : resource);
  });

  // ------------------------------------------------------------ read, vread, history

  /** A resource of another patient does not exist for a patient-context caller. */
  const checkCompartment = (req: Request, type: string, id: string, ehrId: string): void => {
    if (access(req).patientOnly && ehrId !== ownPatient(req)) {
      throw notFound(`${type}/${printable(id)} is not known`);
    }
  };

  const gone = (res: Response, error: unknown): boolean => {
    if (error instanceof GoneError) {
      send(res, 410, outcome('error', 'deleted', error.message));
      return true;
    }
    return false;
  };

  router.get('/:type/:id', async (req, res) => {
    const type = String(req.params['type']);
    const id = String(req.params['id']);
    requireType(type);
    if (type === 'AuditEvent') {
      requireAuditAccess(req, 'r');
      const event = await readAuditEvent(deps.db, id, access(req).patientOnly ? ownPatient(req) : undefined);
      send(res, 200, event);
      return;
    }
    const location = resources.locate(type, id);
    const ehrId = await resources.ehrOf(location);
    if (!ehrId) {
      throw notFound(`${type}/${printable(id)} is not known`);
    }
    checkCompartment(req, type, id, ehrId);
    noteAudit(req, { ehrId, resource: `${type}/${printable(id)}` });
    try {
      const { resource } = await resources.read(type, id, openehrBase(req), undefined, location);
      versionHeaders(res, resource);
      send(res, 200, resource);
    } catch (error) {
      if (!gone(res, error)) {
        throw error;
      }
    }
  });

  router.get('/:type/:id/_history/:vid', async (req, res) => {
    const type = String(req.params['type']);
    const id = String(req.params['id']);
    const vid = String(req.params['vid']);
    requireType(type);
    if (type === 'AuditEvent') {
      requireAuditAccess(req, 'r');
      if (vid !== '1') {
        throw notFound(`AuditEvent/${printable(id)} has only version 1`);
      }
      send(res, 200, await readAuditEvent(deps.db, id, access(req).patientOnly ? ownPatient(req) : undefined));
      return;
    }
    if (!/^[1-9]\d{0,8}$/.test(vid)) {
      throw notFound(`${type}/${printable(id)} has no version '${printable(vid)}'`);
    }
    const location = resources.locate(type, id);
    const ehrId = await resources.ehrOf(location);
    if (!ehrId) {
      throw notFound(`${type}/${printable(id)} is not known`);
    }
    checkCompartment(req, type, id, ehrId);
    noteAudit(req, { ehrId, resource: `${type}/${printable(id)}/_history/${vid}` });
    try {
      const { resource } = await resources.read(type, id, openehrBase(req), Number(vid), location);
      versionHeaders(res, resource);
      send(res, 200, resource);
    } catch (error) {
      if (!gone(res, error)) {
        throw error;
      }
    }
  });

  router.get('/:type/:id/_history', async (req, res) => {
    const type = String(req.params['type']);
    const id = String(req.params['id']);
    requireType(type);
    if (type === 'AuditEvent') {
      throw notFound('AuditEvents have no history: the audit trail is not versioned');
    }
    const location = resources.locate(type, id);
    const ehrId = await resources.ehrOf(location);
    if (!ehrId) {
      throw notFound(`${type}/${printable(id)} is not known`);
    }
    checkCompartment(req, type, id, ehrId);
    noteAudit(req, { ehrId, resource: `${type}/${printable(id)}/_history` });
    const { versions } = await resources.history(type, id, openehrBase(req), location);
    const entries = versions
      .filter((v) => v.resource || v.deleted)
      .reverse()
      .map((v) => ({
        fullUrl: `${base(req)}/fhir/${type}/${printable(id)}`,
        ...(v.resource ? { resource: v.resource } : {}),
        request: { method: v.deleted ? 'DELETE' : v.version === 1 ? 'POST' : 'PUT', url: v.version === 1 && !v.deleted ? type : `${type}/${printable(id)}` },
        response: {
          status: v.deleted ? '204 No Content' : v.version === 1 ? '201 Created' : '200 OK',
          etag: `W/"${v.version}"`,
          lastModified: v.lastUpdated,
        },
      }));
    send(res, 200, {
      resourceType: 'Bundle',
      type: 'history',
      total: entries.length,
      link: [{ relation: 'self', url: `${base(req)}/fhir/${type}/${printable(id)}/_history` }],
      ...(entries.length > 0 ? { entry: entries } : {}),
    });
  });

  // the Patient compartment: `GET /Patient/{id}/{type}?...` is a search of the type for that patient
  router.get('/Patient/:id/:type', (req, res) => {
    const type = String(req.params['type']);
    requireType(type);
    const patientParameter = type === 'Patient' ? '_id' : mappings.searchParameters(type).some((p) => p.code === 'patient') ? 'patient' : undefined;
    if (!patientParameter) {
      throw notFound(`${type} resources are not in the Patient compartment`);
    }
    // the authorisation in front saw a read of the Patient; a search of the type needs its own scope
    const decision = req.identity ? smartAllows(req.identity.smartScopes, type, 's') : { allowed: false as const };
    if (!decision.allowed) {
      throw forbidden(`searching ${type} needs a SMART scope granting 's' on ${type}`);
    }
    if (decision.patientOnly && req.identity?.patient === undefined) {
      throw forbidden('patient/ scopes need a patient context (the token has no patient claim)');
    }
    const caller = decision.patientOnly ? { patientOnly: true, patient: req.identity?.patient } : access(req);
    return search(req, res, [[patientParameter, String(req.params['id'])], ...queryParams(req)], caller);
  });

  return router;
}
