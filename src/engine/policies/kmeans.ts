import { toSparse, type SparseVector } from '../embed/sparseVector.js';
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

/**
 * |a - b|^2 for a sparse a and a dense b, summed over every dimension in order as the dense sum
 * would be (a's zeros give 0 - b[i]): the same value as with a's dense vector, bit for bit.
 */
function sqDistSparse(a: SparseVector, b: Float32Array): number {
  const { index, value } = a;
  let s = 0;
  let t = 0;
  for (let i = 0; i < b.length; i++) {
    const d = (t < index.length && index[t] === i ? value[t++] : 0) - b[i];
    s += d * d;
  }
  return s;
}

/** Each centroid's squared norm (what nearestCentroids measures with; pass them when kept between calls). */
export function sqNorms(centroids: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(centroids.length);
  for (let c = 0; c < centroids.length; c++) {
    const centroid = centroids[c];
    let s = 0;
    for (let j = 0; j < centroid.length; j++) s += centroid[j] * centroid[j];
    out[c] = s;
  }
  return out;
}

/**
 * sparseDot for a float32 y: the same products in the same order. Kept apart from
 * sparseDot (which sees several array types) so each loads one element type: k-means' hot loop.
 */
function dot32(x: SparseVector, y: Float32Array): number {
  const { index, value } = x;
  let s = 0;
  for (let k = 0; k < index.length; k++) s += value[k] * y[index[k]];
  return s;
}

/** Nearest centroid by |x|^2 + |c|^2 - 2 x·c, the dot over x's nonzeros: O(k·nnz), not O(k·dim). */
function nearest(x: SparseVector, centroids: readonly Float32Array[], norms: Float64Array): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = x.sqNorm + norms[c] - 2 * dot32(x, centroids[c]);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}


/** Writes scale × w into each centroid (float32); w is transposed (w[j * kc + c] is centroid c's entry j). */
function materialize(centroids: Float32Array[], w: Float64Array, scale: Float64Array): void {
  const kc = centroids.length;
  for (let c = 0; c < kc; c++) {
    const out = centroids[c];
    const sc = scale[c];
    for (let j = 0; j < out.length; j++) out[j] = sc * w[j * kc + c];
  }
}

/**
 * Past this many vectors, nearestCentroids measures against a transposed copy of the centroids (one
 * row of k values per dimension): a vector's k dot products are one pass over its nonzeros, each
 * reading k contiguous values, instead of k passes gathering from k arrays. The same products summed
 * in the same order per centroid, so the same distances bit for bit; below it the copy costs more.
 */
const TRANSPOSE_MIN = 16;

/** Scratch: transposed centroids (dim × k) and one vector's k dot products. */
let transposed = new Float64Array(256 * 24);
let dots = new Float64Array(24);

/** Index of the nearest centroid (squared Euclidean distance) for each sparse vector (`norms`: sqNorms(centroids), when the caller keeps them). */
export function nearestCentroids(vectors: readonly SparseVector[], centroids: readonly Float32Array[], norms = sqNorms(centroids)): Int32Array {
  const out = new Int32Array(vectors.length);
  const kc = centroids.length;
  if (vectors.length < TRANSPOSE_MIN || kc === 0) {
    for (let i = 0; i < vectors.length; i++) out[i] = nearest(vectors[i], centroids, norms);
    return out;
  }
  const dim = centroids[0].length;
  if (transposed.length < dim * kc) transposed = new Float64Array(dim * kc);
  if (dots.length < kc) dots = new Float64Array(kc);
  const t = transposed;
  // float32 values widened to float64 exactly: the products are the ones dot32 makes
  for (let c = 0; c < kc; c++) {
    const centroid = centroids[c];
    for (let j = 0; j < dim; j++) t[j * kc + c] = centroid[j];
  }
  for (let i = 0; i < vectors.length; i++) out[i] = nearestTransposed(vectors[i], t, kc, norms, dots);
  return out;
}

/**
 * x's dot products with the kc columns of a transposed matrix (t[j * kc + c] is column c's entry j) into
 * acc[0, kc): one pass over x's nonzeros, each reading kc contiguous values.
 */
function dotsTransposed(x: SparseVector, t: Float64Array, kc: number, acc: Float64Array): void {
  const { index, value } = x;
  acc.fill(0, 0, kc);
  for (let k = 0; k < index.length; k++) {
    const v = value[k];
    const row = index[k] * kc;
    for (let c = 0; c < kc; c++) acc[c] += v * t[row + c];
  }
}

/** `nearest` over transposed centroids (t[j * kc + c] is centroid c's entry j), as `nearest` measures: the same value bit for bit. */
function nearestTransposed(x: SparseVector, t: Float64Array, kc: number, norms: Float64Array, acc: Float64Array): number {
  dotsTransposed(x, t, kc, acc);
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < kc; c++) {
    const d = x.sqNorm + norms[c] - 2 * acc[c];
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * k-means++: each new centroid is a point drawn with probability proportional to D(x)^2. A warm start
 * that already has k centroids costs nothing. Returns false if `timeUp` stopped it.
 */
function seedCentroids(vectors: readonly SparseVector[], dim: number, k: number, centroids: Float32Array[], rand: () => number, timeUp: () => boolean): boolean {
  if (centroids.length >= k) return true;
  const n = vectors.length;
  const d2 = new Float64Array(n).fill(Infinity);
  const update = (c: Float32Array): void => {
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], sqDistSparse(vectors[i], c));
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
    const c = new Float32Array(dim);
    const { index, value } = vectors[pick];
    for (let t = 0; t < index.length; t++) c[index[t]] = value[t];
    centroids.push(c);
    update(c);
  }
  return true;
}

/**
 * Mini-batch k-means (Sculley 2010): k-means++ seeding (or a warm start), per-centroid learning rate
 * 1/count, then a full assignment pass by squared Euclidean distance (over each vector's nonzeros, so
 * sparse embeddings are cheap). A step costs O(k·nnz) per sample: centroids are kept scaled, so an
 * update moves only the sample's nonzeros, and their squared norms are kept as they move. Deterministic for a seed. With `timeUp` it stops between steps and
 * returns `stopped: true` without the assignment pass.
 */
export function miniBatchKMeans(vectors: readonly Float32Array[], k: number, options: KMeansOptions): KMeansResult {
  const n = vectors.length;
  if (n === 0) return { centroids: [], assignments: new Int32Array(0), counts: new Float64Array(0), stopped: false };
  const dim = vectors[0].length;
  for (const v of vectors) if (v.length !== dim) throw new RangeError('all vectors must have the same dimension');
  if (options.sparse && options.sparse.length !== n) throw new RangeError('sparse views must match the vectors');
  return miniBatchKMeansSparse(options.sparse ?? vectors.map(toSparse), dim, k, options);
}

/**
 * miniBatchKMeans over the vectors' nonzeros alone (`dim`: their dimension): the same result as
 * with their dense vectors (seeding measures distances over every dimension in the same order).
 */
export function miniBatchKMeansSparse(sparse: readonly SparseVector[], dim: number, k: number, options: Omit<KMeansOptions, 'sparse'>): KMeansResult {
  const n = sparse.length;
  if (n === 0) return { centroids: [], assignments: new Int32Array(0), counts: new Float64Array(0), stopped: false };
  const kk = Math.max(1, Math.min(n, Math.floor(Number.isFinite(k) ? k : 1)));
  const iterations = Math.max(0, Math.floor(options.iterations ?? 20));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const timeUp = options.timeUp ?? ((): boolean => false);
  const rand = mulberry32(options.seed);

  const centroids: Float32Array[] = [];
  for (const c of (options.init ?? []).slice(0, kk)) {
    if (c.length !== dim) throw new RangeError('init centroids must match the vector dimension');
    centroids.push(new Float32Array(c));
  }
  const counts = new Float64Array(kk);
  for (let c = 0; c < centroids.length; c++) counts[c] = Math.max(0, options.initCounts?.[c] ?? 0);
  const stopped = (): KMeansResult => ({ centroids, assignments: new Int32Array(n).fill(-1), counts: counts.slice(0, centroids.length), stopped: true });
  if (!seedCentroids(sparse, dim, kk, centroids, rand, timeUp)) return stopped();

  // The steps keep each centroid as scale × w (w in float64) with its squared norm, so a sample's
  // update touches only its nonzeros: c' = (1 - eta) c + eta x is scale' = scale (1 - eta) and
  // w += (eta / scale') x, and |c'|^2 = (1 - eta)^2 |c|^2 + 2 eta (1 - eta) x·c + eta^2 |x|^2.
  // The centroids are made (rounded to float32) once, after the last step.
  // w is kept transposed (w[j * kc + c] is centroid c's entry j): a sample's kc dot products are one
  // pass over its nonzeros reading kc contiguous values (the same products, summed in the same order
  // per centroid as a dot over each centroid's own array: the same values bit for bit)
  const kc = centroids.length;
  const w = new Float64Array(dim * kc);
  for (let c = 0; c < kc; c++) {
    const centroid = centroids[c];
    for (let j = 0; j < dim; j++) w[j * kc + c] = centroid[j];
  }
  const scale = new Float64Array(kc).fill(1);
  const norm = new Float64Array(kc);
  for (let j = 0; j < dim; j++) {
    const row = j * kc;
    for (let c = 0; c < kc; c++) norm[c] += w[row + c] * w[row + c];
  }
  const acc = new Float64Array(kc);
  const batch = new Int32Array(batchSize);
  const batchNearest = new Int32Array(batchSize);
  for (let it = 0; it < iterations; it++) {
    if (timeUp()) {
      materialize(centroids, w, scale);
      return stopped();
    }
    for (let b = 0; b < batchSize; b++) batch[b] = Math.min(n - 1, Math.floor(rand() * n));
    // Cache the nearest centroid for the whole batch before moving any centroid.
    for (let b = 0; b < batchSize; b++) {
      const x = sparse[batch[b]];
      dotsTransposed(x, w, kc, acc);
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < kc; c++) {
        const d = x.sqNorm + norm[c] - 2 * scale[c] * acc[c];
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      batchNearest[b] = best;
    }
    for (let b = 0; b < batchSize; b++) {
      const c = batchNearest[b];
      const eta = 1 / ++counts[c];
      const x = sparse[batch[b]];
      const { index, value } = x;
      if (eta >= 1) {
        // the centroid's first sample: it becomes the sample
        for (let j = 0; j < dim; j++) w[j * kc + c] = 0;
        for (let t = 0; t < index.length; t++) w[index[t] * kc + c] = value[t];
        scale[c] = 1;
        norm[c] = x.sqNorm;
        continue;
      }
      let dot = 0;
      for (let t = 0; t < index.length; t++) dot += value[t] * w[index[t] * kc + c];
      const xc = scale[c] * dot;
      const s = scale[c] * (1 - eta);
      for (let t = 0; t < index.length; t++) w[index[t] * kc + c] += (eta / s) * value[t];
      scale[c] = s;
      norm[c] = Math.max(0, (1 - eta) * (1 - eta) * norm[c] + 2 * eta * (1 - eta) * xc + eta * eta * x.sqNorm);
      if (s < 1e-6) {
        // fold a small scale into w before it loses precision
        for (let j = 0; j < dim; j++) w[j * kc + c] *= s;
        scale[c] = 1;
      }
    }
  }
  materialize(centroids, w, scale);
  if (timeUp()) return stopped();
  return { centroids, assignments: nearestCentroids(sparse, centroids), counts, stopped: false };
}
