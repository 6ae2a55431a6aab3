export * from './errors.js';
export * from './ids.js';

// the RM model table
export type { Cardinality, PrimitiveType, RmAttribute, RmClass } from './model/definition.js';
export { PRIMITIVE_TYPES } from './model/definition.js';
export {
  allAttributes,
  allRmClasses,
  ancestry,
  attribute,
  concreteSubtypes,
  isAbstract,
  isLocatableType,
  isPrimitiveType,
  isRmClassName,
  isSubtypeOf,
  rmClass,
} from './model/registry.js';
export { baseTypeName, parseTypeName, type TypeName } from './model/type-names.js';

// canonical JSON types
export type * from './types/index.js';
export { isJsonObject } from './types/json.js';

// paths
export * from './paths.js';
export { evaluatePath, evaluatePathSingle } from './path-query.js';

// canonical JSON checks and comparison
export { checkRmObject, describeJsonKind } from './json/check.js';
export { requireRmObject } from './json/require.js';
export { resolveRuntimeType, type RuntimeType } from './json/runtime-type.js';
export { withExplicitTypes } from './json/explicit-types.js';
export { rmDifferences, rmEqual, type RmEqualityOptions } from './json/equality.js';
export { isIsoDate, isIsoDateTime, isIsoDuration, isIsoTime } from './json/iso8601.js';

// canonical XML
export { fromXml, type FromXmlOptions } from './xml/from-xml.js';
export { toXml } from './xml/to-xml.js';
export { DEFAULT_MAX_XML_BYTES, OPENEHR_NAMESPACE, XSI_NAMESPACE, type XmlReadOptions } from './xml/xml-document.js';
export { SCHEMA_ROOT_ELEMENTS, declaredTypeOfRoot, rootElementFor } from './xml/root-elements.js';
