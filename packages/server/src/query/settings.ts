/** The AQL settings of the configuration (defaults when the server runs without loadConfig, as in tests). */
import { getConfig, readConfig, type CdrConfig } from '../config.js';

export interface AqlSettings {
  readonly defaultFetch: number;
  readonly maxFetch: number;
  readonly timeoutMs: number;
}

export function aqlSettings(): AqlSettings {
  let config: CdrConfig;
  try {
    config = getConfig();
  } catch {
    config = readConfig(process.env);
  }
  return { defaultFetch: config.aqlDefaultFetch, maxFetch: config.aqlMaxFetch, timeoutMs: config.aqlTimeoutMs };
}
