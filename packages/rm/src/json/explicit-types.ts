/**
 * Makes every implicit `_type` explicit: an RM object without `_type` is of the type its
 * attribute declares, so writing that type down changes nothing about what it means. Used
 * to compare objects written by different tools, and by the XML codec's JSON output.
 */
import { attribute, isPrimitiveType, isRmClassName } from '../model/registry.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../types/json.js';
import { resolveRuntimeType } from './runtime-type.js';

/**
 * A copy of `value` (canonical JSON of `declaredType`) with `_type` on every RM object.
 * Parts the model cannot type (unknown attributes, wrong kinds) are copied unchanged.
 */
export function withExplicitTypes(value: unknown, declaredType: string): unknown {
  if (isPrimitiveType(declaredType) || !isRmClassName(declaredType) || !isJsonObject(value)) {
    return value;
  }
  const runtime = resolveRuntimeType(value, declaredType);
  if (!runtime.ok) {
    return value;
  }
  const result: Record<string, JsonValue | undefined> = {};
  if (value['_type'] === undefined) {
    result['_type'] = runtime.type;
  }
  for (const [key, child] of Object.entries(value)) {
    const declared = key === '_type' ? undefined : attribute(runtime.type, key);
    if (!declared) {
      result[key] = child;
    } else if (Array.isArray(child)) {
      result[key] = child.map((item: unknown) => withExplicitTypes(item, declared.type) as JsonValue);
    } else {
      result[key] = withExplicitTypes(child, declared.type) as JsonValue;
    }
  }
  return result as JsonObject;
}
