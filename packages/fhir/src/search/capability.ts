/**
 * The CapabilityStatement of the FHIR API: the resource types the mappings make, their
 * profiles, interactions and the search parameters that have openEHR targets, plus any
 * resource types the server answers itself (the audit trail as AuditEvent).
 */
import type { SearchParameterDefinition } from './definitions.js';

export type TypeInteraction = 'read' | 'vread' | 'history-instance' | 'search-type' | 'create' | 'update';

export interface CapabilityResource {
  readonly type: string;
  readonly profiles: readonly string[];
  readonly searchParameters: readonly SearchParameterDefinition[];
  /** Whether FHIR writes (create, update) of the type are taken. */
  readonly writable: boolean;
  /** The interactions, when not the usual read, vread, history and search (plus writes). */
  readonly interactions?: readonly TypeInteraction[];
  /** Whether resources keep versions (default true). */
  readonly versioned?: boolean;
  readonly documentation?: string;
}

export interface CapabilityOptions {
  /** Whether the server takes writes (create, update) of writable resource types (default false). */
  readonly writes?: boolean;
  /** Whether the server takes transaction Bundles (`POST [base]`). */
  readonly transaction?: boolean;
  /** Resource types the server answers besides those the mappings make. */
  readonly extraResources?: readonly CapabilityResource[];
  /** Software name and version. */
  readonly software?: { readonly name: string; readonly version?: string };
  /** The statement's date (default now). */
  readonly date?: string;
}

const READS: readonly TypeInteraction[] = ['read', 'vread', 'history-instance', 'search-type'];

export function buildCapabilityStatement(baseUrl: string, resources: readonly CapabilityResource[], options: CapabilityOptions = {}): Record<string, unknown> {
  const software = options.software ?? { name: 'openEHR CDR FHIR API' };
  const all = [...resources, ...(options.extraResources ?? [])].sort((a, b) => a.type.localeCompare(b.type));
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
        resource: all.map((r) => {
          const interactions = r.interactions ?? [...READS, ...(options.writes && r.writable ? (['create', 'update'] as const) : [])];
          const [profile, ...supported] = r.profiles;
          return {
            type: r.type,
            ...(profile ? { supportedProfile: [profile, ...supported] } : {}),
            ...(r.documentation ? { documentation: r.documentation } : {}),
            interaction: interactions.map((code) => ({ code })),
            versioning: r.versioned === false ? 'no-version' : 'versioned',
            readHistory: r.versioned !== false && interactions.includes('vread'),
            updateCreate: false,
            searchParam: r.searchParameters.map((p) => ({ name: p.code, definition: p.url, type: p.type })),
          };
        }),
        ...(options.transaction ? { interaction: [{ code: 'transaction' }] } : {}),
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
