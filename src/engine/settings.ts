import type { EngineConfigData } from '../shared/protocol.js';
import { DEFAULT_CONFIG, problemsText, SETTINGS, validateConfig, type EngineConfig } from '../shared/config.js';

/** The settings clients see and set (the protocol's shape): a copy. */
export function configData(c: EngineConfig): EngineConfigData {
  return { ...c, weights: { ...c.weights } };
}

/** Checks a config against the catalog; throws one line naming every problem. */
export function assertValidConfig(c: EngineConfig): void {
  const problems = validateConfig(c);
  if (problems.length > 0) throw new Error(problemsText(problems));
}

/** The catalog's defaults with the settings given in `options` (validated; weights copied). */
export function configFrom(options: Partial<EngineConfig>): EngineConfig {
  const config: EngineConfig = { ...DEFAULT_CONFIG };
  for (const s of SETTINGS) if (options[s.name] !== undefined) Object.assign(config, { [s.name]: options[s.name] });
  config.weights = { ...config.weights };
  assertValidConfig(config);
  return config;
}

/** Merges `next` into `config` in place, after validating the result (weights copied). */
export function updateConfig(config: EngineConfig, next: Partial<EngineConfig>): void {
  const merged = { ...config, ...next };
  assertValidConfig(merged);
  Object.assign(config, merged, { weights: { ...merged.weights } });
}
