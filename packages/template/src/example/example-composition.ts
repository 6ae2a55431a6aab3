/**
 * `exampleComposition`: a canonical JSON composition built from a template alone, with
 * every mandatory node, one of each optional node (as far as occurrences and cardinality
 * allow), and values that satisfy the template's constraints.
 */
import { resolveInternalRef } from '../opt/internal-refs.js';
import type { CArchetypeRoot, CAttribute, CCodePhrase, CComplex, CDvOrdinal, CDvQuantity, CObject, CPrimitive, Interval, OperationalTemplate } from '../opt/model.js';
import { constrainedNameCodes, defaultNodeName, termText } from '../opt/node-names.js';
import { allAttributes, baseTypeName, isLocatableType, isSubtypeOf, rmClass, typeParameter } from '../rm/rm-model.js';
import { groupForAttribute, openEhrGroup, openEhrRubric } from '../terminology/openehr-terminology.js';
import { compositionToFlat } from '../flat/composition-to-flat.js';
import type { FlatValue } from '../flat/flat-tree.js';
import { patternExample } from './pattern-example.js';

type Json = Record<string, unknown>;

export interface ExampleOptions {
  /** Language of names and texts; the template's language by default. */
  readonly language?: string;
  /** The time used for every date and time value. */
  readonly time?: string;
}

const EXAMPLE_TIME = '2024-01-15T10:30:00Z';
const RM_VERSION = '1.0.4';

const CONCRETE: Readonly<Record<string, string>> = {
  ITEM_STRUCTURE: 'ITEM_TREE',
  EVENT: 'POINT_EVENT',
  ITEM: 'ELEMENT',
  CONTENT_ITEM: 'SECTION',
  PARTY_PROXY: 'PARTY_SELF',
  DATA_VALUE: 'DV_TEXT',
  DV_ENCAPSULATED: 'DV_PARSABLE',
  UID_BASED_ID: 'HIER_OBJECT_ID',
  OBJECT_ID: 'GENERIC_ID',
  DV_ORDERED: 'DV_COUNT',
};

const codePhrase = (terminology: string, code: string): Json => ({ _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code });

function withinInteger(interval: Interval<number> | undefined, preferred: number): number {
  if (!interval) {
    return preferred;
  }
  let lower = interval.lower === undefined ? undefined : interval.lowerIncluded ? Math.ceil(interval.lower) : Math.floor(interval.lower) + 1;
  const upper = interval.upper === undefined ? undefined : interval.upperIncluded ? Math.floor(interval.upper) : Math.ceil(interval.upper) - 1;
  lower ??= upper !== undefined ? Math.min(preferred, upper) : preferred;
  return upper !== undefined && preferred > upper ? Math.max(lower, upper) : Math.max(lower, Math.min(preferred, upper ?? preferred));
}

function withinReal(interval: Interval<number> | undefined, preferred: number): number {
  if (!interval) {
    return preferred;
  }
  const { lower, upper } = interval;
  if (lower !== undefined && upper !== undefined) {
    if (lower === upper) {
      return lower;
    }
    const mid = (lower + upper) / 2;
    return Number.isInteger(lower) && Number.isInteger(upper) && upper - lower >= 2 ? Math.round(mid) : mid;
  }
  if (lower !== undefined) {
    return interval.lowerIncluded ? Math.max(lower, preferred) : Math.max(lower + 1, preferred);
  }
  if (upper !== undefined) {
    return interval.upperIncluded ? Math.min(upper, preferred) : Math.min(upper - 1, preferred);
  }
  return preferred;
}

function temporalExample(kind: 'C_DATE' | 'C_TIME' | 'C_DATE_TIME', pattern: string | undefined, zone: boolean, time: string): string {
  const [datePart, timePartRaw] = time.split('T') as [string, string];
  const timePart = timePartRaw.replace(/Z$/, '');
  const [year, month, day] = datePart.split('-');
  const [hour, minute, second] = timePart.split(':');
  const wanted = (symbol: string | undefined): boolean => symbol !== undefined && symbol !== 'X' && symbol !== 'x';
  if (kind === 'C_DATE') {
    const symbols = (pattern ?? 'yyyy-mm-dd').split('-').map((s) => s[0]);
    return [year, wanted(symbols[1]) || !pattern ? month : undefined, wanted(symbols[2]) || !pattern ? day : undefined].filter((p) => p !== undefined).join('-');
  }
  const timeOf = (timePattern: string | undefined): string => {
    const symbols = (timePattern ?? 'HH:MM:SS').split(':').map((s) => s[0]);
    const parts = [hour, wanted(symbols[1]) || !timePattern ? minute : undefined, wanted(symbols[2]) || !timePattern ? second : undefined];
    const kept: string[] = [];
    for (const p of parts) {
      if (p === undefined) {
        break;
      }
      kept.push(p);
    }
    return kept.join(':') + (zone ? 'Z' : '');
  };
  if (kind === 'C_TIME') {
    return timeOf(pattern);
  }
  const [dp, tp] = pattern?.includes('T') ? (pattern.split('T') as [string, string]) : [pattern, undefined];
  const date = temporalExample('C_DATE', dp, false, time);
  if ((pattern && !pattern.includes('T')) || date.length < 10) {
    return date;
  }

  return `${date}T${timeOf(tp)}`;
}

function durationExample(pattern: string | undefined, range: Interval<string> | undefined): string {
  if (range?.lower !== undefined && range.lowerIncluded) {
    return range.lower;
  }
  if (range?.upper !== undefined && range.upperIncluded) {
    return range.upper;
  }
  if (!pattern) {
    return 'P1D';
  }
  const p = pattern.toUpperCase();
  const [date, time] = p.includes('T') ? (p.split('T') as [string, string]) : [p, ''];
  for (const d of ['D', 'W', 'M', 'Y']) {
    if (date.includes(d)) {
      return `P1${d}`;
    }
  }
  for (const t of ['H', 'M', 'S']) {
    if (time.includes(t)) {
      return `PT1${t}`;
    }
  }
  return 'P1D';
}

class ExampleBuilder {
  constructor(
    private readonly template: OperationalTemplate,
    private readonly language: string,
    private readonly time: string,
  ) {}

  build(): Json {
    const root = this.template.definition;
    return this.complex(root, root.rmTypeName, root) as Json;
  }

  private concrete(type: string): string {
    const base = baseTypeName(type);
    return rmClass(base)?.abstract ? (CONCRETE[base] ?? type) : type;
  }

  private object(constraint: CObject, archetype: CArchetypeRoot, owner: { type: string; attribute: string } | undefined): unknown {
    switch (constraint.kind) {
      case 'ARCHETYPE_INTERNAL_REF': {
        const target = resolveInternalRef(constraint, archetype, this.template.definition);
        return target ? this.object(target, archetype, owner) : undefined;
      }
      case 'C_ARCHETYPE_ROOT':
      case 'C_COMPLEX_OBJECT':
        return this.complex(constraint, constraint.rmTypeName, archetype);
      case 'C_PRIMITIVE_OBJECT':
        return constraint.item ? this.primitive(constraint.item, owner) : this.primitiveOfType(constraint.rmTypeName, owner);
      case 'C_DV_QUANTITY':
        return this.quantity(constraint);
      case 'C_CODE_PHRASE':
        return this.codePhrase(constraint, archetype, owner);
      case 'C_DV_ORDINAL':
      case 'C_DV_SCALE':
        return this.ordinal(constraint, archetype);
      case 'ARCHETYPE_SLOT':
      case 'CONSTRAINT_REF':
        return constraint.kind === 'CONSTRAINT_REF' ? codePhrase('local', constraint.reference) : undefined;
    }
  }

  private complex(constraint: CComplex, declared: string, archetype: CArchetypeRoot): unknown {
    const type = this.concrete(declared);
    const inner = constraint.kind === 'C_ARCHETYPE_ROOT' ? constraint : archetype;
    const result: Json = { _type: type };
    if (isLocatableType(type)) {
      result.name = this.name(constraint, inner);
      result.archetype_node_id = constraint.kind === 'C_ARCHETYPE_ROOT' ? constraint.archetypeId : constraint.nodeId || 'at0000';
      if (constraint.kind === 'C_ARCHETYPE_ROOT') {
        result.archetype_details = {
          _type: 'ARCHETYPED',
          archetype_id: { _type: 'ARCHETYPE_ID', value: constraint.archetypeId },
          ...(constraint === this.template.definition ? { template_id: { _type: 'TEMPLATE_ID', value: this.template.templateId } } : {}),
          rm_version: RM_VERSION,
        };
      }
    }
    const constrained = new Map(constraint.attributes.map((a) => [a.rmAttributeName, a]));
    for (const attribute of allAttributes(type)) {
      if (attribute.name === 'name' || attribute.name === 'archetype_node_id' || attribute.name === 'archetype_details') {
        continue;
      }
      const c = constrained.get(attribute.name);
      const attributeOwner = { type: baseTypeName(type), attribute: attribute.name };
      if (c) {
        const value = this.attribute(c, attribute.multiple, attribute.type, inner, attributeOwner);
        if (value !== undefined) {
          result[attribute.name] = value;
        } else if (c.kind === 'C_MULTIPLE_ATTRIBUTE' && (c.cardinality.interval.lower ?? 0) > 0) {
          return undefined;
        } else if (attribute.mandatory || (c.existence.lower ?? 0) > 0) {
          const fallback = c.children.length === 0 ? this.rmValue(attribute.type, attributeOwner, type) : undefined;
          if (fallback === undefined) {
            return undefined;
          }
          result[attribute.name] = attribute.multiple ? [fallback] : fallback;
        }
      } else if (attribute.mandatory || this.shown(type, attribute.name)) {
        const value = attribute.name === 'composer' ? { _type: 'PARTY_IDENTIFIED', name: 'Example composer' } : this.rmValue(attribute.type, attributeOwner, type);
        if (value !== undefined) {
          result[attribute.name] = attribute.multiple ? [value] : value;
        }
      }
    }
    if (type === 'ACTIVITY' && result.action_archetype_id === undefined) {
      result.action_archetype_id = '/.*/';
    }
    if (type === 'HISTORY') {
      result.origin ??= { _type: 'DV_DATE_TIME', value: this.time };
    }
    if (isSubtypeOf(type, 'DV_INTERVAL')) {
      result.lower_included = result.lower !== undefined;
      result.upper_included = result.upper !== undefined;
      result.lower_unbounded = result.lower === undefined;
      result.upper_unbounded = result.upper === undefined;
      if (typeof declared === 'string' && declared.includes('<')) {
        result._type = declared;
      }
    }
    if (isSubtypeOf(type, 'DV_CODED_TEXT') && typeof result.value !== 'string') {
      result.value = this.codedText(result.defining_code as Json | undefined, inner);
    } else if (isSubtypeOf(type, 'DV_CODED_TEXT') && constraint.attributes.some((a) => a.rmAttributeName === 'defining_code')) {
      result.value = this.codedText(result.defining_code as Json | undefined, inner);
    }
    if (type === 'DV_PROPORTION') {
      const integral = constraint.attributes.find((a) => a.rmAttributeName === 'is_integral')?.children.find((c) => c.kind === 'C_PRIMITIVE_OBJECT');
      const wantsIntegral = integral?.kind === 'C_PRIMITIVE_OBJECT' && integral.item?.type === 'C_BOOLEAN' ? integral.item.trueValid : undefined;
      this.fixProportion(result, wantsIntegral);
    }
    return result;
  }

  /** Optional RM attributes an example shows anyway. */
  private shown(type: string, attribute: string): boolean {
    return (type === 'COMPOSITION' && attribute === 'context') || (type === 'ELEMENT' && attribute === 'value');
  }

  private attribute(attribute: CAttribute, multiple: boolean, declared: string, archetype: CArchetypeRoot, owner: { type: string; attribute: string }): unknown {
    const usable = attribute.children.filter((c) => c.kind !== 'ARCHETYPE_SLOT' && (c.occurrences.upper === undefined || c.occurrences.upper > 0));
    if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE' || multiple) {
      const limit = attribute.kind === 'C_MULTIPLE_ATTRIBUTE' ? (attribute.cardinality.interval.upper ?? Infinity) : Infinity;
      const wanted = attribute.kind === 'C_MULTIPLE_ATTRIBUTE' ? (attribute.cardinality.interval.lower ?? 0) : 0;
      const mandatory = usable.filter((c) => (c.occurrences.lower ?? 0) > 0);
      const optional = usable.filter((c) => (c.occurrences.lower ?? 0) === 0);
      const picks: CObject[] = [];
      for (const c of mandatory) {
        for (let i = 0; i < (c.occurrences.lower ?? 1); i++) {
          picks.push(c);
        }
      }
      for (const c of optional) {
        if (picks.length < limit && !this.sameNodeAs(c, picks)) {
          picks.push(c);
        }
      }
      for (const c of usable) {
        while (picks.length < wanted && picks.filter((p) => p === c).length < (c.occurrences.upper ?? Infinity)) {
          picks.push(c);
        }
      }
      const items: unknown[] = [];
      for (const c of picks.slice(0, limit)) {
        const item = this.object(c, archetype, owner);
        if (item !== undefined) {
          items.push(item);
        } else if ((c.occurrences.lower ?? 0) > 0) {
          return undefined;
        }
      }
      if (items.length < wanted) {
        return undefined;
      }
      return items.length > 0 ? items : undefined;
    }
    const ordered = [...usable.filter((c) => (c.occurrences.lower ?? 0) > 0), ...usable.filter((c) => (c.occurrences.lower ?? 0) === 0)];
    for (const chosen of ordered) {
      const value = this.object(chosen, archetype, owner);
      if (value !== undefined) {
        return value;
      }
    }
    return (attribute.existence.lower ?? 0) > 0 && usable.length === 0 && attribute.children.length === 0 ? this.rmValue(declared, owner) : undefined;
  }

  /** Two alternatives with the same node id would give siblings the validator cannot tell apart. */
  private sameNodeAs(c: CObject, picks: readonly CObject[]): boolean {
    const id = c.kind === 'C_ARCHETYPE_ROOT' ? c.archetypeId : c.nodeId;
    return id !== '' && picks.some((p) => (p.kind === 'C_ARCHETYPE_ROOT' ? p.archetypeId : p.nodeId) === id && p.rmTypeName === c.rmTypeName && p !== c);
  }

  private name(constraint: CComplex, archetype: CArchetypeRoot): Json {
    const coded = constrainedNameCodes(constraint);
    if (coded) {
      const code = coded.codes[0] ?? (constraint.kind === 'C_ARCHETYPE_ROOT' ? 'at0000' : constraint.nodeId);
      const terminology = coded.terminologyId ?? 'local';
      return { _type: 'DV_CODED_TEXT', value: terminology === 'local' ? (termText(archetype, code, this.language) ?? code) : code, defining_code: codePhrase(terminology, code) };
    }
    return { _type: 'DV_TEXT', value: defaultNodeName(constraint, archetype, this.language) ?? constraint.rmTypeName };
  }

  private codedText(code: Json | undefined, archetype: CArchetypeRoot): string {
    const terminology = (code?.terminology_id as Json | undefined)?.value;
    const value = String(code?.code_string ?? '');
    if (terminology === 'local') {
      return termText(archetype, value, this.language) ?? value;
    }
    if (terminology === 'openehr') {
      return openEhrRubric(value) ?? value;
    }
    return termText(archetype, `${String(terminology)}::${value}`, this.language) ?? termText(archetype, value, this.language) ?? value;
  }

  private primitive(item: CPrimitive, owner: { type: string; attribute: string } | undefined): unknown {
    switch (item.type) {
      case 'C_STRING':
        if (item.list && item.list.length > 0) {
          return item.list[0];
        }
        if (item.pattern) {
          if (owner?.attribute === 'action_archetype_id') {
            return item.pattern;
          }
          return patternExample(item.pattern) ?? item.assumedValue ?? 'example';
        }
        return item.assumedValue ?? (owner?.attribute === 'formalism' ? 'text/plain' : 'example text');
      case 'C_INTEGER':
        return item.list && item.list.length > 0 ? item.list[0] : withinInteger(item.range, item.assumedValue ?? 1);
      case 'C_REAL':
        return item.list && item.list.length > 0 ? item.list[0] : withinReal(item.range, item.assumedValue ?? 1);
      case 'C_BOOLEAN':
        return item.assumedValue !== undefined && (item.assumedValue ? item.trueValid : item.falseValid) ? item.assumedValue : item.trueValid;
      case 'C_DATE':
      case 'C_TIME':
      case 'C_DATE_TIME':
        if (item.range?.lower !== undefined && item.range.lowerIncluded) {
          return item.range.lower;
        }
        return temporalExample(item.type, item.pattern, item.timezoneValidity !== 'disallowed', this.time);
      case 'C_DURATION':
        return durationExample(item.pattern, item.range);
    }
  }

  private quantity(constraint: CDvQuantity): Json {
    const item = constraint.list[0];
    const units = item?.units ?? constraint.assumedValue?.units ?? '1';
    const precision = item?.precision ? withinInteger(item.precision, item.precision.lower ?? 0) : undefined;
    let magnitude = withinReal(item?.magnitude, constraint.assumedValue?.magnitude ?? 1);
    if (precision !== undefined && precision >= 0) {
      magnitude = Number(magnitude.toFixed(precision));
      if (item?.magnitude && precision === 0) {
        magnitude = withinInteger(item.magnitude, Math.round(magnitude));
      }
    }
    const result: Json = { _type: 'DV_QUANTITY', magnitude, units };
    if (precision !== undefined) {
      result.precision = precision;
    }
    if (constraint.property) {
      result.property = codePhrase(constraint.property.terminologyId, constraint.property.codeString);
    }
    return result;
  }

  private codePhrase(constraint: CCodePhrase, archetype: CArchetypeRoot, owner: { type: string; attribute: string } | undefined): Json {
    const terminology = constraint.terminologyId ?? 'local';
    if (constraint.codeList.length > 0) {
      return codePhrase(terminology, constraint.assumedValue?.codeString ?? constraint.codeList[0]!);
    }
    if (terminology === 'openehr') {
      return this.openEhrCode(owner) ?? codePhrase('openehr', '253');
    }
    if (terminology === 'local') {
      const code = Object.keys(archetype.termDefinitions[this.language] ?? Object.values(archetype.termDefinitions)[0] ?? {})[0] ?? 'at0000';
      return codePhrase('local', code);
    }
    const defaults: Readonly<Record<string, string>> = { 'ISO_639-1': this.language, 'ISO_3166-1': 'DE', 'IANA_media-types': 'text/plain', 'IANA_character-sets': 'UTF-8' };
    return codePhrase(terminology, defaults[terminology] ?? 'example');
  }

  private openEhrCode(owner: { type: string; attribute: string } | undefined): Json | undefined {
    const parentOwner = owner;
    const group = parentOwner ? groupForAttribute(parentOwner.type, parentOwner.attribute) : undefined;
    const code = group ? Object.keys(openEhrGroup(group))[0] : undefined;
    return code ? codePhrase('openehr', code) : undefined;
  }

  private ordinal(constraint: CDvOrdinal, archetype: CArchetypeRoot): Json {
    const item = constraint.assumedValue ?? constraint.list[0];
    if (!item) {
      return { _type: constraint.kind === 'C_DV_SCALE' ? 'DV_SCALE' : 'DV_ORDINAL', value: 1, symbol: { _type: 'DV_CODED_TEXT', value: 'example', defining_code: codePhrase('local', 'at0000') } };
    }
    const text = item.symbol.terminologyId === 'local' ? (termText(archetype, item.symbol.codeString, this.language) ?? item.symbol.codeString) : item.symbol.codeString;
    return {
      _type: constraint.kind === 'C_DV_SCALE' ? 'DV_SCALE' : 'DV_ORDINAL',
      value: item.value,
      symbol: { _type: 'DV_CODED_TEXT', value: text, defining_code: codePhrase(item.symbol.terminologyId, item.symbol.codeString) },
    };
  }

  private fixProportion(result: Json, integral?: boolean): void {
    const kind = typeof result.type === 'number' ? result.type : 0;
    result.type = kind;
    if (typeof result.numerator !== 'number') {
      result.numerator = 1;
    }
    if (kind === 1) {
      result.denominator = 1;
    } else if (kind === 2) {
      result.denominator = 100;
    } else if (typeof result.denominator !== 'number' || result.denominator === 0) {
      result.denominator = kind === 0 ? 2 : 1;
    }
    if (kind === 3 || kind === 4 || result.precision === 0 || integral === true) {
      result.numerator = Math.round(Number(result.numerator));
      result.denominator = Math.round(Number(result.denominator)) || 1;
    } else if (integral === false && Number.isInteger(result.numerator) && Number.isInteger(result.denominator)) {
      result.numerator = Number(result.numerator) + 0.5;
    }
  }

  /** A primitive value of an OPT primitive type (DATE_TIME, STRING...) for an attribute. */
  private primitiveOfType(type: string, owner: { type: string; attribute: string } | undefined): unknown {
    switch (type.toUpperCase()) {
      case 'DATE_TIME':
        return this.time;
      case 'DATE':
        return this.time.slice(0, 10);
      case 'TIME':
        return this.time.slice(11);
      case 'DURATION':
        return 'PT1H';
      case 'INTEGER':
      case 'INTEGER64':
        return 1;
      case 'REAL':
      case 'DOUBLE':
        return 1.5;
      case 'BOOLEAN':
        return true;
      default:
        return this.stringFor(owner);
    }
  }

  /** A string an RM attribute accepts. */
  private stringFor(owner: { type: string; attribute: string } | undefined): string {
    const key = owner ? `${owner.type}.${owner.attribute}` : '';
    switch (key) {
      case 'DV_DATE_TIME.value':
        return this.time;
      case 'DV_DATE.value':
        return this.time.slice(0, 10);
      case 'DV_TIME.value':
        return this.time.slice(11);
      case 'DV_DURATION.value':
        return 'PT1H';
      case 'DV_EHR_URI.value':
        return 'ehr://example/resource';
      case 'DV_URI.value':
        return 'https://example.org/resource';
      case 'DV_PARSABLE.formalism':
        return 'text/plain';
      case 'ACTIVITY.action_archetype_id':
        return '/.*/';
      default:
        return 'example text';
    }
  }

  /** A value of an RM type the template does not constrain. */
  private rmValue(declared: string, owner: { type: string; attribute: string } | undefined, ownerType?: string): unknown {
    const type = this.concrete(declared);
    const base = baseTypeName(type);
    const group = owner ? groupForAttribute(owner.type, owner.attribute) : undefined;
    switch (base) {
      case 'String':
        return this.stringFor(owner);
      case 'Integer':
        return 1;
      case 'Real':
        return 1;
      case 'Boolean':
        return true;
      case 'CODE_PHRASE':
        if (owner?.attribute === 'language') {
          return codePhrase('ISO_639-1', this.language);
        }
        if (owner?.attribute === 'territory') {
          return codePhrase('ISO_3166-1', 'DE');
        }
        if (owner?.attribute === 'encoding' || owner?.attribute === 'charset') {
          return codePhrase('IANA_character-sets', 'UTF-8');
        }
        if (owner?.attribute === 'media_type') {
          return codePhrase('IANA_media-types', 'text/plain');
        }
        return codePhrase('local', 'at0000');
      case 'DV_CODED_TEXT':
      case 'DV_TEXT': {
        if (group) {
          const [code, rubric] = Object.entries(openEhrGroup(group))[owner?.attribute === 'setting' ? Object.keys(openEhrGroup(group)).indexOf('238') : 0]!;
          return { _type: 'DV_CODED_TEXT', value: rubric, defining_code: codePhrase('openehr', code) };
        }
        if (base === 'DV_CODED_TEXT') {
          return { _type: 'DV_CODED_TEXT', value: 'example', defining_code: codePhrase('local', 'at0000') };
        }
        return { _type: 'DV_TEXT', value: owner?.attribute === 'narrative' ? 'Example narrative' : 'example text' };
      }
      case 'DV_DATE_TIME':
        return { _type: 'DV_DATE_TIME', value: this.time };
      case 'DV_DATE':
        return { _type: 'DV_DATE', value: this.time.slice(0, 10) };
      case 'DV_TIME':
        return { _type: 'DV_TIME', value: this.time.slice(11) };
      case 'DV_DURATION':
        return { _type: 'DV_DURATION', value: 'PT1H' };
      case 'DV_COUNT':
        return { _type: 'DV_COUNT', magnitude: 1 };
      case 'DV_QUANTITY':
        return { _type: 'DV_QUANTITY', magnitude: 1, units: '1' };
      case 'DV_BOOLEAN':
        return { _type: 'DV_BOOLEAN', value: true };
      case 'DV_PROPORTION':
        return { _type: 'DV_PROPORTION', numerator: 1, denominator: 2, type: 0 };
      case 'DV_IDENTIFIER':
        return { _type: 'DV_IDENTIFIER', id: 'example-id' };
      case 'DV_URI':
        return { _type: 'DV_URI', value: 'https://example.org/resource' };
      case 'DV_EHR_URI':
        return { _type: 'DV_EHR_URI', value: 'ehr://example/resource' };
      case 'DV_PARSABLE':
        return { _type: 'DV_PARSABLE', value: owner?.attribute === 'timing' ? 'R1' : 'example', formalism: 'text/plain' };
      case 'DV_MULTIMEDIA':
        return { _type: 'DV_MULTIMEDIA', uri: { _type: 'DV_URI', value: 'https://example.org/image.png' }, media_type: codePhrase('IANA_media-types', 'image/png'), size: 1 };
      case 'DV_ORDINAL':
        return { _type: 'DV_ORDINAL', value: 1, symbol: { _type: 'DV_CODED_TEXT', value: 'example', defining_code: codePhrase('local', 'at0000') } };
      case 'FEEDER_AUDIT_DETAILS':
        return { _type: 'FEEDER_AUDIT_DETAILS', system_id: 'example-system' };
      case 'FEEDER_AUDIT':
        return { _type: 'FEEDER_AUDIT', originating_system_audit: { _type: 'FEEDER_AUDIT_DETAILS', system_id: 'example-system' } };
      case 'DV_INTERVAL': {
        const parameter = typeParameter(type) ?? 'DV_COUNT';
        const bound = this.rmValue(parameter, undefined);
        return { _type: `DV_INTERVAL<${parameter}>`, lower: bound, upper: bound, lower_included: true, upper_included: true, lower_unbounded: false, upper_unbounded: false };
      }
      case 'PARTY_SELF':
        return { _type: 'PARTY_SELF' };
      case 'PARTY_IDENTIFIED':
        return { _type: 'PARTY_IDENTIFIED', name: owner?.attribute === 'composer' ? 'Example composer' : 'Example party' };
      case 'EVENT_CONTEXT':
        return { _type: 'EVENT_CONTEXT', start_time: { _type: 'DV_DATE_TIME', value: this.time }, setting: { _type: 'DV_CODED_TEXT', value: 'other care', defining_code: codePhrase('openehr', '238') } };
      case 'ISM_TRANSITION':
        return { _type: 'ISM_TRANSITION', current_state: { _type: 'DV_CODED_TEXT', value: 'completed', defining_code: codePhrase('openehr', '532') } };
      case 'ELEMENT':
        return { _type: 'ELEMENT', name: { _type: 'DV_TEXT', value: 'example' }, archetype_node_id: 'at0000', value: { _type: 'DV_TEXT', value: 'example text' } };
      case 'ARCHETYPED':
      case 'HISTORY':
      case 'ITEM_TREE':
      case 'CLUSTER':
        return undefined;
      default:
        if (base === 'PARTY_PROXY' || (owner?.attribute === 'composer' && ownerType === 'COMPOSITION')) {
          return { _type: 'PARTY_IDENTIFIED', name: 'Example composer' };
        }
        return undefined;
    }
  }
}

/** A composition with every mandatory node and values that satisfy the template. */
export function exampleComposition(template: OperationalTemplate, options: ExampleOptions = {}): Json {
  const language = options.language ?? template.language;
  return new ExampleBuilder(template, language, options.time ?? EXAMPLE_TIME).build();
}



/** The example composition in FLAT form. */
export function exampleFlat(template: OperationalTemplate, options: ExampleOptions = {}): Record<string, FlatValue> {
  return compositionToFlat(template, exampleComposition(template, options));
}
