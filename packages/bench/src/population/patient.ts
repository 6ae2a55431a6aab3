/**
 * One synthetic patient's longitudinal record. A patient has a profile (sex, age, height,
 * weight and its trend, blood pressure, laboratory baselines, smoking), chronic conditions
 * (present at registration or diagnosed later, each with its effect on vital signs and
 * laboratory values and its long-term treatment), acute episodes that present, are treated
 * and resolve, allergies (known at registration or found after a reaction), and encounters:
 * routine reviews (more often with more conditions), presentations of acute problems
 * (emergency care for some), follow-ups and diagnoses. Every encounter records vital signs;
 * problem list and adverse reaction list are one composition each, versioned as they change;
 * medication orders and laboratory reports are written when something is ordered or tested.
 */
import type { Allergy, MedicationOrder, PanelResult, Problem, Severity, VitalSigns } from './clinical.js';
import {
  TEMPLATES,
  adverseReactionListComposition,
  laboratoryReportComposition,
  medicationOrderComposition,
  problemListComposition,
  vitalSignsComposition,
  type CompositionContext,
} from './compositions.js';
import { Random, clamp, round, stableUuid } from './random.js';
import { Setting, type Json, type Term } from './rm.js';
import {
  ACUTE,
  ACUTE_TREATMENT,
  ALLERGENS,
  ANALYTES,
  CHRONIC,
  CHRONIC_TREATMENT,
  CLINICIANS,
  HOSPITAL,
  LABORATORY,
  MEDICATIONS,
  PANELS,
  PRACTICES,
  type AcuteCondition,
  type Allergen,
  type AnalyteName,
  type ChronicCondition,
  type MedicationName,
  type PanelName,
} from './terminology.js';
import { DAY, HOUR, YEAR, officeHours } from './time.js';

export interface PopulationOptions {
  readonly seed: number;
  /** Years of records before `end`. */
  readonly years: number;
  /** The instant the records end (ISO 8601). */
  readonly end: string;
}

export const DEFAULT_POPULATION: Omit<PopulationOptions, 'seed'> = { years: 5, end: '2025-01-01T00:00:00Z' };

/** The system id in the version uids the generator writes (the CDR stores its own). */
export const GENERATOR_SYSTEM_ID = 'population.generator';

export interface GeneratedComposition {
  readonly objectId: string;
  readonly version: number;
  readonly templateId: string;
  readonly time: number;
  readonly composition: Json;
}

export interface GeneratedPatient {
  readonly index: number;
  readonly ehrId: string;
  readonly subjectId: string;
  readonly ehrStatus: Json;
  readonly compositions: readonly GeneratedComposition[];
}

type Sex = 'female' | 'male';

interface Chronic {
  readonly condition: ChronicCondition;
  readonly onset: number;
  readonly diagnosed: number;
  /** Start of long-term treatment, when treated. */
  readonly treatedFrom: number | undefined;
  /** A per-patient severity of the condition's effect (about 1). */
  readonly intensity: number;
}

interface Episode {
  readonly condition: AcuteCondition;
  readonly onset: number;
  readonly presented: number;
  readonly resolves: number;
  readonly severity: Severity;
}

interface PendingAllergy {
  readonly allergen: Allergen;
  readonly firstOnset: number;
  readonly knownFrom: number;
}

type Reason = 'registration' | 'routine' | 'diagnosis' | 'acute' | 'follow-up';

interface Encounter {
  readonly time: number;
  readonly reason: Reason;
  readonly episode?: Episode;
}

const POSITIONS: readonly (readonly [Term, number])[] = [
  [['at1001', 'Sitting'], 80],
  [['at1003', 'Lying'], 12],
  [['at1000', 'Standing'], 8],
];
const ARMS: readonly (readonly [Term, number])[] = [
  [['at0025', 'Right arm'], 60],
  [['at0026', 'Left arm'], 40],
];
const CUFF_ADULT: Term = ['at0017', 'Adult'];
const CUFF_LARGE: Term = ['at0016', 'Large Adult'];
const CUFF_SMALL: Term = ['at1008', 'Small Adult'];
const TEMPERATURE_SITES: readonly (readonly [Term, number])[] = [
  [['at0023', 'Ear canal'], 50],
  [['at0022', 'Mouth'], 25],
  [['at0024', 'Axilla'], 15],
  [['at0061', 'Forehead'], 10],
];

/** Chance of a condition at registration, and its yearly incidence afterwards. */
function risk(condition: ChronicCondition, p: { age: number; bmi: number; sex: Sex; smoker: boolean; has: (c: ChronicCondition) => boolean }): [number, number] {
  const { age, bmi } = p;
  switch (condition) {
    case 'hypertension':
      return [clamp(0.02 + 0.009 * (age - 30) + 0.015 * (bmi - 25), 0.01, 0.7), clamp(0.004 + 0.0006 * (age - 30) + 0.002 * (bmi - 25), 0.002, 0.05)];
    case 'diabetes':
      return [clamp(0.01 + 0.003 * (age - 30) + 0.02 * (bmi - 27), 0.005, 0.35), clamp(0.003 + 0.004 * (bmi - 27), 0.001, 0.04)];
    case 'hyperlipidaemia':
      return [clamp(0.04 + 0.006 * (age - 30), 0.02, 0.45), 0.012];
    case 'asthma':
      return [0.08, 0.002];
    case 'copd':
      return p.smoker ? [clamp(0.005 * (age - 40), 0, 0.35), 0.01] : [clamp(0.0007 * (age - 40), 0, 0.04), 0.001];
    case 'ckd':
      return [clamp(0.0025 * (age - 45) + (p.has('diabetes') ? 0.08 : 0) + (p.has('hypertension') ? 0.04 : 0), 0, 0.4), clamp(0.0002 * (age - 45), 0, 0.02)];
    case 'hypothyroidism':
      return [p.sex === 'female' ? 0.06 : 0.015, p.sex === 'female' ? 0.004 : 0.001];
    case 'osteoarthritis':
      return [clamp(0.007 * (age - 40), 0, 0.5), clamp(0.0006 * (age - 40), 0, 0.03)];
    case 'depression':
      return [0.09, 0.007];
    case 'atrialFibrillation':
      return [clamp(0.002 * (age - 50), 0, 0.15), clamp(0.0004 * (age - 55), 0, 0.02)];
    case 'gord':
      return [0.1, 0.005];
  }
}

const CHRONIC_ORDER: readonly ChronicCondition[] = [
  'hypertension',
  'diabetes',
  'hyperlipidaemia',
  'asthma',
  'copd',
  'ckd',
  'hypothyroidism',
  'osteoarthritis',
  'depression',
  'atrialFibrillation',
  'gord',
];

/** 0 before `from`, 1 after `to`, linear between. */
function ramp(t: number, from: number, to: number): number {
  return t <= from ? 0 : t >= to ? 1 : (t - from) / (to - from);
}

/** How far a treatment started at `from` has taken effect at `t` (0..1). */
function treated(t: number, from: number | undefined, days = 45): number {
  return from === undefined || t < from ? 0 : 1 - Math.exp(-(t - from) / (days * DAY));
}

/** eGFR by CKD-EPI 2021 (creatinine in umol/L). */
function egfr(creatinine: number, age: number, sex: Sex): number {
  const scr = creatinine / 88.4;
  const kappa = sex === 'female' ? 0.7 : 0.9;
  const alpha = sex === 'female' ? -0.241 : -0.302;
  const value = 142 * Math.min(scr / kappa, 1) ** alpha * Math.max(scr / kappa, 1) ** -1.2 * 0.9938 ** age * (sex === 'female' ? 1.012 : 1);
  return value;
}

class PatientSimulation {
  private readonly r: Random;
  private readonly start: number;
  private readonly end: number;
  private readonly sex: Sex;
  private readonly birth: number;
  private readonly height: number;
  private readonly weight0: number;
  private readonly weightSlope: number;
  private readonly smoker: boolean;
  private readonly systolic0: number;
  private readonly diastolic0: number;
  private readonly pulse0: number;
  private readonly creatinine0: number;
  private readonly hba1c0: number;
  private readonly cholesterol0: number;
  private readonly hdl0: number;
  private readonly triglycerides0: number;
  private readonly tsh0: number;
  private readonly haemoglobin0: number;
  private readonly practice: string;
  private readonly doctor: string;
  private readonly nurse: string;
  private readonly chronic: Chronic[] = [];
  private readonly episodes: Episode[] = [];
  private readonly pendingAllergies: PendingAllergy[] = [];

  // the record as it is written
  private readonly out: GeneratedComposition[] = [];
  private readonly problems: { problem: Problem; key: string }[] = [];
  private problemListVersion = 0;
  private readonly allergies: Allergy[] = [];
  private allergyListVersion = 0;
  private readonly lastTest = new Map<PanelName, number>();
  private readonly lastOrder = new Map<MedicationName, number>();
  private recordedHeight: number | undefined;
  private counter = 0;

  constructor(
    private readonly options: PopulationOptions,
    readonly index: number,
  ) {
    const r = Random.for(options.seed, 'patient', index);
    this.r = r;
    this.end = Date.parse(options.end);
    const recordStart = this.end - options.years * YEAR;
    this.start = r.chance(0.75) ? recordStart : recordStart + r.uniform(0, 0.6) * (this.end - recordStart);
    this.sex = r.chance(0.51) ? 'female' : 'male';
    const age = clamp(r.normal(50, 18), 18, 94);
    this.birth = this.start - age * YEAR - r.uniform(0, YEAR);
    this.height = this.sex === 'female' ? r.normal(163, 6.5) : r.normal(177, 7);
    const bmi = clamp(r.logNormal(26.5, 0.17), 16.5, 50);
    this.weight0 = bmi * (this.height / 100) ** 2;
    this.weightSlope = r.normal(0.25, 1.0);
    this.smoker = r.chance(0.16);
    this.systolic0 = r.normal(118, 9);
    this.diastolic0 = r.normal(76, 6);
    this.pulse0 = r.normal(72, 8);
    this.creatinine0 = this.sex === 'female' ? r.normal(68, 9) : r.normal(85, 11);
    this.hba1c0 = r.normal(5.3, 0.3);
    this.cholesterol0 = r.normal(5.0, 0.7);
    this.hdl0 = this.sex === 'female' ? r.normal(1.55, 0.3) : r.normal(1.25, 0.25);
    this.triglycerides0 = r.logNormal(1.3, 0.35);
    this.tsh0 = r.logNormal(1.8, 0.35);
    this.haemoglobin0 = this.sex === 'female' ? r.normal(134, 9) : r.normal(149, 10);
    this.practice = r.pick(PRACTICES);
    this.doctor = r.pick(CLINICIANS.slice(0, 8));
    this.nurse = r.pick(CLINICIANS.slice(8));
    this.planConditions(age, bmi);
    this.planEpisodes();
    this.planAllergies();
  }

  private age(t: number): number {
    return (t - this.birth) / YEAR;
  }

  private has(condition: ChronicCondition, t = Number.POSITIVE_INFINITY): Chronic | undefined {
    return this.chronic.find((c) => c.condition === condition && c.onset <= t);
  }

  private planConditions(age: number, bmi: number): void {
    const r = this.r;
    const adult = this.birth + 18 * YEAR;
    for (const condition of CHRONIC_ORDER) {
      const [prevalence, incidence] = risk(condition, { age, bmi, sex: this.sex, smoker: this.smoker, has: (c) => this.has(c) !== undefined });
      const treatment = CHRONIC_TREATMENT[condition];
      if (r.chance(prevalence)) {
        const diagnosed = Math.max(adult, this.start - r.uniform(0.3, 12) * YEAR);
        const onset = diagnosed - r.uniform(0, 1) * YEAR;
        const treatedFrom = treatment && r.chance(0.9) ? diagnosed + r.uniform(0, 60) * DAY : undefined;
        this.chronic.push({ condition, onset, diagnosed, treatedFrom, intensity: r.logNormal(1, 0.25) });
        continue;
      }
      const diagnosed = this.start + r.exponential(1 / incidence) * YEAR;
      if (diagnosed < this.end - 30 * DAY) {
        const onset = diagnosed - r.uniform(1, 24) * 30 * DAY;
        const treatedFrom = treatment && r.chance(0.85) ? diagnosed : undefined;
        this.chronic.push({ condition, onset, diagnosed, treatedFrom, intensity: r.logNormal(1, 0.25) });
      }
    }
  }

  private planEpisodes(): void {
    const r = this.r;
    const respiratory = this.has('copd') || this.has('asthma');
    const rate = 0.45 + (respiratory ? 0.3 : 0) + (this.age(this.start) > 70 ? 0.15 : 0);
    const weights = (Object.keys(ACUTE) as AcuteCondition[]).map((c): [AcuteCondition, number] => [
      c,
      ACUTE[c].weight * (c === 'pneumonia' && (respiratory || this.age(this.start) > 70) ? 3 : 1),
    ]);
    for (let t = this.start + r.exponential(1 / rate) * YEAR; t < this.end - 2 * DAY; t += r.exponential(1 / rate) * YEAR) {
      const condition = r.weighted(weights);
      const info = ACUTE[condition];
      const presented = info.emergency ? t + r.uniform(2, 30) * HOUR : officeHours(t + r.uniform(0.5, 3) * DAY, r.int(500, 1060));
      const severity: Severity = r.weighted([
        ['mild', 55],
        ['moderate', 35],
        ['severe', condition === 'pneumonia' ? 25 : 10],
      ]);
      this.episodes.push({ condition, onset: t, presented, resolves: t + r.uniform(info.days[0], info.days[1]) * DAY, severity });
    }
  }

  private planAllergies(): void {
    const r = this.r;
    const weights = ALLERGENS.map((a): [Allergen, number] => [a, a.weight]);
    if (r.chance(0.28)) {
      const count = r.chance(0.25) ? 2 : 1;
      for (let i = 0; i < count; i += 1) {
        const allergen = r.weighted(weights);
        if (!this.pendingAllergies.some((p) => p.allergen === allergen)) {
          const firstOnset = Math.max(this.birth + 2 * YEAR, this.start - r.uniform(1, 30) * YEAR);
          this.pendingAllergies.push({ allergen, firstOnset, knownFrom: this.start });
        }
      }
    }
    if (r.chance(0.02 * this.options.years)) {
      const allergen = r.weighted(weights.filter(([a]) => a.category !== 'medication'));
      const at = r.uniform(this.start, this.end);
      if (!this.pendingAllergies.some((p) => p.allergen === allergen)) {
        this.pendingAllergies.push({ allergen, firstOnset: at, knownFrom: at + r.uniform(3, 60) * DAY });
      }
    }
  }

  private encounters(): Encounter[] {
    const r = this.r;
    const list: Encounter[] = [{ time: officeHours(this.start, r.int(500, 1060)), reason: 'registration' }];
    const known = this.chronic.filter((c) => c.diagnosed <= this.start).length;
    const rate = Math.min(7, 1.2 + 0.8 * known);
    for (let t = this.start + r.exponential(1 / rate) * YEAR; t < this.end; t += r.exponential(1 / rate) * YEAR) {
      list.push({ time: officeHours(t, r.int(500, 1060)), reason: 'routine' });
    }
    for (const c of this.chronic) {
      if (c.diagnosed > this.start) {
        list.push({ time: officeHours(c.diagnosed, r.int(500, 1060)), reason: 'diagnosis' });
      }
    }
    for (const episode of this.episodes) {
      list.push({ time: episode.presented, reason: 'acute', episode });
      if (episode.condition === 'pneumonia' || episode.condition === 'cellulitis' || (episode.severity === 'severe' && r.chance(0.5))) {
        list.push({ time: officeHours(episode.presented + r.uniform(12, 24) * DAY, r.int(500, 1060)), reason: 'follow-up', episode });
      }
    }
    return list.filter((e) => e.time < this.end).sort((a, b) => a.time - b.time);
  }

  // ---------------------------------------------------------------- values

  private vitalSigns(time: number, encounter: Encounter, first: boolean): VitalSigns {
    const r = this.r;
    const age = this.age(time);
    const htn = this.has('hypertension');
    let htnEffect = 0;
    if (htn) {
      htnEffect = 24 * htn.intensity * ramp(time, htn.onset, htn.onset + YEAR) * (1 - 0.6 * treated(time, htn.treatedFrom));
    }
    const acute = encounter.reason === 'acute' ? encounter.episode : undefined;
    const fever = acute && ACUTE[acute.condition].febrile ? (acute.severity === 'mild' ? r.uniform(0.4, 1.2) : r.uniform(1.1, 2.6)) : 0;
    const pain = acute && (acute.condition === 'ankleSprain' || acute.condition === 'backPain') ? 8 : 0;
    const systolic = Math.round(clamp(this.systolic0 + 0.45 * (age - 40) + htnEffect + pain + r.normal(0, 7), 85, 230));
    const diastolic = Math.round(clamp(this.diastolic0 + 0.1 * (age - 40) + 0.45 * htnEffect + pain / 2 + r.normal(0, 5), 45, Math.min(130, systolic - 20)));
    const af = this.has('atrialFibrillation', time);
    const pulse = Math.round(clamp(this.pulse0 + fever * 9 + pain + (af ? r.normal(14, 12) : 0) + r.normal(0, 5), 38, 170));
    const pneumonia = acute?.condition === 'pneumonia';
    const copd = this.has('copd', time);
    const respiration = Math.round(clamp(r.normal(15, 1.5) + fever * 2 + (pneumonia ? r.uniform(4, 10) : 0) + (copd ? 2 : 0), 8, 40));
    const spo2 = Math.round(clamp(r.normal(97.6, 0.9) - (copd ? r.uniform(2, 5) : 0) - (pneumonia ? r.uniform(3, 9) : 0), 78, 100));
    const temperature = round(clamp(r.normal(36.7, 0.25) + fever, 35, 41.5), 1);
    const years = (time - this.start) / YEAR;
    const weightNow = this.weight0 + this.weightSlope * years + (acute?.condition === 'gastroenteritis' ? -1.2 : 0);
    const measureWeight = first || r.chance(encounter.reason === 'routine' || encounter.reason === 'diagnosis' ? 0.85 : 0.35);
    const measureHeight = first || this.recordedHeight === undefined || r.chance(0.08);
    const weight = measureWeight ? round(weightNow + r.normal(0, 0.6), 1) : undefined;
    const height = measureHeight ? round(this.height + r.normal(0, 0.4), 1) : undefined;
    if (height !== undefined) {
      this.recordedHeight = height;
    }
    const bmi = weight !== undefined && this.recordedHeight !== undefined ? round(weight / (this.recordedHeight / 100) ** 2, 1) : undefined;
    const currentBmi = this.weight0 / (this.height / 100) ** 2;
    return {
      time,
      systolic,
      diastolic,
      position: encounter.reason === 'acute' && ACUTE[(encounter.episode as Episode).condition].emergency ? ['at1003', 'Lying'] : r.weighted(POSITIONS),
      arm: r.weighted(ARMS),
      cuff: currentBmi > 32 ? CUFF_LARGE : currentBmi < 19 ? CUFF_SMALL : CUFF_ADULT,
      pulse,
      respiration,
      spo2,
      temperature,
      temperatureSite: r.weighted(TEMPERATURE_SITES),
      ...(weight === undefined ? {} : { weight }),
      ...(height === undefined ? {} : { height }),
      ...(bmi === undefined ? {} : { bmi }),
    };
  }

  private analyte(name: AnalyteName, t: number, infection: Episode | undefined): number {
    const r = this.r;
    const age = this.age(t);
    const ckd = this.has('ckd');
    const ckdFactor = ckd ? 1 + (0.8 + 0.1 * ((t - ckd.onset) / YEAR)) * ckd.intensity * ramp(t, ckd.onset - YEAR, ckd.onset + YEAR) : 1;
    const creatinine = this.creatinine0 * ckdFactor * r.logNormal(1, 0.05);
    const diabetes = this.has('diabetes');
    const hba1c =
      this.hba1c0 + (diabetes ? 2.6 * diabetes.intensity * ramp(t, diabetes.onset, diabetes.onset + YEAR) * (1 - 0.55 * treated(t, diabetes.treatedFrom, 90)) : 0) + r.normal(0, 0.15);
    const lipids = this.has('hyperlipidaemia');
    const statin = lipids ? treated(t, lipids.treatedFrom, 30) : 0;
    const cholesterol = (this.cholesterol0 + (lipids ? 1.5 * lipids.intensity * ramp(t, lipids.onset, lipids.onset + YEAR) : 0)) * (1 - 0.33 * statin) * r.logNormal(1, 0.04);
    const hdl = this.hdl0 * r.logNormal(1, 0.05);
    const triglycerides = this.triglycerides0 * (diabetes ? 1.4 : 1) * r.logNormal(1, 0.15);
    const bacterial = infection && (infection.condition === 'pneumonia' || infection.condition === 'cellulitis' || infection.condition === 'uti');
    const anaemia = ckd ? 0.88 : 1;
    const haemoglobin = this.haemoglobin0 * anaemia + r.normal(0, 4);
    switch (name) {
      case 'haemoglobin':
        return round(haemoglobin, 0);
      case 'haematocrit':
        return round(haemoglobin * 0.3 + r.normal(0, 0.6), 1);
      case 'wbc':
        return round(bacterial ? r.uniform(11.5, 21) : r.logNormal(6.4, 0.2), 1);
      case 'platelets':
        return round(r.normal(265, 45) * (bacterial ? 1.2 : 1), 0);
      case 'sodium':
        return round(r.normal(140, 1.8), 0);
      case 'potassium':
        return round(r.normal(4.3, 0.3) + (ckd ? 0.4 : 0), 1);
      case 'chloride':
        return round(r.normal(103, 2), 0);
      case 'bicarbonate':
        return round(r.normal(25.5, 1.8) - (ckd ? 2 : 0), 0);
      case 'urea':
        return round(r.logNormal(5.2, 0.18) * Math.sqrt(ckdFactor) * ckdFactor, 1);
      case 'creatinine':
        return round(creatinine, 0);
      case 'egfr':
        return round(Math.min(120, egfr(creatinine, age, this.sex)), 0);
      case 'glucose':
        return round(Math.max(3.2, 1.59 * hba1c - 2.59 + r.normal(0, 0.5)), 1);
      case 'hba1c':
        return round(hba1c, 1);
      case 'cholesterol':
        return round(cholesterol, 1);
      case 'hdl':
        return round(hdl, 2);
      case 'triglycerides':
        return round(triglycerides, 1);
      case 'ldl':
        return round(Math.max(0.5, cholesterol - hdl - triglycerides / 2.2), 1);
      case 'alt':
        return round(r.logNormal(24, 0.3) * (statin > 0 ? 1.15 : 1), 0);
      case 'ast':
        return round(r.logNormal(23, 0.25), 0);
      case 'alp':
        return round(r.logNormal(78, 0.22), 0);
      case 'bilirubin':
        return round(r.logNormal(9, 0.35), 0);
      case 'albumin':
        return round(r.normal(42, 2.5) - (bacterial ? 4 : 0), 0);
      case 'crp':
        return round(bacterial ? r.uniform(45, 220) : infection ? r.uniform(8, 40) : r.logNormal(2, 0.7), 0);
      case 'tsh': {
        const thyroid = this.has('hypothyroidism');
        if (!thyroid || t < thyroid.onset) {
          return round(this.tsh0 * r.logNormal(1, 0.1), 2);
        }
        const raised = this.tsh0 * (2 + 4 * thyroid.intensity);
        return round((raised - (raised - 1.9) * treated(t, thyroid.treatedFrom, 60)) * r.logNormal(1, 0.1), 2);
      }
    }
  }

  private panel(name: PanelName, collected: number, infection: Episode | undefined): PanelResult {
    const r = this.r;
    const panel = PANELS[name];
    const values = panel.analytes.map((a): [AnalyteName, number] => [a, this.analyte(a, collected, infection)]);
    const abnormal = values.filter(([a, v]) => {
      const analyte = ANALYTES[a] as { low?: number; high?: number };
      return (analyte.low !== undefined && v < analyte.low) || (analyte.high !== undefined && v > analyte.high);
    });
    const received = collected + r.uniform(0.5, 6) * HOUR;
    const conclusion = abnormal.length === 0 ? undefined : `Outside the reference range: ${abnormal.map(([a]) => ANALYTES[a].loinc[1].replace(/ \[.*$/, '')).join(', ')}.`;
    return {
      panel,
      values,
      collected,
      received,
      issued: received + r.uniform(1, 20) * HOUR,
      specimenId: `S${this.options.seed}-${this.index + 1}-${(this.counter += 1)}`,
      ...(conclusion ? { conclusion } : {}),
    };
  }

  // ---------------------------------------------------------------- writing

  private context(version: number, objectKey: string, time: number, encounter: Encounter, composer?: string): CompositionContext {
    const objectId = stableUuid(this.options.seed, this.index, objectKey);
    const emergency = encounter.reason === 'acute' && ACUTE[(encounter.episode as Episode).condition].emergency;
    return {
      uid: `${objectId}::${GENERATOR_SYSTEM_ID}::${version}`,
      time,
      composer: composer ?? (emergency ? 'Dr Emergency Department' : this.doctor),
      setting: emergency ? Setting.emergency : Setting.primaryMedical,
      facility: emergency ? HOSPITAL : this.practice,
    };
  }

  private write(context: CompositionContext, templateId: string, composition: Json): void {
    const [objectId, , version] = context.uid.split('::') as [string, string, string];
    this.out.push({ objectId, version: Number(version), templateId, time: context.time, composition });
  }

  private allergic(medication: MedicationName): boolean {
    const substance = MEDICATIONS[medication].rxnorm[1].toLowerCase();
    const penicillin = medication === 'amoxicillin' || medication === 'flucloxacillin';
    return this.allergies.some((a) => {
      const name = a.allergen.substance[1].toLowerCase();
      return name === substance || (penicillin && (name === 'penicillin' || name === 'amoxicillin'));
    });
  }

  private order(medication: MedicationName, indication: Term, start: number): MedicationOrder {
    const course = (MEDICATIONS[medication] as { courseDays?: number }).courseDays;
    this.lastOrder.set(medication, start);
    this.counter += 1;
    return {
      medication: MEDICATIONS[medication],
      indication,
      start,
      ...(course ? { stop: start + course * DAY } : {}),
      orderId: `RX-${this.options.seed}-${this.index + 1}-${this.counter}`,
    };
  }

  run(): GeneratedComposition[] {
    const r = this.r;
    const encounters = this.encounters();
    let vitalsCount = 0;
    let orderCount = 0;
    let reportCount = 0;
    for (const [n, encounter] of encounters.entries()) {
      const first = n === 0;
      const t = encounter.time;
      const routine = encounter.reason === 'routine' || encounter.reason === 'registration' || encounter.reason === 'diagnosis';
      const composer = routine && !first && r.chance(0.4) ? this.nurse : undefined;

      // vital signs, every encounter
      vitalsCount += 1;
      const vitals = this.context(1, `vital-signs/${vitalsCount}`, t, encounter, composer);
      this.write(vitals, TEMPLATES.vitalSigns, vitalSignsComposition(vitals, this.vitalSigns(t + r.int(1, 6) * 60_000, encounter, first)));

      // the problem list: diagnoses known by now, presentations, resolutions
      let problemsChanged = false;
      for (const c of this.chronic) {
        const key = `chronic/${c.condition}`;
        if (c.diagnosed <= t && !this.problems.some((p) => p.key === key)) {
          const info = CHRONIC[c.condition];
          this.problems.push({
            key,
            problem: {
              code: info.code,
              ...(info.bodySite ? { bodySite: info.bodySite } : {}),
              onset: c.onset,
              recognised: c.diagnosed <= this.start ? c.diagnosed : t,
              severity: c.intensity > 1.25 ? 'moderate' : 'mild',
              certainty: 'confirmed',
              chronic: true,
            },
          });
          problemsChanged = true;
        }
      }
      const episode = encounter.episode;
      if (encounter.reason === 'acute' && episode) {
        const info = ACUTE[episode.condition];
        this.problems.push({
          key: `acute/${episode.onset}`,
          problem: {
            code: info.code,
            ...(info.bodySite ? { bodySite: info.bodySite } : {}),
            onset: episode.onset,
            recognised: t,
            severity: episode.severity,
            certainty: r.chance(0.8) ? 'confirmed' : 'probable',
            chronic: false,
            ...(episode.severity === 'severe' ? { description: `${info.code[1]}, severe at presentation.` } : {}),
          },
        });
        problemsChanged = true;
      }
      for (const { key, problem } of this.problems) {
        if (!problem.chronic && problem.resolved === undefined && key.startsWith('acute/')) {
          const source = this.episodes.find((e) => `acute/${e.onset}` === key);
          if (source && source.resolves <= t && r.chance(0.8)) {
            problem.resolved = source.resolves;
            problemsChanged = true;
          }
        }
      }
      if (problemsChanged) {
        this.problemListVersion += 1;
        const context = this.context(this.problemListVersion, 'problem-list', t + r.int(8, 20) * 60_000, encounter, composer);
        this.write(context, TEMPLATES.problemList, problemListComposition(context, this.problems.map((p) => p.problem)));
      }

      // allergies known by now
      let allergiesChanged = false;
      for (const pending of this.pendingAllergies) {
        if (pending.knownFrom <= t && !this.allergies.some((a) => a.allergen === pending.allergen)) {
          const severe = pending.allergen.reactions[0] === undefined ? false : r.chance(pending.allergen.category === 'food' ? 0.3 : 0.15);
          this.allergies.push({
            allergen: pending.allergen,
            reaction: r.pick(pending.allergen.reactions),
            criticality: severe ? 'high' : 'low',
            severity: severe ? 'severe' : r.chance(0.6) ? 'mild' : 'moderate',
            verification: r.chance(0.7) ? 'confirmed' : 'unconfirmed',
            firstOnset: pending.firstOnset,
            lastOnset: pending.firstOnset + (r.chance(0.3) ? r.uniform(0, 5) * YEAR : 0),
            recorded: t,
          });
          allergiesChanged = true;
        }
      }
      if (allergiesChanged) {
        this.allergyListVersion += 1;
        const context = this.context(this.allergyListVersion, 'adverse-reaction-list', t + r.int(10, 22) * 60_000, encounter, composer);
        this.write(context, TEMPLATES.adverseReactions, adverseReactionListComposition(context, [...this.allergies].filter((a) => a.firstOnset <= t)));
      }

      // medication orders: new treatments, repeats of long-term ones, courses for acute problems
      const orderTime = t + r.int(15, 30) * 60_000;
      const orders: MedicationOrder[] = [];
      for (const c of this.chronic) {
        const medication = CHRONIC_TREATMENT[c.condition];
        if (!medication || c.treatedFrom === undefined || c.treatedFrom > t + DAY) {
          continue;
        }
        const last = this.lastOrder.get(medication);
        if (last === undefined || (routine && orderTime - last > 150 * DAY)) {
          orders.push(this.order(medication, CHRONIC[c.condition].code, orderTime));
        }
      }
      if (encounter.reason === 'acute' && episode) {
        const choices = ACUTE_TREATMENT[episode.condition] ?? [];
        const medication = choices.find((m) => !this.allergic(m));
        if (medication && (episode.condition !== 'bronchitis' || episode.severity !== 'mild')) {
          orders.push(this.order(medication, ACUTE[episode.condition].code, orderTime));
          if ((medication === 'amoxicillin' || medication === 'flucloxacillin') && r.chance(0.04)) {
            const allergen = ALLERGENS.find((a) => a.substance[1] === 'Amoxicillin') as Allergen;
            this.pendingAllergies.push({ allergen, firstOnset: orderTime + r.uniform(2, 5) * DAY, knownFrom: orderTime + 6 * DAY });
          }
        }
      }
      if (orders.length > 0) {
        orderCount += 1;
        const context = this.context(1, `medication-order/${orderCount}`, orderTime, encounter, composer === this.nurse ? this.doctor : composer);
        this.write(context, TEMPLATES.medicationOrder, medicationOrderComposition(context, orders));
      }

      // laboratory tests taken at the encounter, reported later
      const tests = new Set<PanelName>();
      const due = (panel: PanelName, days: number) => {
        const last = this.lastTest.get(panel);
        return last === undefined || t - last > days * DAY;
      };
      if (encounter.reason === 'acute' && episode && (episode.condition === 'pneumonia' || episode.condition === 'cellulitis')) {
        tests.add('cbc').add('crp');
        if (episode.condition === 'pneumonia') {
          tests.add('bmp');
        }
      }
      if (routine) {
        if (this.has('diabetes', t) && (due('hba1c', 160) || encounter.reason === 'diagnosis')) {
          tests.add('hba1c');
          if (due('bmp', 330)) {
            tests.add('bmp');
          }
        }
        if ((this.has('hypertension', t) && due('bmp', 330)) || (this.has('ckd', t) && due('bmp', 150))) {
          tests.add('bmp');
        }
        const lipids = this.has('hyperlipidaemia', t);
        if ((lipids || this.has('diabetes', t)) && due('lipids', 330)) {
          tests.add('lipids');
          if (lipids?.treatedFrom !== undefined && due('liver', 330)) {
            tests.add('liver');
          }
        }
        if (this.has('hypothyroidism', t) && due('tsh', 330)) {
          tests.add('tsh');
        }
        if (tests.size === 0 && r.chance(0.12)) {
          tests.add('cbc').add('bmp');
          if (this.age(t) > 40 && due('lipids', 3 * 365)) {
            tests.add('lipids');
          }
        }
      }
      if (tests.size > 0) {
        reportCount += 1;
        const collected = t + r.int(5, 25) * 60_000;
        const results = [...tests].map((panel) => {
          this.lastTest.set(panel, t);
          return this.panel(panel, collected, encounter.reason === 'acute' ? episode : undefined);
        });
        const issued = Math.max(...results.map((result) => result.issued));
        const context = { ...this.context(1, `laboratory-report/${reportCount}`, issued, encounter, LABORATORY), setting: Setting.other, facility: LABORATORY };
        this.write(context, TEMPLATES.laboratoryReport, laboratoryReportComposition(context, `LAB-${this.options.seed}-${this.index + 1}-${reportCount}`, results));
      }
    }
    return this.out;
  }

  ehrStatus(): { subjectId: string; ehrStatus: Json } {
    const subjectId = `P${this.options.seed}-${String(this.index + 1).padStart(7, '0')}`;
    const statusId = stableUuid(this.options.seed, this.index, 'ehr-status');
    return {
      subjectId,
      ehrStatus: {
        _type: 'EHR_STATUS',
        name: { _type: 'DV_TEXT', value: 'EHR Status' },
        archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
        uid: { _type: 'OBJECT_VERSION_ID', value: `${statusId}::${GENERATOR_SYSTEM_ID}::1` },
        subject: {
          _type: 'PARTY_SELF',
          external_ref: {
            _type: 'PARTY_REF',
            id: { _type: 'GENERIC_ID', value: subjectId, scheme: 'mrn' },
            namespace: 'population',
            type: 'PERSON',
          },
        },
        // about one patient in a hundred has opted out of population queries
        is_queryable: !Random.for(this.options.seed, 'consent', this.index).chance(0.01),
        is_modifiable: true,
      },
    };
  }
}

/** Patient `index` (from 0) of the population: the same on every run for the same options. */
export function generatePatient(options: PopulationOptions, index: number): GeneratedPatient {
  const simulation = new PatientSimulation(options, index);
  const compositions = simulation.run();
  const { subjectId, ehrStatus } = simulation.ehrStatus();
  return { index, ehrId: stableUuid(options.seed, index, 'ehr'), subjectId, ehrStatus, compositions };
}
