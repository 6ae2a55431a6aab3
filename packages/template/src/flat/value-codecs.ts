/**
 * How RM values are written in FLAT: each type's suffixes (`|code`, `|magnitude`...) and
 * the value written without a suffix, in both directions. Attributes a codec does not
 * handle are written as `_attribute` children by the generic RM codec.
 */
import { baseTypeName } from '../rm/rm-model.js';
import { openEhrRubric } from '../terminology/openehr-terminology.js';
import type { WebTemplateInput, WebTemplateNode } from '../webtemplate/model.js';
import type { FlatNode, FlatValue } from './flat-tree.js';

export type Json = Record<string, unknown>;
export type Emit = (relative: string, value: FlatValue) => void;

export interface CodecContext {
  /** The composition's language: labels of coded values are looked up in it. */
  readonly language: string;
  /** The web template node the value belongs to, when there is one. */
  readonly node?: WebTemplateNode;
  /** Default terminology of a CODE_PHRASE (language, territory, encoding...). */
  readonly codeTerminology?: string;
  /** Write the main value of a DV_PARSABLE or DV_IDENTIFIER without a suffix. */
  readonly inlineValue?: boolean;
}

export interface ValueCodec {
  /** Attributes the codec reads and writes itself. */
  readonly handles: readonly string[];
  decode(node: FlatNode, context: CodecContext): Json | undefined;
  encode(value: Json, emit: Emit, context: CodecContext): void;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function text(v: FlatValue | undefined): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

export function num(v: FlatValue | undefined): number | undefined {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
    return Number(v);
  }
  return undefined;
}

export function bool(v: FlatValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') {
    return v;
  }
  if (v === 'true' || v === 'false') {
    return v === 'true';
  }
  return undefined;
}

const put = (target: Json, key: string, value: unknown): void => {
  if (value !== undefined) {
    target[key] = value;
  }
};

export function codePhrase(terminology: string, code: string, preferredTerm?: string): Json {
  const result: Json = { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code };
  put(result, 'preferred_term', preferredTerm);
  return result;
}

function inputWith(node: WebTemplateNode | undefined, suffix: string | undefined): WebTemplateInput | undefined {
  return node?.inputs?.find((i) => i.suffix === suffix) ?? (suffix === 'code' ? node?.inputs?.find((i) => i.suffix === undefined && i.list) : undefined);
}

function label(input: WebTemplateInput | undefined, code: string, language: string): string | undefined {
  const value = input?.list?.find((v) => v.value === code);
  return value?.localizedLabels?.[language] ?? value?.label;
}

function termOf(value: unknown): { terminology?: string; code?: string } {
  if (!isObject(value)) {
    return {};
  }
  const terminology = isObject(value.terminology_id) ? text(value.terminology_id.value as FlatValue) : undefined;
  const code = text(value.code_string as FlatValue);
  return { ...(terminology !== undefined ? { terminology } : {}), ...(code !== undefined ? { code } : {}) };
}

const DV_TEXT: ValueCodec = {
  handles: ['value', 'formatting'],
  decode(node) {
    const value = text(node.value) ?? text(node.suffixes.get('value')) ?? text(node.suffixes.get('other'));
    if (value === undefined) {
      return undefined;
    }
    const result: Json = { _type: 'DV_TEXT', value };
    put(result, 'formatting', text(node.suffixes.get('formatting')));
    return result;
  },
  encode(value, emit, context) {
    const openList = (context.node?.inputs ?? []).some((i) => i.suffix === 'other');
    emit(openList ? '|other' : '', value.value as FlatValue);
    if (value.formatting !== undefined) {
      emit('|formatting', value.formatting as FlatValue);
    }
  },
};

const DV_CODED_TEXT: ValueCodec = {
  handles: ['value', 'defining_code', 'formatting'],
  decode(node, context) {
    const input = inputWith(context.node, 'code');
    let code = text(node.suffixes.get('code'));
    let value = text(node.suffixes.get('value'));
    const other = text(node.suffixes.get('other'));
    const plain = text(node.value);
    if (code === undefined && plain !== undefined) {
      const byCode = input?.list?.find((v) => v.value === plain);
      const byLabel = input?.list?.find((v) => v.label === plain || Object.values(v.localizedLabels ?? {}).includes(plain));
      if (byCode) {
        code = byCode.value;
      } else if (byLabel) {
        code = byLabel.value;
      } else {
        value = value ?? plain;
      }
    }
    if (code === undefined) {
      const textValue = value ?? other;
      return textValue === undefined ? undefined : { _type: 'DV_TEXT', value: textValue };
    }
    const terminology = text(node.suffixes.get('terminology')) ?? text(node.suffixes.get('terminology_id')) ?? input?.terminology ?? (input?.list ? 'local' : undefined) ?? 'local';
    value ??= label(input, code, context.language) ?? (terminology === 'openehr' ? openEhrRubric(code) : undefined) ?? code;
    const result: Json = { _type: 'DV_CODED_TEXT', value };
    put(result, 'formatting', text(node.suffixes.get('formatting')));
    result.defining_code = codePhrase(terminology, code, text(node.suffixes.get('preferred_term')));
    return result;
  },
  encode(value, emit) {
    const { terminology, code } = termOf(value.defining_code);
    if (code !== undefined) {
      emit('|code', code);
    }
    emit('|value', value.value as FlatValue);
    if (terminology !== undefined) {
      emit('|terminology', terminology);
    }
    if (isObject(value.defining_code) && value.defining_code.preferred_term !== undefined) {
      emit('|preferred_term', value.defining_code.preferred_term as FlatValue);
    }
    if (value.formatting !== undefined) {
      emit('|formatting', value.formatting as FlatValue);
    }
  },
};

const QUANTIFIED = ['magnitude_status', 'accuracy', 'accuracy_is_percent'];

function decodeQuantified(node: FlatNode, result: Json): void {
  put(result, 'magnitude_status', text(node.suffixes.get('magnitude_status')));
  put(result, 'accuracy', num(node.suffixes.get('accuracy')));
  put(result, 'accuracy_is_percent', bool(node.suffixes.get('accuracy_is_percent')));
  const normal = text(node.suffixes.get('normal_status'));
  if (normal !== undefined) {
    result.normal_status = codePhrase('openehr_normal_statuses', normal);
  }
}

function encodeQuantified(value: Json, emit: Emit): void {
  for (const name of QUANTIFIED) {
    if (value[name] !== undefined) {
      emit(`|${name}`, value[name] as FlatValue);
    }
  }
  const normal = termOf(value.normal_status).code;
  if (normal !== undefined) {
    emit('|normal_status', normal);
  }
}

const DV_QUANTITY: ValueCodec = {
  handles: ['magnitude', 'units', 'precision', 'units_system', 'units_display_name', 'normal_status', ...QUANTIFIED],
  decode(node) {
    const magnitude = num(node.suffixes.get('magnitude')) ?? num(node.value);
    const units = text(node.suffixes.get('unit')) ?? text(node.suffixes.get('units'));
    if (magnitude === undefined && units === undefined) {
      return undefined;
    }
    const result: Json = { _type: 'DV_QUANTITY' };
    decodeQuantified(node, result);
    put(result, 'magnitude', magnitude);
    put(result, 'units', units);
    put(result, 'precision', num(node.suffixes.get('precision')));
    put(result, 'units_system', text(node.suffixes.get('units_system')));
    put(result, 'units_display_name', text(node.suffixes.get('units_display_name')));
    return result;
  },
  encode(value, emit) {
    emit('|magnitude', value.magnitude as FlatValue);
    emit('|unit', value.units as FlatValue);
    for (const name of ['precision', 'units_system', 'units_display_name']) {
      if (value[name] !== undefined) {
        emit(`|${name}`, value[name] as FlatValue);
      }
    }
    encodeQuantified(value, emit);
  },
};

const DV_COUNT: ValueCodec = {
  handles: ['magnitude', 'normal_status', ...QUANTIFIED],
  decode(node) {
    const magnitude = num(node.value) ?? num(node.suffixes.get('magnitude'));
    if (magnitude === undefined) {
      return undefined;
    }
    const result: Json = { _type: 'DV_COUNT' };
    decodeQuantified(node, result);
    result.magnitude = magnitude;
    return result;
  },
  encode(value, emit) {
    emit('', value.magnitude as FlatValue);
    encodeQuantified(value, emit);
  },
};

const PROPORTION_KINDS = ['ratio', 'unitary', 'percent', 'fraction', 'integer_fraction'];

const DV_PROPORTION: ValueCodec = {
  handles: ['numerator', 'denominator', 'type', 'precision', 'normal_status', ...QUANTIFIED],
  decode(node, context) {
    const numerator = num(node.suffixes.get('numerator'));
    let denominator = num(node.suffixes.get('denominator'));
    if (numerator === undefined) {
      return undefined;
    }
    let type = num(node.suffixes.get('type'));
    const allowed = context.node?.proportionTypes;
    if (type === undefined && allowed && allowed.length === 1) {
      type = PROPORTION_KINDS.indexOf(allowed[0]!);
    }
    if (type === undefined) {
      type = denominator === 100 ? 2 : denominator === 1 ? 1 : 0;
    }
    if (denominator === undefined) {
      denominator = type === 2 ? 100 : 1;
    }
    const result: Json = { _type: 'DV_PROPORTION' };
    decodeQuantified(node, result);
    Object.assign(result, { numerator, denominator, type });
    put(result, 'precision', num(node.suffixes.get('precision')));
    return result;
  },
  encode(value, emit) {
    if (typeof value.numerator === 'number' && typeof value.denominator === 'number' && value.denominator !== 0) {
      emit('', value.numerator / value.denominator);
    }
    emit('|numerator', value.numerator as FlatValue);
    emit('|denominator', value.denominator as FlatValue);
    emit('|type', value.type as FlatValue);
    if (value.precision !== undefined) {
      emit('|precision', value.precision as FlatValue);
    }
    encodeQuantified(value, emit);
  },
};

function ordinalCodec(type: 'DV_ORDINAL' | 'DV_SCALE'): ValueCodec {
  return {
    handles: ['value', 'symbol', 'normal_status'],
    decode(node, context) {
      const input = context.node?.inputs?.find((i) => i.list);
      let code = text(node.suffixes.get('code')) ?? text(node.value);
      const ordinal = num(node.suffixes.get('ordinal'));
      if (code === undefined && ordinal !== undefined) {
        code = input?.list?.find((v) => v.ordinal === ordinal)?.value;
      }
      if (code === undefined) {
        return undefined;
      }
      const item = input?.list?.find((v) => v.value === code);
      const result: Json = { _type: type };
      result.value = ordinal ?? item?.ordinal;
      result.symbol = {
        _type: 'DV_CODED_TEXT',
        value: text(node.suffixes.get('value')) ?? label(input, code, context.language) ?? code,
        defining_code: codePhrase(text(node.suffixes.get('terminology')) ?? input?.terminology ?? 'local', code),
      };
      return result;
    },
    encode(value, emit) {
      const symbol = isObject(value.symbol) ? value.symbol : {};
      const { code, terminology } = termOf(symbol.defining_code);
      if (code !== undefined) {
        emit('|code', code);
      }
      emit('|value', symbol.value as FlatValue);
      emit('|ordinal', value.value as FlatValue);
      if (terminology !== undefined && terminology !== 'local') {
        emit('|terminology', terminology);
      }
    },
  };
}

function temporalCodec(type: string): ValueCodec {
  return {
    handles: ['value', 'normal_status', 'magnitude_status'],
    decode(node) {
      const value = text(node.value) ?? text(node.suffixes.get('value'));
      if (value === undefined) {
        return undefined;
      }
      const result: Json = { _type: type };
      const status = text(node.suffixes.get('magnitude_status'));
      if (status !== undefined) {
        result.magnitude_status = status;
      }
      const normal = text(node.suffixes.get('normal_status'));
      if (normal !== undefined) {
        result.normal_status = codePhrase('openehr_normal_statuses', normal);
      }
      result.value = value;
      return result;
    },
    encode(value, emit) {
      emit('', value.value as FlatValue);
      if (value.magnitude_status !== undefined) {
        emit('|magnitude_status', value.magnitude_status as FlatValue);
      }
      const normal = termOf(value.normal_status).code;
      if (normal !== undefined) {
        emit('|normal_status', normal);
      }
    },
  };
}

const DURATION_FIELDS: readonly [string, string, boolean][] = [
  ['year', 'Y', false],
  ['month', 'M', false],
  ['week', 'W', false],
  ['day', 'D', false],
  ['hour', 'H', true],
  ['minute', 'M', true],
  ['second', 'S', true],
];

const DV_DURATION: ValueCodec = {
  handles: ['value', 'normal_status', ...QUANTIFIED],
  decode(node) {
    let value = text(node.value) ?? text(node.suffixes.get('value'));
    if (value === undefined && DURATION_FIELDS.some(([f]) => node.suffixes.has(f))) {
      let date = '';
      let time = '';
      for (const [field, designator, inTime] of DURATION_FIELDS) {
        const amount = num(node.suffixes.get(field));
        if (amount !== undefined && amount !== 0) {
          if (inTime) {
            time += `${amount}${designator}`;
          } else {
            date += `${amount}${designator}`;
          }
        }
      }
      value = `P${date}${time ? `T${time}` : ''}`;
      if (value === 'P') {
        value = 'PT0S';
      }
    }
    if (value === undefined) {
      return undefined;
    }
    const result: Json = { _type: 'DV_DURATION' };
    decodeQuantified(node, result);
    result.value = value;
    return result;
  },
  encode(value, emit) {
    emit('', value.value as FlatValue);
    encodeQuantified(value, emit);
  },
};

const DV_BOOLEAN: ValueCodec = {
  handles: ['value'],
  decode(node) {
    const value = bool(node.value) ?? bool(node.suffixes.get('value'));
    return value === undefined ? undefined : { _type: 'DV_BOOLEAN', value };
  },
  encode(value, emit) {
    emit('', value.value as FlatValue);
  },
};

const DV_IDENTIFIER: ValueCodec = {
  handles: ['id', 'type', 'issuer', 'assigner'],
  decode(node) {
    const id = text(node.value) ?? text(node.suffixes.get('id'));
    if (id === undefined) {
      return undefined;
    }
    const result: Json = { _type: 'DV_IDENTIFIER' };
    put(result, 'issuer', text(node.suffixes.get('issuer')));
    put(result, 'assigner', text(node.suffixes.get('assigner')));
    result.id = id;
    put(result, 'type', text(node.suffixes.get('type')));
    return result;
  },
  encode(value, emit, context) {
    emit(context.inlineValue || context.node?.rmType === 'DV_IDENTIFIER' ? '' : '|id', value.id as FlatValue);
    for (const name of ['type', 'issuer', 'assigner']) {
      if (value[name] !== undefined) {
        emit(`|${name}`, value[name] as FlatValue);
      }
    }
  },
};

function uriCodec(type: 'DV_URI' | 'DV_EHR_URI'): ValueCodec {
  return {
    handles: ['value'],
    decode(node) {
      const value = text(node.value) ?? text(node.suffixes.get('value'));
      return value === undefined ? undefined : { _type: type, value };
    },
    encode(value, emit) {
      emit('', value.value as FlatValue);
    },
  };
}

const DV_MULTIMEDIA: ValueCodec = {
  handles: ['uri', 'media_type', 'size', 'alternate_text', 'data', 'integrity_check', 'compression_algorithm', 'integrity_check_algorithm'],
  decode(node) {
    const uri = text(node.value) ?? text(node.suffixes.get('uri'));
    const mediaType = text(node.suffixes.get('mediatype'));
    const data = text(node.suffixes.get('data'));
    if (uri === undefined && mediaType === undefined && data === undefined) {
      return undefined;
    }
    const result: Json = { _type: 'DV_MULTIMEDIA' };
    put(result, 'alternate_text', text(node.suffixes.get('alternatetext')));
    if (uri !== undefined) {
      result.uri = { _type: 'DV_URI', value: uri };
    }
    put(result, 'data', data);
    result.media_type = codePhrase('IANA_media-types', mediaType ?? 'application/octet-stream');
    const compression = text(node.suffixes.get('compression_algorithm'));
    if (compression !== undefined) {
      result.compression_algorithm = codePhrase('openehr_compression_algorithms', compression);
    }
    put(result, 'integrity_check', text(node.suffixes.get('integrity_check')));
    const integrity = text(node.suffixes.get('integrity_check_algorithm'));
    if (integrity !== undefined) {
      result.integrity_check_algorithm = codePhrase('openehr_integrity_check_algorithms', integrity);
    }
    result.size = num(node.suffixes.get('size')) ?? 0;
    return result;
  },
  encode(value, emit) {
    if (isObject(value.uri)) {
      emit('', value.uri.value as FlatValue);
    }
    const mediaType = termOf(value.media_type).code;
    if (mediaType !== undefined) {
      emit('|mediatype', mediaType);
    }
    if (value.size !== undefined) {
      emit('|size', value.size as FlatValue);
    }
    if (value.alternate_text !== undefined) {
      emit('|alternatetext', value.alternate_text as FlatValue);
    }
    if (value.data !== undefined) {
      emit('|data', value.data as FlatValue);
    }
    if (value.integrity_check !== undefined) {
      emit('|integrity_check', value.integrity_check as FlatValue);
    }
    for (const name of ['compression_algorithm', 'integrity_check_algorithm']) {
      const code = termOf(value[name]).code;
      if (code !== undefined) {
        emit(`|${name}`, code);
      }
    }
  },
};

const DV_PARSABLE: ValueCodec = {
  handles: ['value', 'formalism'],
  decode(node) {
    const value = text(node.suffixes.get('value')) ?? text(node.value);
    if (value === undefined) {
      return undefined;
    }
    return { _type: 'DV_PARSABLE', value, formalism: text(node.suffixes.get('formalism')) ?? 'text/plain' };
  },
  encode(value, emit, context) {
    emit(context.inlineValue || context.node?.rmType === 'DV_PARSABLE' ? '' : '|value', value.value as FlatValue);
    emit('|formalism', value.formalism as FlatValue);
  },
};

const DV_STATE: ValueCodec = {
  handles: ['value', 'is_terminal'],
  decode(node, context) {
    const coded = DV_CODED_TEXT.decode(node, context);
    if (!coded) {
      return undefined;
    }
    return { _type: 'DV_STATE', value: coded, is_terminal: bool(node.suffixes.get('is_terminal')) ?? false };
  },
  encode(value, emit, context) {
    if (isObject(value.value)) {
      DV_CODED_TEXT.encode(value.value, emit, context);
    }
    emit('|is_terminal', value.is_terminal as FlatValue);
  },
};

const CODE_PHRASE: ValueCodec = {
  handles: ['terminology_id', 'code_string', 'preferred_term'],
  decode(node, context) {
    const code = text(node.suffixes.get('code')) ?? text(node.value);
    if (code === undefined) {
      return undefined;
    }
    const terminology = text(node.suffixes.get('terminology')) ?? context.codeTerminology ?? inputWith(context.node, 'code')?.terminology ?? 'local';
    return codePhrase(terminology, code, text(node.suffixes.get('preferred_term')));
  },
  encode(value, emit) {
    const { code, terminology } = termOf(value);
    emit('|code', code ?? null);
    emit('|terminology', terminology ?? null);
    if (value.preferred_term !== undefined) {
      emit('|preferred_term', value.preferred_term as FlatValue);
    }
  },
};

const STRING: ValueCodec = {
  handles: [],
  decode(node) {
    const value = text(node.value);
    return value === undefined ? undefined : ({ value } as Json);
  },
  encode(value, emit) {
    emit('', value.value as FlatValue);
  },
};

const CODECS: Readonly<Record<string, ValueCodec>> = {
  DV_TEXT,
  DV_CODED_TEXT,
  DV_QUANTITY,
  DV_COUNT,
  DV_PROPORTION,
  DV_ORDINAL: ordinalCodec('DV_ORDINAL'),
  DV_SCALE: ordinalCodec('DV_SCALE'),
  DV_DATE_TIME: temporalCodec('DV_DATE_TIME'),
  DV_DATE: temporalCodec('DV_DATE'),
  DV_TIME: temporalCodec('DV_TIME'),
  DV_DURATION,
  DV_BOOLEAN,
  DV_IDENTIFIER,
  DV_URI: uriCodec('DV_URI'),
  DV_EHR_URI: uriCodec('DV_EHR_URI'),
  DV_MULTIMEDIA,
  DV_PARSABLE,
  DV_STATE,
  CODE_PHRASE,
  STRING,
};

export function valueCodec(rmType: string): ValueCodec | undefined {
  return CODECS[baseTypeName(rmType)];
}
