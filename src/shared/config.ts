/**
 * The settings catalog: every engine setting once — name, type, default, range, unit, help, CLI flag —
 * and everything derived from it: the zod schemas (protocol, session; in configSchemas.ts, so a command
 * that only validates settings does not load zod), CLI flags and their help, the Policy panel's fields,
 * and the one validation that returns `{field, message}[]`.
 * Adding a setting is one entry here plus the code that uses it. Data only: no engine code.
 */
/** The local backend's default models (Hub ids): a small instruct model with ONNX weights, and an embedder. */
export const DEFAULT_CHAT_MODEL = 'onnx-community/Qwen2.5-0.5B-Instruct';
export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** The engine's policies, in the order the UI lists them. */
export const POLICY_NAMES = ['sliding', 'salience', 'importance', 'semantic', 'rolling_summary', 'hybrid'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const WEIGHT_PARTS = ['importance', 'uniqueness', 'recency'] as const;
export type Weights = Record<(typeof WEIGHT_PARTS)[number], number>;

interface SettingBase<N extends string> {
  name: N;
  /** The Policy panel's label; messages start with it in lower case. */
  label: string;
  /** One line for `--help` and the panel. */
  help: string;
  /** The CLI flag, without the dashes. */
  flag: string;
  unit?: string;
  /** The policies that read it (absent: every policy). */
  usedBy?: readonly PolicyName[];
  /** A boolean setting this one only matters with (the panel hides it while that is off). */
  needs?: 'recall';
}
interface NumberSetting<N extends string> extends SettingBase<N> {
  kind: 'int' | 'number';
  default: number;
  min: number;
  /** The minimum itself is not allowed. */
  minExclusive?: boolean;
  max?: number;
}
interface BooleanSetting<N extends string> extends SettingBase<N> {
  kind: 'boolean';
  default: boolean;
}
interface EnumSetting<N extends string> extends SettingBase<N> {
  kind: 'enum';
  values: readonly string[];
  default: string;
}
interface WeightsSetting<N extends string> extends SettingBase<N> {
  kind: 'weights';
  default: Weights;
}
type Setting<N extends string = string> = NumberSetting<N> | BooleanSetting<N> | EnumSetting<N> | WeightsSetting<N>;

const setting = <const N extends string, S extends Setting<N>>(s: S & { name: N }) => s;

/** Every engine setting, in the order of the Policy panel, `--help` and the session file. */
export const SETTINGS = [
  setting({ name: 'policy', label: 'Policy', kind: 'enum', values: POLICY_NAMES, default: 'sliding', flag: 'policy', help: 'which eviction policy keeps the chat under the budget' }),
  setting({ name: 'maxTokens', label: 'Max tokens', kind: 'int', default: 2048, min: 16, unit: 'tokens', flag: 'max-tokens', help: 'the budget: the whole prompt, template included' }),
  setting({ name: 'window', label: 'Window', kind: 'int', default: 256, min: 0, unit: 'tokens', flag: 'window', help: 'recent tokens always kept verbatim' }),
  setting({ name: 'pinSystem', label: 'Pin system', kind: 'boolean', default: true, flag: 'pin-system', help: 'system messages are never evicted' }),
  setting({ name: 'recall', label: 'Recall', kind: 'boolean', default: true, flag: 'recall', help: 'bring back evicted spans relevant to each message' }),
  setting({ name: 'recallShare', label: 'Recall share', kind: 'number', default: 0.15, min: 0, minExclusive: true, max: 0.5, flag: 'recall-share', needs: 'recall', help: 'share of the budget recalled spans may take' }),
  setting({ name: 'factShare', label: 'Facts share', kind: 'number', default: 0.15, min: 0, max: 0.5, flag: 'fact-share', help: "share of the budget that holds the live facts (0 = off)" }),
  setting({ name: 'modelFacts', label: 'Model facts', kind: 'boolean', default: false, flag: 'model-facts', help: "ask the model for each message's facts too" }),
  setting({ name: 'maxPolicyMs', label: 'Latency budget', kind: 'int', default: 25, min: 0, max: 60_000, unit: 'ms', flag: 'max-policy-ms', help: 'per policy call in live turns (replays run without it, so they are deterministic); past it, sliding finishes the turn (0 = none)' }),
  setting({ name: 'probes', label: 'Probes', kind: 'int', default: 8, min: 0, max: 256, usedBy: ['importance', 'hybrid'], flag: 'probes', help: 'logit probes per turn: each measures one sentence with the local model' }),
  setting({ name: 'summaryInterval', label: 'Summary interval', kind: 'int', default: 1024, min: 64, unit: 'tokens', usedBy: ['rolling_summary'], flag: 'summary-interval', help: 'new tokens between summaries' }),
  setting({ name: 'summaryGate', label: 'Summary gate', kind: 'number', default: 1, min: 0, max: 1, usedBy: ['rolling_summary'], flag: 'summary-gate', help: "share of the summary's facts (numbers, dates, names, quotes) that must be in its source" }),
  setting({ name: 'weights', label: 'Weights', kind: 'weights', default: { importance: 0.5, uniqueness: 0.3, recency: 0.2 }, usedBy: ['hybrid'], flag: 'weights', help: 'importance, uniqueness and recency in the hybrid score, which divides by their sum' }),
] as const;

export type SettingName = (typeof SETTINGS)[number]['name'];
export type SettingSpec = Setting<SettingName>;

/** Every setting with its value. */
export type EngineConfig = {
  [S in (typeof SETTINGS)[number] as S['name']]: S extends { kind: 'weights' } ? Weights : S extends { kind: 'boolean' } ? boolean : S extends { kind: 'enum' } ? string : number;
};

export const DEFAULT_CONFIG: EngineConfig = Object.fromEntries(SETTINGS.map((s) => [s.name, s.kind === 'weights' ? { ...s.default } : s.default])) as EngineConfig;

/** The catalog, each entry typed as any setting. */
export const SETTING_LIST: readonly SettingSpec[] = SETTINGS;

export function settingOf(name: SettingName): SettingSpec {
  return SETTING_LIST.find((s) => s.name === name)!;
}

/** Whether a policy reads a setting. */
export function usedBy(s: SettingSpec, policy: string): boolean {
  return s.usedBy === undefined || (s.usedBy as readonly string[]).includes(policy);
}

/** A setting's range in words: "a whole number >= 16", "a number from 0 to 1". */
export function rangeText(s: SettingSpec): string {
  if (s.kind === 'boolean') return 'on or off';
  if (s.kind === 'enum') return `one of ${s.values.join(', ')}`;
  if (s.kind === 'weights') return 'three non-negative numbers, not all 0';
  const what = s.kind === 'int' ? 'a whole number' : 'a number';
  if (s.max === undefined) return `${what} ${s.minExclusive ? '>' : '>='} ${s.min}`;
  return s.minExclusive ? `${what} above ${s.min} and at most ${s.max}` : `${what} from ${s.min} to ${s.max}`;
}

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** The message for a bad value of one setting, the same in the engine, the CLI, the schemas and the UI. */
export function settingMessage(s: SettingSpec, value: unknown, subject = s.label.toLowerCase()): string {
  if (s.kind === 'enum') return `unknown ${subject} ${show(value)} (available: ${s.values.join(', ')})`;
  return `${subject} must be ${rangeText(s)} (got ${show(value)})`;
}

function inRange(s: NumberSetting<string>, v: unknown): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (s.kind === 'int' && !Number.isInteger(v)) return false;
  if (s.minExclusive ? v <= s.min : v < s.min) return false;
  return s.max === undefined || v <= s.max;
}

/** Whether a value is valid for a setting on its own. */
export function settingValid(s: SettingSpec, v: unknown): boolean {
  switch (s.kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && s.values.includes(v);
    case 'weights': {
      if (typeof v !== 'object' || v === null) return false;
      const w = v as Record<string, unknown>;
      const parts = WEIGHT_PARTS.map((k) => w[k]);
      return parts.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0) && parts.some((x) => x !== 0);
    }
    case 'int':
    case 'number':
      return inRange(s, v);
    default:
      return assertNever(s);
  }
}

export interface ConfigProblem {
  field: SettingName;
  message: string;
}

/** The one validation: every field's own range, then (when those hold) the rules between fields. Empty when valid. */
export function validateConfig(c: Partial<EngineConfig>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const s of SETTING_LIST) {
    const v = c[s.name];
    if (v !== undefined && !settingValid(s, v)) problems.push({ field: s.name, message: settingMessage(s, v) });
  }
  return problems.length > 0 ? problems : crossFieldProblems(c);
}

/** The rules between settings (each setting's own range is checked first). */
export function crossFieldProblems(c: Partial<EngineConfig>): ConfigProblem[] {
  const { window, maxTokens } = c;
  if (typeof window !== 'number' || typeof maxTokens !== 'number' || window < maxTokens) return [];
  return [{ field: 'window', message: `window (${window}) must be smaller than max tokens (${maxTokens})` }];
}

/** The problems as one line (engine and CLI errors). */
export function problemsText(problems: ConfigProblem[]): string {
  return problems.map((p) => p.message).join('; ');
}


/** A setting's default as a flag value. */
export function flagDefault(s: SettingSpec): string {
  if (s.kind === 'boolean') return s.default ? 'on' : 'off';
  if (s.kind === 'weights') return WEIGHT_PARTS.map((k) => s.default[k]).join(',');
  return String(s.default);
}

/**
 * Reads one setting from text (a CLI flag or a form field). Returns the value, or a message in the
 * catalog's words. Range checks are left to validateConfig.
 */
export function parseSettingText(s: SettingSpec, text: string, subject = s.label.toLowerCase()): { value: unknown } | { message: string } {
  const t = text.trim();
  const number = (x: string) => (/^(\d+\.?\d*|\.\d+)$/.test(x) ? Number(x) : undefined);
  switch (s.kind) {
    case 'boolean':
      return t === 'on' || t === 'true' ? { value: true } : t === 'off' || t === 'false' ? { value: false } : { message: settingMessage(s, text, subject) };
    case 'enum':
      return { value: t };
    case 'weights': {
      const parts = t.split(',').map(number);
      if (parts.length !== 3 || parts.some((x) => x === undefined)) return { message: `${subject} must be ${rangeText(s)}: importance,uniqueness,recency (got "${text}")` };
      return { value: { importance: parts[0], uniqueness: parts[1], recency: parts[2] } };
    }
    case 'int':
    case 'number': {
      const v = s.kind === 'int' ? (/^\d+$/.test(t) ? Number(t) : undefined) : number(t);
      return v === undefined ? { message: settingMessage(s, text, subject) } : { value: v };
    }
    default:
      return assertNever(s);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected setting ${JSON.stringify(x)}`);
}
