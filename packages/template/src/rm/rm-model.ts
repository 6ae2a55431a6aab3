/**
 * The slice of the openEHR RM class model this package needs: classes, their attributes
 * (type, list or single, mandatory or optional) and inheritance.
 *
 * The functions have the names and shapes of the RM model table of `@cdr/rm`
 * (`rmClass`, `allAttributes`, `attribute`, `isSubtypeOf`); when that table is exported
 * there, this module becomes a re-export of it.
 */

export interface RmAttribute {
  readonly name: string;
  /** An RM class name or a primitive type (String, Integer, Real, Boolean). */
  readonly type: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
}

export interface RmClass {
  readonly name: string;
  readonly abstract: boolean;
  readonly parent?: string;
  readonly attributes: readonly RmAttribute[];
}

/**
 * Compact notation: `name:TYPE` optional single, `name:TYPE!` mandatory single,
 * `name:TYPE*` optional list, `name:TYPE+` mandatory list; a leading `~` on the class
 * marks it abstract.
 */
const TABLE: readonly (readonly [string, string | undefined, string])[] = [
  // base types
  ['~OBJECT_ID', undefined, 'value:String!'],
  ['~UID_BASED_ID', 'OBJECT_ID', ''],
  ['HIER_OBJECT_ID', 'UID_BASED_ID', ''],
  ['OBJECT_VERSION_ID', 'UID_BASED_ID', ''],
  ['ARCHETYPE_ID', 'OBJECT_ID', ''],
  ['TEMPLATE_ID', 'OBJECT_ID', ''],
  ['TERMINOLOGY_ID', 'OBJECT_ID', ''],
  ['GENERIC_ID', 'OBJECT_ID', 'scheme:String!'],
  ['OBJECT_REF', undefined, 'id:OBJECT_ID! namespace:String! type:String!'],
  ['PARTY_REF', 'OBJECT_REF', ''],
  ['LOCATABLE_REF', 'OBJECT_REF', 'id:UID_BASED_ID! path:String'],
  // data types
  ['~DATA_VALUE', undefined, ''],
  ['DV_BOOLEAN', 'DATA_VALUE', 'value:Boolean!'],
  ['DV_STATE', 'DATA_VALUE', 'value:DV_CODED_TEXT! is_terminal:Boolean!'],
  ['DV_IDENTIFIER', 'DATA_VALUE', 'issuer:String assigner:String id:String! type:String'],
  ['DV_TEXT', 'DATA_VALUE', 'value:String! hyperlink:DV_URI formatting:String mappings:TERM_MAPPING* language:CODE_PHRASE encoding:CODE_PHRASE'],
  ['DV_CODED_TEXT', 'DV_TEXT', 'defining_code:CODE_PHRASE!'],
  ['DV_PARAGRAPH', 'DATA_VALUE', 'items:DV_TEXT+'],
  ['TERM_MAPPING', undefined, 'match:String! purpose:DV_CODED_TEXT target:CODE_PHRASE!'],
  ['CODE_PHRASE', undefined, 'terminology_id:TERMINOLOGY_ID! code_string:String! preferred_term:String'],
  ['~DV_ORDERED', 'DATA_VALUE', 'normal_range:DV_INTERVAL other_reference_ranges:REFERENCE_RANGE* normal_status:CODE_PHRASE'],
  ['DV_INTERVAL', 'DATA_VALUE', 'lower:DV_ORDERED upper:DV_ORDERED lower_included:Boolean! upper_included:Boolean! lower_unbounded:Boolean! upper_unbounded:Boolean!'],
  ['REFERENCE_RANGE', undefined, 'meaning:DV_TEXT! range:DV_INTERVAL!'],
  ['DV_ORDINAL', 'DV_ORDERED', 'symbol:DV_CODED_TEXT! value:Integer!'],
  ['DV_SCALE', 'DV_ORDERED', 'symbol:DV_CODED_TEXT! value:Real!'],
  ['~DV_QUANTIFIED', 'DV_ORDERED', 'magnitude_status:String accuracy:Real'],
  ['~DV_AMOUNT', 'DV_QUANTIFIED', 'accuracy_is_percent:Boolean'],
  ['DV_QUANTITY', 'DV_AMOUNT', 'magnitude:Real! units:String! precision:Integer property:CODE_PHRASE units_system:String units_display_name:String'],
  ['DV_COUNT', 'DV_AMOUNT', 'magnitude:Integer!'],
  ['DV_PROPORTION', 'DV_AMOUNT', 'numerator:Real! denominator:Real! type:Integer! precision:Integer'],
  ['~DV_ABSOLUTE_QUANTITY', 'DV_QUANTIFIED', 'accuracy:DV_DURATION'],
  ['~DV_TEMPORAL', 'DV_ABSOLUTE_QUANTITY', 'value:String!'],
  ['DV_DATE', 'DV_TEMPORAL', ''],
  ['DV_TIME', 'DV_TEMPORAL', ''],
  ['DV_DATE_TIME', 'DV_TEMPORAL', ''],
  ['DV_DURATION', 'DV_AMOUNT', 'value:String!'],
  ['~DV_ENCAPSULATED', 'DATA_VALUE', 'charset:CODE_PHRASE language:CODE_PHRASE'],
  ['DV_MULTIMEDIA', 'DV_ENCAPSULATED', 'alternate_text:String uri:DV_URI data:String media_type:CODE_PHRASE! compression_algorithm:CODE_PHRASE integrity_check:String integrity_check_algorithm:CODE_PHRASE size:Integer! thumbnail:DV_MULTIMEDIA'],
  ['DV_PARSABLE', 'DV_ENCAPSULATED', 'value:String! formalism:String!'],
  ['DV_URI', 'DATA_VALUE', 'value:String!'],
  ['DV_EHR_URI', 'DV_URI', ''],
  ['~DV_TIME_SPECIFICATION', 'DATA_VALUE', 'value:DV_PARSABLE!'],
  ['DV_GENERAL_TIME_SPECIFICATION', 'DV_TIME_SPECIFICATION', ''],
  ['DV_PERIODIC_TIME_SPECIFICATION', 'DV_TIME_SPECIFICATION', ''],
  // common
  ['~PATHABLE', undefined, ''],
  ['~LOCATABLE', 'PATHABLE', 'archetype_node_id:String! name:DV_TEXT! uid:UID_BASED_ID links:LINK* archetype_details:ARCHETYPED feeder_audit:FEEDER_AUDIT'],
  ['ARCHETYPED', undefined, 'archetype_id:ARCHETYPE_ID! template_id:TEMPLATE_ID rm_version:String!'],
  ['LINK', undefined, 'meaning:DV_TEXT! type:DV_TEXT! target:DV_EHR_URI!'],
  ['FEEDER_AUDIT', undefined, 'originating_system_item_ids:DV_IDENTIFIER* feeder_system_item_ids:DV_IDENTIFIER* original_content:DV_ENCAPSULATED originating_system_audit:FEEDER_AUDIT_DETAILS! feeder_system_audit:FEEDER_AUDIT_DETAILS'],
  ['FEEDER_AUDIT_DETAILS', undefined, 'system_id:String! location:PARTY_IDENTIFIED provider:PARTY_IDENTIFIED subject:PARTY_PROXY time:DV_DATE_TIME version_id:String other_details:ITEM_STRUCTURE'],
  ['~PARTY_PROXY', undefined, 'external_ref:PARTY_REF'],
  ['PARTY_SELF', 'PARTY_PROXY', ''],
  ['PARTY_IDENTIFIED', 'PARTY_PROXY', 'name:String identifiers:DV_IDENTIFIER*'],
  ['PARTY_RELATED', 'PARTY_IDENTIFIED', 'relationship:DV_CODED_TEXT!'],
  ['PARTICIPATION', undefined, 'function:DV_TEXT! performer:PARTY_PROXY! time:DV_INTERVAL mode:DV_CODED_TEXT'],
  // data structures
  ['~DATA_STRUCTURE', 'LOCATABLE', ''],
  ['~ITEM_STRUCTURE', 'DATA_STRUCTURE', ''],
  ['ITEM_SINGLE', 'ITEM_STRUCTURE', 'item:ELEMENT!'],
  ['ITEM_LIST', 'ITEM_STRUCTURE', 'items:ELEMENT*'],
  ['ITEM_TABLE', 'ITEM_STRUCTURE', 'rows:CLUSTER*'],
  ['ITEM_TREE', 'ITEM_STRUCTURE', 'items:ITEM*'],
  ['~ITEM', 'LOCATABLE', ''],
  ['CLUSTER', 'ITEM', 'items:ITEM+'],
  ['ELEMENT', 'ITEM', 'value:DATA_VALUE null_flavour:DV_CODED_TEXT null_reason:DV_TEXT'],
  ['HISTORY', 'DATA_STRUCTURE', 'origin:DV_DATE_TIME! period:DV_DURATION duration:DV_DURATION events:EVENT* summary:ITEM_STRUCTURE'],
  ['~EVENT', 'LOCATABLE', 'time:DV_DATE_TIME! data:ITEM_STRUCTURE! state:ITEM_STRUCTURE'],
  ['POINT_EVENT', 'EVENT', ''],
  ['INTERVAL_EVENT', 'EVENT', 'width:DV_DURATION! sample_count:Integer math_function:DV_CODED_TEXT!'],
  // ehr and composition
  ['EHR_STATUS', 'LOCATABLE', 'subject:PARTY_SELF! is_queryable:Boolean! is_modifiable:Boolean! other_details:ITEM_STRUCTURE'],
  ['FOLDER', 'LOCATABLE', 'items:OBJECT_REF* folders:FOLDER* details:ITEM_STRUCTURE'],
  ['COMPOSITION', 'LOCATABLE', 'language:CODE_PHRASE! territory:CODE_PHRASE! category:DV_CODED_TEXT! composer:PARTY_PROXY! context:EVENT_CONTEXT content:CONTENT_ITEM*'],
  ['EVENT_CONTEXT', 'PATHABLE', 'start_time:DV_DATE_TIME! end_time:DV_DATE_TIME location:String setting:DV_CODED_TEXT! other_context:ITEM_STRUCTURE health_care_facility:PARTY_IDENTIFIED participations:PARTICIPATION*'],
  ['~CONTENT_ITEM', 'LOCATABLE', ''],
  ['SECTION', 'CONTENT_ITEM', 'items:CONTENT_ITEM*'],
  ['GENERIC_ENTRY', 'CONTENT_ITEM', 'data:ITEM_TREE!'],
  ['~ENTRY', 'CONTENT_ITEM', 'language:CODE_PHRASE! encoding:CODE_PHRASE! subject:PARTY_PROXY! provider:PARTY_PROXY other_participations:PARTICIPATION* workflow_id:OBJECT_REF'],
  ['ADMIN_ENTRY', 'ENTRY', 'data:ITEM_STRUCTURE!'],
  ['~CARE_ENTRY', 'ENTRY', 'protocol:ITEM_STRUCTURE guideline_id:OBJECT_REF'],
  ['OBSERVATION', 'CARE_ENTRY', 'data:HISTORY! state:HISTORY'],
  ['EVALUATION', 'CARE_ENTRY', 'data:ITEM_STRUCTURE!'],
  ['INSTRUCTION', 'CARE_ENTRY', 'narrative:DV_TEXT! expiry_time:DV_DATE_TIME wf_definition:DV_PARSABLE activities:ACTIVITY*'],
  ['ACTIVITY', 'LOCATABLE', 'description:ITEM_STRUCTURE! timing:DV_PARSABLE action_archetype_id:String!'],
  ['ACTION', 'CARE_ENTRY', 'time:DV_DATE_TIME! description:ITEM_STRUCTURE! ism_transition:ISM_TRANSITION! instruction_details:INSTRUCTION_DETAILS'],
  ['INSTRUCTION_DETAILS', 'PATHABLE', 'instruction_id:LOCATABLE_REF! activity_id:String! wf_details:ITEM_STRUCTURE'],
  ['ISM_TRANSITION', 'PATHABLE', 'current_state:DV_CODED_TEXT! transition:DV_CODED_TEXT careflow_step:DV_CODED_TEXT reason:DV_TEXT*'],
];

const CLASSES: ReadonlyMap<string, RmClass> = new Map(
  TABLE.map(([rawName, parent, spec]) => {
    const isAbstract = rawName.startsWith('~');
    const name = isAbstract ? rawName.slice(1) : rawName;
    const attributes = spec
      .split(' ')
      .filter((s) => s.length > 0)
      .map((s): RmAttribute => {
        const [attributeName, rawType] = s.split(':') as [string, string];
        const marker = rawType.slice(-1);
        const type = '!*+'.includes(marker) ? rawType.slice(0, -1) : rawType;
        return { name: attributeName, type, multiple: marker === '*' || marker === '+', mandatory: marker === '!' || marker === '+' };
      });
    const rm: RmClass = parent === undefined ? { name, abstract: isAbstract, attributes } : { name, abstract: isAbstract, parent, attributes };
    return [name, rm] as const;
  }),
);

/** The base class name of a type name: `DV_INTERVAL<DV_COUNT>` -> `DV_INTERVAL`. */
export function baseTypeName(type: string): string {
  const lt = type.indexOf('<');
  return lt < 0 ? type.trim() : type.slice(0, lt).trim();
}

/** The generic parameter of a type name: `DV_INTERVAL<DV_COUNT>` -> `DV_COUNT`. */
export function typeParameter(type: string): string | undefined {
  const match = /<\s*([A-Z_]+)\s*>/.exec(type);
  return match?.[1];
}

export function rmClass(name: string): RmClass | undefined {
  return CLASSES.get(baseTypeName(name));
}

export function isSubtypeOf(sub: string, sup: string): boolean {
  const target = baseTypeName(sup);
  for (let current = rmClass(sub); current; current = current.parent ? CLASSES.get(current.parent) : undefined) {
    if (current.name === target) {
      return true;
    }
  }
  return false;
}

const attributeCache = new Map<string, readonly RmAttribute[]>();

/** All attributes of a class, inherited first; empty for an unknown class. */
export function allAttributes(name: string): readonly RmAttribute[] {
  const base = baseTypeName(name);
  const cached = attributeCache.get(base);
  if (cached) {
    return cached;
  }
  const rm = CLASSES.get(base);
  if (!rm) {
    return [];
  }
  const result = [...(rm.parent ? allAttributes(rm.parent) : [])];
  for (const own of rm.attributes) {
    const index = result.findIndex((a) => a.name === own.name);
    if (index >= 0) {
      result[index] = own;
    } else {
      result.push(own);
    }
  }
  attributeCache.set(base, result);
  return result;
}

export function attribute(className: string, attributeName: string): RmAttribute | undefined {
  return allAttributes(className).find((a) => a.name === attributeName);
}

/** The concrete classes that are subtypes of a class (itself included when concrete). */
export function concreteSubtypes(name: string): string[] {
  return [...CLASSES.values()].filter((c) => !c.abstract && isSubtypeOf(c.name, name)).map((c) => c.name);
}

export function isLocatableType(name: string): boolean {
  return isSubtypeOf(name, 'LOCATABLE');
}

export function isKnownType(name: string): boolean {
  return CLASSES.has(baseTypeName(name));
}
