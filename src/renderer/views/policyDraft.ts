import type { EngineConfigData } from '../../shared/protocol';
import { DEFAULT_CONFIG, validateConfig } from '../../engine/engine';
import { paramsUsed } from '../lib/policyInfo';

/** The Policy panel's form: what the user typed, before it is checked. */
export interface Draft {
  policy: string;
  maxTokens: string;
  window: string;
  pinSystem: boolean;
  recall?: boolean;
  maxPolicyMs?: string;
  probes?: string;
  summaryInterval?: string;
  summaryGate?: string;
  weights?: { importance: string; uniqueness: string; recency: string };
}

export type DraftErrors = Partial<Record<keyof Draft, string>>;

export const toDraft = (c: EngineConfigData): Draft => {
  const w = c.weights ?? DEFAULT_CONFIG.weights;
  return {
    policy: c.policy,
    maxTokens: String(c.maxTokens),
    window: String(c.window),
    pinSystem: c.pinSystem,
    recall: c.recall ?? DEFAULT_CONFIG.recall,
    maxPolicyMs: String(c.maxPolicyMs ?? DEFAULT_CONFIG.maxPolicyMs),
    probes: String(c.probes ?? DEFAULT_CONFIG.probes),
    summaryInterval: String(c.summaryInterval ?? DEFAULT_CONFIG.summaryInterval),
    summaryGate: String(c.summaryGate ?? DEFAULT_CONFIG.summaryGate),
    weights: { importance: String(w.importance), uniqueness: String(w.uniqueness), recency: String(w.recency) },
  };
};

/** The engine's one-line problems, by the field they are about (first match wins). */
const FIELD_OF: [RegExp, keyof Draft][] = [
  [/latency/, 'maxPolicyMs'],
  [/^probes/, 'probes'],
  [/^summary interval/, 'summaryInterval'],
  [/^summary gate/, 'summaryGate'],
  [/^weights/, 'weights'],
  [/window/, 'window'],
  [/max tokens/, 'maxTokens'],
];

/**
 * Parses a draft; returns the config or per-field errors (the same checks the engine makes). The
 * policy's own parameters (probes, summary interval and gate, weights) are checked and sent only for
 * the policies that read them; the others keep the engine's current values.
 */
export function parseDraft(d: Draft): { config?: EngineConfigData; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const int = (v: string, field: keyof Draft) => {
    if (!/^\d+$/.test(v.trim())) errors[field] = 'a whole number';
    return Number(v);
  };
  const decimal = (v: string, field: keyof Draft) => {
    if (!/^(\d+\.?\d*|\.\d+)$/.test(v.trim())) errors[field] ??= 'a number, 0 or more';
    return Number(v);
  };
  const config: EngineConfigData = {
    policy: d.policy,
    maxTokens: int(d.maxTokens, 'maxTokens'),
    window: int(d.window, 'window'),
    pinSystem: d.pinSystem,
    recall: d.recall ?? DEFAULT_CONFIG.recall,
    maxPolicyMs: int(d.maxPolicyMs ?? String(DEFAULT_CONFIG.maxPolicyMs), 'maxPolicyMs'),
  };
  const used = paramsUsed(d.policy);
  if (used.probes && d.probes !== undefined) config.probes = int(d.probes, 'probes');
  if (used.summary && d.summaryInterval !== undefined) config.summaryInterval = int(d.summaryInterval, 'summaryInterval');
  if (used.summary && d.summaryGate !== undefined) config.summaryGate = decimal(d.summaryGate, 'summaryGate');
  if (used.weights && d.weights) {
    const w = d.weights;
    config.weights = { importance: decimal(w.importance, 'weights'), uniqueness: decimal(w.uniqueness, 'weights'), recency: decimal(w.recency, 'weights') };
  }
  if (Object.keys(errors).length > 0) return { errors };
  const bad = validateConfig({ ...DEFAULT_CONFIG, ...config, weights: config.weights ?? DEFAULT_CONFIG.weights });
  if (bad) {
    errors[FIELD_OF.find(([re]) => re.test(bad))?.[1] ?? 'policy'] = bad;
    return { errors };
  }
  return { config, errors };
}

/** The parameters of a config that its policy reads, in a few words (before/after and what-if tables). */
export function paramsOf(c: EngineConfigData): string {
  const used = paramsUsed(c.policy);
  const parts: string[] = [];
  if (used.probes) parts.push(`${c.probes ?? DEFAULT_CONFIG.probes} probes`);
  if (used.summary) parts.push(`summary every ${c.summaryInterval ?? DEFAULT_CONFIG.summaryInterval} tok, gate ${c.summaryGate ?? DEFAULT_CONFIG.summaryGate}`);
  if (used.weights) {
    const w = c.weights ?? DEFAULT_CONFIG.weights;
    parts.push(`weights ${w.importance}/${w.uniqueness}/${w.recency}`);
  }
  return parts.join(', ') || '–';
}
