/** JSON values as parsed from a request body, before anything is known about them. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any RM object in canonical JSON: `_type` names its class where the declared type does not. */
export interface RmObject {
  readonly _type?: string;
}
