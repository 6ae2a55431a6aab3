/**
 * Data value conversions between openEHR RM values (canonical JSON) and FHIR data types.
 *
 * | openEHR                       | FHIR                                                   |
 * |-------------------------------|--------------------------------------------------------|
 * | DV_QUANTITY                   | Quantity (and Age, Duration, ...): UCUM system, code = units |
 * | DV_QUANTITY `n/d`, `n/h`      | Timing.repeat: frequency n per 1 d (h)                 |
 * | DV_PROPORTION                 | Quantity `%` (percent), Ratio, decimal                 |
 * | DV_COUNT                      | integer, Quantity (unit `1`)                           |
 * | DV_CODED_TEXT                 | CodeableConcept, Coding, code (through a code map), string |
 * | DV_TEXT                       | string, markdown, CodeableConcept.text (+ term mappings), Annotation, Identifier (value) |
 * | DV_DATE_TIME, DV_DATE, DV_TIME | dateTime, instant, date, time                         |
 * | DV_BOOLEAN                    | boolean                                                |
 * | DV_IDENTIFIER                 | Identifier (issuer -> system when a URI)               |
 * | PARTY_REF                     | Identifier (namespace -> system, id -> value, id scheme -> type.text) |
 * | PARTY_IDENTIFIED              | Reference (display, identifier)                        |
 * | DV_INTERVAL<DV_DATE_TIME>     | Period                                                 |
 * | DV_INTERVAL<DV_QUANTITY>      | Range                                                  |
 * | DV_DURATION                   | Age, Duration, Quantity (one-component durations)      |
 * | DV_ORDINAL                    | CodeableConcept (symbol), integer                      |
 * | DV_URI, DV_EHR_URI            | uri, url, string                                       |
 * | DV_MULTIMEDIA                 | Attachment                                             |
 * | CODE_PHRASE                   | Coding, CodeableConcept, code                          |
 * | String (RM primitive)         | string, code, uri, id, markdown, dateTime              |
 *
 * A conversion that does not apply gives `undefined`; the rule then writes nothing.
 */
import { isJsonObject } from '@cdr/rm';
import type { JsonObject, JsonValue } from '@cdr/rm';
import type { CodeMap } from './model.js';
import { systemOf, terminologyOf, UCUM_SYSTEM } from './terminology.js';

export interface ConversionOptions {
  /** The archetype whose local codes are converted (the system of at-codes). */
  readonly archetypeId?: string;
  readonly map?: CodeMap;
  readonly units?: Readonly<Record<string, string>>;
}

const QUANTITY_TYPES = new Set(['Quantity', 'SimpleQuantity', 'Age', 'Duration', 'Count', 'Distance']);
const TEXT_TYPES = new Set(['string', 'markdown']);
const URI_TYPES = new Set(['uri', 'url', 'canonical']);

/** FHIR types an RM type converts to, in order of preference (how a choice element is resolved). */
const PREFERRED: Readonly<Record<string, readonly string[]>> = {
  DV_QUANTITY: ['Quantity', 'Age', 'Duration', 'decimal', 'integer', 'string', 'Timing.repeat'],
  DV_PROPORTION: ['Quantity', 'Ratio', 'decimal'],
  DV_COUNT: ['integer', 'Quantity', 'decimal', 'string'],
  DV_CODED_TEXT: ['CodeableConcept', 'Coding', 'code', 'string', 'markdown'],
  DV_TEXT: ['string', 'markdown', 'CodeableConcept', 'Annotation', 'Identifier'],
  DV_DATE_TIME: ['dateTime', 'instant', 'date', 'string'],
  DV_DATE: ['date', 'dateTime', 'string'],
  DV_TIME: ['time', 'string'],
  DV_BOOLEAN: ['boolean'],
  DV_IDENTIFIER: ['Identifier', 'string'],
  PARTY_REF: ['Identifier'],
  PARTY_IDENTIFIED: ['Reference'],
  'DV_INTERVAL<DV_DATE_TIME>': ['Period'],
  'DV_INTERVAL<DV_DATE>': ['Period'],
  'DV_INTERVAL<DV_QUANTITY>': ['Range'],
  DV_DURATION: ['Age', 'Duration', 'Quantity', 'string'],
  DV_ORDINAL: ['CodeableConcept', 'integer', 'Coding'],
  DV_SCALE: ['CodeableConcept', 'decimal', 'Coding'],
  DV_URI: ['uri', 'url', 'string'],
  DV_EHR_URI: ['uri', 'url', 'string'],
  DV_PARSABLE: ['string'],
  DV_MULTIMEDIA: ['Attachment'],
  CODE_PHRASE: ['Coding', 'CodeableConcept', 'code'],
  String: ['string', 'code', 'uri', 'url', 'id', 'markdown', 'dateTime', 'instant', 'date', 'canonical'],
  Integer: ['integer', 'positiveInt', 'unsignedInt', 'decimal'],
  Real: ['decimal'],
  Double: ['decimal'],
  Boolean: ['boolean'],
};

/** RM types a FHIR type converts to, in order of preference (used when a rule names no RM type). */
const PREFERRED_RM: Readonly<Record<string, readonly string[]>> = {
  Quantity: ['DV_QUANTITY', 'DV_PROPORTION', 'DV_COUNT'],
  SimpleQuantity: ['DV_QUANTITY'],
  Age: ['DV_DURATION', 'DV_QUANTITY'],
  Duration: ['DV_DURATION', 'DV_QUANTITY'],
  Ratio: ['DV_PROPORTION'],
  CodeableConcept: ['DV_CODED_TEXT', 'DV_TEXT'],
  Coding: ['DV_CODED_TEXT'],
  code: ['DV_CODED_TEXT', 'String'],
  string: ['DV_TEXT', 'String'],
  markdown: ['DV_TEXT', 'String'],
  Annotation: ['DV_TEXT'],
  dateTime: ['DV_DATE_TIME', 'DV_DATE'],
  instant: ['DV_DATE_TIME'],
  date: ['DV_DATE', 'DV_DATE_TIME'],
  time: ['DV_TIME'],
  boolean: ['DV_BOOLEAN'],
  integer: ['DV_COUNT'],
  decimal: ['DV_QUANTITY'],
  Identifier: ['DV_IDENTIFIER', 'PARTY_REF', 'DV_TEXT'],
  'Timing.repeat': ['DV_QUANTITY'],
  Reference: ['PARTY_IDENTIFIED'],
  Period: ['DV_INTERVAL<DV_DATE_TIME>'],
  Range: ['DV_INTERVAL<DV_QUANTITY>'],
  uri: ['DV_URI', 'String'],
  url: ['DV_URI', 'String'],
  Attachment: ['DV_MULTIMEDIA'],
};

export function fhirTypesFor(rmType: string): readonly string[] {
  return PREFERRED[rmType] ?? [];
}

export function rmTypesFor(fhirType: string): readonly string[] {
  return PREFERRED_RM[QUANTITY_TYPES.has(fhirType) && fhirType !== 'Age' && fhirType !== 'Duration' ? 'Quantity' : fhirType] ?? [];
}

/** Whether an RM type converts to a FHIR type at all. */
export function converts(rmType: string, fhirType: string): boolean {
  return fhirTypesFor(rmType).includes(fhirType) || (QUANTITY_TYPES.has(fhirType) && fhirTypesFor(rmType).includes('Quantity'));
}

/** The FHIR type an RM value takes in an element allowing `allowed` types, or undefined. */
export function chooseFhirType(rmType: string, allowed: readonly string[]): string | undefined {
  for (const candidate of fhirTypesFor(rmType)) {
    if (allowed.includes(candidate)) {
      return candidate;
    }
  }
  return allowed.find((t) => QUANTITY_TYPES.has(t) && fhirTypesFor(rmType).includes('Quantity'));
}

// ---------------------------------------------------------------- helpers

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function obj(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

function compact<T extends Record<string, JsonValue | undefined>>(record: T): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

/** openEHR ISO 8601 date/time text -> FHIR dateTime (extended form; a time without offset is read as UTC). */
export function toFhirDateTime(value: string): string | undefined {
  let text = value.trim();
  const basic = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})?(\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}(?:\d{2})?)?)?$/.exec(text);
  if (basic) {
    const [, y, mo, d, h, mi, s, z] = basic;
    const zone = z && z !== 'Z' ? `${z.slice(0, 3)}:${z.slice(3) || '00'}` : z;
    text = `${y}-${mo}-${d}${h ? `T${h}:${mi ?? '00'}:${s ?? '00'}${zone ?? ''}` : ''}`;
  }
  const parts = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2})(?::(\d{2}))?(?::(\d{2})([.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (!parts) {
    return undefined;
  }
  const [, date, hour, minute, second, fraction, zone] = parts;
  if (hour === undefined) {
    return date;
  }
  let offset = zone ?? 'Z';
  if (offset !== 'Z') {
    offset = offset.length === 3 ? `${offset}:00` : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  }
  const fractionText = fraction ? `.${fraction.slice(1)}` : '';
  return `${date}T${hour}:${minute ?? '00'}:${second ?? '00'}${fractionText}${offset}`;
}

function toFhirInstant(value: string): string | undefined {
  const dateTime = toFhirDateTime(value);
  return dateTime && dateTime.includes('T') ? dateTime : undefined;
}

const UCUM_DURATION: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/^P(\d+(?:[.,]\d+)?)Y$/, 'a', 'years'],
  [/^P(\d+(?:[.,]\d+)?)M$/, 'mo', 'months'],
  [/^P(\d+(?:[.,]\d+)?)W$/, 'wk', 'weeks'],
  [/^P(\d+(?:[.,]\d+)?)D$/, 'd', 'days'],
  [/^PT(\d+(?:[.,]\d+)?)H$/, 'h', 'hours'],
  [/^PT(\d+(?:[.,]\d+)?)M$/, 'min', 'minutes'],
  [/^PT(\d+(?:[.,]\d+)?)S$/, 's', 'seconds'],
];

function durationToQuantity(iso: string): JsonObject | undefined {
  for (const [pattern, code, unit] of UCUM_DURATION) {
    const found = pattern.exec(iso);
    if (found) {
      return { value: Number((found[1] as string).replace(',', '.')), unit, system: UCUM_SYSTEM, code };
    }
  }
  return undefined;
}

function quantityToDuration(quantity: JsonObject): string | undefined {
  const value = num(quantity['value']);
  const code = str(quantity['code']) ?? str(quantity['unit']);
  if (value === undefined || code === undefined) {
    return undefined;
  }
  const designator: Readonly<Record<string, string>> = { a: 'Y', mo: 'M', wk: 'W', d: 'D', h: 'TH', min: 'TM', s: 'TS' };
  const d = designator[code];
  if (!d) {
    return undefined;
  }
  return d.startsWith('T') ? `PT${value}${d.slice(1)}` : `P${value}${d}`;
}

// ---------------------------------------------------------------- codes

function codePhraseToCoding(phrase: JsonObject, options: ConversionOptions, display?: string): JsonObject | undefined {
  const terminology = str(obj(phrase['terminology_id'])?.['value']);
  const code = str(phrase['code_string']);
  if (!terminology || !code) {
    return undefined;
  }
  const map = options.map;
  if (map && map.terminology === terminology) {
    const entry = map.entries.find((e) => e.openehr === code);
    if (entry) {
      return compact({ system: map.system, code: entry.fhir, display: entry.display });
    }
    if (map.unmapped === 'drop') {
      return undefined;
    }
  }
  return compact({ system: systemOf(terminology, options.archetypeId), code, display });
}

function termMappingCodings(value: JsonObject, options: ConversionOptions): JsonObject[] {
  const mappings = value['mappings'];
  if (!Array.isArray(mappings)) {
    return [];
  }
  const codings: JsonObject[] = [];
  for (const mapping of mappings) {
    const target = obj(obj(mapping)?.['target']);
    const coding = target ? codePhraseToCoding(target, { archetypeId: options.archetypeId }) : undefined;
    if (coding) {
      codings.push(coding);
    }
  }
  return codings;
}

function mappedCode(code: string | undefined, terminology: string | undefined, map: CodeMap | undefined): string | undefined {
  if (!code) {
    return undefined;
  }
  if (!map) {
    return code;
  }
  if (terminology !== undefined && terminology !== map.terminology) {
    return map.unmapped === 'keep' ? code : undefined;
  }
  const entry = map.entries.find((e) => e.openehr === code);
  return entry ? entry.fhir : map.unmapped === 'keep' ? code : undefined;
}

// ---------------------------------------------------------------- openEHR -> FHIR

/** Converts one RM value (or RM primitive) of `rmType` to the FHIR type `fhirType`. */
export function rmToFhir(value: unknown, rmType: string, fhirType: string, options: ConversionOptions = {}): JsonValue | undefined {
  const v = obj(value);
  switch (rmType) {
    case 'DV_QUANTITY': {
      const magnitude = num(v?.['magnitude']);
      const units = str(v?.['units']);
      if (magnitude === undefined) {
        return undefined;
      }
      if (QUANTITY_TYPES.has(fhirType)) {
        const code = units === undefined ? undefined : (options.units?.[units] ?? units);
        const status = str(v?.['magnitude_status']);
        const comparator = status && ['<', '>', '<=', '>='].includes(status) ? status : undefined;
        return compact({ value: magnitude, comparator, unit: str(v?.['units_display_name']) ?? code, system: code ? UCUM_SYSTEM : undefined, code });
      }
      if (fhirType === 'decimal') {
        return magnitude;
      }
      if (fhirType === 'integer') {
        return Number.isInteger(magnitude) ? magnitude : undefined;
      }
      if (fhirType === 'string') {
        return units ? `${magnitude} ${units}` : String(magnitude);
      }
      if (fhirType === 'Timing.repeat') {
        const per = units === undefined ? undefined : /^1\/(d|h|min|wk|mo|a)$/.exec(units)?.[1];
        return per && Number.isInteger(magnitude) ? { frequency: magnitude, period: 1, periodUnit: per } : undefined;
      }
      return undefined;
    }
    case 'DV_PROPORTION': {
      const numerator = num(v?.['numerator']);
      const denominator = num(v?.['denominator']);
      const kind = num(v?.['type']);
      if (numerator === undefined || denominator === undefined || denominator === 0) {
        return undefined;
      }
      if (QUANTITY_TYPES.has(fhirType)) {
        if (kind === 2 || denominator === 100) {
          return { value: kind === 2 && denominator !== 100 ? (numerator * 100) / denominator : numerator, unit: '%', system: UCUM_SYSTEM, code: '%' };
        }
        return { value: numerator / denominator, unit: '1', system: UCUM_SYSTEM, code: '1' };
      }
      if (fhirType === 'Ratio') {
        return { numerator: { value: numerator }, denominator: { value: denominator } };
      }
      if (fhirType === 'decimal') {
        return numerator / denominator;
      }
      return undefined;
    }
    case 'DV_COUNT': {
      const magnitude = num(v?.['magnitude']);
      if (magnitude === undefined) {
        return undefined;
      }
      if (fhirType === 'integer' || fhirType === 'decimal') {
        return magnitude;
      }
      if (QUANTITY_TYPES.has(fhirType)) {
        return { value: magnitude, unit: '1', system: UCUM_SYSTEM, code: '1' };
      }
      return fhirType === 'string' ? String(magnitude) : undefined;
    }
    case 'DV_CODED_TEXT':
    case 'DV_TEXT': {
      const text = str(v?.['value']);
      const phrase = rmType === 'DV_CODED_TEXT' ? obj(v?.['defining_code']) : undefined;
      if (fhirType === 'CodeableConcept') {
        const primary = phrase ? codePhraseToCoding(phrase, options, text) : undefined;
        const codings = [...(primary ? [primary] : []), ...termMappingCodings(v ?? {}, options)];
        if (phrase && !primary && codings.length === 0) {
          return undefined;
        }
        // a mapped code's display is the target system's; the openEHR text stays in `text`
        return compact({ coding: codings.length > 0 ? codings : undefined, text });
      }
      if (fhirType === 'Coding') {
        return phrase ? codePhraseToCoding(phrase, options, text) : undefined;
      }
      if (fhirType === 'code') {
        const terminology = str(obj(phrase?.['terminology_id'])?.['value']);
        return phrase ? mappedCode(str(phrase['code_string']), terminology, options.map) : undefined;
      }
      if (TEXT_TYPES.has(fhirType)) {
        return text;
      }
      if (fhirType === 'Annotation') {
        return text === undefined ? undefined : { text };
      }
      if (fhirType === 'Identifier') {
        return text === undefined ? undefined : { value: text };
      }
      return undefined;
    }
    case 'CODE_PHRASE': {
      if (!v) {
        return undefined;
      }
      if (fhirType === 'Coding') {
        return codePhraseToCoding(v, options);
      }
      if (fhirType === 'CodeableConcept') {
        const coding = codePhraseToCoding(v, options);
        return coding ? { coding: [coding] } : undefined;
      }
      if (fhirType === 'code') {
        return mappedCode(str(v['code_string']), str(obj(v['terminology_id'])?.['value']), options.map);
      }
      return undefined;
    }
    case 'DV_DATE_TIME':
    case 'DV_DATE':
    case 'DV_TIME':
    case 'String': {
      const text = rmType === 'String' ? str(value) : str(v?.['value']);
      if (text === undefined) {
        return undefined;
      }
      if (rmType === 'DV_TIME') {
        return fhirType === 'time' ? (/^\d{2}:\d{2}:\d{2}/.exec(text)?.[0] ?? undefined) : fhirType === 'string' ? text : undefined;
      }
      if (fhirType === 'dateTime') {
        return toFhirDateTime(text);
      }
      if (fhirType === 'instant') {
        return toFhirInstant(text);
      }
      if (fhirType === 'date') {
        return toFhirDateTime(text)?.slice(0, 10);
      }
      if (rmType === 'String') {
        if (fhirType === 'code' && options.map) {
          return mappedCode(text, undefined, options.map);
        }
        return ['string', 'code', 'id', 'markdown', ...URI_TYPES].includes(fhirType) ? text : undefined;
      }
      return fhirType === 'string' ? text : undefined;
    }
    case 'Integer':
    case 'Real':
    case 'Double':
      return typeof value === 'number' && ['integer', 'decimal', 'positiveInt', 'unsignedInt'].includes(fhirType) ? value : undefined;
    case 'Boolean':
      return typeof value === 'boolean' && fhirType === 'boolean' ? value : undefined;
    case 'DV_BOOLEAN': {
      const flag = v?.['value'];
      return typeof flag === 'boolean' && fhirType === 'boolean' ? flag : undefined;
    }
    case 'DV_IDENTIFIER': {
      const id = str(v?.['id']);
      if (id === undefined) {
        return undefined;
      }
      if (fhirType === 'string') {
        return id;
      }
      if (fhirType !== 'Identifier') {
        return undefined;
      }
      const issuer = str(v?.['issuer']);
      const assigner = str(v?.['assigner']);
      const type = str(v?.['type']);
      return compact({
        type: type ? { text: type } : undefined,
        system: issuer && /^[a-z][a-z0-9+.-]*:/i.test(issuer) ? issuer : undefined,
        value: id,
        assigner: assigner ? { display: assigner } : undefined,
      });
    }
    case 'PARTY_REF': {
      const id = str(obj(v?.['id'])?.['value']);
      if (fhirType !== 'Identifier' || id === undefined) {
        return undefined;
      }
      const scheme = str(obj(v?.['id'])?.['scheme']);
      return compact({ type: scheme ? { text: scheme } : undefined, system: str(v?.['namespace']), value: id });
    }
    case 'PARTY_IDENTIFIED': {
      if (fhirType !== 'Reference') {
        return undefined;
      }
      const name = str(v?.['name']);
      const ref = obj(v?.['external_ref']);
      const identifier = ref ? rmToFhir(ref, 'PARTY_REF', 'Identifier') : undefined;
      return name === undefined && identifier === undefined ? undefined : compact({ identifier, display: name });
    }
    case 'DV_INTERVAL<DV_DATE_TIME>':
    case 'DV_INTERVAL<DV_DATE>': {
      if (fhirType !== 'Period') {
        return undefined;
      }
      const lower = str(obj(v?.['lower'])?.['value']);
      const upper = str(obj(v?.['upper'])?.['value']);
      const period = compact({ start: lower ? toFhirDateTime(lower) : undefined, end: upper ? toFhirDateTime(upper) : undefined });
      return Object.keys(period).length > 0 ? period : undefined;
    }
    case 'DV_INTERVAL<DV_QUANTITY>': {
      if (fhirType !== 'Range') {
        return undefined;
      }
      const low = v?.['lower'] !== undefined ? rmToFhir(v['lower'], 'DV_QUANTITY', 'Quantity', options) : undefined;
      const high = v?.['upper'] !== undefined ? rmToFhir(v['upper'], 'DV_QUANTITY', 'Quantity', options) : undefined;
      const range = compact({ low, high });
      return Object.keys(range).length > 0 ? range : undefined;
    }
    case 'DV_DURATION': {
      const iso = str(v?.['value']);
      if (iso === undefined) {
        return undefined;
      }
      if (fhirType === 'string') {
        return iso;
      }
      return QUANTITY_TYPES.has(fhirType) ? durationToQuantity(iso) : undefined;
    }
    case 'DV_ORDINAL':
    case 'DV_SCALE': {
      const ordinal = num(v?.['value']);
      if (fhirType === 'integer' || fhirType === 'decimal') {
        return ordinal;
      }
      const symbol = obj(v?.['symbol']);
      return symbol ? rmToFhir(symbol, 'DV_CODED_TEXT', fhirType, options) : undefined;
    }
    case 'DV_URI':
    case 'DV_EHR_URI':
    case 'DV_PARSABLE': {
      const text = str(v?.['value']);
      return fhirType === 'string' || URI_TYPES.has(fhirType) ? text : undefined;
    }
    case 'DV_MULTIMEDIA': {
      if (fhirType !== 'Attachment') {
        return undefined;
      }
      return compact({
        contentType: str(obj(v?.['media_type'])?.['code_string']),
        data: str(v?.['data']),
        url: str(obj(v?.['uri'])?.['value']),
        size: num(v?.['size']),
        title: str(v?.['alternate_text']),
      });
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- FHIR -> openEHR

function codingToCodedText(coding: JsonObject, text: string | undefined, options: ConversionOptions, extra: readonly JsonObject[] = []): JsonObject | undefined {
  const system = str(coding['system']);
  const code = str(coding['code']);
  if (!code) {
    return undefined;
  }
  const map = options.map;
  if (map && (map.system === undefined || system === undefined || system === map.system)) {
    const entry = map.entries.find((e) => e.fhir === code);
    if (entry) {
      return {
        _type: 'DV_CODED_TEXT',
        value: entry.text ?? text ?? str(coding['display']) ?? code,
        defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: map.terminology }, code_string: entry.openehr },
      };
    }
  }
  if (!system || (map && map.unmapped === 'drop' && system === map.system)) {
    return undefined;
  }
  const terminology = terminologyOf(system);
  const mappings = extra
    .filter((c) => str(c['system']) && str(c['code']))
    .map((c) => ({
      _type: 'TERM_MAPPING',
      match: '=',
      target: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminologyOf(str(c['system']) as string) }, code_string: str(c['code']) as string },
    }));
  return compact({
    _type: 'DV_CODED_TEXT',
    value: text ?? str(coding['display']) ?? code,
    mappings: mappings.length > 0 ? mappings : undefined,
    defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code },
  });
}

function codeableToCodedText(concept: JsonObject, options: ConversionOptions): JsonObject | undefined {
  const codings = (Array.isArray(concept['coding']) ? concept['coding'] : []).filter(isJsonObject);
  const text = str(concept['text']);
  // a coding the map knows wins; otherwise the first coding, the others kept as term mappings
  const map = options.map;
  if (map) {
    const known = codings.find((c) => (map.system === undefined || str(c['system']) === map.system) && map.entries.some((e) => e.fhir === str(c['code'])));
    if (known) {
      return codingToCodedText(known, text, options);
    }
    if (map.unmapped === 'drop') {
      return undefined;
    }
  }
  const [first, ...rest] = codings;
  return first ? codingToCodedText(first, text, { archetypeId: options.archetypeId }, rest) : undefined;
}

function dvText(value: string | undefined): JsonObject | undefined {
  return value === undefined ? undefined : { _type: 'DV_TEXT', value };
}

function quantityToRm(quantity: JsonObject, rmType: string, options: ConversionOptions): JsonObject | undefined {
  const value = num(quantity['value']);
  if (value === undefined) {
    return undefined;
  }
  const code = str(quantity['code']) ?? str(quantity['unit']);
  switch (rmType) {
    case 'DV_QUANTITY': {
      if (code === undefined) {
        return undefined;
      }
      const units = Object.entries(options.units ?? {}).find(([, ucum]) => ucum === code)?.[0] ?? code;
      const comparator = str(quantity['comparator']);
      return compact({ _type: 'DV_QUANTITY', magnitude_status: comparator, magnitude: value, units });
    }
    case 'DV_PROPORTION':
      if (code === '%') {
        return { _type: 'DV_PROPORTION', numerator: value, denominator: 100, type: 2 };
      }
      return code === '1' || code === undefined ? { _type: 'DV_PROPORTION', numerator: value, denominator: 1, type: 1 } : undefined;
    case 'DV_COUNT':
      return Number.isInteger(value) && (code === undefined || code === '1') ? { _type: 'DV_COUNT', magnitude: value } : undefined;
    case 'DV_DURATION': {
      const iso = quantityToDuration(quantity);
      return iso ? { _type: 'DV_DURATION', value: iso } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Converts a FHIR value of `fhirType` to the first of `rmTypes` it converts to (when empty,
 * the RM types the FHIR type usually maps to). Gives an RM object, or an RM primitive for `String`.
 */
export function fhirToRm(value: unknown, fhirType: string, rmTypes: readonly string[], options: ConversionOptions = {}): JsonValue | undefined {
  const candidates = rmTypes.length > 0 ? rmTypes : rmTypesFor(fhirType);
  for (const rmType of candidates) {
    const converted = fhirToRmAs(value, fhirType, rmType, options);
    if (converted !== undefined) {
      return converted;
    }
  }
  return undefined;
}

function fhirToRmAs(value: unknown, fhirType: string, rmType: string, options: ConversionOptions): JsonValue | undefined {
  const v = obj(value);
  if (QUANTITY_TYPES.has(fhirType)) {
    return v ? quantityToRm(v, rmType, options) : undefined;
  }
  switch (fhirType) {
    case 'Ratio': {
      const numerator = num(obj(v?.['numerator'])?.['value']);
      const denominator = num(obj(v?.['denominator'])?.['value']);
      return rmType === 'DV_PROPORTION' && numerator !== undefined && denominator !== undefined ? { _type: 'DV_PROPORTION', numerator, denominator, type: 0 } : undefined;
    }
    case 'CodeableConcept':
      if (!v) {
        return undefined;
      }
      if (rmType === 'DV_CODED_TEXT') {
        return codeableToCodedText(v, options);
      }
      if (rmType === 'DV_TEXT') {
        const codings = (Array.isArray(v['coding']) ? v['coding'] : []).filter(isJsonObject);
        return dvText(str(v['text']) ?? str(codings[0]?.['display']));
      }
      if (rmType === 'CODE_PHRASE') {
        const coded = codeableToCodedText(v, options);
        return coded ? (obj(coded['defining_code']) ?? undefined) : undefined;
      }
      return undefined;
    case 'Coding':
      if (!v) {
        return undefined;
      }
      if (rmType === 'DV_CODED_TEXT') {
        return codingToCodedText(v, undefined, options);
      }
      if (rmType === 'CODE_PHRASE') {
        const coded = codingToCodedText(v, undefined, options);
        return coded ? (obj(coded['defining_code']) ?? undefined) : undefined;
      }
      return rmType === 'DV_TEXT' ? dvText(str(v['display']) ?? str(v['code'])) : undefined;
    case 'code': {
      const code = str(value);
      if (code === undefined) {
        return undefined;
      }
      if (rmType === 'DV_CODED_TEXT') {
        const entry = options.map?.entries.find((e) => e.fhir === code);
        if (!entry || !options.map) {
          return undefined;
        }
        return {
          _type: 'DV_CODED_TEXT',
          value: entry.text ?? entry.display ?? code,
          defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: options.map.terminology }, code_string: entry.openehr },
        };
      }
      if (rmType === 'String') {
        return options.map ? options.map.entries.find((e) => e.fhir === code)?.openehr : code;
      }
      return rmType === 'DV_TEXT' ? dvText(code) : undefined;
    }
    case 'string':
    case 'markdown':
    case 'id':
    case 'uri':
    case 'url':
    case 'canonical': {
      const text = str(value);
      if (rmType === 'String') {
        return text;
      }
      if (rmType === 'DV_URI' || rmType === 'DV_EHR_URI') {
        return text === undefined ? undefined : { _type: rmType, value: text };
      }
      return rmType === 'DV_TEXT' ? dvText(text) : undefined;
    }
    case 'Annotation':
      return rmType === 'DV_TEXT' ? dvText(str(v?.['text'])) : undefined;
    case 'dateTime':
    case 'instant':
    case 'date': {
      const text = str(value);
      if (text === undefined) {
        return undefined;
      }
      if (rmType === 'DV_DATE_TIME') {
        return { _type: 'DV_DATE_TIME', value: text };
      }
      if (rmType === 'DV_DATE') {
        return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(text) ? { _type: 'DV_DATE', value: text } : undefined;
      }
      return rmType === 'String' ? text : undefined;
    }
    case 'time':
      return rmType === 'DV_TIME' && str(value) ? { _type: 'DV_TIME', value: str(value) as string } : undefined;
    case 'boolean':
      if (typeof value !== 'boolean') {
        return undefined;
      }
      return rmType === 'DV_BOOLEAN' ? { _type: 'DV_BOOLEAN', value } : rmType === 'Boolean' ? value : undefined;
    case 'integer':
    case 'positiveInt':
    case 'unsignedInt':
    case 'decimal':
      if (typeof value !== 'number') {
        return undefined;
      }
      if (rmType === 'DV_COUNT' && Number.isInteger(value)) {
        return { _type: 'DV_COUNT', magnitude: value };
      }
      return rmType === 'Integer' || rmType === 'Real' || rmType === 'Double' ? value : undefined;
    case 'Identifier': {
      const id = str(v?.['value']);
      if (id === undefined) {
        return undefined;
      }
      if (rmType === 'DV_IDENTIFIER') {
        return compact({
          _type: 'DV_IDENTIFIER',
          issuer: str(v?.['system']),
          assigner: str(obj(v?.['assigner'])?.['display']),
          id,
          type: str(obj(v?.['type'])?.['text']),
        });
      }
      if (rmType === 'PARTY_REF') {
        const system = str(v?.['system']);
        return {
          _type: 'PARTY_REF',
          id: { _type: 'GENERIC_ID', value: id, scheme: str(obj(v?.['type'])?.['text']) ?? system ?? 'id' },
          namespace: system ?? 'unknown',
          type: 'PERSON',
        };
      }
      if (rmType === 'DV_TEXT') {
        return dvText(id);
      }
      return rmType === 'String' ? id : undefined;
    }
    case 'Timing.repeat': {
      const frequency = num(v?.['frequency']);
      const unit = str(v?.['periodUnit']);
      return rmType === 'DV_QUANTITY' && frequency !== undefined && num(v?.['period']) === 1 && unit
        ? { _type: 'DV_QUANTITY', magnitude: frequency, units: `1/${unit}` }
        : undefined;
    }
    case 'Reference': {
      if (rmType !== 'PARTY_IDENTIFIED') {
        return undefined;
      }
      const name = str(v?.['display']);
      const identifier = obj(v?.['identifier']);
      const ref = identifier ? fhirToRmAs(identifier, 'Identifier', 'PARTY_REF', options) : undefined;
      return name === undefined && ref === undefined ? undefined : compact({ _type: 'PARTY_IDENTIFIED', external_ref: ref, name });
    }
    case 'Period': {
      if (rmType !== 'DV_INTERVAL<DV_DATE_TIME>' || !v) {
        return undefined;
      }
      const start = str(v['start']);
      const end = str(v['end']);
      if (!start && !end) {
        return undefined;
      }
      return compact({
        _type: 'DV_INTERVAL<DV_DATE_TIME>',
        lower: start ? { _type: 'DV_DATE_TIME', value: start } : undefined,
        upper: end ? { _type: 'DV_DATE_TIME', value: end } : undefined,
        lower_unbounded: !start,
        upper_unbounded: !end,
        lower_included: start ? true : undefined,
        upper_included: end ? true : undefined,
      });
    }
    case 'Range': {
      if (rmType !== 'DV_INTERVAL<DV_QUANTITY>' || !v) {
        return undefined;
      }
      const low = obj(v['low']) ? quantityToRm(v['low'] as JsonObject, 'DV_QUANTITY', options) : undefined;
      const high = obj(v['high']) ? quantityToRm(v['high'] as JsonObject, 'DV_QUANTITY', options) : undefined;
      if (!low && !high) {
        return undefined;
      }
      return compact({
        _type: 'DV_INTERVAL<DV_QUANTITY>',
        lower: low,
        upper: high,
        lower_unbounded: !low,
        upper_unbounded: !high,
        lower_included: low ? true : undefined,
        upper_included: high ? true : undefined,
      });
    }
    case 'Attachment': {
      if (rmType !== 'DV_MULTIMEDIA' || !v) {
        return undefined;
      }
      const contentType = str(v['contentType']);
      if (!contentType) {
        return undefined;
      }
      return compact({
        _type: 'DV_MULTIMEDIA',
        alternate_text: str(v['title']),
        uri: str(v['url']) ? { _type: 'DV_URI', value: str(v['url']) as string } : undefined,
        data: str(v['data']),
        media_type: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'IANA_media-types' }, code_string: contentType },
        size: num(v['size']) ?? 0,
      });
    }
    default:
      return undefined;
  }
}

