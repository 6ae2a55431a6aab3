/**
 * RM rules of data values that hold whatever the template says: well-formed dates, times
 * and durations, integral counts, proportion kinds, ordered intervals, EHR URIs, and codes
 * of the openEHR terminology where the RM binds an attribute to a group.
 */
import { baseTypeName, isSubtypeOf } from '../rm/rm-model.js';
import { isKnownMediaType } from '../terminology/media-types.js';
import { groupForAttribute, openEhrGroup } from '../terminology/openehr-terminology.js';
import { durationSeconds, parseDate, parseDateTime, parseDuration, parseTime, temporalOrdinal } from './temporal.js';

export type Report = (relativePath: string, message: string) => void;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A comparable number for an ordered value, when it has one. */
export function orderedMagnitude(value: unknown): number | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const type = typeof value._type === 'string' ? value._type : undefined;
  switch (type) {
    case 'DV_QUANTITY':
    case 'DV_COUNT':
      return typeof value.magnitude === 'number' ? value.magnitude : undefined;
    case 'DV_ORDINAL':
    case 'DV_SCALE':
      return typeof value.value === 'number' ? value.value : undefined;
    case 'DV_PROPORTION':
      return typeof value.numerator === 'number' && typeof value.denominator === 'number' && value.denominator !== 0 ? value.numerator / value.denominator : undefined;
    case 'DV_DATE':
    case 'DV_TIME':
    case 'DV_DATE_TIME': {
      if (typeof value.value !== 'string') {
        return undefined;
      }
      const parts = type === 'DV_DATE' ? parseDate(value.value) : type === 'DV_TIME' ? parseTime(value.value) : parseDateTime(value.value);
      return parts ? temporalOrdinal(parts) : undefined;
    }
    case 'DV_DURATION': {
      const d = typeof value.value === 'string' ? parseDuration(value.value) : undefined;
      return d ? durationSeconds(d) : undefined;
    }
    default:
      return undefined;
  }
}

const PROPORTION_KINDS = ['ratio', 'unitary', 'percent', 'fraction', 'integer_fraction'];

/** Checks one data value object of RM type `type`; `owner` is `TYPE.attribute` where it sits. */
export function checkDataValue(
  value: Json,
  type: string,
  owner: { type: string; attribute: string } | undefined,
  language: string | undefined,
  report: Report,
): void {
  const base = baseTypeName(type);
  const stringField = (name: string): string | undefined => {
    const v = value[name];
    if (v !== undefined && typeof v !== 'string') {
      report(`/${name}`, `${name} must be a string`);
      return undefined;
    }
    return v;
  };
  switch (base) {
    case 'DV_BOOLEAN':
      if (typeof value.value !== 'boolean') {
        report('/value', 'a DV_BOOLEAN value must be true or false');
      }
      break;
    case 'DV_COUNT':
      if (typeof value.magnitude !== 'number' || !Number.isInteger(value.magnitude)) {
        report('/magnitude', `a DV_COUNT magnitude must be an integer, found ${JSON.stringify(value.magnitude)}`);
      }
      break;
    case 'DV_QUANTITY':
      if (typeof value.magnitude !== 'number') {
        report('/magnitude', `a DV_QUANTITY magnitude must be a number, found ${JSON.stringify(value.magnitude)}`);
      }
      if (value.precision !== undefined && (typeof value.precision !== 'number' || !Number.isInteger(value.precision) || value.precision < -1)) {
        report('/precision', 'precision must be an integer of -1 or more');
      }
      stringField('units');
      break;
    case 'DV_PROPORTION': {
      const { numerator, denominator, type: kind, precision } = value;
      if (typeof numerator !== 'number' || typeof denominator !== 'number') {
        report('', 'a DV_PROPORTION needs a numeric numerator and denominator');
        break;
      }
      if (typeof kind !== 'number' || !Number.isInteger(kind) || kind < 0 || kind > 4) {
        report('/type', `the proportion type must be 0 (ratio), 1 (unitary), 2 (percent), 3 (fraction) or 4 (integer fraction), found ${JSON.stringify(kind)}`);
        break;
      }
      const name = PROPORTION_KINDS[kind];
      if (kind === 1 && denominator !== 1) {
        report('/denominator', `a unitary proportion has denominator 1, found ${denominator}`);
      } else if (kind === 2 && denominator !== 100) {
        report('/denominator', `a percent proportion has denominator 100, found ${denominator}`);
      } else if ((kind === 3 || kind === 4) && (!Number.isInteger(numerator) || !Number.isInteger(denominator))) {
        report('', `a ${name} proportion has an integral numerator and denominator`);
      } else if (denominator === 0) {
        report('/denominator', 'the denominator must not be 0');
      }
      if (precision === 0 && (!Number.isInteger(numerator) || !Number.isInteger(denominator))) {
        report('', 'with precision 0 the numerator and denominator must be integral');
      }
      break;
    }
    case 'DV_DATE':
    case 'DV_TIME':
    case 'DV_DATE_TIME': {
      const text = stringField('value');
      if (text === undefined) {
        break;
      }
      const parts = base === 'DV_DATE' ? parseDate(text) : base === 'DV_TIME' ? parseTime(text) : parseDateTime(text);
      if (!parts) {
        const kind = base === 'DV_DATE' ? 'date' : base === 'DV_TIME' ? 'time' : 'date-time';
        report('/value', `'${text}' is not a valid ISO 8601 ${kind}`);
      }
      break;
    }
    case 'DV_DURATION': {
      const text = stringField('value');
      if (text !== undefined && !parseDuration(text)) {
        report('/value', `'${text}' is not a valid ISO 8601 duration`);
      }
      break;
    }
    case 'DV_EHR_URI': {
      const text = stringField('value');
      if (text !== undefined && !/^ehr:/i.test(text)) {
        report('/value', `a DV_EHR_URI must use the ehr: scheme, found '${text}'`);
      }
      break;
    }
    case 'DV_INTERVAL': {
      const lower = orderedMagnitude(value.lower);
      const upper = orderedMagnitude(value.upper);
      if (lower !== undefined && upper !== undefined && lower > upper) {
        report('', 'the interval\'s lower bound is above its upper bound');
      }
      if (value.lower_unbounded === true && value.lower !== undefined) {
        report('/lower', 'the interval is unbounded below but has a lower bound');
      }
      if (value.upper_unbounded === true && value.upper !== undefined) {
        report('/upper', 'the interval is unbounded above but has an upper bound');
      }
      if (value.lower_unbounded === false && value.lower === undefined) {
        report('/lower', 'the interval is bounded below but has no lower bound');
      }
      if (value.upper_unbounded === false && value.upper === undefined) {
        report('/upper', 'the interval is bounded above but has no upper bound');
      }
      break;
    }
    case 'CODE_PHRASE': {
      const terminology = isObject(value.terminology_id) ? value.terminology_id.value : undefined;
      const code = value.code_string;
      if (typeof code !== 'string') {
        break;
      }
      if (terminology === 'IANA_media-types' && !isKnownMediaType(code)) {
        report('/code_string', `'${code}' is not a registered media type`);
      } else if (terminology === 'ISO_639-1' && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code)) {
        report('/code_string', `'${code}' is not an ISO 639-1 language code`);
      } else if (terminology === 'ISO_3166-1' && !/^([A-Z]{2}|[0-9]{3})$/.test(code)) {
        report('/code_string', `'${code}' is not an ISO 3166-1 country code`);
      }
      break;
    }
    default:
      break;
  }
  if (isSubtypeOf(base, 'DV_CODED_TEXT') && owner) {
    const group = groupForAttribute(owner.type, owner.attribute);
    const code = isObject(value.defining_code) ? value.defining_code : undefined;
    const terminology = isObject(code?.terminology_id) ? code.terminology_id.value : undefined;
    if (group && terminology === 'openehr' && typeof code?.code_string === 'string') {
      const rubric = openEhrGroup(group)[code.code_string];
      if (rubric === undefined) {
        report('/defining_code/code_string', `'${code.code_string}' is not a code of the openEHR terminology group '${group}'`);
      } else if (language === 'en' && typeof value.value === 'string' && value.value !== rubric) {
        report('/value', `'${value.value}' is not the openEHR term for code ${code.code_string}: expected '${rubric}'`);
      }
    }
  }
}
