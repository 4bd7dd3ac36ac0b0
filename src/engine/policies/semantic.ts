import { EmbeddingCache } from '../embed/embeddingCache.js';
import { HASHING_EMBEDDER_NAME, hashEmbed } from '../embed/hashingEmbedder.js';
import { miniBatchKMeans } from '../kmeans.js';
import { knapsack } from '../knapsack.js';
import { project2d } from '../pca.js';
import { salience } from '../salience.js';
import { olderSentences } from './salience.js';
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

function textCache(ctx: PolicyContext): Map<number, { text: string; sal: number }> {
  let m = ctx.state.get('semantic:texts') as Map<number, { text: string; sal: number }> | undefined;
  if (!m) ctx.state.set('semantic:texts', (m = new Map()));
  return m;
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
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans } = older;
    const ring = ctx.ledger.window;
    if (spans.length >= 2) {
      // decoded once per span (keyed by position) and forgotten when the span is evicted
      const known = textCache(ctx);
      const entries = spans.map((sp) => {
        const key = ring.pos(sp.from) * 64 + (sp.to - sp.from);
        let e = known.get(key);
        if (e === undefined) {
          const text = ctx.decode(ring.ids(sp.from, sp.to));
          known.set(key, (e = { text, sal: salience(text, sp.to - sp.from) }));
        }
        return e;
      });
      const texts = entries.map((e) => e.text);
      if (ctx.timeUp()) throw new PolicyTimeout('decoding spans');
      const embeddings = cache(ctx);
      const vectors = embeddings.embedAll(texts);
      ctx.report({ type: 'embeddingCache', turn: 0, embedder: HASHING_EMBEDDER_NAME, hits: embeddings.hits, misses: embeddings.misses, size: embeddings.size });
      if (ctx.timeUp()) throw new PolicyTimeout('embedding spans');
      const k = Math.max(2, Math.min(24, Math.round(Math.sqrt(spans.length / 2))));
      const previous = ctx.state.get('semantic:centroids') as Float32Array[] | undefined;
      // warm start: a few mini-batch steps from the last centroids are enough as the window moves
      const { centroids, assignments } = miniBatchKMeans(vectors, k, { seed: SEED, init: previous, iterations: previous ? 3 : 20 });
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
        const sal = entries[i].sal;
        void sp;
        return (reps.has(i) ? REPRESENTATIVE_VALUE : 0) + SALIENCE_VALUE * sal + RECENCY_VALUE * ((i + 1) / spans.length);
      });
      const items = spans.map((sp, i) => ({ cost: sp.to - sp.from, value: scores[i] * (sp.to - sp.from) }));
      const total = items.reduce((n, it) => n + it.cost, 0);
      const capacity = Math.max(0, total - over);
      const keep = new Set(knapsack(items, capacity, { maxCells: 2e6 }).chosen);
      const shown = Math.max(0, spans.length - MAX_SHOWN);
      // the 2D projection is for the Spans view only: refresh it every 4th call (it costs more than the clustering)
      const calls = ((ctx.state.get('semantic:calls') as number | undefined) ?? 0) + 1;
      ctx.state.set('semantic:calls', calls);
      // between refreshes, spans keep their last coordinates (new ones wait for the next refresh)
      let coords = ctx.state.get('semantic:xy') as Map<number, [number, number]> | undefined;
      if (!coords || calls % 4 === 1) {
        const xy = project2d(vectors.slice(shown), { iterations: 10 });
        coords = new Map(spans.slice(shown).map((sp, j) => [ring.pos(sp.from), [xy[2 * j], xy[2 * j + 1]]]));
        ctx.state.set('semantic:xy', coords);
      }
      ctx.report({
        type: 'spanScores',
        turn: 0,
        policy: 'semantic',
        capacity,
        spans: spans.slice(shown).map((sp, j) => {
          const i = shown + j;
          const at = { messageId: ring.msg(sp.from), startPos: ring.pos(sp.from), tokens: sp.to - sp.from, score: scores[i], kept: keep.has(i), cluster: assignments[i], representative: reps.has(i) };
          const c = coords.get(at.startPos);
          return c ? { ...at, x: c[0], y: c[1] } : at;
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
      for (const e of evict) known.delete(ring.pos(e.from) * 64 + (e.to - e.from));
      ctx.evictSpans(evict, 'span-value');
    }
    evictOverflow(ctx);
    alignToSentence(ctx);
  },
};
