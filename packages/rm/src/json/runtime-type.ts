/**
 * The RM class of a canonical JSON object: its `_type` when present, otherwise the type its
 * attribute declares. `_type` is needed where the declared type is abstract and allowed
 * wherever it names the declared type or a concrete subtype.
 */
import { isAbstract, isRmClassName, isSubtypeOf } from '../model/registry.js';
import { parseTypeName } from '../model/type-names.js';
import type { JsonObject } from '../types/json.js';

export type RuntimeType =
  | { readonly ok: true; readonly type: string }
  | { readonly ok: false; readonly message: string };

export function resolveRuntimeType(value: JsonObject, declaredType: string): RuntimeType {
  const written = value['_type'];
  if (written === undefined) {
    return isAbstract(declaredType)
      ? { ok: false, message: `_type is required: ${declaredType} is abstract` }
      : { ok: true, type: declaredType };
  }
  if (typeof written !== 'string') {
    return { ok: false, message: '_type must be a string' };
  }
  const parsed = parseTypeName(written);
  if (!parsed || !isRmClassName(parsed.base)) {
    return { ok: false, message: `_type '${written}' is not an RM class` };
  }
  const unknownParameter = parsed.parameters.find((p) => !isRmClassName(p.base));
  if (unknownParameter) {
    return { ok: false, message: `_type '${written}' has an unknown type parameter '${unknownParameter.base}'` };
  }
  if (!isSubtypeOf(parsed.base, declaredType)) {
    return { ok: false, message: `_type '${written}' is not a ${declaredType}` };
  }
  if (isAbstract(parsed.base)) {
    return { ok: false, message: `_type '${written}' is abstract` };
  }
  return { ok: true, type: parsed.base };
}
