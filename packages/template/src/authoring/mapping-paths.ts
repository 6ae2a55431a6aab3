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

export const MAPPED_NODES: readonly MappedNode[] = [...vitals, ...problems, ...allergies];
