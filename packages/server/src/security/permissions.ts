/**
 * What a caller may do. openEHR API access is by role (from the token's roles claim, or
 * `openehr:<role>` scopes); the FHIR API is governed by SMART on FHIR scopes (v1 and v2).
 */

export const ROLES = ['clinical.read', 'clinical.write', 'template.admin', 'population.query', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** SMART interactions: create, read, update, delete, search (v2 letters `cruds`). */
export type SmartInteraction = 'c' | 'r' | 'u' | 'd' | 's';

export interface SmartScope {
  /** `patient`: the launch patient's compartment only; `user` and `system`: any patient. */
  readonly context: 'patient' | 'user' | 'system';
  /** A FHIR resource type, or `*`. */
  readonly resourceType: string;
  readonly interactions: ReadonlySet<SmartInteraction>;
}

const V1: Readonly<Record<string, readonly SmartInteraction[]>> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

/**
 * Parses one SMART scope: v1 `patient/Observation.read`, `user/*.write`, `system/*.*`, or
 * v2 `patient/Observation.rs`, `user/Condition.cruds` (a v2 query suffix such as
 * `?category=...` narrows nothing here and is refused by returning undefined).
 */
export function parseSmartScope(text: string): SmartScope | undefined {
  const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, context, resourceType, access] = match as unknown as [string, SmartScope['context'], string, string];
  const v1 = V1[access];
  if (v1) {
    return { context, resourceType, interactions: new Set(v1) };
  }
  if (!/^c?r?u?d?s?$/.test(access) || access.length === 0) {
    return undefined;
  }
  return { context, resourceType, interactions: new Set(access.split('') as SmartInteraction[]) };
}

/** Roles named by `openehr:<role>` scopes. */
export function rolesOfScopes(scopes: readonly string[]): Role[] {
  return scopes.filter((s) => s.startsWith('openehr:')).map((s) => s.slice('openehr:'.length)).filter(isRole);
}

/** Does a set of SMART scopes allow an interaction on a resource type, and in which context? */
export function smartAllows(
  scopes: readonly SmartScope[],
  resourceType: string,
  interaction: SmartInteraction,
): { readonly allowed: false } | { readonly allowed: true; readonly patientOnly: boolean } {
  const matching = scopes.filter((s) => (s.resourceType === '*' || s.resourceType === resourceType) && s.interactions.has(interaction));
  if (matching.length === 0) {
    return { allowed: false };
  }
  return { allowed: true, patientOnly: matching.every((s) => s.context === 'patient') };
}
