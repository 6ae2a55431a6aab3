/**
 * Web template inputs: what a UI or FLAT writer fills in for a node, derived from the RM
 * type and from the template's primitive and domain-type constraints.
 */
import type { CDvOrdinal, CDvQuantity, CPrimitiveObject, Interval } from '../opt/model.js';
import type { ComparisonOp, WebTemplateInput, WebTemplateInputValue, WebTemplateInterval, WebTemplateValidation } from './model.js';

/** A mutable input while the web template is built. */
export interface InputDraft {
  suffix?: string;
  type: string;
  list?: WebTemplateInputValue[];
  listOpen?: boolean;
  validation?: WebTemplateValidation;
  defaultValue?: string;
  terminology?: string;
}

export const input = (type: string, suffix?: string): InputDraft => (suffix === undefined ? { type } : { suffix, type });

/** An interval as the web template writes it; integer intervals are normalised to inclusive bounds. */
export function webInterval<T extends number | string>(interval: Interval<T>, integer = false): WebTemplateInterval<T> {
  const result: { min?: T; minOp?: ComparisonOp; max?: T; maxOp?: ComparisonOp } = {};
  if (interval.lower !== undefined) {
    if (integer && typeof interval.lower === 'number' && !interval.lowerIncluded) {
      result.min = (interval.lower + 1) as T;
      result.minOp = '>=';
    } else {
      result.min = interval.lower;
      result.minOp = interval.lowerIncluded ? '>=' : '>';
    }
  }
  if (interval.upper !== undefined) {
    if (integer && typeof interval.upper === 'number' && !interval.upperIncluded) {
      result.max = (interval.upper - 1) as T;
      result.maxOp = '<=';
    } else {
      result.max = interval.upper;
      result.maxOp = interval.upperIncluded ? '<=' : '<';
    }
  }
  return result;
}

const PRIMITIVE_INPUT_TYPES: Readonly<Record<string, string>> = {
  STRING: 'TEXT',
  REAL: 'DECIMAL',
  DOUBLE: 'DECIMAL',
  INTEGER: 'INTEGER',
  INTEGER64: 'INTEGER',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIME: 'TIME',
  DATE_TIME: 'DATETIME',
  DURATION: 'DURATION',
};

/** The input a primitive constraint (on `value`, `magnitude`, `numerator`...) describes. */
export function primitiveInput(object: CPrimitiveObject): InputDraft {
  const draft = input(PRIMITIVE_INPUT_TYPES[object.rmTypeName.toUpperCase()] ?? object.rmTypeName.replace(/_/g, ''));
  const item = object.item;
  if (!item) {
    return draft;
  }
  const validation: { pattern?: string; range?: WebTemplateInterval } = {};
  switch (item.type) {
    case 'C_STRING':
      if (item.pattern) {
        validation.pattern = item.pattern;
      }
      if (item.list) {
        draft.list = item.list.map((value) => ({ value, label: value }));
      }
      if (item.listOpen !== undefined) {
        draft.listOpen = item.listOpen;
      }
      if (item.assumedValue !== undefined) {
        draft.defaultValue = item.assumedValue;
      }
      break;
    case 'C_INTEGER':
      if (item.range) {
        validation.range = webInterval(item.range, true);
      }
      if (item.list) {
        draft.list = item.list.map((value) => ({ value: String(value) }));
      }
      if (item.assumedValue !== undefined) {
        draft.defaultValue = String(item.assumedValue);
      }
      break;
    case 'C_REAL':
      if (item.range) {
        validation.range = webInterval(item.range);
      }
      if (item.assumedValue !== undefined) {
        draft.defaultValue = String(item.assumedValue);
      }
      break;
    case 'C_BOOLEAN':
      if (item.trueValid !== item.falseValid) {
        const only = String(item.trueValid);
        draft.list = [{ value: only, label: only }];
      }
      if (item.assumedValue !== undefined) {
        draft.defaultValue = String(item.assumedValue);
      }
      break;
    case 'C_DATE':
    case 'C_TIME':
    case 'C_DATE_TIME':
      if (item.pattern) {
        validation.pattern = item.pattern;
      }
      if (item.assumedValue !== undefined) {
        draft.defaultValue = item.assumedValue;
      }
      break;
    case 'C_DURATION':
      if (item.pattern) {
        validation.pattern = item.pattern;
      }
      if (item.range) {
        validation.range = webInterval(item.range);
      }
      if (item.assumedValue !== undefined) {
        draft.defaultValue = item.assumedValue;
      }
      break;
  }
  if (validation.pattern !== undefined || validation.range !== undefined) {
    draft.validation = validation;
  }
  return draft;
}

const PROPORTION_TYPES = ['ratio', 'unitary', 'percent', 'fraction', 'integer_fraction'] as const;

/** The denominator a proportion kind fixes (unitary 1, percent 100). */
const FIXED_DENOMINATOR: Readonly<Record<string, number>> = { unitary: 1, percent: 100 };

/** Duration fields of the web template in the order they are listed, with their ISO 8601 designators. */
const DURATION_FIELDS = [
  ['year', 'Y', false],
  ['month', 'M', false],
  ['day', 'D', false],
  ['week', 'W', false],
  ['hour', 'H', true],
  ['minute', 'M', true],
  ['second', 'S', true],
] as const;

/** Splits an ISO 8601 duration into fields (`P1Y2MT3M` -> year 1, month 2, minute 3). */
export function durationFields(value: string | undefined): Map<string, number> {
  const result = new Map<string, number>();
  if (!value) {
    return result;
  }
  let inTime = false;
  let digits = '';
  for (const c of value.replace(/^-/, '')) {
    if (c === 'P') {
      continue;
    }
    if (c === 'T') {
      inTime = true;
    } else if (/[0-9.,]/.test(c)) {
      digits += c;
    } else {
      const field = DURATION_FIELDS.find(([, designator, time]) => designator === c && time === inTime);
      if (field) {
        result.set(field[0], Number(digits.replace(',', '.')));
      }
      digits = '';
    }
  }
  return result;
}

/**
 * The inputs of an RM type: template inputs (from primitive constraints, by attribute name)
 * are used where the template gives them.
 */
export function inputsForType(rmType: string, fromTemplate: ReadonlyMap<string, InputDraft>): { inputs: InputDraft[]; proportionTypes?: string[] } {
  const templated = (attribute: string, suffix: string | undefined, type: string): InputDraft => {
    const given = fromTemplate.get(attribute);
    if (!given) {
      return input(type, suffix);
    }
    return suffix === undefined ? { ...given } : { ...given, suffix };
  };
  switch (rmType) {
    case 'DV_DATE':
      return { inputs: [templated('value', undefined, 'DATE')] };
    case 'DV_DATE_TIME':
      return { inputs: [templated('value', undefined, 'DATETIME')] };
    case 'DV_TIME':
      return { inputs: [templated('value', undefined, 'TIME')] };
    case 'DV_ORDINAL':
    case 'DV_SCALE':
      return { inputs: [templated('value', undefined, 'CODED_TEXT')] };
    case 'PARTY_PROXY':
    case 'PARTY_IDENTIFIED':
    case 'PARTY_SELF':
    case 'PARTY_RELATED':
      return { inputs: [input('TEXT', 'id'), input('TEXT', 'id_scheme'), input('TEXT', 'id_namespace'), input('TEXT', 'name')] };
    case 'DV_PARSABLE':
      return { inputs: [templated('value', 'value', 'TEXT'), templated('formalism', 'formalism', 'TEXT')] };
    case 'DV_TEXT':
    case 'DV_EHR_URI':
    case 'DV_URI':
    case 'DV_MULTIMEDIA':
    case 'UID_BASED_ID':
    case 'STRING':
      return { inputs: [templated('value', undefined, 'TEXT')] };
    case 'DV_COUNT':
      return { inputs: [templated('magnitude', undefined, 'INTEGER')] };
    case 'DV_QUANTITY':
      return { inputs: [templated('magnitude', 'magnitude', 'DECIMAL'), input('TEXT', 'unit')] };
    case 'DV_BOOLEAN':
      return { inputs: [templated('value', undefined, 'BOOLEAN')] };
    case 'DV_STATE':
    case 'DV_CODED_TEXT':
      return { inputs: [input('TEXT', 'code'), input('TEXT', 'value')] };
    case 'DV_IDENTIFIER':
      return { inputs: [input('TEXT', 'id'), input('TEXT', 'type'), input('TEXT', 'issuer'), input('TEXT', 'assigner')] };
    case 'DV_PROPORTION': {
      const numerator = templated('numerator', 'numerator', 'DECIMAL');
      const denominator = templated('denominator', 'denominator', 'DECIMAL');
      const allowed = fromTemplate.get('type')?.list?.map((v) => PROPORTION_TYPES[Number(v.value)]).filter((t): t is (typeof PROPORTION_TYPES)[number] => t !== undefined);
      const proportionTypes = allowed && allowed.length > 0 ? allowed : [...PROPORTION_TYPES];
      if (proportionTypes.length === 1) {
        const fixed = FIXED_DENOMINATOR[proportionTypes[0]!];
        if (fixed !== undefined) {
          denominator.validation = { range: { min: fixed, minOp: '>=', max: fixed, maxOp: '<=' } };
        }
      }
      return { inputs: [numerator, denominator], proportionTypes };
    }
    case 'DV_DURATION': {
      const value = fromTemplate.get('value');
      const pattern = value?.validation?.pattern;
      const range = value?.validation?.range;
      const lower = durationFields(typeof range?.min === 'string' ? range.min : undefined);
      const upper = durationFields(typeof range?.max === 'string' ? range.max : undefined);
      const defaults = durationFields(value?.defaultValue);
      const datePart = pattern?.split('T')[0] ?? '';
      const timePart = pattern?.includes('T') ? pattern.split('T')[1] ?? '' : '';
      const inputs: InputDraft[] = [];
      for (const [field, designator, time] of DURATION_FIELDS) {
        const allowed = pattern === undefined || (time ? timePart.includes(designator) : datePart.includes(designator));
        if (!allowed) {
          continue;
        }
        const interval: { min?: number; minOp?: ComparisonOp; max?: number; maxOp?: ComparisonOp } = { min: 0, minOp: '>=' };
        const min = lower.get(field);
        const max = upper.get(field);
        if (min !== undefined) {
          interval.min = min;
          interval.minOp = range?.minOp ?? '>=';
        }
        if (max !== undefined) {
          interval.max = max;
          interval.maxOp = range?.maxOp ?? '<=';
        }
        const draft: InputDraft = { suffix: field, type: 'INTEGER', validation: { range: interval } };
        if (defaults.size > 0) {
          draft.defaultValue = String(defaults.get(field) ?? 0);
        }
        inputs.push(draft);
      }
      return { inputs };
    }
    default:
      return { inputs: [] };
  }
}

/** Inputs of a C_DV_QUANTITY: magnitude and unit, with per-unit ranges. */
export function quantityInputs(quantity: CDvQuantity, localizedUnit: (units: string) => Record<string, string>): InputDraft[] {
  const magnitude: InputDraft = input('DECIMAL', 'magnitude');
  const unit: InputDraft = input('CODED_TEXT', 'unit');
  if (quantity.assumedValue?.magnitude !== undefined) {
    magnitude.defaultValue = String(quantity.assumedValue.magnitude);
  }
  if (quantity.assumedValue?.units !== undefined) {
    unit.defaultValue = quantity.assumedValue.units;
  }
  const values: WebTemplateInputValue[] = quantity.list.map((item) => {
    const validation: { range?: WebTemplateInterval; precision?: WebTemplateInterval<number> } = {};
    if (item.magnitude) {
      validation.range = webInterval(item.magnitude);
    }
    if (item.precision) {
      validation.precision = webInterval(item.precision, true);
    }
    const labels = localizedUnit(item.units);
    return {
      value: item.units,
      label: item.units,
      ...(Object.keys(labels).length > 0 ? { localizedLabels: labels } : {}),
      ...(validation.range || validation.precision ? { validation } : {}),
    };
  });
  if (values.length > 0) {
    unit.list = values;
  }
  if (values.length === 1 && values[0]?.validation) {
    magnitude.validation = values[0].validation;
  }
  return [magnitude, unit];
}

/** The input of a C_DV_ORDINAL: one coded list with ordinal values. */
export function ordinalInput(ordinal: CDvOrdinal, describe: (code: string) => Omit<WebTemplateInputValue, 'value'>): InputDraft {
  const draft = input('CODED_TEXT');
  if (ordinal.assumedValue) {
    draft.defaultValue = ordinal.assumedValue.symbol.codeString;
    draft.terminology = ordinal.assumedValue.symbol.terminologyId;
  }
  draft.list = ordinal.list.map((item) => ({ value: item.symbol.codeString, ...describe(item.symbol.codeString), ordinal: item.value }));
  return draft;
}

/** Freezes a draft into the web template's input shape, dropping empty members. */
export function finishInput(draft: InputDraft): WebTemplateInput {
  return {
    ...(draft.suffix !== undefined ? { suffix: draft.suffix } : {}),
    type: draft.type,
    ...(draft.list && draft.list.length > 0 ? { list: draft.list } : {}),
    ...(draft.listOpen !== undefined ? { listOpen: draft.listOpen } : {}),
    ...(draft.validation ? { validation: draft.validation } : {}),
    ...(draft.defaultValue !== undefined ? { defaultValue: draft.defaultValue } : {}),
    ...(draft.terminology !== undefined ? { terminology: draft.terminology } : {}),
  };
}
