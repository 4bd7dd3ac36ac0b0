import { DEFAULT_CONFIG, SETTING_LIST, WEIGHT_PARTS, type EngineConfig, type SettingSpec, type Weights } from '../shared/config.js';

export interface ReplaySettings {
  /** Every setting the replay runs under. */
  config: EngineConfig;
  /** One line saying where they came from, for a saved session (undefined for a plain chat). */
  note?: string;
}

/** A setting's value as a flag would give it: `on`, `0.5,0.3,0.2`, `hybrid`. */
export function settingText(s: SettingSpec, value: unknown): string {
  if (s.kind === 'boolean') return value ? 'on' : 'off';
  if (s.kind === 'weights') return WEIGHT_PARTS.map((k) => (value as Weights)[k]).join(',');
  return String(value);
}

/**
 * The settings of a replay: a plain chat runs under the catalog's defaults and the flags given; a
 * saved session under its own settings, each flag given overriding one of them (and the catalog's
 * defaults for any setting the file predates).
 */
export function replaySettings(flags: Partial<EngineConfig>, saved: Partial<EngineConfig> | undefined): ReplaySettings {
  if (!saved) return { config: { ...DEFAULT_CONFIG, ...flags } };
  const config = { ...DEFAULT_CONFIG, ...saved, ...flags };
  const given = (s: SettingSpec) => flags[s.name] !== undefined;
  const fromFile = SETTING_LIST.filter((s) => !given(s) && saved[s.name] !== undefined);
  const defaults = SETTING_LIST.filter((s) => !given(s) && saved[s.name] === undefined);
  const overrides = SETTING_LIST.filter(given);
  const parts = [`using the session's saved settings (${fromFile.map((s) => `${s.name} ${settingText(s, config[s.name])}`).join(', ') || 'none'})`];
  if (defaults.length > 0) parts.push(`defaults for settings the file predates (${defaults.map((s) => `${s.name} ${settingText(s, config[s.name])}`).join(', ')})`);
  parts.push(overrides.length > 0 ? `overridden by flags: ${overrides.map((s) => `--${s.flag} ${settingText(s, config[s.name])}`).join(', ')}` : 'no flags override them');
  return { config, note: parts.join('; ') };
}
