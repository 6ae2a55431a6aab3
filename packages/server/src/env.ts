/** Reading settings from the environment. */

/** A non-negative integer setting; the fallback when unset or empty. */
export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, not '${raw}'`);
  }
  return value;
}
