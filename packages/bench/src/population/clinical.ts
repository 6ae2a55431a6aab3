/**
 * What the generated records say, before it is written as compositions: the facts of one
 * encounter (vital signs, problems, allergies, orders, laboratory results).
 */
import type { Term } from './rm.js';
import type { Allergen, AnalyteName, Medication, Panel } from './terminology.js';

export interface VitalSigns {
  readonly time: number;
  readonly systolic: number;
  readonly diastolic: number;
  readonly position: Term;
  readonly arm: Term;
  readonly cuff: Term;
  readonly pulse: number;
  readonly respiration: number;
  readonly spo2: number;
  readonly temperature: number;
  readonly temperatureSite: Term;
  /** kg, cm and kg/m2 when measured; BMI is computed from this weight and the patient's height. */
  readonly weight?: number;
  readonly height?: number;
  readonly bmi?: number;
}

export type Severity = 'mild' | 'moderate' | 'severe';

export interface Problem {
  readonly code: Term;
  readonly bodySite?: Term;
  readonly onset: number;
  readonly recognised: number;
  readonly severity?: Severity;
  readonly certainty: 'probable' | 'confirmed';
  readonly chronic: boolean;
  /** When it resolved, once recorded. */
  resolved?: number;
  description?: string;
}

export interface Allergy {
  readonly allergen: Allergen;
  readonly reaction: Term;
  readonly criticality: 'low' | 'high';
  readonly severity: Severity;
  readonly verification: 'unconfirmed' | 'confirmed';
  readonly firstOnset: number;
  readonly lastOnset: number;
  readonly recorded: number;
}

export interface MedicationOrder {
  readonly medication: Medication;
  readonly indication: Term;
  readonly start: number;
  /** The end of a course; long-term orders have none. */
  readonly stop?: number;
  readonly orderId: string;
}

export interface PanelResult {
  readonly panel: Panel;
  readonly values: readonly (readonly [AnalyteName, number])[];
  readonly collected: number;
  readonly received: number;
  readonly issued: number;
  readonly specimenId: string;
  readonly conclusion?: string;
}
