import { EmbeddingCache } from '../embed/embeddingCache.js';
import { HASHING_EMBEDDER_NAME, hashEmbedSparse } from '../embed/hashingEmbedder.js';
import { sparseDot, sparseOf, type SparseVector } from '../embed/sparseVector.js';
import { miniBatchKMeansSparse, nearestCentroids, sqNorms } from './kmeans.js';
import { principalAxesSparse, projectSparse, type Axes2d } from './pca.js';
import { candidateSpans, embedInBatches, keepMostValuable, NEAR_OPTIMAL, olderSentences, recencyOf, scoresFor, type TrackedSpan } from './spanValue.js';
import { alignToSentence, evictOverflow } from './sliding.js';
import { LEXICAL_DIM, type SpanVectors } from './spanVectors.js';
import { PolicyTimeout, type Policy, type PolicyContext, type PolicyModel } from './types.js';

const SEED = 7;
const RECENCY_BIAS = 0.3;
const MAX_SHOWN = 400;

/** New spans decoded and embedded per cache batch; time is checked between batches. */
const EMBED_CHUNK = 32;
/** Spans one clustering call learns from (new ones first, then a stride over all): bounds the work per call. */
const COLD_SAMPLE = 256;
const WARM_SAMPLE = 64;
/** Mini-batch steps and samples per step once centroids exist. */
const WARM_STEPS = 3;
const WARM_BATCH = 32;
/** Learning-rate floor (1/count >= 1/COUNT_CAP), so centroids keep following the moving window. */
const COUNT_CAP = 128;
/** Spans assigned between two time checks. */
const ASSIGN_CHUNK = 64;
/** The Spans view's 2D axes: fitted on this many shown spans, refreshed every PCA_EVERY calls. */
const PCA_SAMPLE = 128;
const PCA_EVERY = 4;
/** Power-iteration steps of the first fit, and of a refit, which starts from the last axes (the window moved little since). */
const PCA_ITERATIONS = 10;
const PCA_WARM_ITERATIONS = 3;
/**
 * Past REP_BLOCK candidates (budgets of several thousand tokens) the schedule thins out: the axes
 * are refit every PCA_EVERY_LARGE calls and the mini-batch k-means step runs every KMEANS_EVERY
 * calls (in between, new spans join their nearest centroid). Fixed work per call, by call count.
 * Every 8th call (was every 2nd, then every 4th): the same retention in the eval at 8k and 32k (40k-
 * and 80k-token chats), where these budgets have several hundred to a few thousand candidates; a
 * warm step costs ~0.3 ms (3 mini-batches of 32 and the sample's assignment over ~17 centroids). The axes
 * (view only) every 48th call (was every 12th, then 24th): a refit and the re-projection of every
 * shown span cost ~0.2 ms; at 8k the window moves ~250 candidates' worth between two refits.
 */
const PCA_EVERY_LARGE = 48;
const KMEANS_EVERY = 8;

/**
 * Past this many candidates, one call refreshes the representative fit (dot with the centroid) of
 * the spans k-means re-clustered and of the next block of this many (a rotating cursor); the others
 * keep the fit from their last refresh. A fixed amount of work per call; up to this many, all.
 */
const REP_BLOCK = 256;

/** The Spans view's representative flags of one call, reused across calls (a view of the first n entries). */
let layoutRep = new Uint8Array(512);
function representativeFlags(n: number): Uint8Array {
  if (n > layoutRep.length) layoutRep = new Uint8Array(Math.max(n, 2 * layoutRep.length));
  return layoutRep.subarray(0, n);
}

/** Value per token: one representative per cluster is worth keeping, then facts, then recency. */
export const REPRESENTATIVE_VALUE = 1;
export const SALIENCE_VALUE = 0.5;
export const RECENCY_VALUE = 0.3;

/**
 * What the policy remembers about one span between calls, for one embedder's state: the embedding's
 * nonzeros on the TrackedSpan (`semantic`: shared with the LRU cache, read-only; distances and dot
 * products cost O(nnz)), and the rest in the span tracker's columns (SpanVectors: owner, cluster, fit,
 * fitAt, x, y, axes), moved with the spans: a call's passes over every span read contiguous columns
 * instead of one object per span.
 */
const vectorOf = (sp: TrackedSpan): SparseVector => sp.semantic as SparseVector;

/** Ids of the policy's states (a span's owner column names the state that embedded it; 0: none). */
let nextStateId = 1;

interface SemanticState {
  /** This state's id in the spans' owner column. */
  id: number;
  /** The embedding's dimension (the lexical one's until a model vector says otherwise). */
  dim: number;
  /** Who embeds: the lexical hashing embedder, or a model (its vectors are filled in by `prepare`). */
  embedder: string;
  /**
   * LRU embedding cache keyed by text: new spans only, so a hit is a repeated text. The lexical
   * embedder's nonzeros (all the policy uses: k-means, fits and axes work over them), or a model's vectors.
   */
  cache: EmbeddingCache<Float32Array | SparseVector>;
  centroids: Float32Array[];
  /** The centroids' squared norms (sqNorms), made once per set of centroids: undefined until asked for. */
  norms?: Float64Array;
  /** Samples each centroid has absorbed (mini-batch learning rate 1/count). */
  counts: Float64Array;
  axes?: Axes2d;
  axesVersion: number;
  calls: number;
  /** Where the next block of representative fits starts (see REP_BLOCK). */
  repCursor: number;
  /**
   * Whether the last call to get this far assigned every span a cluster (it was not stopped by the latency budget
   * before or inside clustering): then only its new spans can be without one (or the spans of
   * centroids dropped since), and clustering looks at those instead of every span.
   */
  assigned: boolean;
  /** The call that last changed the centroids: a fit computed since is still exact (see apply). */
  centroidsAt: number;
}

/**
 * The policy's state for one embedder. Each embedder has its own (vectors of two embedders are not
 * comparable): the lexical one, and a model's, whose cache `prepare` fills in batches.
 */
function semanticState(ctx: PolicyContext, model?: string): SemanticState {
  const key = model === undefined ? 'semantic' : `semantic:${model}`;
  let st = ctx.state.get(key) as SemanticState | undefined;
  if (!st) {
    const cache = new EmbeddingCache<Float32Array | SparseVector>(
      model === undefined
        ? (texts) => texts.map((t) => hashEmbedSparse(t))
        : () => {
            throw new Error(`${model}: embeddings are computed before the policy call`);
          },
    );
    st = { id: nextStateId++, dim: LEXICAL_DIM, embedder: model ?? HASHING_EMBEDDER_NAME, cache, centroids: [], counts: new Float64Array(0), axesVersion: 0, calls: 0, repCursor: 0, assigned: false, centroidsAt: 0 };
    ctx.state.set(key, st);
  }
  return st;
}

/** Texts of the spans `st` has not seen yet. */
function unseenTexts(st: SemanticState, spans: readonly TrackedSpan[]): string[] {
  return spans.filter((sp) => sp.semanticOwner !== st).map((sp) => sp.text);
}

/**
 * Brings every span's state up to date, and returns the indices of the spans new since the last call
 * (or new to this embedder): only those are embedded (through the content-hash cache), found by a
 * pass over the owner column; the rest keep theirs.
 */
function spanStates(ctx: PolicyContext, st: SemanticState, spans: readonly TrackedSpan[], cols: SpanVectors, lex: SpanVectors | undefined): number[] {
  const n = spans.length;
  const fresh: number[] = [];
  cols.useSemantic();
  const { owner } = cols;
  const id = st.id;
  for (let i = 0; i < n; i++) if (owner[i] !== id) fresh.push(i);
  for (let c = 0; c < fresh.length; c += EMBED_CHUNK) {
    if (c > 0 && ctx.timeUp()) throw new PolicyTimeout('embedding spans');
    const chunk = fresh.slice(c, c + EMBED_CHUNK);
    const vectors = st.cache.embedAll(chunk.map((i) => spans[i].text));
    for (let j = 0; j < chunk.length; j++) {
      const i = chunk[j];
      const sp = spans[i];
      const v = vectors[j];
      const dense = v instanceof Float32Array;
      const sparse = dense ? sparseOf(v) : v;
      if (dense) st.dim = v.length;
      sp.semantic = sparse;
      sp.semanticOwner = st;
      cols.owner[i] = id;
      cols.cluster[i] = -1;
      cols.x[i] = 0;
      cols.y[i] = 0;
      cols.axes[i] = 0;
      cols.fit[i] = 0;
      cols.fitAt[i] = -1;
      // the lexical embedder's nonzeros are hashEmbedSparse's: pooled once per span (hybrid may have)
      if (lex && lex.len[i] < 0) lex.set(i, n, sparse);
    }
  }
  const { cache } = st;
  ctx.report({ type: 'embeddingCache', turn: 0, embedder: st.embedder, hits: cache.hits, misses: cache.misses, size: cache.size });
  return fresh;
}

/**
 * Indices of `size` of n spans: all when they fit, else `first` (its last `size` entries) and then an
 * even stride over [0, n) whose phase moves with `turn`, so every span is revisited now and then.
 */
function sample(n: number, size: number, first: readonly number[], turn: number): number[] {
  if (size >= n) return Array.from({ length: n }, (_, i) => i);
  const picked = first.slice(-size);
  const rest = size - picked.length;
  const phase = (turn * 0.6180339887) % 1;
  for (let j = 0; j < rest; j++) picked.push(Math.min(n - 1, Math.floor(((j + phase) * n) / rest)));
  return picked;
}

/**
 * Seeded mini-batch k-means, warm-started from the last call's centroids: each call learns from a
 * fixed-size sample (the new spans plus a rotating stride over all), so its cost does not grow with
 * the window. Sampled and new spans are (re)assigned; the others keep their last cluster.
 */
function cluster(ctx: PolicyContext, st: SemanticState, spans: readonly TrackedSpan[], cols: SpanVectors, fresh: readonly number[], complete: boolean): Float32Array[] {
  const n = spans.length;
  const k = Math.max(2, Math.min(24, Math.round(Math.sqrt(n / 2))));
  const before = st.centroids.length;
  const cold = before === 0;
  const clusterOf = cols.cluster;
  const { fitAt } = cols;
  // the spans whose cluster is not one of `count` centroids: after a complete call, new spans only
  const unassigned = (count: number): number[] => {
    const out: number[] = [];
    if (complete && count >= before) {
      for (const i of fresh) if (clusterOf[i] < 0) out.push(i);
    } else for (let i = 0; i < n; i++) if (clusterOf[i] < 0 || clusterOf[i] >= count) out.push(i);
    return out;
  };
  // st.centroids' squared norms, made once per set of centroids (they change only at a k-means step)
  const assign = (left: readonly number[], centroids: readonly Float32Array[]): void => {
    if (left.length === 0) return;
    const norms = centroids === st.centroids ? (st.norms ??= sqNorms(centroids)) : sqNorms(centroids);
    const nearest = nearestCentroids(
      left.map((i) => vectorOf(spans[i])),
      centroids,
      norms,
    );
    for (let j = 0; j < left.length; j++) {
      clusterOf[left[j]] = nearest[j];
      fitAt[left[j]] = -1;
    }
  };
  if (n > REP_BLOCK && !cold && before === k && st.calls % KMEANS_EVERY !== 0) {
    // between k-means steps: only spans without a cluster are assigned to the nearest centroid
    assign(unassigned(k), st.centroids);
    st.assigned = true;
    return st.centroids;
  }
  const batch = sample(n, cold ? COLD_SAMPLE : WARM_SAMPLE, fresh, st.calls);
  const result = miniBatchKMeansSparse(
    batch.map((i) => vectorOf(spans[i])),
    st.dim,
    k,
    {
      seed: SEED,
      init: st.centroids,
      initCounts: st.counts.map((count) => Math.min(count, COUNT_CAP)),
      iterations: cold ? 20 : WARM_STEPS,
      batchSize: cold ? 64 : WARM_BATCH,
      timeUp: () => ctx.timeUp(),
    },
  );
  // partial progress is kept: the next call continues from these centroids
  if (result.centroids.length > 0) {
    st.centroids = result.centroids;
    st.norms = undefined;
    st.counts = result.counts;
    st.centroidsAt = st.calls;
  }
  if (result.stopped) throw new PolicyTimeout('clustering');
  const { centroids } = result;
  batch.forEach((i, b) => {
    clusterOf[i] = result.assignments[b];
    fitAt[i] = -1;
  });
  // new spans beyond the sample, and spans of a cluster that was dropped (kept if time runs out)
  let left: number[];
  if (cold) {
    left = [];
    for (let i = 0; i < n; i++) if (clusterOf[i] < 0 || clusterOf[i] >= centroids.length) left.push(i);
  } else left = unassigned(centroids.length);
  for (let c = 0; c < left.length; c += ASSIGN_CHUNK) {
    if (c > 0 && ctx.timeUp()) throw new PolicyTimeout('clustering');
    assign(left.slice(c, c + ASSIGN_CHUNK), centroids);
  }
  st.assigned = true;
  return centroids;
}

/**
 * 2D coordinates for the Spans view (no eviction depends on them): axes refit on a sample now and
 * then, over the spans' nonzeros, each refit warm-started from the last axes; spans projected once per fit.
 */
function place(st: SemanticState, spans: readonly TrackedSpan[], cols: SpanVectors, shown: number): void {
  const n = spans.length;
  const every = n > REP_BLOCK ? PCA_EVERY_LARGE : PCA_EVERY;
  if (!st.axes || st.calls % every === 1) {
    const m = n - shown;
    const size = Math.min(m, PCA_SAMPLE);
    const rows = Array.from({ length: size }, (_, j) => vectorOf(spans[shown + Math.floor((j * m) / size)]));
    st.axes = principalAxesSparse(rows, st.dim, st.axes ? { iterations: PCA_WARM_ITERATIONS, start: st.axes } : { iterations: PCA_ITERATIONS });
    st.axesVersion++;
  }
  const axes = st.axes as Axes2d;
  const version = st.axesVersion;
  const { x, y } = cols;
  const on = cols.axes;
  for (let i = shown; i < n; i++) {
    if (on[i] === version) continue;
    [x[i], y[i]] = projectSparse(vectorOf(spans[i]), axes);
    on[i] = version;
  }
}

/**
 * Semantic: sentences older than the recent window are embedded (through an LRU cache keyed by
 * content hash), clustered with seeded mini-batch k-means warm-started from the last call's
 * centroids, and each cluster keeps one representative (closest to its centroid, with a recency
 * bias); knapsack then keeps the most valuable spans under the budget. Redundant sentences go first.
 * Per-span embeddings and clusters are kept between calls, so a warm call only embeds new spans.
 * With a model that embeds, `prepare` embeds the new spans in batches before the call and the policy
 * clusters model embeddings; otherwise (or when a span's model vector is missing) it uses lexical
 * feature hashing. Events name the embedder.
 */
export const semanticPolicy: Policy = {
  name: 'semantic',
  async prepare(ctx: PolicyContext, model: PolicyModel) {
    if (!model.embed) return;
    const st = semanticState(ctx, model.name);
    const texts = [...new Set(unseenTexts(st, candidateSpans(ctx)))].filter((t) => !st.cache.has(t));
    await embedInBatches(model, texts, (t, v) => st.cache.put(t, v));
    ctx.state.set('semantic:model', model.name);
  },
  apply(ctx: PolicyContext): void {
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans, track } = older;
    if (spans.length < 2) {
      evictOverflow(ctx);
      alignToSentence(ctx);
      return;
    }
    const model = ctx.state.get('semantic:model') as string | undefined;
    const dense = model === undefined ? undefined : semanticState(ctx, model);
    const st = dense && unseenTexts(dense, spans).every((t) => dense.cache.has(t)) ? dense : semanticState(ctx);
    st.calls++;
    const complete = st.assigned;
    st.assigned = false;
    const n = spans.length;
    // the lexical vectors are read from the tracker's pool (contiguous) for the representative fits
    const lex = st.embedder === HASHING_EMBEDDER_NAME ? track.lex : undefined;
    const cols = track.lex;
    const fresh = spanStates(ctx, st, spans, cols, lex);
    if (ctx.timeUp()) throw new PolicyTimeout('embedding spans');
    const centroids = cluster(ctx, st, spans, cols, fresh, complete);
    // one representative per cluster: the closest to its centroid (O(nnz) each), biased towards recent
    // spans; past REP_BLOCK spans, fits are refreshed for the re-clustered spans and a rotating block
    // (a block span whose fit was computed since the centroids last changed keeps it: the same value)
    const rep = new Int32Array(centroids.length).fill(-1);
    const repFit = new Float64Array(centroids.length);
    const all = n <= REP_BLOCK;
    const from = st.repCursor < n ? st.repCursor : 0;
    const to = Math.min(n, from + REP_BLOCK);
    const { centroidsAt, calls } = st;
    // the span state's columns (valid for [0, n) until the spans change: read within this call)
    const clusterOf = cols.cluster.subarray(0, n);
    const { fit: fitOf, fitAt } = cols;
    // the scores from the tracker's salience column (the spans' own sal) in the same pass, each span's
    // recency computed once for both; then the representatives' (at most 24) with their bonus
    const score = scoresFor('semantic', n);
    const { sal } = track;
    for (let i = 0; i < n; i++) {
      const c = clusterOf[i];
      const at = fitAt[i];
      if (all || at < 0 || (i >= from && i < to && at < centroidsAt)) {
        fitOf[i] = lex ? lex.dot32(i, centroids[c]) : sparseDot(vectorOf(spans[i]), centroids[c]);
        fitAt[i] = calls;
      }
      const recency = recencyOf(i, n);
      score[i] = SALIENCE_VALUE * sal[i] + RECENCY_VALUE * recency;
      const fit = fitOf[i] + RECENCY_BIAS * recency;
      if (rep[c] < 0 || fit > repFit[c]) {
        rep[c] = i;
        repFit[c] = fit;
      }
    }
    st.repCursor = to;
    const isRep = (i: number): boolean => rep[clusterOf[i]] === i;
    const representative = representativeFlags(n);
    representative.fill(0);
    for (let c = 0; c < rep.length; c++) {
      const i = rep[c];
      if (i < 0) continue;
      score[i] = REPRESENTATIVE_VALUE + SALIENCE_VALUE * sal[i] + RECENCY_VALUE * recencyOf(i, n);
      representative[i] = 1;
    }
    const shown = Math.max(0, n - MAX_SHOWN);
    place(st, spans, cols, shown);
    // the Spans view's fields read straight from the columns (entries [shown, n) are this call's)
    const layout = { cluster: clusterOf, representative, x: cols.x.subarray(0, n), y: cols.y.subarray(0, n) };
    keepMostValuable(ctx, 'semantic', over, track, {
      score,
      slack: NEAR_OPTIMAL,
      why: () => '',
      detail: (i, line) => {
        const c = clusterOf[i];
        const by = isRep(i) ? ' representative' : ` is represented by span at position ${spans[rep[c]].startPos}`;
        return `cluster ${c}${by}; value ${score[i].toFixed(3)}/token was among the lowest under ${line}`;
      },
      cluster: (i) => clusterOf[i],
      layout,
    });
  },
};
