import { contentHash, EmbeddingCache } from '../embed/embeddingCache.js';
import { HASHING_EMBEDDER_NAME, hashEmbed } from '../embed/hashingEmbedder.js';
import { sparseDot, toSparse, type SparseVector } from '../embed/sparseVector.js';
import { forgetProbes, importanceOf, probeSpans } from './importance.js';
import { candidateSentences, embedInBatches, keepMostValuable, olderSentences, SALIENCE_TERM, spanKey, spanSalience, type Span } from './spanValue.js';
import { PolicyTimeout, type Policy, type PolicyContext, type PolicyModel } from './types.js';

/** New spans embedded per batch; time is checked between batches. */
const EMBED_CHUNK = 32;

/** What hybrid remembers about a span while it is a candidate. */
interface SpanVectors {
  /** Position of its last token (the same key with another end is another span). */
  end: number;
  text: string;
  lexical?: SparseVector;
  dense?: SparseVector;
}

interface HybridState {
  /** Lexical embeddings through the LRU cache keyed by content hash. */
  lexical: EmbeddingCache;
  /** Model embeddings by content hash, filled by `prepare` in batches. */
  dense: Map<string, Float32Array>;
  denseModel: string;
  spans: Map<number, SpanVectors>;
}

function state(ctx: PolicyContext): HybridState {
  let s = ctx.state.get('hybrid') as HybridState | undefined;
  if (!s) ctx.state.set('hybrid', (s = { lexical: new EmbeddingCache((texts) => texts.map((t) => hashEmbed(t))), dense: new Map(), denseModel: '', spans: new Map() }));
  return s;
}

/** Each span's remembered text and vectors; new spans are decoded once. */
function vectorsOf(ctx: PolicyContext, spans: readonly Span[]): SpanVectors[] {
  const ring = ctx.ledger.window;
  const s = state(ctx);
  return spans.map((sp) => {
    const key = spanKey(ring, sp);
    const end = ring.pos(sp.to - 1);
    let v = s.spans.get(key);
    if (v === undefined || v.end !== end) s.spans.set(key, (v = { end, text: ctx.decode(ring.ids(sp.from, sp.to)) }));
    return v;
  });
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
    const texts = vectorsOf(ctx, candidateSentences(ctx)).map((v) => v.text);
    const missing = [...new Set(texts)].filter((t) => !s.dense.has(contentHash(t)));
    await embedInBatches(model, missing, (t, v) => s.dense.set(contentHash(t), v));
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
    const vecs = vectorsOf(ctx, spans);
    if (ctx.timeUp()) throw new PolicyTimeout('decoding spans');
    // model vectors when every span has one (vectors of two embedders do not mix), else lexical
    for (const v of vecs) {
      if (v.dense || s.dense.size === 0) continue;
      const d = s.dense.get(contentHash(v.text));
      if (d) v.dense = toSparse(d);
    }
    const useDense = vecs.length > 0 && vecs.every((v) => v.dense !== undefined);
    let dim = 0;
    if (useDense) dim = (s.dense.values().next().value as Float32Array).length;
    else {
      const fresh = vecs.filter((v) => v.lexical === undefined);
      for (let c = 0; c < fresh.length; c += EMBED_CHUNK) {
        if (c > 0 && ctx.timeUp()) throw new PolicyTimeout('embedding spans');
        const chunk = fresh.slice(c, c + EMBED_CHUNK);
        s.lexical.embedAll(chunk.map((v) => v.text)).forEach((e, j) => (chunk[j].lexical = toSparse(e)));
      }
      dim = 256;
      ctx.report({ type: 'embeddingCache', turn: 0, embedder: HASHING_EMBEDDER_NAME, hits: s.lexical.hits, misses: s.lexical.misses, size: s.lexical.size });
    }
    const uniq = uniqueness(
      vecs.map((v) => (useDense ? v.dense : v.lexical) as SparseVector),
      dim,
    );
    const embedder = useDense ? s.denseModel : HASHING_EMBEDDER_NAME;
    const scored = spans.map((_sp, k) => {
      const recency = (k + 1) / spans.length;
      const mix = (w.importance * imp[k].value + w.uniqueness * uniq[k] + w.recency * recency) / total;
      return {
        score: mix + SALIENCE_TERM * sal[k],
        why: `${imp[k].why}; uniqueness ${uniq[k].toFixed(2)} (${embedder}); recency ${recency.toFixed(2)}; salience ${sal[k].toFixed(2)}`,
      };
    });
    keepMostValuable(ctx, 'hybrid', over, spans, scored);
    forgetProbes(ctx, spans.length);
    if (s.spans.size > 2 * spans.length + 64) {
      const live = new Set(candidateSentences(ctx).map((sp) => spanKey(ctx.ledger.window, sp)));
      for (const key of s.spans.keys()) if (!live.has(key)) s.spans.delete(key);
      if (s.dense.size > 4 * live.size + 256) s.dense.clear();
    }
  },
};
