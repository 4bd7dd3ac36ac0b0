/**
 * The `--recall on|off` dimension: passed to the engine as config `recall` only when the engine's
 * config has such a field (its default config lists it). Today it does not, so it is skipped.
 */
import { DEFAULT_CONFIG, type EngineConfig } from '../engine/engine.js';

export type RecallSetting = 'on' | 'off';
export const RECALL_SETTINGS: readonly RecallSetting[] = ['on', 'off'];

export interface RecallSupport {
  supported: boolean;
  /** One line for the report: what the dimension does, or why it was skipped. */
  note: string;
  /** The config fragment for a setting; `{}` when unsupported. */
  config(setting: RecallSetting): Partial<EngineConfig>;
}

/** Reads the engine's default config (injectable for tests) to see whether and how `recall` is set. */
export function recallSupport(defaults: object = DEFAULT_CONFIG): RecallSupport {
  const keys = Object.keys(defaults).join(', ');
  if (!Object.hasOwn(defaults, 'recall')) {
    return {
      supported: false,
      note: `recall: skipped, the engine config has no \`recall\` option yet (it has ${keys}); rows show recall "n/a".`,
      config: () => ({}),
    };
  }
  const current: unknown = (defaults as Record<string, unknown>).recall;
  const value = (s: RecallSetting): unknown => (typeof current === 'boolean' ? s === 'on' : s);
  if (typeof current !== 'boolean' && current !== 'on' && current !== 'off') {
    return {
      supported: false,
      note: `recall: skipped, the engine's \`recall\` default is ${JSON.stringify(current)}, neither a boolean nor "on"/"off".`,
      config: () => ({}),
    };
  }
  return {
    supported: true,
    note: `recall: passed to the engine as config \`recall\` (${typeof current === 'boolean' ? 'true/false' : '"on"/"off"'}; default ${JSON.stringify(current)}).`,
    config: (s) => ({ recall: value(s) }) as Partial<EngineConfig>,
  };
}

/** Throws when the engine did not keep the recall value it was given (a silent no-op would fake rows). */
export function checkRecallApplied(support: RecallSupport, setting: RecallSetting | undefined, applied: object): void {
  if (!support.supported || setting === undefined) return;
  const want = (support.config(setting) as Record<string, unknown>).recall;
  const got = (applied as Record<string, unknown>).recall;
  if (got !== want) throw new Error(`the engine ignored recall=${JSON.stringify(want)} (its config says ${JSON.stringify(got)})`);
}
