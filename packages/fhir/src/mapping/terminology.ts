/**
 * openEHR terminology ids <-> FHIR code system URIs.
 *
 * - Well-known terminologies map to their FHIR URIs (SNOMED-CT -> http://snomed.info/sct, ...).
 * - An archetype's local codes (`local`, at-codes) become `urn:openehr:archetype:<archetype id>`:
 *   an at-code means something only within its archetype.
 * - Any other terminology id becomes `urn:openehr:terminology:<id>`, unless it is a URI already.
 *
 * Read back, each of these gives the terminology id again (the canonical spelling for the
 * well-known ones); a URI we do not know becomes the terminology id as it is.
 */

export const LOCAL_TERMINOLOGY = 'local';
export const OPENEHR_TERMINOLOGY = 'openehr';
export const ARCHETYPE_SYSTEM_PREFIX = 'urn:openehr:archetype:';
export const TERMINOLOGY_SYSTEM_PREFIX = 'urn:openehr:terminology:';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/** Canonical terminology id -> system URI. */
const KNOWN: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['SNOMED-CT', 'http://snomed.info/sct', ['SNOMED CT', 'SNOMEDCT', 'SNOMED', 'SCT', 'SNOMED-CT']],
  ['LOINC', 'http://loinc.org', ['LOINC', 'LNC', 'LN']],
  ['ICD10', 'http://hl7.org/fhir/sid/icd-10', ['ICD10', 'ICD-10', 'ICD10-WHO']],
  ['ICD10GM', 'http://fhir.de/CodeSystem/bfarm/icd-10-gm', ['ICD10GM', 'ICD-10-GM']],
  ['UCUM', UCUM_SYSTEM, ['UCUM']],
  ['ATC', 'http://www.whocc.no/atc', ['ATC']],
  ['RxNorm', 'http://www.nlm.nih.gov/research/umls/rxnorm', ['RXNORM']],
  ['ISO_639-1', 'urn:ietf:bcp:47', ['ISO_639-1']],
  ['ISO_3166-1', 'urn:iso:std:iso:3166', ['ISO_3166-1']],
  ['IANA_media-types', 'urn:ietf:bcp:13', ['IANA_MEDIA-TYPES']],
];

const BY_ID = new Map<string, string>();
const BY_SYSTEM = new Map<string, string>();
for (const [id, system, aliases] of KNOWN) {
  BY_SYSTEM.set(system, id);
  for (const alias of aliases) {
    BY_ID.set(alias.toUpperCase(), system);
  }
}

function looksLikeUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(text);
}

/** The FHIR system of an openEHR terminology id; `archetypeId` is needed for local codes. */
export function systemOf(terminologyId: string, archetypeId?: string): string {
  if (terminologyId === LOCAL_TERMINOLOGY) {
    return `${ARCHETYPE_SYSTEM_PREFIX}${archetypeId ?? 'unknown'}`;
  }
  // LNC205 and friends: LOINC with a version suffix
  const known = BY_ID.get(terminologyId.toUpperCase()) ?? BY_ID.get(terminologyId.toUpperCase().replace(/[-_ ]?\d+(\.\d+)*$/, ''));
  if (known) {
    return known;
  }
  return looksLikeUri(terminologyId) ? terminologyId : `${TERMINOLOGY_SYSTEM_PREFIX}${terminologyId}`;
}

/** The openEHR terminology id of a FHIR system. */
export function terminologyOf(system: string): string {
  if (system.startsWith(ARCHETYPE_SYSTEM_PREFIX)) {
    return LOCAL_TERMINOLOGY;
  }
  if (system.startsWith(TERMINOLOGY_SYSTEM_PREFIX)) {
    return system.slice(TERMINOLOGY_SYSTEM_PREFIX.length);
  }
  return BY_SYSTEM.get(system) ?? system;
}

/** Well-known short forms used in mapping criteria: `$loinc.8310-5`, `$snomed.276885007`. */
export const SYSTEM_ALIASES: Readonly<Record<string, string>> = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  sct: 'http://snomed.info/sct',
  ucum: UCUM_SYSTEM,
};
