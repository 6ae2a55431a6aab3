/**
 * Test support: an AST as plain data without source positions (or other fields named in
 * `omit`) and without undefined fields, for comparing tree shapes with `deepStrictEqual`.
 */
export function shape(value: unknown, omit: readonly string[] = ['position']): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => shape(item, omit));
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (!omit.includes(key) && field !== undefined) {
        result[key] = shape(field, omit);
      }
    }
    return result;
  }
  return value;
}
