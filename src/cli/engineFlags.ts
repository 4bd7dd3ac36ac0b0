import { DEFAULT_CONFIG, flagDefault, parseSettingText, SETTING_LIST, type EngineConfig } from '../shared/config.js';

/** The engine settings every command takes as flags (one per catalog entry). */
export type EngineFlags = EngineConfig;

/** The flags' parseArgs options, derived from the settings catalog: `--max-tokens 2048` and so on. */
export const ENGINE_OPTIONS = Object.fromEntries(SETTING_LIST.map((s) => [s.flag, { type: 'string', default: flagDefault(s) }])) as Record<
  string,
  { type: 'string'; default: string }
>;

/** Reads the engine settings from parsed flags; a value that does not parse is one line naming the flag. */
export function engineFlags(values: Record<string, unknown>, usageError: (message: string) => Error): EngineFlags {
  const out: Record<string, unknown> = {};
  for (const s of SETTING_LIST) {
    const raw = values[s.flag];
    if (typeof raw !== 'string') continue;
    const parsed = parseSettingText(s, raw, `--${s.flag}`);
    if ('message' in parsed) throw usageError(parsed.message);
    out[s.name] = parsed.value;
  }
  return { ...DEFAULT_CONFIG, ...out } as EngineFlags;
}

/** Just the engine settings of a command's flags. */
export function engineSettings(f: EngineFlags): EngineConfig {
  return Object.fromEntries(SETTING_LIST.map((s) => [s.name, f[s.name]])) as EngineConfig;
}
