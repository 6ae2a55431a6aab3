/**
 * Root elements of canonical XML documents. The openEHR XML schemas declare three global
 * elements for RM data: `composition` (COMPOSITION, Composition.xsd), `version` (VERSION,
 * Version.xsd: an ORIGINAL_VERSION or IMPORTED_VERSION named by xsi:type) and `items`
 * (LOCATABLE, Structure.xsd: any other archetyped object, such as EHR_STATUS or FOLDER,
 * named by xsi:type). Classes with no schema-declared element (CONTRIBUTION, EHR, ...) are
 * written under their class name in lower case, as are inputs read: `folder`,
 * `ehr_status` and `contribution` are accepted as roots of those classes.
 */
import { isLocatableType, isRmClassName, isSubtypeOf } from '../model/registry.js';

/** The global elements the XML schemas declare, with their declared types. */
export const SCHEMA_ROOT_ELEMENTS: Readonly<Record<string, string>> = {
  composition: 'COMPOSITION',
  version: 'VERSION',
  items: 'LOCATABLE',
};

/** The declared type of a root element, or undefined when no RM type goes by that name. */
export function declaredTypeOfRoot(localName: string): string | undefined {
  const declared = SCHEMA_ROOT_ELEMENTS[localName];
  if (declared !== undefined) {
    return declared;
  }
  const className = localName.toUpperCase();
  return localName === localName.toLowerCase() && isRmClassName(className) ? className : undefined;
}

/** The root element toXml writes for an object of this RM class. */
export function rootElementFor(type: string): string {
  if (type === 'COMPOSITION') {
    return 'composition';
  }
  if (isSubtypeOf(type, 'VERSION')) {
    return 'version';
  }
  if (isLocatableType(type)) {
    return 'items';
  }
  return type.toLowerCase();
}
