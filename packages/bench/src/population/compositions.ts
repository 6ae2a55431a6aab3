/**
 * The generated facts as compositions of our five templates (templates/*.opt), in canonical
 * JSON, with the node ids, names, code lists and units those templates allow.
 */
import type { Allergy, MedicationOrder, PanelResult, Problem, Severity, VitalSigns } from './clinical.js';
import {
  Property,
  archetypeCluster,
  boolean,
  cluster,
  composition,
  count,
  dateTime,
  duration,
  element,
  evaluation,
  identifier,
  instruction,
  itemTree,
  local,
  observation,
  percent,
  quantity,
  rangedQuantity,
  term,
  text,
  type Json,
  type Term,
} from './rm.js';
import { ANALYTES } from './terminology.js';
import { isoTime } from './time.js';

export const TEMPLATES = {
  vitalSigns: 'cdr.vital_signs.v1',
  problemList: 'cdr.problem_list.v1',
  adverseReactions: 'cdr.adverse_reaction_list.v1',
  medicationOrder: 'cdr.medication_order.v1',
  laboratoryReport: 'cdr.laboratory_report.v1',
} as const;

export const ARCHETYPES = {
  encounter: 'openEHR-EHR-COMPOSITION.encounter.v1',
  problemList: 'openEHR-EHR-COMPOSITION.problem_list.v2',
  adverseReactionList: 'openEHR-EHR-COMPOSITION.adverse_reaction_list.v1',
  report: 'openEHR-EHR-COMPOSITION.report-result.v1',
  bloodPressure: 'openEHR-EHR-OBSERVATION.blood_pressure.v2',
  pulse: 'openEHR-EHR-OBSERVATION.pulse.v2',
  respiration: 'openEHR-EHR-OBSERVATION.respiration.v2',
  pulseOximetry: 'openEHR-EHR-OBSERVATION.pulse_oximetry.v1',
  bodyTemperature: 'openEHR-EHR-OBSERVATION.body_temperature.v2',
  bodyWeight: 'openEHR-EHR-OBSERVATION.body_weight.v2',
  height: 'openEHR-EHR-OBSERVATION.height.v2',
  bmi: 'openEHR-EHR-OBSERVATION.body_mass_index.v2',
  problemDiagnosis: 'openEHR-EHR-EVALUATION.problem_diagnosis.v1',
  problemQualifier: 'openEHR-EHR-CLUSTER.problem_qualifier.v2',
  adverseReactionRisk: 'openEHR-EHR-EVALUATION.adverse_reaction_risk.v2',
  adverseReactionEvent: 'openEHR-EHR-CLUSTER.adverse_reaction_event.v1',
  medicationOrder: 'openEHR-EHR-INSTRUCTION.medication_order.v3',
  therapeuticDirection: 'openEHR-EHR-CLUSTER.therapeutic_direction.v1',
  dosage: 'openEHR-EHR-CLUSTER.dosage.v1',
  timingDaily: 'openEHR-EHR-CLUSTER.timing_daily.v1',
  laboratoryTestResult: 'openEHR-EHR-OBSERVATION.laboratory_test_result.v1',
  specimen: 'openEHR-EHR-CLUSTER.specimen.v1',
  analyte: 'openEHR-EHR-CLUSTER.laboratory_test_analyte.v1',
} as const;

/** Who, where and when a composition was written. */
export interface CompositionContext {
  readonly uid: string;
  readonly time: number;
  readonly composer: string;
  readonly setting: Term;
  readonly facility: string;
}

function frame(context: CompositionContext, archetypeId: string, templateId: string, name: string, content: readonly Json[], otherContext?: Json): Json {
  return composition({
    uid: context.uid,
    archetypeId,
    templateId,
    name,
    composer: context.composer,
    startTime: isoTime(context.time),
    setting: context.setting,
    facility: context.facility,
    ...(otherContext ? { otherContext } : {}),
    content,
  });
}

// ------------------------------------------------------------------ vital signs

export function vitalSignsComposition(context: CompositionContext, v: VitalSigns): Json {
  const at = isoTime(v.time);
  const content: Json[] = [
    observation({
      archetypeId: ARCHETYPES.bloodPressure,
      name: 'Blood pressure',
      history: ['at0001', 'History'],
      event: ['at0006', 'Any event'],
      data: ['at0003', 'blood pressure'],
      time: at,
      items: [
        element('at0004', 'Systolic', quantity(v.systolic, 'mm[Hg]', { precision: 0, property: Property.pressure })),
        element('at0005', 'Diastolic', quantity(v.diastolic, 'mm[Hg]', { precision: 0, property: Property.pressure })),
      ],
      state: itemTree('at0007', 'state structure', [element('at0008', 'Position', term('local', v.position))]),
      protocol: itemTree('at0011', 'Tree', [
        element('at0013', 'Cuff size', term('local', v.cuff)),
        element('at0014', 'Location of measurement', term('local', v.arm)),
      ]),
    }),
    observation({
      archetypeId: ARCHETYPES.pulse,
      name: 'Pulse/Heart beat',
      history: ['at0002', 'history'],
      event: ['at0003', 'Any event'],
      data: ['at0001', 'structure'],
      time: at,
      items: [element('at0004', 'Rate', quantity(v.pulse, '/min', { precision: 0, property: Property.frequency }))],
    }),
    observation({
      archetypeId: ARCHETYPES.respiration,
      name: 'Respiration',
      history: ['at0001', 'history'],
      event: ['at0002', 'Any event'],
      data: ['at0003', 'List'],
      time: at,
      items: [element('at0004', 'Rate', quantity(v.respiration, '/min', { precision: 0, property: Property.frequency }))],
    }),
    observation({
      archetypeId: ARCHETYPES.pulseOximetry,
      name: 'Pulse oximetry',
      history: ['at0001', 'Event Series'],
      event: ['at0002', 'Any event'],
      data: ['at0003', 'Tree'],
      time: at,
      items: [element('at0006', 'SpO\u2082', percent(v.spo2))],
    }),
    observation({
      archetypeId: ARCHETYPES.bodyTemperature,
      name: 'Body temperature',
      history: ['at0002', 'History'],
      event: ['at0003', 'Any event'],
      data: ['at0001', 'Tree'],
      time: at,
      items: [element('at0004', 'Temperature', quantity(v.temperature, 'Cel', { precision: 1, property: Property.temperature }))],
      protocol: itemTree('at0020', 'Protocol', [element('at0021', 'Location of measurement', term('local', v.temperatureSite))]),
    }),
  ];
  if (v.weight !== undefined) {
    content.push(
      observation({
        archetypeId: ARCHETYPES.bodyWeight,
        name: 'Body weight',
        history: ['at0002', 'history'],
        event: ['at0003', 'Any event'],
        data: ['at0001', 'Simple'],
        time: at,
        items: [element('at0004', 'Weight', quantity(v.weight, 'kg', { precision: 1, property: Property.mass }))],
        state: itemTree('at0008', 'state structure', [element('at0009', 'State of dress', local('Lightly clothed/underwear', 'at0011'))]),
      }),
    );
  }
  if (v.height !== undefined) {
    content.push(
      observation({
        archetypeId: ARCHETYPES.height,
        name: 'Height/Length',
        history: ['at0001', 'history'],
        event: ['at0002', 'Any event'],
        data: ['at0003', 'Simple'],
        time: at,
        items: [element('at0004', 'Height/Length', quantity(v.height, 'cm', { precision: 1, property: Property.length }))],
      }),
    );
  }
  if (v.bmi !== undefined) {
    content.push(
      observation({
        archetypeId: ARCHETYPES.bmi,
        name: 'Body mass index',
        history: ['at0001', 'history'],
        event: ['at0002', 'Any event'],
        data: ['at0003', 'Single'],
        time: at,
        items: [element('at0004', 'Body mass index', quantity(v.bmi, 'kg/m2', { precision: 1, property: Property.massPerArea }))],
      }),
    );
  }
  return frame(context, ARCHETYPES.encounter, TEMPLATES.vitalSigns, 'Vital signs', content);
}

// ------------------------------------------------------------------ problem list

const SEVERITY: Readonly<Record<Severity, readonly [string, string]>> = {
  mild: ['Mild', 'at0047'],
  moderate: ['Moderate', 'at0048'],
  severe: ['Severe', 'at0049'],
};

function problemEntry(problem: Problem, updated: number): Json {
  const items: Json[] = [element('at0002', 'Problem/Diagnosis name', term('SNOMED-CT', problem.code))];
  if (problem.description) {
    items.push(element('at0009', 'Clinical description', text(problem.description)));
  }
  if (problem.bodySite) {
    items.push(element('at0012', 'Body site', term('SNOMED-CT', problem.bodySite)));
  }
  items.push(element('at0077', 'Date/time of onset', dateTime(isoTime(problem.onset))));
  items.push(element('at0003', 'Date/time clinically recognised', dateTime(isoTime(problem.recognised))));
  if (problem.severity) {
    const [value, code] = SEVERITY[problem.severity];
    items.push(element('at0005', 'Severity', local(value, code)));
  }
  const resolved = problem.resolved;
  if (resolved !== undefined) {
    items.push(element('at0030', 'Date/time of resolution', dateTime(isoTime(resolved))));
  }
  items.push(
    archetypeCluster(ARCHETYPES.problemQualifier, 'Problem/Diagnosis qualifier', [
      element('at0003', 'Active/Inactive?', resolved === undefined ? local('Active', 'at0026') : local('Inactive', 'at0027')),
      element(
        'at0083',
        'Resolution phase',
        resolved !== undefined ? local('Resolved', 'at0084') : problem.chronic ? local('Not resolving', 'at0086') : local('Resolving', 'at0085'),
      ),
    ]),
  );
  items.push(
    element('at0073', 'Diagnostic certainty', problem.certainty === 'confirmed' ? local('Confirmed', 'at0076') : local('Probable', 'at0075')),
  );
  return evaluation({
    archetypeId: ARCHETYPES.problemDiagnosis,
    name: 'Problem/Diagnosis',
    data: itemTree('at0001', 'structure', items),
    protocol: itemTree('at0032', 'Tree', [element('at0070', 'Last updated', dateTime(isoTime(updated)))]),
  });
}

export function problemListComposition(context: CompositionContext, problems: readonly Problem[]): Json {
  return frame(
    context,
    ARCHETYPES.problemList,
    TEMPLATES.problemList,
    'Problem list',
    problems.map((p) => problemEntry(p, context.time)),
  );
}

// ------------------------------------------------------------------ adverse reactions

const CATEGORY: Readonly<Record<Allergy['allergen']['category'], readonly [string, string]>> = {
  food: ['Food', 'at0121'],
  medication: ['Medication', 'at0122'],
  other: ['Other', 'at0123'],
};

const REACTION_SEVERITY: Readonly<Record<Severity, readonly [string, string]>> = {
  mild: ['Mild', 'at0011'],
  moderate: ['Moderate', 'at0012'],
  severe: ['Severe', 'at0013'],
};

function allergyEntry(allergy: Allergy, updated: number): Json {
  const { allergen } = allergy;
  const [category, categoryCode] = CATEGORY[allergen.category];
  const [severity, severityCode] = REACTION_SEVERITY[allergy.severity];
  return evaluation({
    archetypeId: ARCHETYPES.adverseReactionRisk,
    name: 'Adverse reaction risk',
    data: itemTree('at0001', 'Tree', [
      element('at0002', 'Substance', term('SNOMED-CT', allergen.substance)),
      element('at0130', 'Active/inactive status', local('Active', 'at0131')),
      element('at0063', 'Verification status', allergy.verification === 'confirmed' ? local('Confirmed', 'at0065') : local('Unconfirmed', 'at0064')),
      element('at0101', 'Criticality', allergy.criticality === 'high' ? local('High', 'at0103') : local('Low', 'at0102')),
      element('at0120', 'Category', local(category, categoryCode)),
      element('at0117', 'Onset of last reaction', dateTime(isoTime(allergy.lastOnset))),
      element('at0133', 'Onset of first reaction', dateTime(isoTime(allergy.firstOnset))),
      element('at0058', 'Reaction mechanism', allergen.intolerance ? local('Non-immune mediated', 'at0060') : local('Immune mediated', 'at0059')),
      archetypeCluster(ARCHETYPES.adverseReactionEvent, 'Adverse reaction event', [
        element('at0001', 'Specific substance', term('SNOMED-CT', allergen.substance)),
        element('at0006', 'Manifestation', term('SNOMED-CT', allergy.reaction)),
        element('at0008', 'Onset of reaction', dateTime(isoTime(allergy.lastOnset))),
        element('at0010', 'Severity of reaction', local(severity, severityCode)),
        element('at0017', 'Route of exposure', term('SNOMED-CT', allergen.route)),
      ]),
    ]),
    protocol: itemTree('at0042', 'Tree', [element('at0062', 'Last updated', dateTime(isoTime(updated)))]),
  });
}

export function adverseReactionListComposition(context: CompositionContext, allergies: readonly Allergy[]): Json {
  return frame(
    context,
    ARCHETYPES.adverseReactionList,
    TEMPLATES.adverseReactions,
    'Adverse reaction list',
    allergies.map((a) => allergyEntry(a, context.time)),
  );
}

// ------------------------------------------------------------------ medication orders

const TIMES_A_DAY = ['', 'once a day', 'twice a day', 'three times a day', 'four times a day'];

function directions(order: MedicationOrder): string {
  const m = order.medication;
  const unit = m.dose === 1 ? m.doseUnit : `${m.doseUnit}s`;
  const often = m.asNeeded ? `up to ${TIMES_A_DAY[m.perDay] ?? `${m.perDay} times a day`} when required for ${m.asNeeded}` : (TIMES_A_DAY[m.perDay] ?? `${m.perDay} times a day`);
  const course = m.courseDays ? ` for ${m.courseDays} days` : '';
  return `${m.dose} ${unit} ${often}${course}`;
}

function orderEntry(order: MedicationOrder): Json {
  const m = order.medication;
  const timing: Json[] = [element('at0003', 'Frequency', quantity(m.perDay, '1/d', { precision: 0, property: Property.frequency }))];
  if (m.asNeeded) {
    timing.push(element('at0024', 'As required', boolean(true)), element('at0025', "'As required' criterion", text(m.asNeeded)));
  }
  const direction = archetypeCluster(ARCHETYPES.therapeuticDirection, 'Therapeutic direction', [
    element('at0057', 'Direction sequence', count(1)),
    archetypeCluster(ARCHETYPES.dosage, 'Dosage', [
      element('at0144', 'Dose amount', quantity(m.dose, '1', { property: Property.qualifiedReal })),
      element('at0145', 'Dose unit', text(m.doseUnit)),
      archetypeCluster(ARCHETYPES.timingDaily, 'Timing - daily', timing),
    ]),
    element('at0066', 'Direction duration', m.courseDays ? duration(`P${m.courseDays}D`) : local('Indefinite', 'at0067')),
  ]);
  const details: Json[] = [element('at0012', 'Order start date/time', dateTime(isoTime(order.start)))];
  if (order.stop !== undefined) {
    details.push(element('at0013', 'Order stop date/time', dateTime(isoTime(order.stop))));
  }
  const text_ = directions(order);
  return instruction({
    archetypeId: ARCHETYPES.medicationOrder,
    name: 'Medication order',
    narrative: `${m.product}: ${text_}`,
    protocol: itemTree('at0005', 'Tree', [element('at0004', 'Order identifier', identifier(order.orderId, 'Riverside e-prescribing', 'prescription'))]),
    activities: [
      {
        _type: 'ACTIVITY',
        name: text('Order'),
        archetype_node_id: 'at0001',
        description: itemTree('at0002', 'Tree', [
          element('at0070', 'Medication item', term('RxNorm', [m.rxnorm[0], m.product])),
          element('at0091', 'Route', term('SNOMED-CT', m.route)),
          element('at0009', 'Overall directions description', text(text_)),
          direction,
          element('at0018', 'Clinical indication', term('SNOMED-CT', order.indication)),
          cluster('at0113', 'Order details', details),
        ]),
        action_archetype_id: '/.*/',
      },
    ],
  });
}

export function medicationOrderComposition(context: CompositionContext, orders: readonly MedicationOrder[]): Json {
  return frame(context, ARCHETYPES.encounter, TEMPLATES.medicationOrder, 'Medication order', orders.map(orderEntry));
}

// ------------------------------------------------------------------ laboratory reports

function analyteCluster(name: keyof typeof ANALYTES, value: number, specimenId: string): Json {
  const analyte = ANALYTES[name];
  const low = 'low' in analyte ? analyte.low : undefined;
  const high = 'high' in analyte ? analyte.high : undefined;
  const range = low !== undefined && high !== undefined ? `${low}-${high} ${analyte.units}` : low !== undefined ? `>= ${low} ${analyte.units}` : `<= ${high} ${analyte.units}`;
  return archetypeCluster(ARCHETYPES.analyte, 'Laboratory analyte result', [
    element('at0024', 'Analyte name', term('LOINC', analyte.loinc)),
    element('at0001', 'Analyte result', rangedQuantity(value, analyte.units, analyte.precision, low, high)),
    element('at0004', 'Reference range guidance', text(range)),
    element('at0005', 'Result status', local('Final', 'at0018')),
    element('at0026', 'Specimen', identifier(specimenId, 'Central Pathology Laboratory')),
  ]);
}

function testResult(result: PanelResult): Json {
  const items: Json[] = [
    element('at0005', 'Test name', term('LOINC', result.panel.loinc)),
    archetypeCluster(ARCHETYPES.specimen, 'Specimen', [
      element('at0029', 'Specimen type', term('SNOMED-CT', result.panel.specimen)),
      element('at0001', 'Laboratory specimen identifier', identifier(result.specimenId, 'Central Pathology Laboratory')),
      element('at0015', 'Collection date/time', dateTime(isoTime(result.collected))),
      element('at0034', 'Date/time received', dateTime(isoTime(result.received))),
    ]),
    element('at0073', 'Overall test status', local('Final', 'at0038')),
    element('at0075', 'Overall test status timestamp', dateTime(isoTime(result.issued))),
    ...result.values.map(([name, value]) => analyteCluster(name, value, result.specimenId)),
  ];
  if (result.conclusion) {
    items.push(element('at0057', 'Conclusion', text(result.conclusion)));
  }
  return observation({
    archetypeId: ARCHETYPES.laboratoryTestResult,
    name: 'Laboratory test result',
    history: ['at0001', 'Event Series'],
    event: ['at0002', 'Any event'],
    data: ['at0003', 'Tree'],
    time: isoTime(result.collected),
    items,
  });
}

export function laboratoryReportComposition(context: CompositionContext, reportId: string, results: readonly PanelResult[]): Json {
  return frame(
    context,
    ARCHETYPES.report,
    TEMPLATES.laboratoryReport,
    'Laboratory test report',
    results.map(testResult),
    itemTree('at0001', 'Tree', [element('at0002', 'Report ID', text(reportId))]),
  );
}
