import { sparseDot, toSparse, type SparseVector } from '../embed/sparseVector.js';
import { mulberry32 } from '../core/rng.js';

export interface KMeansOptions {
  seed: number;
  /** Mini-batch steps; default 20. */
  iterations?: number;
  /** Samples per step (drawn with replacement); default 64. */
  batchSize?: number;
  /** Warm start: initial centroids; extra ones are ignored, missing ones are filled by k-means++. */
  init?: readonly Float32Array[];
  /** Warm start: samples each init centroid has already absorbed (its learning rate is 1/count); default 0. */
  initCounts?: ArrayLike<number>;
  /** Sparse views of `vectors` (same order) if the caller keeps them; computed otherwise. */
  sparse?: readonly SparseVector[];
  /** Checked between seeding picks and between steps: once it returns true the run stops early. */
  timeUp?: () => boolean;
}

export interface KMeansResult {
  centroids: Float32Array[];
  /** Nearest centroid per vector; all -1 when the run stopped early. */
  assignments: Int32Array;
  /** Samples each centroid has absorbed (pass as `initCounts` to continue with the same learning rates). */
  counts: Float64Array;
  /** True when `timeUp` stopped the run: centroids are as far as it got (fewer than k if still seeding). */
  stopped: boolean;
}

function sqDist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

function sqNorms(centroids: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(centroids.length);
  for (let c = 0; c < centroids.length; c++) {
    const centroid = centroids[c];
    let s = 0;
    for (let j = 0; j < centroid.length; j++) s += centroid[j] * centroid[j];
    out[c] = s;
  }
  return out;
}

/** Nearest centroid by |x|^2 + |c|^2 - 2 x·c, the dot over x's nonzeros: O(k·nnz), not O(k·dim). */
function nearest(x: SparseVector, centroids: readonly Float32Array[], norms: Float64Array): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = x.sqNorm + norms[c] - 2 * sparseDot(x, centroids[c]);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Index of the nearest centroid (squared Euclidean distance) for each sparse vector. */
export function nearestCentroids(vectors: readonly SparseVector[], centroids: readonly Float32Array[]): Int32Array {
  const norms = sqNorms(centroids);
  return Int32Array.from(vectors, (x) => nearest(x, centroids, norms));
}

/**
 * k-means++: each new centroid is a point drawn with probability proportional to D(x)^2. A warm start
 * that already has k centroids costs nothing. Returns false if `timeUp` stopped it.
 */
function seedCentroids(vectors: readonly Float32Array[], k: number, centroids: Float32Array[], rand: () => number, timeUp: () => boolean): boolean {
  if (centroids.length >= k) return true;
  const n = vectors.length;
  const d2 = new Float64Array(n).fill(Infinity);
  const update = (c: Float32Array): void => {
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], sqDist(vectors[i], c));
  };
  for (const c of centroids) update(c);
  while (centroids.length < k) {
    if (timeUp()) return false;
    let total = 0;
    if (centroids.length > 0) for (let i = 0; i < n; i++) total += d2[i];
    let pick = Math.min(n - 1, Math.floor(rand() * n));
    if (total > 0) {
      let r = rand() * total;
      for (let i = 0; i < n; i++) {
        r -= d2[i];
        if (r < 0 || i === n - 1) {
          pick = i;
          break;
        }
      }
    }
    const c = Float32Array.from(vectors[pick]);
    centroids.push(c);
    update(c);
  }
  return true;
}

/**
 * Mini-batch k-means (Sculley 2010): k-means++ seeding (or a warm start), per-centroid learning rate
 * 1/count, then a full assignment pass by squared Euclidean distance (over each vector's nonzeros, so
 * sparse embeddings are cheap). Deterministic for a seed. With `timeUp` it stops between steps and
 * returns `stopped: true` without the assignment pass.
 */
export function miniBatchKMeans(vectors: readonly Float32Array[], k: number, options: KMeansOptions): KMeansResult {
  const n = vectors.length;
  if (n === 0) return { centroids: [], assignments: new Int32Array(0), counts: new Float64Array(0), stopped: false };
  const dim = vectors[0].length;
  for (const v of vectors) if (v.length !== dim) throw new RangeError('all vectors must have the same dimension');
  if (options.sparse && options.sparse.length !== n) throw new RangeError('sparse views must match the vectors');
  const kk = Math.max(1, Math.min(n, Math.floor(Number.isFinite(k) ? k : 1)));
  const iterations = Math.max(0, Math.floor(options.iterations ?? 20));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const timeUp = options.timeUp ?? ((): boolean => false);
  const rand = mulberry32(options.seed);

  const centroids: Float32Array[] = [];
  for (const c of (options.init ?? []).slice(0, kk)) {
    if (c.length !== dim) throw new RangeError('init centroids must match the vector dimension');
    centroids.push(Float32Array.from(c));
  }
  const counts = new Float64Array(kk);
  for (let c = 0; c < centroids.length; c++) counts[c] = Math.max(0, options.initCounts?.[c] ?? 0);
  const stopped = (): KMeansResult => ({ centroids, assignments: new Int32Array(n).fill(-1), counts: counts.slice(0, centroids.length), stopped: true });
  if (!seedCentroids(vectors, kk, centroids, rand, timeUp)) return stopped();

  const sparse = options.sparse ?? vectors.map(toSparse);
  const batch = new Int32Array(batchSize);
  const batchNearest = new Int32Array(batchSize);
  for (let it = 0; it < iterations; it++) {
    if (timeUp()) return stopped();
    for (let b = 0; b < batchSize; b++) batch[b] = Math.min(n - 1, Math.floor(rand() * n));
    // Cache the nearest centroid for the whole batch before moving any centroid.
    const norms = sqNorms(centroids);
    for (let b = 0; b < batchSize; b++) batchNearest[b] = nearest(sparse[batch[b]], centroids, norms);
    for (let b = 0; b < batchSize; b++) {
      const c = batchNearest[b];
      const eta = 1 / ++counts[c];
      const x = vectors[batch[b]];
      const centroid = centroids[c];
      for (let j = 0; j < dim; j++) centroid[j] += eta * (x[j] - centroid[j]);
    }
  }
  if (timeUp()) return stopped();
  return { centroids, assignments: nearestCentroids(sparse, centroids), counts, stopped: false };
}
