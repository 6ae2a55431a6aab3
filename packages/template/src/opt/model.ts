/**
 * The parsed operational template: an immutable, JSON-serialisable tree of constraint
 * objects (the ADL 1.4 archetype object model as flattened into an OPT).
 *
 * Every node is a plain readonly record tagged with `kind`; nothing refers back to its
 * parent, so `JSON.parse(JSON.stringify(template))` gives an equal template.
 */

/**
 * An interval. A missing bound is unbounded; `lowerIncluded`/`upperIncluded` say whether
 * the bound itself belongs to the interval (ignored when the bound is missing).
 */
export interface Interval<T> {
  readonly lower?: T;
  readonly upper?: T;
  readonly lowerIncluded: boolean;
  readonly upperIncluded: boolean;
}

export interface CodePhrase {
  readonly terminologyId: string;
  readonly codeString: string;
}

/** One term of an archetype's ontology: text, description and any other items (comment...). */
export interface ArchetypeTerm {
  readonly text: string;
  readonly description?: string;
  readonly other?: Readonly<Record<string, string>>;
}

/** language -> code -> term */
export type TermDefinitions = Readonly<Record<string, Readonly<Record<string, ArchetypeTerm>>>>;
/** terminology -> code -> bound code */
export type TermBindings = Readonly<Record<string, Readonly<Record<string, CodePhrase>>>>;

interface CObjectBase {
  /** RM type the object constrains, e.g. `ELEMENT`, `DV_QUANTITY`, `DV_INTERVAL<DV_COUNT>`. */
  readonly rmTypeName: string;
  /** at-code, or '' when the object has none. */
  readonly nodeId: string;
  readonly occurrences: Interval<number>;
  /** A template default value (canonical JSON of the RM value), when the template sets one. */
  readonly defaultValue?: unknown;
}

export interface CSingleAttribute {
  readonly kind: 'C_SINGLE_ATTRIBUTE';
  readonly rmAttributeName: string;
  readonly existence: Interval<number>;
  /** Alternatives: at most one of them is present in data. */
  readonly children: readonly CObject[];
}

export interface Cardinality {
  readonly isOrdered: boolean;
  readonly isUnique: boolean;
  readonly interval: Interval<number>;
}

export interface CMultipleAttribute {
  readonly kind: 'C_MULTIPLE_ATTRIBUTE';
  readonly rmAttributeName: string;
  readonly existence: Interval<number>;
  readonly cardinality: Cardinality;
  readonly children: readonly CObject[];
}

export type CAttribute = CSingleAttribute | CMultipleAttribute;

export interface CComplexObject extends CObjectBase {
  readonly kind: 'C_COMPLEX_OBJECT';
  readonly attributes: readonly CAttribute[];
}

export interface CArchetypeRoot extends CObjectBase {
  readonly kind: 'C_ARCHETYPE_ROOT';
  readonly archetypeId: string;
  readonly attributes: readonly CAttribute[];
  /** Term definitions of this archetype, by language (all languages the template carries). */
  readonly termDefinitions: TermDefinitions;
  /** Constraint definitions (ac-codes) by language, when the template carries them. */
  readonly constraintDefinitions?: TermDefinitions;
  readonly termBindings: TermBindings;
}

/** One include/exclude assertion of a slot, reduced to what can be checked. */
export interface SlotAssertion {
  /** The assertion as written, e.g. `archetype_id/value matches {/openEHR-EHR-CLUSTER\.device\.v1/}`. */
  readonly expression: string;
  /** The regular expression on archetype ids, when the assertion is of that form. */
  readonly archetypeIdPattern?: string;
}

export interface ArchetypeSlot extends CObjectBase {
  readonly kind: 'ARCHETYPE_SLOT';
  readonly includes: readonly SlotAssertion[];
  readonly excludes: readonly SlotAssertion[];
}

export interface ArchetypeInternalRef extends CObjectBase {
  readonly kind: 'ARCHETYPE_INTERNAL_REF';
  /** Path of the referenced object, relative to the enclosing archetype root. */
  readonly targetPath: string;
}

export interface ConstraintRef extends CObjectBase {
  readonly kind: 'CONSTRAINT_REF';
  /** The ac-code. */
  readonly reference: string;
}

export interface CString {
  readonly type: 'C_STRING';
  readonly pattern?: string;
  readonly list?: readonly string[];
  readonly listOpen?: boolean;
  readonly assumedValue?: string;
}
export interface CInteger {
  readonly type: 'C_INTEGER';
  readonly list?: readonly number[];
  readonly range?: Interval<number>;
  readonly assumedValue?: number;
}
export interface CReal {
  readonly type: 'C_REAL';
  readonly list?: readonly number[];
  readonly range?: Interval<number>;
  readonly assumedValue?: number;
}
export interface CBoolean {
  readonly type: 'C_BOOLEAN';
  readonly trueValid: boolean;
  readonly falseValid: boolean;
  readonly assumedValue?: boolean;
}
export type ValidityKind = 'mandatory' | 'optional' | 'disallowed';
export interface CTemporal<T extends 'C_DATE' | 'C_TIME' | 'C_DATE_TIME'> {
  readonly type: T;
  /** e.g. `yyyy-mm-ddTHH:MM:SS`, `yyyy-??-??` */
  readonly pattern?: string;
  readonly timezoneValidity?: ValidityKind;
  readonly range?: Interval<string>;
  readonly assumedValue?: string;
}
export interface CDuration {
  readonly type: 'C_DURATION';
  /** e.g. `PYMWD`, `PTHMS` */
  readonly pattern?: string;
  readonly range?: Interval<string>;
  readonly assumedValue?: string;
}

export type CPrimitive =
  | CString
  | CInteger
  | CReal
  | CBoolean
  | CTemporal<'C_DATE'>
  | CTemporal<'C_TIME'>
  | CTemporal<'C_DATE_TIME'>
  | CDuration;

export interface CPrimitiveObject extends CObjectBase {
  readonly kind: 'C_PRIMITIVE_OBJECT';
  /** Missing when any value of the primitive type is allowed. */
  readonly item?: CPrimitive;
}

export interface QuantityItem {
  readonly units: string;
  readonly magnitude?: Interval<number>;
  readonly precision?: Interval<number>;
}

export interface CDvQuantity extends CObjectBase {
  readonly kind: 'C_DV_QUANTITY';
  readonly property?: CodePhrase;
  /** Allowed units with their ranges; empty when any units are allowed. */
  readonly list: readonly QuantityItem[];
  readonly assumedValue?: { readonly magnitude?: number; readonly units?: string; readonly precision?: number };
}

export interface CCodePhrase extends CObjectBase {
  readonly kind: 'C_CODE_PHRASE';
  /** Terminology of the codes (`local`, `openehr`, `SNOMED-CT`...); missing when unconstrained. */
  readonly terminologyId?: string;
  /** Allowed codes; empty when any code of the terminology is allowed. */
  readonly codeList: readonly string[];
  /** For C_CODE_REFERENCE: the value set, e.g. `terminology://fhir.hl7.org/ValueSet/...`. */
  readonly referenceSetUri?: string;
  readonly assumedValue?: CodePhrase;
}

export interface OrdinalItem {
  readonly value: number;
  readonly symbol: CodePhrase;
}

/** C_DV_ORDINAL, and C_DV_SCALE (same shape, real values). */
export interface CDvOrdinal extends CObjectBase {
  readonly kind: 'C_DV_ORDINAL' | 'C_DV_SCALE';
  readonly list: readonly OrdinalItem[];
  readonly assumedValue?: OrdinalItem;
}

export type CObject =
  | CComplexObject
  | CArchetypeRoot
  | ArchetypeSlot
  | ArchetypeInternalRef
  | ConstraintRef
  | CPrimitiveObject
  | CDvQuantity
  | CCodePhrase
  | CDvOrdinal;

/** Objects that carry attributes. */
export type CComplex = CComplexObject | CArchetypeRoot;

export interface ResourceDescription {
  readonly originalAuthor: Readonly<Record<string, string>>;
  readonly lifecycleState: string;
  readonly otherDetails: Readonly<Record<string, string>>;
  /** language -> details */
  readonly details: Readonly<
    Record<
      string,
      {
        readonly purpose: string;
        readonly use?: string;
        readonly misuse?: string;
        readonly copyright?: string;
        readonly keywords?: readonly string[];
      }
    >
  >;
}

/** Template-level annotations: node path (archetype-relative, from the template root) -> items. */
export type Annotations = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface OperationalTemplate {
  readonly templateId: string;
  readonly uid?: string;
  readonly concept: string;
  /** Original language of the template (ISO 639-1 code). */
  readonly language: string;
  /** All languages the template carries descriptions or terms in; the original language first. */
  readonly languages: readonly string[];
  readonly description?: ResourceDescription;
  readonly definition: CArchetypeRoot;
  readonly annotations: Annotations;
  /** Serialisation format version of this tree, to rebuild stored templates safely. */
  readonly formatVersion: 1;
}

export const TEMPLATE_FORMAT_VERSION = 1;

export function isComplex(object: CObject): object is CComplex {
  return object.kind === 'C_COMPLEX_OBJECT' || object.kind === 'C_ARCHETYPE_ROOT';
}
