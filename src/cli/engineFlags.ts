import { DEFAULT_CONFIG, parseSettingText, SETTING_LIST, type EngineConfig } from '../shared/config.js';

/** The engine settings every command takes as flags (one per catalog entry). */
export type EngineFlags = EngineConfig;

/**
 * The flags' parseArgs options, derived from the settings catalog: `--max-tokens 2048` and so on. No
 * parse defaults: a flag that is absent was not given (a saved session's own setting then applies);
 * the catalog's defaults are filled in by `engineFlags`.
 */
export const ENGINE_OPTIONS = Object.fromEntries(SETTING_LIST.map((s) => [s.flag, { type: 'string' }])) as Record<string, { type: 'string' }>;

/** The engine settings given as flags, and only those; a value that does not parse is one line naming the flag. */
export function givenSettings(values: Record<string, unknown>, usageError: (message: string) => Error): Partial<EngineConfig> {
  const out: Record<string, unknown> = {};
  for (const s of SETTING_LIST) {
    const raw = values[s.flag];
    if (typeof raw !== 'string') continue;
    const parsed = parseSettingText(s, raw, `--${s.flag}`);
    if ('message' in parsed) throw usageError(parsed.message);
    out[s.name] = parsed.value;
  }
  return out as Partial<EngineConfig>;
}

/** Every engine setting: the flags given, the catalog's defaults for the rest. */
export function engineFlags(values: Record<string, unknown>, usageError: (message: string) => Error): EngineFlags {
  return { ...DEFAULT_CONFIG, ...givenSettings(values, usageError) };
}

/** Just the engine settings of a command's flags. */
export function engineSettings(f: EngineFlags): EngineConfig {
  return Object.fromEntries(SETTING_LIST.map((s) => [s.name, f[s.name]])) as EngineConfig;
}
