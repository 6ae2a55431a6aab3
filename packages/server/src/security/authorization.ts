/**
 * Authorisation, decided in one place for every request: the role an openEHR or admin
 * request needs, the SMART scope a FHIR request needs, and the patient compartment a
 * patient-context token is held to. Forbidden is a 403 that says what was missing.
 */
import type { NextFunction, Request, Response } from 'express';
import { CdrError } from '@cdr/rm';
import type { Identity } from '../http/context.js';
import { isPublicPath } from './authentication.js';
import { smartAllows, type Role, type SmartInteraction } from './permissions.js';

/** What the FHIR routes must still enforce after the scope check. */
export interface FhirAccess {
  /** Only the launch patient's compartment may be read or written. */
  readonly patientOnly: boolean;
  readonly patient?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    fhirAccess?: FhirAccess;
  }
}

function forbidden(message: string): CdrError {
  return new CdrError('forbidden', message);
}

const EHR_IN_PATH = /^\/openehr\/v1\/ehr\/([^/?#]+)/;

/** The request's path from the root, wherever the middleware is mounted. */
export function fullPath(req: Request): string {
  return req.originalUrl.split('?')[0] as string;
}

/**
 * The EHRs a request names: in its path, its `ehr_id` parameter, the `openEHR-EHR-id`
 * header, or the `ehr_id` of a query body (the query API scopes a query by whichever it
 * finds first, so every one given must be allowed). AQL parameters are not among them:
 * a `$ehr_id` parameter does not limit what a query reads.
 */
export function ehrsOfRequest(req: Request): string[] {
  const found = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length > 0) {
      found.add(value.toLowerCase());
    }
  };
  const inPath = EHR_IN_PATH.exec(fullPath(req))?.[1];
  if (inPath) {
    add(decodeURIComponent(inPath));
  }
  const fromQuery = req.query.ehr_id;
  (Array.isArray(fromQuery) ? fromQuery : [fromQuery]).forEach(add);
  add(req.get('openehr-ehr-id'));
  if (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body)) {
    add((req.body as Record<string, unknown>).ehr_id);
  }
  return [...found];
}

/** The role an openEHR or operations request needs. */
export function requiredRole(method: string, path: string, scopedToOneEhr: boolean): Role {
  const reading = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  if (path.startsWith('/admin')) {
    return 'admin';
  }
  if (path.startsWith('/openehr/v1/definition/')) {
    return reading ? 'clinical.read' : 'template.admin';
  }
  if (path.startsWith('/openehr/v1/query')) {
    return scopedToOneEhr ? 'clinical.read' : 'population.query';
  }
  return reading ? 'clinical.read' : 'clinical.write';
}

/** The SMART interaction of a FHIR request and the resource type it concerns. */
export function fhirInteraction(method: string, path: string): { resourceType: string; interaction: SmartInteraction } | undefined {
  const [, resourceType, id, compartmentType] = path.split('/').slice(1); // '', 'fhir', Type, id, [Type]
  // A search in a patient's compartment (`/fhir/Patient/{id}/Observation`) reads the compartment's type.
  if (resourceType === 'Patient' && id && compartmentType && /^[A-Z][A-Za-z]+$/.test(compartmentType) && (method === 'GET' || method === 'HEAD')) {
    return { resourceType: compartmentType, interaction: 's' };
  }
  if (!resourceType || !/^[A-Z][A-Za-z]+$/.test(resourceType)) {
    return undefined;
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return { resourceType, interaction: id && id !== '_search' && id !== '_history' ? 'r' : 's' };
    case 'POST':
      return { resourceType, interaction: id === '_search' ? 's' : 'c' };
    case 'PUT':
    case 'PATCH':
      return { resourceType, interaction: 'u' };
    case 'DELETE':
      return { resourceType, interaction: 'd' };
    default:
      return undefined;
  }
}

function authorizeOpenEhr(req: Request, identity: Identity): void {
  const path = fullPath(req);
  const ehrIds = ehrsOfRequest(req);
  const role = requiredRole(req.method, path, ehrIds.length > 0);
  if (!identity.roles.has(role) && !identity.roles.has('admin')) {
    throw forbidden(`${req.method} ${path} needs the role '${role}', which the access token does not grant`);
  }
  if (identity.patient !== undefined) {
    if (role === 'admin' || role === 'template.admin' || role === 'population.query') {
      throw forbidden(`a patient-context token is limited to its patient's record and cannot use ${req.method} ${path}`);
    }
    const patient = identity.patient.toLowerCase();
    const other = ehrIds.find((id) => id !== patient);
    if (ehrIds.length === 0 || other !== undefined) {
      throw forbidden(`a patient-context token for ${identity.patient} cannot reach ${other ? `EHR ${other}` : 'records of other patients'}`);
    }
  }
}

function authorizeFhir(req: Request, identity: Identity): void {
  const path = fullPath(req);
  const access = fhirInteraction(req.method, path);
  if (!access) {
    // Whole-system interactions (a transaction Bundle) are checked entry by entry by the FHIR routes.
    req.fhirAccess = { patientOnly: identity.patient !== undefined && !identity.anonymous, ...(identity.patient ? { patient: identity.patient } : {}) };
    return;
  }
  const decision = smartAllows(identity.smartScopes, access.resourceType, access.interaction);
  if (!decision.allowed) {
    throw forbidden(`${req.method} ${path} needs a SMART scope granting '${access.interaction}' on ${access.resourceType}`);
  }
  if (decision.patientOnly && identity.patient === undefined) {
    throw forbidden('patient/ scopes need a patient context (the token has no patient claim)');
  }
  req.fhirAccess = {
    patientOnly: decision.patientOnly,
    ...(identity.patient ? { patient: identity.patient } : {}),
  };
}

export function authorization() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const path = fullPath(req);
    if (isPublicPath(path)) {
      next();
      return;
    }
    const identity = req.identity;
    if (!identity) {
      throw new CdrError('unauthorized', 'the caller is not authenticated');
    }
    if (path.startsWith('/fhir')) {
      authorizeFhir(req, identity);
    } else {
      authorizeOpenEhr(req, identity);
    }
    next();
  };
}
