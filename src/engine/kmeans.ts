import { mulberry32 } from './rng.js';

export interface KMeansOptions {
  seed: number;
  /** Mini-batch steps; default 20. */
  iterations?: number;
  /** Samples per step (drawn with replacement); default 64. */
  batchSize?: number;
  /** Warm start: initial centroids; extra ones are ignored, missing ones are filled by k-means++. */
  init?: readonly Float32Array[];
}

export interface KMeansResult {
  centroids: Float32Array[];
  assignments: Int32Array;
}

function sqDist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

function nearest(x: Float32Array, centroids: readonly Float32Array[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = sqDist(x, centroids[c]);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** k-means++: each new centroid is a point drawn with probability proportional to D(x)^2. */
function seedCentroids(vectors: readonly Float32Array[], k: number, start: Float32Array[], rand: () => number): Float32Array[] {
  const n = vectors.length;
  const centroids = start;
  const d2 = new Float64Array(n).fill(Infinity);
  const update = (c: Float32Array): void => {
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], sqDist(vectors[i], c));
  };
  for (const c of centroids) update(c);
  while (centroids.length < k) {
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
  return centroids;
}

/**
 * Mini-batch k-means (Sculley 2010): k-means++ seeding (or a warm start), per-centroid learning rate
 * 1/count, then a full assignment pass by squared Euclidean distance. Deterministic for a seed.
 */
export function miniBatchKMeans(vectors: readonly Float32Array[], k: number, options: KMeansOptions): KMeansResult {
  const n = vectors.length;
  if (n === 0) return { centroids: [], assignments: new Int32Array(0) };
  const dim = vectors[0].length;
  for (const v of vectors) if (v.length !== dim) throw new RangeError('all vectors must have the same dimension');
  const kk = Math.max(1, Math.min(n, Math.floor(Number.isFinite(k) ? k : 1)));
  const iterations = Math.max(0, Math.floor(options.iterations ?? 20));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const rand = mulberry32(options.seed);

  const start: Float32Array[] = [];
  for (const c of (options.init ?? []).slice(0, kk)) {
    if (c.length !== dim) throw new RangeError('init centroids must match the vector dimension');
    start.push(Float32Array.from(c));
  }
  const centroids = seedCentroids(vectors, kk, start, rand);

  const counts = new Float64Array(kk);
  const batch = new Int32Array(batchSize);
  const batchNearest = new Int32Array(batchSize);
  for (let it = 0; it < iterations; it++) {
    for (let b = 0; b < batchSize; b++) batch[b] = Math.min(n - 1, Math.floor(rand() * n));
    // Cache the nearest centroid for the whole batch before moving any centroid.
    for (let b = 0; b < batchSize; b++) batchNearest[b] = nearest(vectors[batch[b]], centroids);
    for (let b = 0; b < batchSize; b++) {
      const c = batchNearest[b];
      const eta = 1 / ++counts[c];
      const x = vectors[batch[b]];
      const centroid = centroids[c];
      for (let j = 0; j < dim; j++) centroid[j] += eta * (x[j] - centroid[j]);
    }
  }

  const assignments = new Int32Array(n);
  for (let i = 0; i < n; i++) assignments[i] = nearest(vectors[i], centroids);
  return { centroids, assignments };
}
