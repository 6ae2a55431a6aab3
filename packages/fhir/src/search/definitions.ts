/**
 * The FHIR search parameters the CDR answers: for each resource type, the parameter's code,
 * type and canonical definition (all from FHIR R4), and the FHIR elements it reads (our FHIR
 * path syntax, from the resource root; a choice element by its name without [x]).
 * `definitions.test.ts` checks codes, types, urls and elements against the R4 definitions.
 * What openEHR data a parameter reads is not written here: it follows from the mapping
 * files (see targets.ts).
 */

export type SearchParamType = 'token' | 'reference' | 'date' | 'string';

export interface SearchParameterDefinition {
  readonly resourceType: string;
  readonly code: string;
  readonly type: SearchParamType;
  readonly url: string;
  /** FHIR elements from the resource root, e.g. `effective`, `reaction.substance`. */
  readonly paths: readonly string[];
  /** For a reference: the resource type it refers to. */
  readonly target?: string;
}

const SP = 'http://hl7.org/fhir/SearchParameter/';

function p(resourceType: string, code: string, type: SearchParamType, url: string, paths: readonly string[], target?: string): SearchParameterDefinition {
  return { resourceType, code, type, url: `${SP}${url}`, paths, ...(target ? { target } : {}) };
}

/** Parameters of every resource: answered from the id scheme and the version, not from mappings. */
export const COMMON_PARAMETERS: readonly Omit<SearchParameterDefinition, 'resourceType'>[] = [
  { code: '_id', type: 'token', url: `${SP}Resource-id`, paths: ['id'] },
  { code: '_lastUpdated', type: 'date', url: `${SP}Resource-lastUpdated`, paths: ['meta.lastUpdated'] },
];

export const SEARCH_PARAMETERS: readonly SearchParameterDefinition[] = [
  p('Patient', 'identifier', 'token', 'Patient-identifier', ['identifier']),

  p('Observation', 'patient', 'reference', 'clinical-patient', ['subject'], 'Patient'),
  p('Observation', 'subject', 'reference', 'Observation-subject', ['subject'], 'Patient'),
  p('Observation', 'code', 'token', 'clinical-code', ['code']),
  p('Observation', 'date', 'date', 'clinical-date', ['effective']),
  p('Observation', 'category', 'token', 'Observation-category', ['category']),
  p('Observation', 'status', 'token', 'Observation-status', ['status']),

  p('Condition', 'patient', 'reference', 'clinical-patient', ['subject'], 'Patient'),
  p('Condition', 'subject', 'reference', 'Condition-subject', ['subject'], 'Patient'),
  p('Condition', 'code', 'token', 'clinical-code', ['code']),
  p('Condition', 'category', 'token', 'Condition-category', ['category']),
  p('Condition', 'clinical-status', 'token', 'Condition-clinical-status', ['clinicalStatus']),
  p('Condition', 'verification-status', 'token', 'Condition-verification-status', ['verificationStatus']),
  p('Condition', 'severity', 'token', 'Condition-severity', ['severity']),
  p('Condition', 'body-site', 'token', 'Condition-body-site', ['bodySite']),
  p('Condition', 'onset-date', 'date', 'Condition-onset-date', ['onset']),
  p('Condition', 'recorded-date', 'date', 'Condition-recorded-date', ['recordedDate']),
  p('Condition', 'abatement-date', 'date', 'Condition-abatement-date', ['abatement']),

  p('AllergyIntolerance', 'patient', 'reference', 'clinical-patient', ['patient'], 'Patient'),
  p('AllergyIntolerance', 'code', 'token', 'clinical-code', ['code', 'reaction.substance']),
  p('AllergyIntolerance', 'clinical-status', 'token', 'AllergyIntolerance-clinical-status', ['clinicalStatus']),
  p('AllergyIntolerance', 'verification-status', 'token', 'AllergyIntolerance-verification-status', ['verificationStatus']),
  p('AllergyIntolerance', 'category', 'token', 'AllergyIntolerance-category', ['category']),
  p('AllergyIntolerance', 'criticality', 'token', 'AllergyIntolerance-criticality', ['criticality']),
  p('AllergyIntolerance', 'type', 'token', 'clinical-type', ['type']),
  p('AllergyIntolerance', 'last-date', 'date', 'AllergyIntolerance-last-date', ['lastOccurrence']),
  p('AllergyIntolerance', 'onset', 'date', 'AllergyIntolerance-onset', ['reaction.onset']),

  p('MedicationRequest', 'patient', 'reference', 'clinical-patient', ['subject'], 'Patient'),
  p('MedicationRequest', 'subject', 'reference', 'MedicationRequest-subject', ['subject'], 'Patient'),
  p('MedicationRequest', 'code', 'token', 'clinical-code', ['medication']),
  p('MedicationRequest', 'authoredon', 'date', 'MedicationRequest-authoredon', ['authoredOn']),
  p('MedicationRequest', 'identifier', 'token', 'clinical-identifier', ['identifier']),
  p('MedicationRequest', 'intent', 'token', 'MedicationRequest-intent', ['intent']),
  p('MedicationRequest', 'status', 'token', 'medications-status', ['status']),

  p('DiagnosticReport', 'patient', 'reference', 'clinical-patient', ['subject'], 'Patient'),
  p('DiagnosticReport', 'subject', 'reference', 'DiagnosticReport-subject', ['subject'], 'Patient'),
  p('DiagnosticReport', 'code', 'token', 'clinical-code', ['code']),
  p('DiagnosticReport', 'date', 'date', 'clinical-date', ['effective']),
  p('DiagnosticReport', 'issued', 'date', 'DiagnosticReport-issued', ['issued']),
  p('DiagnosticReport', 'category', 'token', 'DiagnosticReport-category', ['category']),
  p('DiagnosticReport', 'identifier', 'token', 'clinical-identifier', ['identifier']),
  p('DiagnosticReport', 'status', 'token', 'DiagnosticReport-status', ['status']),

  p('Encounter', 'patient', 'reference', 'clinical-patient', ['subject'], 'Patient'),
  p('Encounter', 'subject', 'reference', 'Encounter-subject', ['subject'], 'Patient'),
  p('Encounter', 'date', 'date', 'clinical-date', ['period']),
  p('Encounter', 'class', 'token', 'Encounter-class', ['class']),
  p('Encounter', 'type', 'token', 'clinical-type', ['type']),
  p('Encounter', 'status', 'token', 'Encounter-status', ['status']),

  p('DocumentReference', 'patient', 'reference', 'clinical-patient', ['subject'], 'Patient'),
  p('DocumentReference', 'subject', 'reference', 'DocumentReference-subject', ['subject'], 'Patient'),
  p('DocumentReference', 'date', 'date', 'DocumentReference-date', ['date']),
  p('DocumentReference', 'type', 'token', 'clinical-type', ['type']),
  p('DocumentReference', 'category', 'token', 'DocumentReference-category', ['category']),
  p('DocumentReference', 'status', 'token', 'DocumentReference-status', ['status']),

  p('Specimen', 'patient', 'reference', 'Specimen-patient', ['subject'], 'Patient'),
  p('Specimen', 'subject', 'reference', 'Specimen-subject', ['subject'], 'Patient'),
  p('Specimen', 'type', 'token', 'Specimen-type', ['type']),
  p('Specimen', 'accession', 'token', 'Specimen-accession', ['accessionIdentifier']),
  p('Specimen', 'collected', 'date', 'Specimen-collected', ['collection.collected']),

  // The audit trail (not mapped from openEHR data: answered by the server from its audit events).
  p('AuditEvent', 'date', 'date', 'AuditEvent-date', ['recorded']),
  p('AuditEvent', 'patient', 'reference', 'AuditEvent-patient', ['entity.what'], 'Patient'),
  p('AuditEvent', 'action', 'token', 'AuditEvent-action', ['action']),
  p('AuditEvent', 'outcome', 'token', 'AuditEvent-outcome', ['outcome']),
  p('AuditEvent', 'altid', 'token', 'AuditEvent-altid', ['agent.altId']),
  p('AuditEvent', 'subtype', 'token', 'AuditEvent-subtype', ['subtype']),
];

/** The parameters of a resource type (the common ones first). */
export function parametersOf(resourceType: string): SearchParameterDefinition[] {
  return [...COMMON_PARAMETERS.map((c) => ({ ...c, resourceType })), ...SEARCH_PARAMETERS.filter((d) => d.resourceType === resourceType)];
}

/** Parameters that control the result rather than select resources. */
export const RESULT_PARAMETERS = ['_count', '_offset', '_sort', '_summary', '_total'] as const;
