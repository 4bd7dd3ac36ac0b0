import { EmbeddingCache } from '../embed/embeddingCache.js';
import { HASHING_EMBEDDER_NAME, hashEmbed } from '../embed/hashingEmbedder.js';
import { miniBatchKMeans } from '../kmeans.js';
import { knapsack } from '../knapsack.js';
import { project2d } from '../pca.js';
import { salience } from '../salience.js';
import { FLAG_SENTENCE_START } from '../tokenRing.js';
import { sentenceSpans } from './salience.js';
import { alignToSentence, evictOverflow } from './sliding.js';
import { PolicyTimeout, type Policy, type PolicyContext } from './types.js';

const SEED = 7;
const RECENCY_BIAS = 0.3;
const MAX_SHOWN = 400;

/** Value per token: one representative per cluster is worth keeping, then facts, then recency. */
export const REPRESENTATIVE_VALUE = 1;
export const SALIENCE_VALUE = 0.5;
export const RECENCY_VALUE = 0.3;

function cache(ctx: PolicyContext): EmbeddingCache {
  let c = ctx.state.get('semantic:cache') as EmbeddingCache | undefined;
  if (!c) {
    c = new EmbeddingCache((texts) => texts.map((t) => hashEmbed(t)));
    ctx.state.set('semantic:cache', c);
  }
  return c;
}

const dot = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Semantic: sentences older than the recent window are embedded (through an LRU cache keyed by
 * content hash), clustered with seeded mini-batch k-means warm-started from the last call's
 * centroids, and each cluster keeps one representative (closest to its centroid, with a recency
 * bias); knapsack then keeps the most valuable spans under the budget. Redundant sentences go first.
 * The embedder today is lexical feature hashing (no model needed); events name it.
 */
export const semanticPolicy: Policy = {
  name: 'semantic',
  apply(ctx: PolicyContext): void {
    const { ledger } = ctx;
    const over = ledger.used() - ctx.maxTokens;
    if (over <= 0) return;
    const ring = ledger.window;
    let limit = ring.length - ctx.window;
    while (limit > 0 && !(ring.flags(limit) & FLAG_SENTENCE_START)) limit--;
    const spans = limit > 0 ? sentenceSpans(ring, limit) : [];
    if (spans.length >= 2) {
      const texts = spans.map((sp) => ctx.decode(ring.ids(sp.from, sp.to)));
      if (ctx.timeUp()) throw new PolicyTimeout('decoding spans');
      const embeddings = cache(ctx);
      const vectors = embeddings.embedAll(texts);
      ctx.report({ type: 'embeddingCache', turn: 0, embedder: HASHING_EMBEDDER_NAME, hits: embeddings.hits, misses: embeddings.misses, size: embeddings.size });
      if (ctx.timeUp()) throw new PolicyTimeout('embedding spans');
      const k = Math.max(2, Math.min(24, Math.round(Math.sqrt(spans.length / 2))));
      const previous = ctx.state.get('semantic:centroids') as Float32Array[] | undefined;
      const { centroids, assignments } = miniBatchKMeans(vectors, k, { seed: SEED, init: previous });
      ctx.state.set('semantic:centroids', centroids);
      if (ctx.timeUp()) throw new PolicyTimeout('clustering');
      const best = new Map<number, { k: number; fit: number }>();
      spans.forEach((_sp, i) => {
        const c = assignments[i];
        const fit = dot(vectors[i], centroids[c]) + RECENCY_BIAS * ((i + 1) / spans.length);
        if (!best.has(c) || fit > (best.get(c) as { fit: number }).fit) best.set(c, { k: i, fit });
      });
      const reps = new Set([...best.values()].map((b) => b.k));
      const scores = spans.map((sp, i) => {
        const sal = salience(texts[i], sp.to - sp.from);
        return (reps.has(i) ? REPRESENTATIVE_VALUE : 0) + SALIENCE_VALUE * sal + RECENCY_VALUE * ((i + 1) / spans.length);
      });
      const items = spans.map((sp, i) => ({ cost: sp.to - sp.from, value: scores[i] * (sp.to - sp.from) }));
      const total = items.reduce((n, it) => n + it.cost, 0);
      const capacity = Math.max(0, total - over);
      const keep = new Set(knapsack(items, capacity, { maxCells: 2e6 }).chosen);
      const shown = Math.max(0, spans.length - MAX_SHOWN);
      const xy = project2d(vectors.slice(shown));
      ctx.report({
        type: 'spanScores',
        turn: 0,
        policy: 'semantic',
        capacity,
        spans: spans.slice(shown).map((sp, j) => {
          const i = shown + j;
          return { messageId: ring.msg(sp.from), startPos: ring.pos(sp.from), tokens: sp.to - sp.from, score: scores[i], kept: keep.has(i), cluster: assignments[i], representative: reps.has(i), x: xy[2 * j], y: xy[2 * j + 1] };
        }),
      });
      const evict = spans
        .map((sp, i) => ({ sp, i }))
        .filter(({ i }) => !keep.has(i))
        .map(({ sp, i }) => ({
          from: sp.from,
          to: sp.to,
          score: scores[i],
          cluster: assignments[i],
          detail: `cluster ${assignments[i]}${reps.has(i) ? ' representative' : ` is represented by span at position ${ring.pos(spans[(best.get(assignments[i]) as { k: number }).k].from)}`}; value ${scores[i].toFixed(3)}/token was among the lowest under the budget`,
        }));
      ctx.evictSpans(evict, 'span-value');
    }
    evictOverflow(ctx);
    alignToSentence(ctx);
  },
};
