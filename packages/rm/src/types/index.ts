export type * from './common.js';
export type * from './data-values.js';
export type * from './ehr.js';
export type * from './identifiers.js';
export type * from './structures.js';
export type { JsonObject, JsonPrimitive, JsonValue, RmObject } from './json.js';
export { isJsonObject } from './json.js';
