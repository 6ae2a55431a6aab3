/**
 * The CapabilityStatement of the FHIR API: the resource types the mappings make, their
 * profiles, interactions and the search parameters that have openEHR targets.
 */
import type { SearchParameterDefinition } from './definitions.js';

export interface CapabilityResource {
  readonly type: string;
  readonly profiles: readonly string[];
  readonly searchParameters: readonly SearchParameterDefinition[];
  /** Whether FHIR writes (create) of the type are taken. */
  readonly writable: boolean;
}

export interface CapabilityOptions {
  /** Whether the server takes writes (create) of writable resource types (default false). */
  readonly writes?: boolean;
  /** Software name and version. */
  readonly software?: { readonly name: string; readonly version?: string };
  /** The statement's date (default now). */
  readonly date?: string;
}

export function buildCapabilityStatement(baseUrl: string, resources: readonly CapabilityResource[], options: CapabilityOptions = {}): Record<string, unknown> {
  const software = options.software ?? { name: 'openEHR CDR FHIR API' };
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date ?? new Date().toISOString(),
    publisher: 'openEHR CDR',
    kind: 'instance',
    software: { name: software.name, ...(software.version ? { version: software.version } : {}) },
    implementation: { description: 'FHIR R4 view of openEHR compositions', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Resources are made from openEHR compositions by declarative mappings; ids and versions follow the openEHR versions.',
        resource: resources.map((r) => {
          const interactions = ['read', 'vread', 'history-instance', 'search-type', ...(options.writes && r.writable ? ['create'] : [])];
          const [profile, ...supported] = r.profiles;
          return {
            type: r.type,
            ...(profile ? { supportedProfile: [profile, ...supported] } : {}),
            interaction: interactions.map((code) => ({ code })),
            versioning: 'versioned',
            readHistory: true,
            updateCreate: false,
            searchParam: r.searchParameters.map((p) => ({ name: p.code, definition: p.url, type: p.type })),
          };
        }),
        searchParam: [
          { name: '_count', type: 'number', documentation: 'page size' },
          { name: '_offset', type: 'number', documentation: 'entries to skip' },
          { name: '_sort', type: 'string', documentation: 'date parameters and _id, - for descending' },
          { name: '_summary', type: 'token', documentation: 'count' },
          { name: '_total', type: 'token', documentation: 'none, estimate, accurate' },
        ],
      },
    ],
  };
}
