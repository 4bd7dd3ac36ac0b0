import { contentHash, EmbeddingCache } from '../embed/embeddingCache.js';
import { HASHING_EMBEDDER_NAME, hashEmbed } from '../embed/hashingEmbedder.js';
import { forgetProbes, importanceOf, probeSpans } from './importance.js';
import { candidateSentences, keepMostValuable, olderSentences, SALIENCE_TERM, spanKey, spanSalience, type Span } from './spanValue.js';
import type { Policy, PolicyContext, PolicyModel } from './types.js';

interface HybridState {
  /** Lexical embeddings through the LRU cache keyed by content hash. */
  lexical: EmbeddingCache;
  /** Model embeddings by content hash, filled by `prepare` in batches. */
  dense: Map<string, Float32Array>;
  denseModel: string;
  /** Decoded text per span key while the span is a candidate. */
  texts: Map<number, string>;
}

function state(ctx: PolicyContext): HybridState {
  let s = ctx.state.get('hybrid') as HybridState | undefined;
  if (!s) ctx.state.set('hybrid', (s = { lexical: new EmbeddingCache((texts) => texts.map((t) => hashEmbed(t))), dense: new Map(), denseModel: '', texts: new Map() }));
  return s;
}

function textsOf(ctx: PolicyContext, spans: readonly Span[]): string[] {
  const ring = ctx.ledger.window;
  const { texts } = state(ctx);
  return spans.map((sp) => {
    const key = spanKey(ring, sp);
    let t = texts.get(key);
    if (t === undefined) texts.set(key, (t = ctx.decode(ring.ids(sp.from, sp.to))));
    return t;
  });
}

/**
 * Semantic uniqueness in 0..1: one minus the cosine between a span and the sum of all the others.
 * A sentence that says what the rest already say scores low; one about something else scores high.
 */
export function uniqueness(vectors: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(vectors.length);
  if (vectors.length === 0) return out;
  const dim = vectors[0].length;
  const sum = new Float64Array(dim);
  for (const v of vectors) for (let d = 0; d < dim; d++) sum[d] += v[d];
  vectors.forEach((v, i) => {
    let dot = 0, nv = 0, nr = 0;
    for (let d = 0; d < dim; d++) {
      const r = sum[d] - v[d];
      dot += v[d] * r;
      nv += v[d] * v[d];
      nr += r * r;
    }
    const cos = nv > 0 && nr > 0 ? dot / Math.sqrt(nv * nr) : 0;
    out[i] = Math.min(1, Math.max(0, 1 - cos));
  });
  return out;
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
    const spans = candidateSentences(ctx);
    const texts = textsOf(ctx, spans);
    const missing = [...new Set(texts.map((t) => contentHash(t)))].filter((h) => !s.dense.has(h));
    if (missing.length === 0) return;
    const byHash = new Map(texts.map((t) => [contentHash(t), t]));
    const vectors = await model.embed(missing.map((h) => byHash.get(h) as string));
    missing.forEach((h, i) => s.dense.set(h, vectors[i]));
    s.denseModel = model.name;
  },
  apply(ctx: PolicyContext): void {
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans } = older;
    const s = state(ctx);
    const w = ctx.params.weights;
    const total = w.importance + w.uniqueness + w.recency;
    const sal = spanSalience(ctx, spans);
    const imp = importanceOf(ctx, spans);
    const texts = textsOf(ctx, spans);
    const dense = texts.map((t) => s.dense.get(contentHash(t)));
    const useDense = dense.length > 0 && dense.every((v) => v !== undefined);
    const vectors = useDense ? (dense as Float32Array[]) : s.lexical.embedAll(texts);
    if (!useDense) ctx.report({ type: 'embeddingCache', turn: 0, embedder: HASHING_EMBEDDER_NAME, hits: s.lexical.hits, misses: s.lexical.misses, size: s.lexical.size });
    const uniq = uniqueness(vectors);
    const scored = spans.map((_sp, k) => {
      const recency = (k + 1) / spans.length;
      const mix = (w.importance * imp[k].value + w.uniqueness * uniq[k] + w.recency * recency) / total;
      return {
        score: mix + SALIENCE_TERM * sal[k],
        why: `${imp[k].why}; uniqueness ${uniq[k].toFixed(2)} (${useDense ? s.denseModel : HASHING_EMBEDDER_NAME}); recency ${recency.toFixed(2)}; salience ${sal[k].toFixed(2)}`,
      };
    });
    keepMostValuable(ctx, 'hybrid', over, spans, scored);
    forgetProbes(ctx);
    const live = new Set(candidateSentences(ctx).map((sp) => spanKey(ctx.ledger.window, sp)));
    for (const key of s.texts.keys()) if (!live.has(key)) s.texts.delete(key);
    if (s.dense.size > 4 * live.size + 256) s.dense.clear();
  },
};
