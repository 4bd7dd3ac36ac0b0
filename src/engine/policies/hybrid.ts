import { contentHash, EmbeddingCache } from '../embed/embeddingCache.js';
import { HASHING_EMBEDDER_NAME, hashEmbedSparse } from '../embed/hashingEmbedder.js';
import { sparseDot, toSparse, type SparseVector } from '../embed/sparseVector.js';
import { forgetProbes, importanceOf, probeSpans } from './importance.js';
import { candidateSpans, embedInBatches, keepMostValuable, NEAR_OPTIMAL, olderSentences, SPARE_SHARE, recencyOf, SALIENCE_TERM, scoresFor, type TrackedSpan } from './spanValue.js';
import { LEXICAL_DIM, type SpanVectors } from './spanVectors.js';
import { PolicyTimeout, type Policy, type PolicyContext, type PolicyModel } from './types.js';

/** New spans embedded per batch; time is checked between batches. */
const EMBED_CHUNK = 32;

interface HybridState {
  /** Lexical embeddings (their nonzeros: all the policy uses) through the LRU cache keyed by content hash. */
  lexical: EmbeddingCache<SparseVector>;
  /** Model embeddings by content hash, filled by `prepare` in batches. */
  dense: Map<string, Float32Array>;
  denseModel: string;
  /** The sum of the candidates' vectors: recomputed with every uniqueness (few spans), else kept running. */
  sum: Float64Array;
  /** Model vectors: the spans the running sum holds (undefined: not running). */
  members: TrackedSpan[] | undefined;
  /** Which vectors the last call measured uniqueness with, and whether it kept them running (past UNIQUENESS_BLOCK). */
  mode: 'lexical' | 'dense' | undefined;
  running: boolean;
  /** Call number: a span seen in the last call carries the last one. */
  epoch: number;
  /** Where the next block of uniqueness refreshes starts. */
  cursor: number;
}

/**
 * Spans whose uniqueness one call recomputes once there are more candidates than this (plus the new
 * spans): a fixed amount of work per call, each span refreshed every ceil(n / UNIQUENESS_BLOCK)
 * calls against the exact running sum. Up to this many candidates every call recomputes all of
 * them from a fresh sum (as before, and what small budgets see).
 */
export const UNIQUENESS_BLOCK = 256;

function state(ctx: PolicyContext): HybridState {
  let s = ctx.state.get('hybrid') as HybridState | undefined;
  if (!s) ctx.state.set('hybrid', (s = { lexical: new EmbeddingCache<SparseVector>((texts) => texts.map((t) => hashEmbedSparse(t))), dense: new Map(), denseModel: '', sum: new Float64Array(0), members: undefined, mode: undefined, running: false, epoch: 0, cursor: 0 }));
  return s;
}

/**
 * Semantic uniqueness in 0..1: one minus the cosine between a span and the sum of all the others.
 * A sentence that says what the rest already say scores low; one about something else scores high.
 * O(total nonzeros): with S the sum, v·(S−v) = v·S − |v|² and |S−v|² = |S|² − 2 v·S + |v|².
 */
export function uniqueness(vectors: readonly SparseVector[], dim: number): Float64Array {
  const out = new Float64Array(vectors.length);
  const sum = new Float64Array(dim);
  for (const v of vectors) for (let k = 0; k < v.index.length; k++) sum[v.index[k]] += v.value[k];
  let sumSq = 0;
  for (let d = 0; d < dim; d++) sumSq += sum[d] * sum[d];
  vectors.forEach((v, i) => {
    const vs = sparseDot(v, sum);
    const restSq = Math.max(0, sumSq - 2 * vs + v.sqNorm);
    const cos = v.sqNorm > 0 && restSq > 1e-12 ? (vs - v.sqNorm) / Math.sqrt(v.sqNorm * restSq) : 0;
    out[i] = Math.min(1, Math.max(0, 1 - cos));
  });
  return out;
}

/** uniqueness() into `out`, with the sum kept in `sum` (reused between calls; resized to dim). */
function uniquenessInto(vectors: readonly SparseVector[], dim: number, sum: Float64Array, out: Float64Array): void {
  sum.fill(0);
  for (const v of vectors) {
    const { index, value } = v;
    for (let k = 0; k < index.length; k++) sum[index[k]] += value[k];
  }
  let sumSq = 0;
  for (let d = 0; d < dim; d++) sumSq += sum[d] * sum[d];
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i];
    const vs = sparseDot(v, sum);
    const restSq = Math.max(0, sumSq - 2 * vs + v.sqNorm);
    const cos = v.sqNorm > 0 && restSq > 1e-12 ? (vs - v.sqNorm) / Math.sqrt(v.sqNorm * restSq) : 0;
    out[i] = Math.min(1, Math.max(0, 1 - cos));
  }
}

/** One span's uniqueness against the sum S (whose squared norm is sumSq): 1 − cos(v, S − v). */
function uniquenessOf(v: SparseVector, sum: Float64Array, sumSq: number): number {
  const vs = sparseDot(v, sum);
  const restSq = Math.max(0, sumSq - 2 * vs + v.sqNorm);
  const cos = v.sqNorm > 0 && restSq > 1e-12 ? (vs - v.sqNorm) / Math.sqrt(v.sqNorm * restSq) : 0;
  return Math.min(1, Math.max(0, 1 - cos));
}

function addTo(sum: Float64Array, v: SparseVector, sign: number): void {
  const { index, value } = v;
  for (let k = 0; k < index.length; k++) sum[index[k]] += sign * value[k];
}

/**
 * Uniqueness of every candidate into `out`. Few candidates: all of them from a fresh sum. Many: the
 * running sum takes in the new spans and lets go of the departed ones, and only the new spans and
 * the next block of UNIQUENESS_BLOCK spans (a rotating cursor) are recomputed; the others keep their
 * last value. When the cursor wraps the sum is recomputed from scratch (no rounding drift).
 */
function uniquenessScheduled(s: HybridState, spans: readonly TrackedSpan[], vectors: readonly SparseVector[], dim: number, out: Float64Array): void {
  const n = spans.length;
  const e = ++s.epoch;
  if (s.sum.length !== dim) s.sum = new Float64Array(dim);
  const full = n <= UNIQUENESS_BLOCK || s.members === undefined || s.mode !== 'dense' || s.cursor >= n;
  s.mode = 'dense';
  if (full) {
    uniquenessInto(vectors, dim, s.sum, out);
    for (let k = 0; k < n; k++) {
      spans[k].uniqueness = out[k];
      spans[k].seenAt = e;
    }
    s.members = n > UNIQUENESS_BLOCK ? spans.slice() : undefined;
    s.cursor = 0;
    return;
  }
  const fresh: number[] = [];
  for (let k = 0; k < n; k++) {
    const sp = spans[k];
    if (sp.seenAt !== e - 1) {
      addTo(s.sum, vectors[k], 1);
      fresh.push(k);
    }
    sp.seenAt = e;
  }
  for (const m of s.members as TrackedSpan[]) if (m.seenAt !== e) addTo(s.sum, m.dense as SparseVector, -1);
  s.members = spans.slice();
  let sumSq = 0;
  for (let d = 0; d < dim; d++) sumSq += s.sum[d] * s.sum[d];
  for (let k = 0; k < n; k++) out[k] = spans[k].uniqueness;
  const refresh = (k: number): void => {
    out[k] = uniquenessOf(vectors[k], s.sum, sumSq);
    spans[k].uniqueness = out[k];
  };
  for (const k of fresh) refresh(k);
  const end = Math.min(n, s.cursor + UNIQUENESS_BLOCK);
  for (let k = s.cursor; k < end; k++) refresh(k);
  s.cursor = end;
}

/** One span's uniqueness against the sum S (whose squared norm is sumSq), as uniquenessOf, over the pooled vectors. */
function lexicalUniquenessOf(lex: SpanVectors, k: number, sum: Float64Array, sumSq: number): number {
  const vs = lex.dot(k, sum);
  const sq = lex.sq[k];
  const restSq = Math.max(0, sumSq - 2 * vs + sq);
  const cos = sq > 0 && restSq > 1e-12 ? (vs - sq) / Math.sqrt(sq * restSq) : 0;
  return Math.min(1, Math.max(0, 1 - cos));
}

/**
 * uniquenessScheduled over the lexical vectors the span tracker pools (SpanVectors): the same
 * schedule and the same values, without a pass that builds the sum. The tracker keeps the sum of
 * the candidates' vectors as they are embedded and leave, and that sum is exact (lexical values are
 * float32 within [2^-17, 1]: see SpanVectors), so it is bit for bit the sum made afresh (the full
 * path) and the running sum the block refreshes read (whose adds and removes were exact too). If a
 * vector ever breaks exactness the sum is made afresh from the pool on every call.
 */
function lexicalUniqueness(s: HybridState, lex: SpanVectors, n: number, out: Float64Array): void {
  const e = ++s.epoch;
  if (s.sum.length !== LEXICAL_DIM) s.sum = new Float64Array(LEXICAL_DIM);
  const sum = lex.sumExact ? lex.sum : lex.freshSum(n, s.sum);
  let sumSq = 0;
  for (let d = 0; d < LEXICAL_DIM; d++) sumSq += sum[d] * sum[d];
  const full = n <= UNIQUENESS_BLOCK || s.mode !== 'lexical' || !s.running || s.cursor >= n;
  s.mode = 'lexical';
  s.members = undefined;
  const { uniq, uniqAt } = lex;
  if (full) {
    for (let k = 0; k < n; k++) {
      uniq[k] = lexicalUniquenessOf(lex, k, sum, sumSq);
      uniqAt[k] = e;
    }
    s.running = n > UNIQUENESS_BLOCK;
    s.cursor = 0;
  } else {
    // spans new since the last call, then the next block
    for (let k = 0; k < n; k++) {
      if (uniqAt[k] !== e - 1) uniq[k] = lexicalUniquenessOf(lex, k, sum, sumSq);
      uniqAt[k] = e;
    }
    const end = Math.min(n, s.cursor + UNIQUENESS_BLOCK);
    for (let k = s.cursor; k < end; k++) uniq[k] = lexicalUniquenessOf(lex, k, sum, sumSq);
    s.cursor = end;
  }
  out.set(uniq.subarray(0, n));
}

/**
 * Hybrid: a weighted sum of importance (logit probes, or labelled recency without a model),
 * semantic uniqueness (model embeddings when the backend has them, lexical hashing otherwise) and
 * recency, plus the salience term; knapsack keeps the best whole sentences. Weights are live-settable.
 */
export const hybridPolicy: Policy = {
  name: 'hybrid',
  async prepare(ctx: PolicyContext, model: PolicyModel) {
    await probeSpans(ctx, model);
    if (!model.embed) return;
    const s = state(ctx);
    const texts = candidateSpans(ctx).map((sp) => sp.text);
    const missing = [...new Set(texts)].filter((t) => !s.dense.has(contentHash(t)));
    await embedInBatches(model, missing, (t, v) => s.dense.set(contentHash(t), v));
    s.denseModel = model.name;
  },
  apply(ctx: PolicyContext): void {
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans, track } = older;
    const n = spans.length;
    const s = state(ctx);
    const w = ctx.params.weights;
    const total = w.importance + w.uniqueness + w.recency;
    const imp = importanceOf(ctx, spans);
    // model vectors when every span has one (vectors of two embedders do not mix), else lexical
    let useDense = n > 0 && s.dense.size > 0;
    for (let k = 0; k < n && useDense; k++) {
      const sp = spans[k];
      if (sp.dense) continue;
      const d = s.dense.get(contentHash(sp.text));
      if (d) sp.dense = toSparse(d);
      else useDense = false;
    }
    // per-call columns reused across calls (scoresFor): every entry is written below
    const uniq = scoresFor('hybrid:uniqueness', n);
    if (useDense) {
      const vectors = new Array<SparseVector>(n);
      for (let k = 0; k < n; k++) vectors[k] = spans[k].dense as SparseVector;
      uniquenessScheduled(s, spans, vectors, (s.dense.values().next().value as Float32Array).length, uniq);
    } else {
      // spans not embedded yet (new since the last call), through the cache in chunks, into the tracker's pool
      const { lex } = track;
      const { len } = lex;
      let fresh: number[] = [];
      const embed = (): void => {
        s.lexical.embedAll(fresh.map((k) => spans[k].text)).forEach((e, j) => lex.set(fresh[j], n, e));
        fresh = [];
      };
      for (let k = 0; k < n; k++) {
        if (len[k] >= 0) continue;
        fresh.push(k);
        if (fresh.length === EMBED_CHUNK) {
          embed();
          if (ctx.timeUp()) throw new PolicyTimeout('embedding spans');
        }
      }
      if (fresh.length > 0) embed();
      ctx.report({ type: 'embeddingCache', turn: 0, embedder: HASHING_EMBEDDER_NAME, hits: s.lexical.hits, misses: s.lexical.misses, size: s.lexical.size });
      lexicalUniqueness(s, lex, n, uniq);
    }
    const embedder = useDense ? s.denseModel : HASHING_EMBEDDER_NAME;
    const score = scoresFor('hybrid', n);
    const { sal } = track;
    for (let k = 0; k < n; k++) score[k] = (w.importance * imp.value[k] + w.uniqueness * uniq[k] + w.recency * recencyOf(k, n)) / total + SALIENCE_TERM * sal[k];
    keepMostValuable(ctx, 'hybrid', over, track, {
      score,
      slack: NEAR_OPTIMAL,
      spare: SPARE_SHARE,
      why: (k) => `${imp.why(k)}; uniqueness ${uniq[k].toFixed(2)} (${embedder}); recency ${recencyOf(k, n).toFixed(2)}; salience ${spans[k].sal.toFixed(2)}`,
    });
    forgetProbes(ctx, n);
    if (s.dense.size > 4 * n + 256) s.dense.clear();
  },
};
