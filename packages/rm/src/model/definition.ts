/**
 * The shape of the RM model table: one record per class with its own attributes in the
 * order of the openEHR XML schema sequences (the order canonical XML needs).
 */

/** Primitive types an attribute can have besides RM classes. */
export const PRIMITIVE_TYPES = ['String', 'Integer', 'Integer64', 'Real', 'Double', 'Boolean', 'Octets'] as const;

/**
 * `Octets` is the RM's `Array<Octet>` (DV_MULTIMEDIA.data, integrity_check): base64 text
 * in both canonical JSON and XML.
 */
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

/** RM cardinality as the specifications write it. */
export type Cardinality = '1' | '0..1' | '0..*' | '1..*';

export interface RmAttribute {
  readonly name: string;
  /** An RM class name or a primitive type. */
  readonly type: string;
  /** A list (JSON array, repeated XML element). */
  readonly multiple: boolean;
  /** Must be present (for a list: the key must be present). */
  readonly mandatory: boolean;
  /** Written as an XML attribute instead of a child element (only LOCATABLE.archetype_node_id). */
  readonly xmlAttribute: boolean;
  /** The XML element (or attribute) name, where the XSD spells it differently from the RM. */
  readonly xmlName: string;
}

export interface RmClass {
  readonly name: string;
  readonly abstract: boolean;
  readonly parent?: string;
  /**
   * Attributes this class declares, in XSD order. An entry whose name an ancestor already
   * declares redefines it (a narrower type or a stronger cardinality) in the ancestor's place.
   */
  readonly attributes: readonly RmAttribute[];
}

export function attr(
  name: string,
  type: string,
  cardinality: Cardinality,
  options: { readonly xmlAttribute?: boolean; readonly xmlName?: string } = {},
): RmAttribute {
  return {
    name,
    type,
    multiple: cardinality === '0..*' || cardinality === '1..*',
    mandatory: cardinality === '1' || cardinality === '1..*',
    xmlAttribute: options.xmlAttribute ?? false,
    xmlName: options.xmlName ?? name,
  };
}

export function concrete(name: string, parent: string | undefined, attributes: readonly RmAttribute[] = []): RmClass {
  return parent === undefined ? { name, abstract: false, attributes } : { name, abstract: false, parent, attributes };
}

export function abstract(name: string, parent: string | undefined, attributes: readonly RmAttribute[] = []): RmClass {
  return parent === undefined ? { name, abstract: true, attributes } : { name, abstract: true, parent, attributes };
}
