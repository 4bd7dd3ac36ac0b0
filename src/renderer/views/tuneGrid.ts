import { MAX_TUNE_RUNS, MAX_TUNE_VALUES, type EngineConfigData, type TuneAxes, type TuneRun } from '../../shared/protocol';
import { POLICY_NAMES } from '../../shared/config';

/** The Tune form as typed: the policies ticked, budgets and windows as comma lists, recall on / off ticked. */
export interface TuneDraft {
  policies: string[];
  maxTokens: string;
  window: string;
  recall: { on: boolean; off: boolean };
}

/** A form to start from: the session's policy and hybrid, its budget halved / as is / doubled, its window, recall both ways. */
export function defaultDraft(config: EngineConfigData): TuneDraft {
  const policies = [...new Set([config.policy, 'salience', 'hybrid'])].filter((p) => POLICY_NAMES.includes(p as never));
  const budgets = [...new Set([Math.max(64, Math.round(config.maxTokens / 2)), config.maxTokens, config.maxTokens * 2])];
  return { policies, maxTokens: budgets.join(', '), window: String(config.window), recall: { on: true, off: true } };
}

/** The form that asked for a grid (`axes`), the session's own setting where an axis was not varied. */
export function draftFromAxes(axes: TuneAxes, config: EngineConfigData): TuneDraft {
  const recall = axes.recall ?? [config.recall];
  return {
    policies: [...(axes.policy ?? [config.policy])],
    maxTokens: (axes.maxTokens ?? [config.maxTokens]).join(', '),
    window: (axes.window ?? [config.window]).join(', '),
    recall: { on: recall.includes(true), off: recall.includes(false) },
  };
}

/** A comma list of whole numbers; the problem in words when it is not one. */
function numbers(text: string, what: string, min: number): number[] | string {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return `${what}: give at least one value`;
  if (parts.length > MAX_TUNE_VALUES) return `${what}: at most ${MAX_TUNE_VALUES} values`;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return `${what}: "${p}" is not a whole number`;
    const n = Number(p);
    if (n < min) return `${what}: ${n} is below ${min}`;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The grid the form describes, or what is wrong with it (in the order of the form). */
export function parseTuneDraft(d: TuneDraft): { axes: TuneAxes; runs: number } | { error: string } {
  if (d.policies.length === 0) return { error: 'tick at least one policy' };
  const maxTokens = numbers(d.maxTokens, 'max tokens', 16);
  if (typeof maxTokens === 'string') return { error: maxTokens };
  const window = numbers(d.window, 'window', 0);
  if (typeof window === 'string') return { error: window };
  const recall = [...(d.recall.on ? [true] : []), ...(d.recall.off ? [false] : [])];
  if (recall.length === 0) return { error: 'tick recall on, off or both' };
  const runs = d.policies.length * maxTokens.length * window.length * recall.length;
  if (runs > MAX_TUNE_RUNS) return { error: `${runs} combinations; at most ${MAX_TUNE_RUNS}` };
  return { axes: { policy: d.policies as EngineConfigData['policy'][], maxTokens, window, recall }, runs };
}

/**
 * The Pareto front of tokens in context (fewer is better) against facts kept (more is better): the runs no
 * other run beats on both (equal on one and better on the other counts), ordered by tokens.
 */
export function paretoFront(runs: readonly TuneRun[]): TuneRun[] {
  const sorted = [...runs].sort((a, b) => a.contextTokens - b.contextTokens || b.factsKept - a.factsKept || a.index - b.index);
  const front: TuneRun[] = [];
  let best = -1;
  for (const r of sorted) {
    if (r.factsKept > best) {
      front.push(r);
      best = r.factsKept;
    }
  }
  return front;
}

/** "sliding · 1024 tokens · window 256 · recall on": a run's settings in a few words. */
export function settingsLabel(s: TuneRun['settings']): string {
  const parts: string[] = [];
  if (s.policy !== undefined) parts.push(s.policy);
  if (s.maxTokens !== undefined) parts.push(`${s.maxTokens} tokens`);
  if (s.window !== undefined) parts.push(`window ${s.window}`);
  if (s.recall !== undefined) parts.push(`recall ${s.recall ? 'on' : 'off'}`);
  return parts.join(' · ');
}
