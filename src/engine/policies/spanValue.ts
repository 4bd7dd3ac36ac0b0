import { knapsackBounded } from './knapsack.js';
import { FLAG_SENTENCE_START, type TokenRing } from '../core/tokenRing.js';
import { alignToSentence, evictOverflow } from './sliding.js';
import { MAX_SPAN, spanTrack, type SpanTrack, type TrackedSpan } from './spanTrack.js';
import { PolicyTimeout, type PolicyContext, type PolicyModel } from './types.js';

const MAX_SHOWN = 400;
/**
 * Largest DP the span knapsack runs over the items its LP bound leaves undecided (knapsackBounded).
 * With few undecided items (small windows, spread-out scores) that is all of them and the choice is
 * exact; when many spans score alike near the margin, the DP takes the ones nearest the critical
 * ratio (the 'core'), the rest at their LP value — a bounded DP of about 20 µs instead of a
 * million-cell table per call, and never worse than the greedy fill.
 */
export const SPAN_MAX_CELLS = 3e4;

/** Weight of the salience term every span policy adds to its own score (facts outlive small talk). */
export const SALIENCE_TERM = 1;

export interface Span {
  from: number;
  to: number;
}

export { MAX_SPAN, spanTrack, type SpanTrack, type TrackedSpan } from './spanTrack.js';

/** Whole-sentence spans (split at message boundaries and at 64 tokens) of ring tokens [0, limit): a full scan. */
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

/** Ring ranges of the tracked spans, in order. */
export function ringRanges(spans: readonly TrackedSpan[]): Span[] {
  const out: Span[] = new Array<Span>(spans.length);
  let from = 0;
  for (let k = 0; k < spans.length; k++) {
    out[k] = { from, to: from + spans[k].tokens };
    from += spans[k].tokens;
  }
  return out;
}

/** Whole sentences older than the recent window (they end at the last sentence start before it), tracked between calls. */
export function candidateSpans(ctx: PolicyContext): readonly TrackedSpan[] {
  return spanTrack(ctx).sync(ctx);
}

/** The candidates as ring ranges (probes cut them out of the context). */
export function candidateSentences(ctx: PolicyContext): Span[] {
  return ringRanges(candidateSpans(ctx));
}

/**
 * What a span policy may evict: whole sentences older than the recent window (the candidates end at
 * the last sentence start before it, so no sentence is cut), and how far over budget the context is.
 * Undefined when the context fits (and then nothing is scanned).
 */
export function olderSentences(ctx: PolicyContext): { over: number; spans: readonly TrackedSpan[]; track: SpanTrack } | undefined {
  const over = ctx.ledger.used() - ctx.maxTokens;
  if (over <= 0) return undefined;
  const track = spanTrack(ctx);
  return { over, spans: track.sync(ctx), track };
}

/** A span's key while it stays in the window: its first position and its length. */
export const spanKey = (ring: TokenRing, sp: Span): number => ring.pos(sp.from) * MAX_SPAN + (sp.to - sp.from);

/** Recency of the k-th of n candidates: (k + 1) / n. */
export const recencyOf = (k: number, n: number): number => (k + 1) / n;

export interface SpanChoice {
  /** Value per token of each span (negative counts as 0). */
  score: Float64Array;
  /** Why span k got its value (shown when it is evicted; built only for evicted spans). */
  why(k: number): string;
  /** Detail of an evicted span's event; default: its value and `why`. */
  detail?(k: number): string;
  cluster?(k: number): number;
  /** Extra fields of a shown span in the Spans view (semantic: cluster, representative, 2D position). */
  shown?(k: number): { cluster?: number; representative?: boolean; x?: number; y?: number };
}

/**
 * The shared end of every span policy: a 0/1 knapsack (knapsackBounded: exact where the DP over the
 * undecided items is small, which it is) keeps the spans with the most value (score × tokens) that
 * fit under the budget, the choice is reported for the Spans view, the rest are evicted in one pass
 * with their score and reason, and sliding then handles what spans cannot (message overheads, a
 * recent window that alone overflows, a cut sentence).
 */
export function keepMostValuable(ctx: PolicyContext, policy: string, over: number, track: SpanTrack, choice: SpanChoice): void {
  const spans = track.spans;
  const n = spans.length;
  if (n > 0) {
    const cost = new Int32Array(n);
    const value = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const t = spans[k].tokens;
      cost[k] = t;
      value[k] = Math.max(0, choice.score[k]) * t;
      total += t;
    }
    if (ctx.timeUp()) throw new PolicyTimeout('before knapsack');
    const capacity = Math.max(0, total - over);
    const { keep } = knapsackBounded(cost, value, capacity, { maxCells: SPAN_MAX_CELLS });
    const shown = Math.max(0, n - MAX_SHOWN);
    const rows = new Array<{ messageId: number; startPos: number; tokens: number; score: number; kept: boolean }>(n - shown);
    for (let k = shown; k < n; k++) {
      const sp = spans[k];
      const row = { messageId: sp.msg, startPos: sp.startPos, tokens: sp.tokens, score: choice.score[k], kept: keep[k] === 1 };
      rows[k - shown] = choice.shown ? { ...row, ...choice.shown(k) } : row;
    }
    ctx.report({ type: 'spanScores', turn: 0, policy, capacity, spans: rows });
    const evict: { from: number; to: number; detail: string; score: number; cluster?: number }[] = [];
    let from = 0;
    for (let k = 0; k < n; k++) {
      const t = spans[k].tokens;
      if (!keep[k]) {
        const score = choice.score[k];
        const detail = choice.detail ? choice.detail(k) : `value ${score.toFixed(3)}/token (${choice.why(k)}) was among the lowest under the budget`;
        const cluster = choice.cluster?.(k);
        evict.push({ from, to: from + t, score, detail, ...(cluster !== undefined ? { cluster } : {}) });
      }
      from += t;
    }
    ctx.evictSpans(evict, 'span-value');
    track.remove(keep);
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
