/**
 * The mapping model: what a mapping file says, independent of the file format it came in
 * (our own YAML, or a FHIR Connect model file). Plain readonly records tagged with `kind`.
 *
 * A rule pairs an openEHR path (AQL-style, relative to the current openEHR node unless it
 * starts at a named root) with a FHIR path (FHIRPath-like, relative to the current FHIR
 * element), in both directions unless it says otherwise.
 */
import type { JsonValue, PathStep } from '@cdr/rm';

/** Which way a rule works: both, or only openEHR -> FHIR, or only FHIR -> openEHR. */
export type Direction = 'both' | 'to-fhir' | 'to-openehr';

/**
 * Where an openEHR path starts:
 * - `here`: the current node (the node the enclosing rule reached);
 * - `each`: the node one resource is made from (the `each` node, or the archetype root);
 * - `archetype`: the root of the mapped archetype (a slot fragment: the slot's cluster);
 * - `entry`, `event`: the nearest enclosing ENTRY, EVENT;
 * - `composition`: the composition (for a Patient: the EHR_STATUS);
 * - `context`: values of the version being mapped (`ehrId`, `versionUid`, ...), see `ContextValues`.
 */
export type OpenEhrRoot = 'here' | 'each' | 'archetype' | 'entry' | 'event' | 'composition' | 'context';

export interface OpenEhrPath {
  readonly root: OpenEhrRoot;
  readonly steps: readonly PathStep[];
  /** As written in the mapping file. */
  readonly text: string;
}

/** One step of a FHIR path: an element name, optionally narrowed to one type (`value.as(Quantity)`, `valueQuantity`). */
export interface FhirStep {
  readonly name: string;
  readonly type?: string;
}

export interface FhirPath {
  /**
   * `resource`: from the resource root (`$resource.code`); `here`: from the current element;
   * `fragment`: from the element the enclosing fragment (slot or include) is applied to.
   */
  readonly root: 'here' | 'resource' | 'fragment';
  readonly steps: readonly FhirStep[];
  readonly text: string;
}

export type ConditionOperator = 'in' | 'not-in' | 'exists' | 'absent' | 'type';

/**
 * A condition on the data. On the openEHR side it is checked when mapping to FHIR, on the FHIR
 * side when mapping to openEHR. `in`/`not-in` compare the primitive values the path reaches
 * (a coded value compares by its code) with `values`; `type` compares RM type names.
 */
export type Condition =
  | { readonly side: 'openehr'; readonly path: OpenEhrPath; readonly operator: ConditionOperator; readonly values: readonly string[] }
  | { readonly side: 'fhir'; readonly path: FhirPath; readonly operator: ConditionOperator; readonly values: readonly string[] };

export interface CodeMapEntry {
  /** The openEHR code (an at-code for local codes). */
  readonly openehr: string;
  /** The FHIR code. */
  readonly fhir: string;
  /** The openEHR rubric, written as DV_CODED_TEXT.value on the way in. */
  readonly text?: string;
  /** The FHIR display. */
  readonly display?: string;
}

/** A value map between the codes of one openEHR terminology and one FHIR code system. */
export interface CodeMap {
  /** FHIR code system of the mapped codes (not needed when the target is a `code`). */
  readonly system?: string;
  /** openEHR terminology of the codes; `local` (at-codes) unless said. */
  readonly terminology: string;
  readonly entries: readonly CodeMapEntry[];
  /**
   * What happens to a code the map does not list: `keep` writes it as it is (with its own
   * terminology's system), `drop` writes nothing.
   */
  readonly unmapped: 'keep' | 'drop';
}

interface RuleBase {
  readonly name: string;
  /** Where the rule is written, for messages: `<file>: rules[2].rules[0]`. */
  readonly where: string;
  readonly direction: Direction;
  readonly when: readonly Condition[];
}

/** A data value at an openEHR path <-> a FHIR element, converted by type. */
export interface ValueRule extends RuleBase {
  readonly kind: 'value';
  readonly openehr: OpenEhrPath;
  readonly fhir: FhirPath;
  /** The RM data types accepted at the openEHR path (DV_QUANTITY, ...); empty accepts any. */
  readonly dataTypes: readonly string[];
  readonly map?: CodeMap;
  /** openEHR units -> UCUM codes where they differ. */
  readonly units?: Readonly<Record<string, string>>;
  /**
   * On the way in, several FHIR values of text become one DV_TEXT joined with this separator
   * (for an openEHR element that occurs once, e.g. a comment taking every FHIR note).
   */
  readonly join?: string;
}

/**
 * A fixed FHIR value. Written on the way out; on the way in, a fixed value that `identifies`
 * must be present in the input for the mapping (or the enclosing group) to apply.
 */
export interface FixedRule extends RuleBase {
  readonly kind: 'fixed';
  readonly fhir: FhirPath;
  readonly value: JsonValue;
  readonly identifies: boolean;
  /** Written only where this path reaches something. */
  readonly openehr?: OpenEhrPath;
  /** Written last, and only when the element does not carry the value already. */
  readonly ensure?: boolean;
  /** Written last, and only when nothing else wrote the element: a default. */
  readonly ifMissing?: boolean;
}

/** A fixed openEHR value, written on the way in (e.g. a code the FHIR side implies). */
export interface FixedOpenEhrRule extends RuleBase {
  readonly kind: 'fixed-openehr';
  readonly openehr: OpenEhrPath;
  readonly value: JsonValue;
}

/**
 * A group: for each openEHR node the path reaches, one FHIR element at the FHIR path (a new
 * list entry where the element repeats), and the inner rules from there. On the way in: for
 * each FHIR element that carries the group's identifying fixed values, one openEHR node.
 * A group whose openEHR path reaches nothing writes `absent` (e.g. a dataAbsentReason) along
 * with its identifying values, when given.
 */
export interface GroupRule extends RuleBase {
  readonly kind: 'group';
  readonly openehr?: OpenEhrPath;
  readonly fhir?: FhirPath;
  readonly rules: readonly Rule[];
  readonly absent?: JsonValue;
  /** A slot: the archetype id of the cluster, whose fragment mapping supplies `rules`. */
  readonly slot?: string;
  /** An include: the fragment whose rules are used here. */
  readonly include?: string;
}

/** A reference to another resource made by a resource mapping from the node the path reaches. */
export interface ReferenceRule extends RuleBase {
  readonly kind: 'reference';
  readonly openehr: OpenEhrPath;
  readonly fhir: FhirPath;
  /** The resource mapping (by name) that makes the referenced resource. */
  readonly target: string;
}

export type Rule = ValueRule | FixedRule | FixedOpenEhrRule | GroupRule | ReferenceRule;

/** What a resource mapping is made from. */
export type Anchor =
  | { readonly kind: 'archetype'; readonly archetypeId: string }
  | { readonly kind: 'composition' }
  | { readonly kind: 'ehr-status' };

export interface ResourceMapping {
  readonly kind: 'resource';
  readonly name: string;
  readonly resourceType: string;
  /** Suffix key of resource ids (`<composition uuid>.<key><n>`), unique among mappings. */
  readonly idKey: string;
  readonly anchor: Anchor;
  /** Archetype ids that must enclose the anchor (e.g. analytes within a lab result). */
  readonly within: readonly string[];
  /** One resource per node this path reaches from the anchor; missing: one per anchor. */
  readonly each?: OpenEhrPath;
  /** Conditions on the anchor (openEHR side) or the input resource (FHIR side) for the mapping to apply. */
  readonly when: readonly Condition[];
  readonly profiles: readonly string[];
  /** Templates a FHIR write of this resource goes to, the first being the default. */
  readonly templates: readonly string[];
  readonly rules: readonly Rule[];
  readonly source: string;
  readonly description?: string;
}

/** Rules applied inside another mapping: the content of a slot cluster, or shared rules. */
export interface FragmentMapping {
  readonly kind: 'fragment';
  readonly name: string;
  /** The cluster archetype a slot fragment maps. */
  readonly archetypeId?: string;
  readonly rules: readonly Rule[];
  readonly source: string;
  readonly description?: string;
}

export type MappingDefinition = ResourceMapping | FragmentMapping;
