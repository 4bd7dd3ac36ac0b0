import { knapsack, knapsackBounded, type BoundedOptions } from './knapsack.js';
import { FLAG_SENTENCE_START, type TokenRing } from '../core/tokenRing.js';
import { alignToSentence, evictOverflow } from './sliding.js';
import { MAX_SPAN, spanTrack, type SpanTrack, type TrackedSpan } from './spanTrack.js';
import { PolicyTimeout, type PolicyContext, type PolicyModel } from './types.js';

const MAX_SHOWN = 400;
/**
 * Up to EXACT_SPANS candidates (budgets up to a few thousand tokens) the choice is the exact DP over
 * every span within 2M cells, as it always was (same optimum, same tie-break: the cheapest optimal
 * kept set). Past that, knapsackBounded: the LP bound decides most spans, and a DP of at most
 * SPAN_MAX_CELLS settles the rest — exact when they fit, else the undecided spans nearest the
 * critical ratio (the 'core', the rest at their LP value), never worse than greedy: tens of µs
 * instead of a sort and a greedy pass (or a million-cell table) per call.
 */
export const EXACT_SPANS = 256;
export const EXACT_MAX_CELLS = 2e6;
export const SPAN_MAX_CELLS = 3e4;

/** chooseSpans' keep flags past EXACT_SPANS: reused (valid until its next call; callers use them within theirs). */
let keepScratch = new Uint8Array(1024);
const BOUNDED_OPTIONS: BoundedOptions = { maxCells: SPAN_MAX_CELLS, keepInto: keepScratch };

/**
 * Which spans of a choice to keep (1) under `capacity` tokens: cost = tokens, value = score × tokens.
 * Past EXACT_SPANS the flags are a view of a reused array, valid until the next call; `slack` (past
 * EXACT_SPANS only) lets the greedy choice stand when the LP bound proves it that close to the optimum.
 */
export function chooseSpans(cost: Int32Array, value: Float64Array, capacity: number, slack?: number): Uint8Array {
  const n = cost.length;
  if (n > EXACT_SPANS) {
    if (n > keepScratch.length) BOUNDED_OPTIONS.keepInto = keepScratch = new Uint8Array(Math.max(n, 2 * keepScratch.length));
    BOUNDED_OPTIONS.slack = slack;
    return knapsackBounded(cost, value, capacity, BOUNDED_OPTIONS).keep;
  }
  const keep = new Uint8Array(n);
  for (const i of knapsack(Array.from(cost, (c, i) => ({ cost: c, value: value[i] })), capacity, { maxCells: EXACT_MAX_CELLS }).chosen) keep[i] = 1;
  return keep;
}

/**
 * Low-water margin: past EXACT_SPANS candidates (budgets of several thousand tokens) a call that must
 * evict also lets go of up to this share of the budget in spans that carry no facts (salience 0), the
 * lowest-valued first, so the next turns fit without a policy call. A call there costs O(window) (the
 * knapsack over every candidate, the ring's compaction) while a message adds ~50 tokens: a budget/16
 * margin makes a call every ~10 messages at 8k and every ~40 at 32k instead of every message. The
 * knapsack's own choice is unchanged (the margin comes out of what it kept), so no span with a fact
 * leaves earlier than it would have: taking the margin from the lowest-valued spans whatever they
 * held lost facts in the eval at 8k (importance 80.6 -> 72.2%, salience 97.2 -> 94.4%), this does not.
 * Up to EXACT_SPANS candidates (small budgets, where a call is cheap and every token counts) there is
 * no margin: those replay event for event as before. Deterministic (token counts, no clock). At most
 * LOW_WATER_MAX_SHARE of the candidates' tokens.
 */
export const LOW_WATER_SHARE = 1 / 16;
export const LOW_WATER_MAX_SHARE = 1 / 8;

/** Tokens of fact-free spans a call may let go beyond what the budget needs (see LOW_WATER_SHARE). */
export function lowWaterMargin(maxTokens: number, candidates: number, candidateTokens: number): number {
  if (candidates <= EXACT_SPANS) return 0;
  return Math.max(0, Math.floor(Math.min(maxTokens * LOW_WATER_SHARE, candidateTokens * LOW_WATER_MAX_SHARE)));
}

/**
 * Drops kept spans with no facts (salience 0), the lowest score first (then the oldest), until
 * `margin` tokens are let go or none is left (marked 1 in `marked`); returns the tokens let go.
 */
function takeMargin(track: SpanTrack, n: number, score: Float64Array, keep: Uint8Array, margin: number, marked: Uint8Array): number {
  const { sal, tokens } = track;
  const order: number[] = [];
  for (let k = 0; k < n; k++) if (keep[k] && sal[k] === 0) order.push(k);
  order.sort((a, b) => score[a] - score[b] || a - b);
  let freed = 0;
  for (const k of order) {
    if (freed >= margin) break;
    keep[k] = 0;
    marked[k] = 1;
    freed += tokens[k];
  }
  return freed;
}

/**
 * Hybrid's, semantic's and salience's slack past EXACT_SPANS: the greedy choice (by value per token,
 * then the first spans that still fit) stands when the LP bound proves it within 1/256 of the optimum,
 * and the DP (a table of ~30k cells over the ~300 undecided spans at 8k) runs only past that. The
 * greedy choice lets go of at most one span more than the DP would (it cannot fill the budget exactly).
 * Salience's eval stayed or rose with it (8k on 40k-token chats, recall on: 94.4 -> 97.2%).
 */
export const NEAR_OPTIMAL = 1 / 256;

/**
 * Hybrid's low-water margin past EXACT_SPANS goes on with the lowest-valued kept spans, whatever they
 * hold, until budget/64 tokens are let go (the fact-free ones count towards it): a call frees a few
 * messages' worth, so the next ones fit without a policy call (at 8k, 1,072 of 3,653 calls evict
 * instead of 2,603 on the 1,900-turn chat). Its eval stays the same at budget/64 (budget/32 lost a
 * fact at 8k on 40k-token chats); semantic loses one at budget/64, so it keeps the fact-free margin only.
 */
export const SPARE_SHARE = 1 / 64;

/**
 * The lowest-valued kept spans (whatever they hold), the lowest score first (then the oldest), let go
 * until `spare` tokens are (marked 2 in `marked`); returns the tokens let go. They are found by a
 * bounded selection (a sorted list of at most MAX_SPARE candidates) instead of a sort of every span.
 */
const MAX_SPARE = 64;
const spareList = new Int32Array(MAX_SPARE);
function takeSpare(track: SpanTrack, n: number, score: Float64Array, keep: Uint8Array, spare: number, marked: Uint8Array): number {
  const { tokens } = track;
  // the lowest-scored kept spans in (score, index) order whose tokens first reach `spare`
  let size = 0;
  let held = 0;
  for (let k = 0; k < n; k++) {
    if (!keep[k]) continue;
    const s = score[k];
    if (held >= spare && size > 0) {
      const last = spareList[size - 1];
      if (!(s < score[last])) continue;
    }
    let j = size;
    while (j > 0 && score[spareList[j - 1]] > s) j--;
    if (size === MAX_SPARE) {
      if (j === MAX_SPARE) continue;
      held -= tokens[spareList[MAX_SPARE - 1]];
      size--;
    }
    spareList.copyWithin(j + 1, j, size);
    spareList[j] = k;
    size++;
    held += tokens[k];
    // drop the tail the list no longer needs to reach `spare`
    while (size > 1 && held - tokens[spareList[size - 1]] >= spare) held -= tokens[spareList[--size]];
  }
  let freed = 0;
  for (let j = 0; j < size && freed < spare; j++) {
    const k = spareList[j];
    keep[k] = 0;
    marked[k] = 2;
    freed += tokens[k];
  }
  return freed;
}

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
  /** Past EXACT_SPANS: settle for the greedy choice when it is provably within this share of the optimum (see NEAR_OPTIMAL). */
  slack?: number;
  /** Past EXACT_SPANS: the low-water margin also lets go of the lowest-valued spans up to this share of the budget. */
  spare?: number;
  /** Why span k got its value (shown when it is evicted; built only for evicted spans). */
  why(k: number): string;
  /** Detail of an evicted span's event (`line`: what it was lowest under); default: its value and `why`. */
  detail?(k: number, line: string): string;
  cluster?(k: number): number;
  /** Semantic's fields of each span in the Spans view: cluster, representative (1/0), 2D position. */
  layout?: { cluster: Int32Array; representative: Uint8Array; x: Float64Array; y: Float64Array };
}

/** keepMostValuable's cost and value columns, reused across calls (views of the first n entries). */
let costScratch = new Int32Array(1024);
let valueScratch = new Float64Array(1024);
let flagScratch = new Uint8Array(1024);
const NO_FLAGS = new Uint8Array(0);
function spanColumns(n: number): { cost: Int32Array; value: Float64Array } {
  if (n > costScratch.length) {
    const size = Math.max(n, 2 * costScratch.length);
    costScratch = new Int32Array(size);
    valueScratch = new Float64Array(size);
  }
  return { cost: costScratch.subarray(0, n), value: valueScratch.subarray(0, n) };
}
/** Zeroed flags of n spans (the low-water margin's). */
function marginFlags(n: number): Uint8Array {
  if (n > flagScratch.length) flagScratch = new Uint8Array(Math.max(n, 2 * flagScratch.length));
  const flags = flagScratch.subarray(0, n);
  flags.fill(0);
  return flags;
}

/**
 * A span policy's per-span scores, reused across calls: valid until the policy's next call (a
 * policy's choice uses them only within its call). One per policy name, since a policy may run
 * inside another's call only through keepMostValuable, which reads but never makes scores.
 */
const scoreScratch = new Map<string, Float64Array>();
export function scoresFor(policy: string, n: number): Float64Array {
  let s = scoreScratch.get(policy);
  if (!s || s.length < n) scoreScratch.set(policy, (s = new Float64Array(Math.max(n, 2 * (s?.length ?? 512)))));
  return s.subarray(0, n);
}

type SpanRow = { messageId: number; startPos: number; tokens: number; score: number; kept: boolean; cluster?: number; representative?: boolean; x?: number; y?: number };

/**
 * The shared end of every span policy: a 0/1 knapsack (knapsackBounded: exact where the DP over the
 * undecided items is small, which it is) keeps the spans with the most value (score × tokens) that
 * fit under the budget, the choice is reported for the Spans view, the rest are evicted in one pass
 * with their score and reason, and sliding then handles what spans cannot (message overheads, a
 * recent window that alone overflows, a cut sentence).
 */
export function keepMostValuable(ctx: PolicyContext, policy: string, over: number, track: SpanTrack, choice: SpanChoice): void {
  const n = track.spans.length;
  if (n > 0) {
    const { cost, value } = spanColumns(n);
    const { tokens, startPos, msg } = track;
    // read once: the choice objects of the several policies differ in shape
    const score = choice.score;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const t = tokens[k];
      cost[k] = t;
      value[k] = Math.max(0, score[k]) * t;
      total += t;
    }
    if (ctx.timeUp()) throw new PolicyTimeout('before knapsack');
    const capacity = Math.max(0, total - over);
    const keep = chooseSpans(cost, value, capacity, choice.slack);
    const margin = lowWaterMargin(ctx.maxTokens, n, total);
    const early = margin > 0 ? marginFlags(n) : NO_FLAGS;
    let freed = margin > 0 ? takeMargin(track, n, score, keep, margin, early) : 0;
    const spare = margin > 0 && choice.spare ? Math.floor(ctx.maxTokens * choice.spare) : 0;
    if (freed < spare) freed += takeSpare(track, n, score, keep, spare - freed, early);
    const lineOf = (k: number): string =>
      early.length === 0 || early[k] === 0
        ? 'the budget'
        : early[k] === 1
          ? `the low-water margin (no facts; ${margin} tokens let go early so the next turns fit without a policy call)`
          : `the low-water margin (lowest value; ${spare} tokens let go early so the next turns fit without a policy call)`;
    const shown = Math.max(0, n - MAX_SHOWN);
    const rows = new Array<SpanRow>(n - shown);
    const { layout } = choice;
    if (layout) {
      for (let k = shown; k < n; k++) {
        rows[k - shown] = { messageId: msg[k], startPos: startPos[k], tokens: tokens[k], score: score[k], kept: keep[k] === 1, cluster: layout.cluster[k], representative: layout.representative[k] === 1, x: layout.x[k], y: layout.y[k] };
      }
    } else for (let k = shown; k < n; k++) rows[k - shown] = { messageId: msg[k], startPos: startPos[k], tokens: tokens[k], score: score[k], kept: keep[k] === 1 };
    ctx.report({ type: 'spanScores', turn: 0, policy, capacity, spans: rows });
    const evict: { from: number; to: number; detail: string; score: number; cluster?: number; text: string }[] = [];
    let from = 0;
    for (let k = 0; k < n; k++) {
      const t = cost[k];
      if (!keep[k]) {
        const s = score[k];
        const line = lineOf(k);
        const detail = choice.detail ? choice.detail(k, line) : `value ${s.toFixed(3)}/token (${choice.why(k)}) was among the lowest under ${line}`;
        const cluster = choice.cluster?.(k);
        // the tracked span's text is the decode of exactly its tokens: the eviction's preview reuses it
        evict.push({ from, to: from + t, score: s, detail, ...(cluster !== undefined ? { cluster } : {}), text: track.spans[k].text });
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
