import { DEFAULT_CONFIG, parseSettingText, SETTING_LIST, usedBy, validateConfig, WEIGHT_PARTS, type EngineConfig, type SettingName, type SettingSpec, type Weights } from '../../shared/config';

/** A weights field as typed: one text per part. */
export type WeightsDraft = Record<keyof Weights, string>;
/** The Policy panel's form: what the user typed per setting, before it is checked (numbers as text). */
export type Draft = { policy: string } & Partial<Record<SettingName, string | boolean | WeightsDraft>>;
export type DraftErrors = Partial<Record<SettingName, string>>;

/** A setting's value as the form shows it. */
function toField(s: SettingSpec, v: unknown): string | boolean | WeightsDraft {
  if (s.kind === 'boolean') return v as boolean;
  if (s.kind === 'weights') return Object.fromEntries(WEIGHT_PARTS.map((k) => [k, String((v as Weights)[k])])) as WeightsDraft;
  return String(v);
}

export const toDraft = (c: Partial<EngineConfig>): Draft => {
  const d: Record<string, string | boolean | WeightsDraft> = {};
  for (const s of SETTING_LIST) d[s.name] = toField(s, c[s.name] ?? DEFAULT_CONFIG[s.name]);
  return d as Draft;
};

/** One field's text read by the catalog's rules. */
function fromField(s: SettingSpec, v: string | boolean | WeightsDraft): { value: unknown } | { message: string } {
  if (typeof v === 'boolean') return { value: v };
  if (typeof v === 'object') return parseSettingText(s, WEIGHT_PARTS.map((k) => v[k]).join(','));
  return parseSettingText(s, v);
}

/**
 * Parses a draft; returns the config or per-field errors (the catalog's one validation, as the engine
 * makes it). A policy's own parameters (probes, summary interval and gate, weights) are checked and sent
 * only for the policies that read them; the others keep the engine's current values.
 */
export function parseDraft(d: Draft): { config?: Partial<EngineConfig>; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const config: Record<string, unknown> = {};
  for (const s of SETTING_LIST) {
    const v = d[s.name];
    if (v === undefined || !usedBy(s, d.policy)) continue;
    const parsed = fromField(s, v);
    if ('message' in parsed) errors[s.name] = parsed.message;
    else config[s.name] = parsed.value;
  }
  if (Object.keys(errors).length === 0) for (const p of validateConfig({ ...DEFAULT_CONFIG, ...config })) errors[p.field] ??= p.message;
  return Object.keys(errors).length > 0 ? { errors } : { config: config as Partial<EngineConfig>, errors };
}

/** A setting's value in a few words: "probes 8", "weights 0.5/0.3/0.2". */
function valueText(s: SettingSpec, v: unknown): string {
  const text = s.kind === 'weights' ? WEIGHT_PARTS.map((k) => (v as Weights)[k]).join('/') : String(v);
  return `${s.label.toLowerCase()} ${text}${s.unit ? ` ${s.unit}` : ''}`;
}

/** The parameters of a config that only its policy reads, in a few words (before/after and what-if tables). */
export function paramsOf(c: Partial<EngineConfig>): string {
  const policy = c.policy ?? DEFAULT_CONFIG.policy;
  const own = SETTING_LIST.filter((s) => s.usedBy !== undefined && usedBy(s, policy));
  return own.map((s) => valueText(s, c[s.name] ?? DEFAULT_CONFIG[s.name])).join(', ') || '–';
}
