import { candidateSentences, candidateSpans, keepMostValuable, olderSentences, recencyOf, SALIENCE_TERM, scoresFor, spanKey, type Span, type TrackedSpan } from './spanValue.js';
import type { Policy, PolicyContext, PolicyModel } from './types.js';

/** Probes start once the context is this full, so scores are ready before the first eviction. */
const PROBE_FROM = 0.75;

interface Probes {
  /** KL divergence per span key: how much removing the span moves the next-token distribution. */
  kl: Map<number, number>;
  /** The model that measured them. */
  model: string;
}

function probes(ctx: PolicyContext): Probes {
  let p = ctx.state.get('importance:probes') as Probes | undefined;
  if (!p) ctx.state.set('importance:probes', (p = { kl: new Map(), model: '' }));
  return p;
}

/** log-softmax of a logit row, in float64. */
function logSoftmax(row: Float32Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(row.length);
  for (let i = 0; i < row.length; i++) out[i] = row[i] - lse;
  return out;
}

/** KL(P || Q) of two next-token distributions given as log-probabilities. */
export function klDivergence(logP: Float64Array, logQ: Float64Array): number {
  let kl = 0;
  for (let i = 0; i < logP.length; i++) {
    const p = Math.exp(logP[i]);
    if (p > 0) kl += p * (logP[i] - logQ[i]);
  }
  return Math.max(0, kl);
}

/**
 * Logit probes: the context (pinned + window tokens) once as it is and once without each of up to
 * `probes` unscored candidate spans — the oldest first, they go first — in one batched call. A span's
 * importance is how far its removal moves the next-token distribution (KL divergence). Scores are
 * kept per span until it leaves, so each span is probed once; a turn probes at most `probes` spans.
 */
export async function probeSpans(ctx: PolicyContext, model: PolicyModel): Promise<number> {
  const limit = ctx.params.probes;
  if (!model.nextTokenLogits || limit === 0 || ctx.ledger.used() < PROBE_FROM * ctx.maxTokens) return 0;
  const ring = ctx.ledger.window;
  const state = probes(ctx);
  const todo = candidateSentences(ctx).filter((sp) => !state.kl.has(spanKey(ring, sp))).slice(0, limit);
  if (todo.length === 0) return 0;
  const pinned = ctx.ledger.pinned.ids(0, ctx.ledger.pinned.length);
  const window = ring.ids(0, ring.length);
  const base = new Int32Array(pinned.length + window.length);
  base.set(pinned);
  base.set(window, pinned.length);
  const without = (sp: Span): Int32Array => {
    const out = new Int32Array(base.length - (sp.to - sp.from));
    out.set(base.subarray(0, pinned.length + sp.from));
    out.set(base.subarray(pinned.length + sp.to), pinned.length + sp.from);
    return out;
  };
  const keys = todo.map((sp) => spanKey(ring, sp));
  const rows = await model.nextTokenLogits([base, ...todo.map(without)]);
  if (rows.length !== todo.length + 1) throw new Error(`the model returned ${rows.length} logit rows for ${todo.length + 1} contexts`);
  const logP = logSoftmax(rows[0]);
  keys.forEach((key, i) => state.kl.set(key, klDivergence(logP, logSoftmax(rows[i + 1]))));
  state.model = model.name;
  return todo.length;
}

/**
 * Each candidate's importance in 0..1: its probe's KL divergence over the largest among the
 * candidates, or — labelled as such — recency when it has not been probed (no model with logits, or
 * not yet reached by the bounded probes). Without probes it is recency alone and costs no lookups.
 */
export function importanceOf(ctx: PolicyContext, spans: readonly TrackedSpan[]): { value: Float64Array; why(k: number): string } {
  const state = probes(ctx);
  const n = spans.length;
  // valid within the calling policy's call (scoresFor)
  const value = scoresFor('importanceOf', n);
  const fallback = state.model ? 'recency fallback: not probed yet' : 'recency fallback: no model with logits';
  if (state.kl.size === 0) {
    for (let k = 0; k < n; k++) value[k] = recencyOf(k, n);
    return { value, why: (k) => `${fallback}, importance ${value[k].toFixed(2)}` };
  }
  const kl = new Float64Array(n).fill(NaN);
  let max = 0;
  for (let k = 0; k < n; k++) {
    const v = state.kl.get(spans[k].key);
    if (v === undefined) continue;
    kl[k] = v;
    if (v > max) max = v;
  }
  for (let k = 0; k < n; k++) value[k] = Number.isNaN(kl[k]) ? recencyOf(k, n) : max > 0 ? kl[k] / max : 0;
  return {
    value,
    why: (k) => (Number.isNaN(kl[k]) ? `${fallback}, importance ${value[k].toFixed(2)}` : `logit probe KL ${kl[k].toExponential(2)} → importance ${value[k].toFixed(2)}`),
  };
}

/** Forgets probe scores of spans that left the window (now and then: it walks the candidates). */
export function forgetProbes(ctx: PolicyContext, candidates: number): void {
  const state = probes(ctx);
  if (state.kl.size <= 2 * candidates + 64) return;
  const live = new Set(candidateSpans(ctx).map((sp) => sp.key));
  for (const key of state.kl.keys()) if (!live.has(key)) state.kl.delete(key);
}

/**
 * Importance: whole sentence spans valued by logit probes (see `probeSpans`) plus the salience
 * term, kept or dropped whole by knapsack — never scattered single tokens. Without a model that
 * gives logits (replays, OpenAI-compatible servers) importance is recency, and every event says so.
 */
export const importancePolicy: Policy = {
  name: 'importance',
  async prepare(ctx, model) {
    await probeSpans(ctx, model);
  },
  apply(ctx: PolicyContext): void {
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans, track } = older;
    const n = spans.length;
    const imp = importanceOf(ctx, spans);
    const score = scoresFor('importance', n);
    const { sal } = track;
    for (let k = 0; k < n; k++) score[k] = imp.value[k] + SALIENCE_TERM * sal[k];
    keepMostValuable(ctx, 'importance', over, track, { score, why: (k) => `${imp.why(k)}, salience ${spans[k].sal.toFixed(2)}` });
    forgetProbes(ctx, n);
  },
};
