/**
 * The clinical vocabulary of the synthetic population: conditions (SNOMED CT), laboratory
 * panels and analytes (LOINC, UCUM units, adult reference ranges), allergens and reactions
 * (SNOMED CT) and medications (RxNorm ingredients, SNOMED CT routes).
 */
import type { Term } from './rm.js';

// ------------------------------------------------------------------ conditions

export type ChronicCondition =
  | 'hypertension'
  | 'diabetes'
  | 'hyperlipidaemia'
  | 'asthma'
  | 'copd'
  | 'ckd'
  | 'hypothyroidism'
  | 'osteoarthritis'
  | 'depression'
  | 'atrialFibrillation'
  | 'gord';

export type AcuteCondition = 'urti' | 'pneumonia' | 'uti' | 'bronchitis' | 'gastroenteritis' | 'cellulitis' | 'ankleSprain' | 'influenza' | 'backPain';

export interface ConditionInfo {
  readonly code: Term;
  readonly bodySite?: Term;
  /** A fever and a faster pulse at presentation. */
  readonly febrile?: boolean;
}

export const CHRONIC: Readonly<Record<ChronicCondition, ConditionInfo>> = {
  hypertension: { code: ['59621000', 'Essential hypertension'] },
  diabetes: { code: ['44054006', 'Type 2 diabetes mellitus'] },
  hyperlipidaemia: { code: ['55822004', 'Hyperlipidemia'] },
  asthma: { code: ['195967001', 'Asthma'] },
  copd: { code: ['13645005', 'Chronic obstructive lung disease'] },
  ckd: { code: ['709044004', 'Chronic kidney disease'] },
  hypothyroidism: { code: ['40930008', 'Hypothyroidism'] },
  osteoarthritis: { code: ['396275006', 'Osteoarthritis'], bodySite: ['72696002', 'Knee region structure'] },
  depression: { code: ['35489007', 'Depressive disorder'] },
  atrialFibrillation: { code: ['49436004', 'Atrial fibrillation'] },
  gord: { code: ['235595009', 'Gastroesophageal reflux disease'] },
};

export interface AcuteInfo extends ConditionInfo {
  /** Days from onset to resolution: [min, max]. */
  readonly days: readonly [number, number];
  readonly weight: number;
  /** Presents at the emergency department rather than the practice. */
  readonly emergency?: boolean;
}

export const ACUTE: Readonly<Record<AcuteCondition, AcuteInfo>> = {
  urti: { code: ['54150009', 'Upper respiratory infection'], days: [5, 14], weight: 30, febrile: true },
  influenza: { code: ['6142004', 'Influenza'], days: [7, 16], weight: 8, febrile: true },
  bronchitis: { code: ['10509002', 'Acute bronchitis'], days: [10, 25], weight: 12, febrile: true },
  pneumonia: { code: ['233604007', 'Pneumonia'], days: [21, 45], weight: 4, febrile: true, emergency: true },
  uti: { code: ['68566005', 'Urinary tract infectious disease'], days: [4, 10], weight: 14, febrile: true },
  gastroenteritis: { code: ['25374005', 'Gastroenteritis'], days: [3, 9], weight: 10 },
  cellulitis: { code: ['128045006', 'Cellulitis'], bodySite: ['30021000', 'Lower leg structure'], days: [10, 21], weight: 5, febrile: true },
  ankleSprain: { code: ['44465007', 'Sprain of ankle'], bodySite: ['70258002', 'Ankle joint structure'], days: [14, 56], weight: 7, emergency: true },
  backPain: { code: ['279039007', 'Low back pain'], days: [14, 90], weight: 10 },
};

// ------------------------------------------------------------------ laboratory

export interface Analyte {
  readonly loinc: Term;
  readonly units: string;
  readonly precision: number;
  /** Reference range; a missing bound is open. */
  readonly low?: number;
  readonly high?: number;
}

export const ANALYTES = {
  haemoglobin: { loinc: ['718-7', 'Hemoglobin [Mass/volume] in Blood'], units: 'g/L', precision: 0, low: 120, high: 170 },
  wbc: { loinc: ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count'], units: '10*9/L', precision: 1, low: 4, high: 11 },
  platelets: { loinc: ['777-3', 'Platelets [#/volume] in Blood by Automated count'], units: '10*9/L', precision: 0, low: 150, high: 400 },
  haematocrit: { loinc: ['4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count'], units: '%', precision: 1, low: 36, high: 50 },
  sodium: { loinc: ['2951-2', 'Sodium [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 0, low: 135, high: 145 },
  potassium: { loinc: ['2823-3', 'Potassium [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 1, low: 3.5, high: 5.1 },
  chloride: { loinc: ['2075-0', 'Chloride [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 0, low: 98, high: 107 },
  bicarbonate: { loinc: ['1963-8', 'Bicarbonate [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 0, low: 22, high: 29 },
  urea: { loinc: ['22664-7', 'Urea [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 1, low: 2.5, high: 7.8 },
  creatinine: { loinc: ['14682-9', 'Creatinine [Moles/volume] in Serum or Plasma'], units: 'umol/L', precision: 0, low: 45, high: 110 },
  glucose: { loinc: ['14749-6', 'Glucose [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 1, low: 3.9, high: 7.8 },
  egfr: { loinc: ['62238-1', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)'], units: 'mL/min/{1.73_m2}', precision: 0, low: 60 },
  hba1c: { loinc: ['4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'], units: '%', precision: 1, low: 4, high: 5.6 },
  cholesterol: { loinc: ['14647-2', 'Cholesterol [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 1, high: 5.2 },
  hdl: { loinc: ['14646-4', 'Cholesterol in HDL [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 2, low: 1 },
  ldl: { loinc: ['22748-8', 'Cholesterol in LDL [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 1, high: 3 },
  triglycerides: { loinc: ['14927-8', 'Triglyceride [Moles/volume] in Serum or Plasma'], units: 'mmol/L', precision: 1, high: 1.7 },
  alt: { loinc: ['1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma'], units: 'U/L', precision: 0, low: 7, high: 56 },
  ast: { loinc: ['1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma'], units: 'U/L', precision: 0, low: 10, high: 40 },
  alp: { loinc: ['6768-6', 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma'], units: 'U/L', precision: 0, low: 44, high: 147 },
  bilirubin: { loinc: ['14631-6', 'Bilirubin.total [Moles/volume] in Serum or Plasma'], units: 'umol/L', precision: 0, low: 3, high: 21 },
  albumin: { loinc: ['1751-7', 'Albumin [Mass/volume] in Serum or Plasma'], units: 'g/L', precision: 0, low: 35, high: 50 },
  crp: { loinc: ['1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma'], units: 'mg/L', precision: 0, high: 5 },
  tsh: { loinc: ['3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'], units: 'm[IU]/L', precision: 2, low: 0.4, high: 4 },
} as const satisfies Record<string, Analyte>;

export type AnalyteName = keyof typeof ANALYTES;

export type PanelName = 'cbc' | 'bmp' | 'lipids' | 'liver' | 'hba1c' | 'crp' | 'tsh';

export interface Panel {
  readonly loinc: Term;
  readonly specimen: Term;
  readonly analytes: readonly AnalyteName[];
}

const BLOOD: Term = ['119297000', 'Blood specimen'];
const SERUM: Term = ['119364003', 'Serum specimen'];

export const PANELS: Readonly<Record<PanelName, Panel>> = {
  cbc: { loinc: ['58410-2', 'CBC panel - Blood by Automated count'], specimen: BLOOD, analytes: ['haemoglobin', 'wbc', 'platelets', 'haematocrit'] },
  bmp: {
    loinc: ['51990-0', 'Basic metabolic panel - Blood'],
    specimen: SERUM,
    analytes: ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'glucose', 'egfr'],
  },
  lipids: { loinc: ['24331-1', 'Lipid panel - Serum or Plasma'], specimen: SERUM, analytes: ['cholesterol', 'hdl', 'ldl', 'triglycerides'] },
  liver: { loinc: ['24325-3', 'Hepatic function panel - Serum or Plasma'], specimen: SERUM, analytes: ['alt', 'ast', 'alp', 'bilirubin', 'albumin'] },
  hba1c: { loinc: ['4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'], specimen: BLOOD, analytes: ['hba1c'] },
  crp: { loinc: ['1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma'], specimen: SERUM, analytes: ['crp'] },
  tsh: { loinc: ['3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'], specimen: SERUM, analytes: ['tsh'] },
};

// ------------------------------------------------------------------ allergies

export interface Allergen {
  readonly substance: Term;
  /** at-codes of adverse_reaction_risk: at0121 food, at0122 medication, at0123 other. */
  readonly category: 'food' | 'medication' | 'other';
  readonly reactions: readonly Term[];
  readonly route: Term;
  readonly intolerance?: boolean;
  readonly weight: number;
}

const ORAL: Term = ['26643006', 'Oral route'];
const RESPIRATORY: Term = ['447694001', 'Respiratory tract route'];
const SKIN: Term = ['6064005', 'Topical route'];
const URTICARIA: Term = ['126485001', 'Urticaria'];
const RASH: Term = ['271807003', 'Eruption of skin'];
const ANAPHYLAXIS: Term = ['39579001', 'Anaphylaxis'];
const ANGIOEDEMA: Term = ['41291007', 'Angioedema'];
const NAUSEA: Term = ['422587007', 'Nausea'];
const DYSPNOEA: Term = ['267036007', 'Dyspnea'];
const ITCHING: Term = ['418290006', 'Itching'];
const RHINITIS: Term = ['61582004', 'Allergic rhinitis'];

export const ALLERGENS: readonly Allergen[] = [
  { substance: ['764146007', 'Penicillin'], category: 'medication', reactions: [URTICARIA, RASH, ANAPHYLAXIS, ANGIOEDEMA], route: ORAL, weight: 30 },
  { substance: ['372687004', 'Amoxicillin'], category: 'medication', reactions: [RASH, URTICARIA], route: ORAL, weight: 10 },
  { substance: ['387406002', 'Sulfamethoxazole'], category: 'medication', reactions: [RASH, ITCHING], route: ORAL, weight: 6 },
  { substance: ['387207008', 'Ibuprofen'], category: 'medication', reactions: [DYSPNOEA, URTICARIA], route: ORAL, weight: 6 },
  { substance: ['387494007', 'Codeine'], category: 'medication', reactions: [NAUSEA], route: ORAL, intolerance: true, weight: 8 },
  { substance: ['256349002', 'Peanut'], category: 'food', reactions: [ANAPHYLAXIS, URTICARIA, ANGIOEDEMA], route: ORAL, weight: 8 },
  { substance: ['102263004', 'Eggs'], category: 'food', reactions: [URTICARIA, NAUSEA], route: ORAL, weight: 4 },
  { substance: ['3718001', "Cow's milk"], category: 'food', reactions: [NAUSEA], route: ORAL, intolerance: true, weight: 5 },
  { substance: ['256277009', 'Grass pollen'], category: 'other', reactions: [RHINITIS, ITCHING], route: RESPIRATORY, weight: 12 },
  { substance: ['264287008', 'Animal dander'], category: 'other', reactions: [RHINITIS, DYSPNOEA], route: RESPIRATORY, weight: 6 },
  { substance: ['111088007', 'Latex'], category: 'other', reactions: [RASH, URTICARIA], route: SKIN, weight: 3 },
];

// ------------------------------------------------------------------ medications

export interface Medication {
  readonly rxnorm: Term;
  /** What is ordered, as written: "Metformin 500 mg tablet". */
  readonly product: string;
  readonly route: Term;
  readonly doseUnit: string;
  readonly dose: number;
  /** Administrations per day. */
  readonly perDay: number;
  readonly asNeeded?: string;
  /** Days of a course; none: long-term. */
  readonly courseDays?: number;
}

export const MEDICATIONS = {
  amlodipine: { rxnorm: ['17767', 'Amlodipine'], product: 'Amlodipine 5 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 1 },
  ramipril: { rxnorm: ['35296', 'Ramipril'], product: 'Ramipril 5 mg capsule', route: ORAL, doseUnit: 'capsule', dose: 1, perDay: 1 },
  metformin: { rxnorm: ['6809', 'Metformin'], product: 'Metformin 500 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 2 },
  atorvastatin: { rxnorm: ['83367', 'Atorvastatin'], product: 'Atorvastatin 20 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 1 },
  salbutamol: {
    rxnorm: ['435', 'Albuterol'],
    product: 'Salbutamol 100 micrograms/dose inhaler',
    route: RESPIRATORY,
    doseUnit: 'puff',
    dose: 2,
    perDay: 4,
    asNeeded: 'shortness of breath or wheeze',
  },
  tiotropium: { rxnorm: ['69120', 'Tiotropium'], product: 'Tiotropium 18 micrograms inhalation capsule', route: RESPIRATORY, doseUnit: 'capsule', dose: 1, perDay: 1 },
  levothyroxine: { rxnorm: ['10582', 'Levothyroxine'], product: 'Levothyroxine 50 micrograms tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 1 },
  paracetamol: { rxnorm: ['161', 'Acetaminophen'], product: 'Paracetamol 500 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 2, perDay: 4, asNeeded: 'pain' },
  sertraline: { rxnorm: ['36437', 'Sertraline'], product: 'Sertraline 50 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 1 },
  apixaban: { rxnorm: ['1364430', 'Apixaban'], product: 'Apixaban 5 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 2 },
  omeprazole: { rxnorm: ['7646', 'Omeprazole'], product: 'Omeprazole 20 mg capsule', route: ORAL, doseUnit: 'capsule', dose: 1, perDay: 1 },
  amoxicillin: { rxnorm: ['723', 'Amoxicillin'], product: 'Amoxicillin 500 mg capsule', route: ORAL, doseUnit: 'capsule', dose: 1, perDay: 3, courseDays: 7 },
  doxycycline: { rxnorm: ['3640', 'Doxycycline'], product: 'Doxycycline 100 mg capsule', route: ORAL, doseUnit: 'capsule', dose: 1, perDay: 1, courseDays: 7 },
  nitrofurantoin: { rxnorm: ['7454', 'Nitrofurantoin'], product: 'Nitrofurantoin 100 mg modified-release capsule', route: ORAL, doseUnit: 'capsule', dose: 1, perDay: 2, courseDays: 3 },
  flucloxacillin: { rxnorm: ['4349', 'Floxacillin'], product: 'Flucloxacillin 500 mg capsule', route: ORAL, doseUnit: 'capsule', dose: 1, perDay: 4, courseDays: 7 },
  ibuprofen: { rxnorm: ['5640', 'Ibuprofen'], product: 'Ibuprofen 400 mg tablet', route: ORAL, doseUnit: 'tablet', dose: 1, perDay: 3, courseDays: 10 },
} as const satisfies Record<string, Medication>;

export type MedicationName = keyof typeof MEDICATIONS;

/** Long-term treatment of each chronic condition. */
export const CHRONIC_TREATMENT: Readonly<Partial<Record<ChronicCondition, MedicationName>>> = {
  hypertension: 'amlodipine',
  diabetes: 'metformin',
  hyperlipidaemia: 'atorvastatin',
  asthma: 'salbutamol',
  copd: 'tiotropium',
  hypothyroidism: 'levothyroxine',
  osteoarthritis: 'paracetamol',
  depression: 'sertraline',
  atrialFibrillation: 'apixaban',
  gord: 'omeprazole',
  ckd: 'ramipril',
};

/** Short courses for acute problems (an alternative when the patient is allergic to the first). */
export const ACUTE_TREATMENT: Readonly<Partial<Record<AcuteCondition, readonly MedicationName[]>>> = {
  pneumonia: ['amoxicillin', 'doxycycline'],
  bronchitis: ['amoxicillin', 'doxycycline'],
  uti: ['nitrofurantoin'],
  cellulitis: ['flucloxacillin', 'doxycycline'],
  ankleSprain: ['ibuprofen', 'paracetamol'],
  backPain: ['ibuprofen', 'paracetamol'],
};

/** Clinicians and places composing the records. */
export const CLINICIANS: readonly string[] = [
  'Dr Amelia Hart',
  'Dr Rajesh Varma',
  'Dr Sophie Lindqvist',
  'Dr Kwame Mensah',
  'Dr Helen O\u2019Brien',
  'Dr Tomasz Nowak',
  'Dr Grace Adeyemi',
  'Dr Liam Murphy',
  'Nurse Ruth Ellis',
  'Nurse Daniel Price',
];

export const PRACTICES: readonly string[] = ['Riverside Medical Practice', 'Hillview Surgery', 'Market Street Health Centre', 'Oakwood Family Practice'];

export const HOSPITAL = 'St Mary\u2019s General Hospital';
export const LABORATORY = 'Central Pathology Laboratory';
