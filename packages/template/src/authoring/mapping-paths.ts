/**
 * The nodes of the project's templates that the FHIR R4 mapping reads (the core-domain
 * mapping table): the path from the template's root, the RM type found there, and what the
 * mapping relies on about its value. The template tests check every entry against the
 * generated templates, so a template change that breaks the mapping fails the build.
 */
export interface MappedNode {
  readonly templateId: string;
  /** The FHIR element the node feeds. */
  readonly fhir: string;
  /** Path from the composition, archetype roots named by archetype id. */
  readonly path: string;
  readonly rmType: string;
  /** Data value types the ELEMENT must allow. */
  readonly valueTypes?: readonly string[];
  /** DV_QUANTITY units it must allow. */
  readonly units?: readonly string[];
  /** Codes (local at-codes, or of the given terminology) it must allow. */
  readonly codes?: readonly string[];
  /** Terminology of a coded value without a code list (any code of it, e.g. SNOMED-CT). */
  readonly terminology?: string;
}

const BP = '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]';
const PULSE = '/content[openEHR-EHR-OBSERVATION.pulse.v2]';
const RESP = '/content[openEHR-EHR-OBSERVATION.respiration.v2]';
const SPO2 = '/content[openEHR-EHR-OBSERVATION.pulse_oximetry.v1]';
const TEMP = '/content[openEHR-EHR-OBSERVATION.body_temperature.v2]';
const WEIGHT = '/content[openEHR-EHR-OBSERVATION.body_weight.v2]';
const HEIGHT = '/content[openEHR-EHR-OBSERVATION.height.v2]';
const BMI = '/content[openEHR-EHR-OBSERVATION.body_mass_index.v2]';

const vitals: MappedNode[] = [
  { fhir: 'Observation (BP panel 85354-9).effectiveDateTime', path: `${BP}/data[at0001]/events[at0006]`, rmType: 'EVENT' },
  { fhir: 'Observation.component[8480-6].valueQuantity', path: `${BP}/data[at0001]/events[at0006]/data[at0003]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['mm[Hg]'] },
  { fhir: 'Observation.component[8462-4].valueQuantity', path: `${BP}/data[at0001]/events[at0006]/data[at0003]/items[at0005]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['mm[Hg]'] },
  {
    fhir: 'Observation.extension[observation-bodyPosition]',
    path: `${BP}/data[at0001]/events[at0006]/state[at0007]/items[at0008]`,
    rmType: 'ELEMENT',
    valueTypes: ['DV_CODED_TEXT'],
    codes: ['at1000', 'at1001', 'at1002', 'at1003', 'at1014'],
  },
  { fhir: 'Observation.bodySite', path: `${BP}/protocol[at0011]/items[at0014]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0025', 'at0026'] },
  { fhir: 'Observation.bodySite (cuff size, note)', path: `${BP}/protocol[at0011]/items[at0013]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'] },
  { fhir: 'Observation (8867-4).effectiveDateTime', path: `${PULSE}/data[at0002]/events[at0003]`, rmType: 'EVENT' },
  { fhir: 'Observation (8867-4).valueQuantity', path: `${PULSE}/data[at0002]/events[at0003]/data[at0001]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['/min'] },
  { fhir: 'Observation (9279-1).effectiveDateTime', path: `${RESP}/data[at0001]/events[at0002]`, rmType: 'EVENT' },
  { fhir: 'Observation (9279-1).valueQuantity', path: `${RESP}/data[at0001]/events[at0002]/data[at0003]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['/min'] },
  { fhir: 'Observation (2708-6, 59408-5).effectiveDateTime', path: `${SPO2}/data[at0001]/events[at0002]`, rmType: 'EVENT' },
  { fhir: 'Observation (2708-6, 59408-5).valueQuantity %', path: `${SPO2}/data[at0001]/events[at0002]/data[at0003]/items[at0006]`, rmType: 'ELEMENT', valueTypes: ['DV_PROPORTION'] },
  { fhir: 'Observation (8310-5).effectiveDateTime', path: `${TEMP}/data[at0002]/events[at0003]`, rmType: 'EVENT' },
  { fhir: 'Observation (8310-5).valueQuantity', path: `${TEMP}/data[at0002]/events[at0003]/data[at0001]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['Cel', '[degF]'] },
  { fhir: 'Observation (8310-5).bodySite', path: `${TEMP}/protocol[at0020]/items[at0021]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'] },
  { fhir: 'Observation (29463-7).effectiveDateTime', path: `${WEIGHT}/data[at0002]/events[at0003]`, rmType: 'EVENT' },
  { fhir: 'Observation (29463-7).valueQuantity', path: `${WEIGHT}/data[at0002]/events[at0003]/data[at0001]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['kg', 'g', '[lb_av]'] },
  { fhir: 'Observation (29463-7).note', path: `${WEIGHT}/data[at0002]/events[at0003]/data[at0001]/items[at0024]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'Observation (8302-2).effectiveDateTime', path: `${HEIGHT}/data[at0001]/events[at0002]`, rmType: 'EVENT' },
  { fhir: 'Observation (8302-2).valueQuantity', path: `${HEIGHT}/data[at0001]/events[at0002]/data[at0003]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['cm', '[in_i]'] },
  { fhir: 'Observation (39156-5).effectiveDateTime', path: `${BMI}/data[at0001]/events[at0002]`, rmType: 'EVENT' },
  { fhir: 'Observation (39156-5).valueQuantity', path: `${BMI}/data[at0001]/events[at0002]/data[at0003]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['kg/m2'] },
].map((n) => ({ templateId: 'cdr.vital_signs.v1', ...n }));

const PROBLEM = '/content[openEHR-EHR-EVALUATION.problem_diagnosis.v1]';
const QUALIFIER = `${PROBLEM}/data[at0001]/items[openEHR-EHR-CLUSTER.problem_qualifier.v2]`;

const problems: MappedNode[] = [
  { fhir: 'Condition', path: PROBLEM, rmType: 'EVALUATION' },
  { fhir: 'Condition.code', path: `${PROBLEM}/data[at0001]/items[at0002]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'SNOMED-CT' },
  { fhir: 'Condition.onsetDateTime', path: `${PROBLEM}/data[at0001]/items[at0077]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'Condition.recordedDate', path: `${PROBLEM}/data[at0001]/items[at0003]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'Condition.abatementDateTime', path: `${PROBLEM}/data[at0001]/items[at0030]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'Condition.severity', path: `${PROBLEM}/data[at0001]/items[at0005]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0047', 'at0048', 'at0049'] },
  { fhir: 'Condition.verificationStatus', path: `${PROBLEM}/data[at0001]/items[at0073]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0074', 'at0075', 'at0076'] },
  { fhir: 'Condition.bodySite', path: `${PROBLEM}/data[at0001]/items[at0012]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'] },
  { fhir: 'Condition.note (description)', path: `${PROBLEM}/data[at0001]/items[at0009]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'Condition.note (comment)', path: `${PROBLEM}/data[at0001]/items[at0069]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'Condition.clinicalStatus (active/inactive)', path: `${QUALIFIER}/items[at0003]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0026', 'at0027'] },
  { fhir: 'Condition.clinicalStatus (resolved)', path: `${QUALIFIER}/items[at0083]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0084'] },
].map((n) => ({ templateId: 'cdr.problem_list.v1', ...n }));

const RISK = '/content[openEHR-EHR-EVALUATION.adverse_reaction_risk.v2]';
const REACTION = `${RISK}/data[at0001]/items[openEHR-EHR-CLUSTER.adverse_reaction_event.v1]`;

const allergies: MappedNode[] = [
  { fhir: 'AllergyIntolerance', path: RISK, rmType: 'EVALUATION' },
  { fhir: 'AllergyIntolerance.code', path: `${RISK}/data[at0001]/items[at0002]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'SNOMED-CT' },
  { fhir: 'AllergyIntolerance.clinicalStatus', path: `${RISK}/data[at0001]/items[at0130]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0131', 'at0132'] },
  { fhir: 'AllergyIntolerance.verificationStatus', path: `${RISK}/data[at0001]/items[at0063]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0064', 'at0065', 'at0066'] },
  { fhir: 'AllergyIntolerance.criticality', path: `${RISK}/data[at0001]/items[at0101]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0102', 'at0103', 'at0124'] },
  { fhir: 'AllergyIntolerance.category', path: `${RISK}/data[at0001]/items[at0120]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0121', 'at0122', 'at0123'] },
  { fhir: 'AllergyIntolerance.type', path: `${RISK}/data[at0001]/items[at0058]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0059', 'at0060'] },
  { fhir: 'AllergyIntolerance.onset[x]', path: `${RISK}/data[at0001]/items[at0133]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'AllergyIntolerance.lastOccurrence', path: `${RISK}/data[at0001]/items[at0117]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'AllergyIntolerance.note', path: `${RISK}/data[at0001]/items[at0006]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'AllergyIntolerance.reaction', path: REACTION, rmType: 'CLUSTER' },
  { fhir: 'AllergyIntolerance.reaction.substance', path: `${REACTION}/items[at0001]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'] },
  { fhir: 'AllergyIntolerance.reaction.manifestation', path: `${REACTION}/items[at0006]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'SNOMED-CT' },
  { fhir: 'AllergyIntolerance.reaction.description', path: `${REACTION}/items[at0007]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'AllergyIntolerance.reaction.onset', path: `${REACTION}/items[at0008]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'AllergyIntolerance.reaction.severity', path: `${REACTION}/items[at0010]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0011', 'at0012', 'at0013'] },
  { fhir: 'AllergyIntolerance.reaction.exposureRoute', path: `${REACTION}/items[at0017]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'] },
].map((n) => ({ templateId: 'cdr.adverse_reaction_list.v1', ...n }));

const ORDER = '/content[openEHR-EHR-INSTRUCTION.medication_order.v3]';
const ACTIVITY = `${ORDER}/activities[at0001]/description[at0002]`;
const DIRECTION = `${ACTIVITY}/items[openEHR-EHR-CLUSTER.therapeutic_direction.v1]`;
const DOSAGE = `${DIRECTION}/items[openEHR-EHR-CLUSTER.dosage.v1]`;
const TIMING = `${DOSAGE}/items[openEHR-EHR-CLUSTER.timing_daily.v1]`;

const orders: MappedNode[] = [
  { fhir: 'MedicationRequest', path: ORDER, rmType: 'INSTRUCTION' },
  { fhir: 'MedicationRequest.medicationCodeableConcept', path: `${ACTIVITY}/items[at0070]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'] },
  { fhir: 'MedicationRequest.dosageInstruction.text', path: `${ACTIVITY}/items[at0009]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'MedicationRequest.dosageInstruction.route', path: `${ACTIVITY}/items[at0091]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'SNOMED-CT' },
  { fhir: 'MedicationRequest.dosageInstruction.site', path: `${ACTIVITY}/items[at0092]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'] },
  { fhir: 'MedicationRequest.dosageInstruction.method', path: `${ACTIVITY}/items[at0094]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'MedicationRequest.dosageInstruction.additionalInstruction', path: `${ACTIVITY}/items[at0044]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'MedicationRequest.reasonCode', path: `${ACTIVITY}/items[at0018]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'SNOMED-CT' },
  { fhir: 'MedicationRequest.dispenseRequest.validityPeriod.start', path: `${ACTIVITY}/items[at0113]/items[at0012]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'MedicationRequest.dispenseRequest.validityPeriod.end', path: `${ACTIVITY}/items[at0113]/items[at0013]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'MedicationRequest.note', path: `${ACTIVITY}/items[at0167]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'MedicationRequest.identifier', path: `${ORDER}/protocol[at0005]/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_IDENTIFIER'] },
  { fhir: 'MedicationRequest.dosageInstruction (one per direction)', path: DIRECTION, rmType: 'CLUSTER' },
  { fhir: 'MedicationRequest.dosageInstruction.sequence', path: `${DIRECTION}/items[at0057]`, rmType: 'ELEMENT', valueTypes: ['DV_COUNT'] },
  { fhir: 'MedicationRequest.dosageInstruction.timing.repeat.bounds[x]', path: `${DIRECTION}/items[at0066]`, rmType: 'ELEMENT', valueTypes: ['DV_DURATION', 'DV_CODED_TEXT'] },
  { fhir: 'MedicationRequest.dosageInstruction.doseAndRate.doseQuantity.value', path: `${DOSAGE}/items[at0144]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['1'] },
  { fhir: 'MedicationRequest.dosageInstruction.doseAndRate.doseQuantity.unit', path: `${DOSAGE}/items[at0145]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'MedicationRequest.dosageInstruction.timing.repeat.frequency/period', path: `${TIMING}/items[at0003]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY'], units: ['1/d', '1/h'] },
  { fhir: 'MedicationRequest.dosageInstruction.timing.repeat.timeOfDay', path: `${TIMING}/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_TIME'] },
  { fhir: 'MedicationRequest.dosageInstruction.asNeededBoolean', path: `${TIMING}/items[at0024]`, rmType: 'ELEMENT', valueTypes: ['DV_BOOLEAN'] },
  { fhir: 'MedicationRequest.dosageInstruction.asNeededCodeableConcept', path: `${TIMING}/items[at0025]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
].map((n) => ({ templateId: 'cdr.medication_order.v1', ...n }));

const LAB = '/content[openEHR-EHR-OBSERVATION.laboratory_test_result.v1]';
const LAB_ITEMS = `${LAB}/data[at0001]/events[at0002]/data[at0003]/items`;
const ANALYTE = `${LAB_ITEMS}[openEHR-EHR-CLUSTER.laboratory_test_analyte.v1]`;
const SPECIMEN = `${LAB_ITEMS}[openEHR-EHR-CLUSTER.specimen.v1]`;

const laboratory: MappedNode[] = [
  { fhir: 'DiagnosticReport.identifier', path: '/context/other_context[at0001]/items[at0002]', rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'DiagnosticReport', path: LAB, rmType: 'OBSERVATION' },
  { fhir: 'DiagnosticReport.effectiveDateTime', path: `${LAB}/data[at0001]/events[at0002]`, rmType: 'EVENT' },
  { fhir: 'DiagnosticReport.code', path: `${LAB_ITEMS}[at0005]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'LOINC' },
  { fhir: 'DiagnosticReport.status', path: `${LAB_ITEMS}[at0073]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0107', 'at0037', 'at0120', 'at0038', 'at0040', 'at0115', 'at0119', 'at0074', 'at0116'] },
  { fhir: 'DiagnosticReport.issued', path: `${LAB_ITEMS}[at0075]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'DiagnosticReport.conclusion', path: `${LAB_ITEMS}[at0057]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'DiagnosticReport.specimen', path: SPECIMEN, rmType: 'CLUSTER' },
  { fhir: 'Specimen.type', path: `${SPECIMEN}/items[at0029]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'] },
  { fhir: 'Specimen.collection.collectedDateTime', path: `${SPECIMEN}/items[at0015]`, rmType: 'ELEMENT', valueTypes: ['DV_DATE_TIME'] },
  { fhir: 'DiagnosticReport.result (one Observation per analyte)', path: ANALYTE, rmType: 'CLUSTER' },
  { fhir: 'Observation.code', path: `${ANALYTE}/items[at0024]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT', 'DV_TEXT'], terminology: 'LOINC' },
  { fhir: 'Observation.value[x]', path: `${ANALYTE}/items[at0001]`, rmType: 'ELEMENT', valueTypes: ['DV_QUANTITY', 'DV_CODED_TEXT', 'DV_TEXT', 'DV_COUNT', 'DV_PROPORTION', 'DV_BOOLEAN'] },
  { fhir: 'Observation.referenceRange.text', path: `${ANALYTE}/items[at0004]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'Observation.status', path: `${ANALYTE}/items[at0005]`, rmType: 'ELEMENT', valueTypes: ['DV_CODED_TEXT'], codes: ['at0015', 'at0017', 'at0018', 'at0019', 'at0020', 'at0022', 'at0023'] },
  { fhir: 'Observation.specimen', path: `${ANALYTE}/items[at0026]`, rmType: 'ELEMENT', valueTypes: ['DV_IDENTIFIER'] },
  { fhir: 'Observation.method', path: `${ANALYTE}/items[at0028]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
  { fhir: 'Observation.note', path: `${ANALYTE}/items[at0003]`, rmType: 'ELEMENT', valueTypes: ['DV_TEXT'] },
].map((n) => ({ templateId: 'cdr.laboratory_report.v1', ...n }));

export const MAPPED_NODES: readonly MappedNode[] = [...vitals, ...problems, ...allergies, ...orders, ...laboratory];
