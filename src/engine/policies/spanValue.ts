import { knapsack } from './knapsack.js';
import { salience } from './salientFacts.js';
import { FLAG_SENTENCE_START, type TokenRing } from '../core/tokenRing.js';
import { alignToSentence, evictOverflow } from './sliding.js';
import { PolicyTimeout, type PolicyContext, type PolicyModel } from './types.js';

const MAX_SPAN = 64;
const MAX_SHOWN = 400;

/** Weight of the salience term every span policy adds to its own score (facts outlive small talk). */
export const SALIENCE_TERM = 1;

export interface Span {
  from: number;
  to: number;
}

/** Whole-sentence spans (split at message boundaries and at 64 tokens) of ring tokens [0, limit). */
export function sentenceSpans(ring: TokenRing, limit: number): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let i = 1; i <= limit; i++) {
    if (i === limit || ring.flags(i) & FLAG_SENTENCE_START || ring.msg(i) !== ring.msg(start) || i - start >= MAX_SPAN) {
      spans.push({ from: start, to: i });
      start = i;
    }
  }
  return spans;
}

/** Whole sentences older than the recent window (they end at the last sentence start before it). */
export function candidateSentences(ctx: PolicyContext): Span[] {
  const ring = ctx.ledger.window;
  let limit = ring.length - ctx.window;
  while (limit > 0 && !(ring.flags(limit) & FLAG_SENTENCE_START)) limit--;
  return limit > 0 ? sentenceSpans(ring, limit) : [];
}

/**
 * What a span policy may evict: whole sentences older than the recent window (the candidates end at
 * the last sentence start before it, so no sentence is cut), and how far over budget the context is.
 * Undefined when the context fits.
 */
export function olderSentences(ctx: PolicyContext): { over: number; spans: Span[] } | undefined {
  const over = ctx.ledger.used() - ctx.maxTokens;
  if (over <= 0) return undefined;
  return { over, spans: candidateSentences(ctx) };
}

/** A span's key while it stays in the window: its first position and its length. */
export const spanKey = (ring: TokenRing, sp: Span): number => ring.pos(sp.from) * 64 + (sp.to - sp.from);

/** Salience of each span (numbers, dates, names, quotes, stated facts; see salientFacts.ts), cached by span. */
export function spanSalience(ctx: PolicyContext, spans: readonly Span[]): Float64Array {
  const ring = ctx.ledger.window;
  const out = new Float64Array(spans.length);
  spans.forEach((sp, k) => {
    if (k % 32 === 31 && ctx.timeUp()) throw new PolicyTimeout('scoring spans');
    const key = spanKey(ring, sp);
    let sal = ctx.cache.get(key);
    if (sal === undefined) {
      sal = salience(ctx.decode(ring.ids(sp.from, sp.to)), sp.to - sp.from);
      ctx.cache.set(key, sal);
    }
    out[k] = sal;
  });
  return out;
}

export interface ScoredCandidate {
  /** Value per token. */
  score: number;
  /** Why the span got this value (shown when it is evicted). */
  why: string;
  cluster?: number;
}

/**
 * The shared end of every span policy: a 0/1 knapsack keeps the spans with the most value (score ×
 * tokens) that fit under the budget, the choice is reported for the Spans view, the rest are evicted
 * in one pass with their score and reason, and sliding then handles what spans cannot (message
 * overheads, a recent window that alone overflows, a cut sentence).
 */
export function keepMostValuable(ctx: PolicyContext, policy: string, over: number, spans: readonly Span[], scored: readonly ScoredCandidate[]): void {
  const ring = ctx.ledger.window;
  if (spans.length > 0) {
    const items = spans.map((sp, k) => ({ cost: sp.to - sp.from, value: Math.max(0, scored[k].score) * (sp.to - sp.from) }));
    const total = items.reduce((n, it) => n + it.cost, 0);
    if (ctx.timeUp()) throw new PolicyTimeout('before knapsack');
    const capacity = Math.max(0, total - over);
    const keep = new Set(knapsack(items, capacity, { maxCells: 2e6 }).chosen);
    const shown = Math.max(0, spans.length - MAX_SHOWN);
    ctx.report({
      type: 'spanScores',
      turn: 0,
      policy,
      capacity,
      spans: spans.slice(shown).map((sp, i) => ({ messageId: ring.msg(sp.from), startPos: ring.pos(sp.from), tokens: sp.to - sp.from, score: scored[shown + i].score, kept: keep.has(shown + i) })),
    });
    const evict: { from: number; to: number; detail: string; score: number; cluster?: number }[] = [];
    spans.forEach((sp, k) => {
      if (keep.has(k)) return;
      const s = scored[k];
      ctx.cache.delete(spanKey(ring, sp));
      evict.push({ from: sp.from, to: sp.to, score: s.score, detail: `value ${s.score.toFixed(3)}/token (${s.why}) was among the lowest under the budget`, ...(s.cluster !== undefined ? { cluster: s.cluster } : {}) });
    });
    ctx.evictSpans(evict, 'span-value');
  }
  evictOverflow(ctx);
  alignToSentence(ctx);
}

/** Texts embedded per model call in a policy's model step. */
const MODEL_BATCH = 64;

/** Embeds texts with the model in batches, handing each vector to `put` (nothing when it cannot embed). */
export async function embedInBatches(model: PolicyModel, texts: readonly string[], put: (text: string, vector: Float32Array) => void): Promise<void> {
  if (!model.embed) return;
  for (let i = 0; i < texts.length; i += MODEL_BATCH) {
    const batch = texts.slice(i, i + MODEL_BATCH);
    const vectors = await model.embed(batch);
    if (vectors.length !== batch.length) throw new Error(`${model.name} returned ${vectors.length} embeddings for ${batch.length} texts`);
    batch.forEach((t, j) => put(t, vectors[j]));
  }
}
