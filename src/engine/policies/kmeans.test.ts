import { describe, expect, it } from 'vitest';
import { toSparse } from '../embed/sparseVector.js';
import { miniBatchKMeans, miniBatchKMeansSparse, nearestCentroids } from './kmeans.js';
import { mulberry32 } from '../core/rng.js';

/** Gaussian blobs around well-separated centers (Box-Muller over mulberry32). */
function blobs(seed: number, perBlob: number, dim: number, centers: number[][], sigma: number): { vectors: Float32Array[]; truth: number[] } {
  const rand = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const vectors: Float32Array[] = [];
  const truth: number[] = [];
  for (let i = 0; i < perBlob * centers.length; i++) {
    const label = i % centers.length; // interleaved, so input order says nothing about labels
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) v[j] = (centers[label][j] ?? 0) + sigma * gauss();
    vectors.push(v);
    truth.push(label);
  }
  return { vectors, truth };
}

/** True when the two labelings are equal up to a bijective relabeling. */
function sameClustering(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

const CENTERS = [
  [10, 0, 0, 0],
  [0, 10, 0, 0],
  [0, 0, 10, 10],
];

describe('miniBatchKMeans', () => {
  it('recovers three well-separated blobs', () => {
    const { vectors, truth } = blobs(7, 60, 6, CENTERS, 0.6);
    for (const seed of [1, 2, 3, 42]) {
      const { centroids, assignments } = miniBatchKMeans(vectors, 3, { seed });
      expect(centroids.length).toBe(3);
      expect(new Set(assignments).size).toBe(3);
      expect(sameClustering(assignments, truth)).toBe(true);
    }
  });

  it('detects a wrong clustering (helper sanity)', () => {
    expect(sameClustering([0, 0, 1], [1, 1, 0])).toBe(true);
    expect(sameClustering([0, 0, 1], [1, 0, 0])).toBe(false);
    expect(sameClustering([0, 1, 2], [0, 0, 1])).toBe(false);
  });

  it('is deterministic for a seed', () => {
    const { vectors } = blobs(9, 40, 5, CENTERS, 3);
    const a = miniBatchKMeans(vectors, 4, { seed: 5, batchSize: 16 });
    const b = miniBatchKMeans(vectors, 4, { seed: 5, batchSize: 16 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(a.centroids.map((c) => Array.from(c))).toEqual(b.centroids.map((c) => Array.from(c)));
  });

  it('keeps the clustering when warm-started from its own centroids', () => {
    const { vectors } = blobs(11, 50, 4, CENTERS, 0.8);
    const first = miniBatchKMeans(vectors, 3, { seed: 1 });
    const second = miniBatchKMeans(vectors, 3, { seed: 99, init: first.centroids });
    expect(Array.from(second.assignments)).toEqual(Array.from(first.assignments));
  });

  it('uses the warm start as given when there are no iterations, filling missing centroids', () => {
    const { vectors } = blobs(3, 10, 4, CENTERS, 0.5);
    const init = [Float32Array.of(10, 0, 0, 0)];
    const { centroids } = miniBatchKMeans(vectors, 3, { seed: 4, iterations: 0, init });
    expect(Array.from(centroids[0])).toEqual([10, 0, 0, 0]);
    expect(centroids.length).toBe(3);
    expect(centroids[0]).not.toBe(init[0]);
  });

  it('clamps k to [1, n] and handles empty input', () => {
    const pts = [Float32Array.of(0, 0), Float32Array.of(5, 5)];
    const big = miniBatchKMeans(pts, 10, { seed: 1 });
    expect(big.centroids.length).toBe(2);
    expect(Array.from(big.assignments).sort()).toEqual([0, 1]);
    const zero = miniBatchKMeans(pts, 0, { seed: 1 });
    expect(zero.centroids.length).toBe(1);
    expect(Array.from(zero.assignments)).toEqual([0, 0]);
    const empty = miniBatchKMeans([], 3, { seed: 1 });
    expect(empty.centroids).toEqual([]);
    expect(empty.assignments.length).toBe(0);
  });

  it('handles identical points with k > 1', () => {
    const pts = Array.from({ length: 5 }, () => Float32Array.of(1, 2));
    const { centroids, assignments } = miniBatchKMeans(pts, 3, { seed: 2 });
    expect(centroids.length).toBe(3);
    expect(assignments.length).toBe(5);
  });
  it('stops early when time is up, keeping the centroids it has', () => {
    const { vectors } = blobs(5, 40, 4, CENTERS, 0.5);
    const never = miniBatchKMeans(vectors, 3, { seed: 1, timeUp: () => true });
    expect(never.stopped).toBe(true);
    expect(never.centroids.length).toBe(0);
    expect(Array.from(never.assignments).every((a) => a === -1)).toBe(true);
    // time runs out after seeding and two steps: the learning so far is returned, unassigned
    let checks = 0;
    const late = miniBatchKMeans(vectors, 3, { seed: 1, batchSize: 8, timeUp: () => ++checks > 5 });
    expect(late.stopped).toBe(true);
    expect(late.centroids.length).toBe(3);
    expect(late.counts.reduce((a, b) => a + b, 0)).toBe(16);
    const done = miniBatchKMeans(vectors, 3, { seed: 1, timeUp: () => false });
    expect(done.stopped).toBe(false);
    expect(Array.from(done.assignments)).toEqual(Array.from(miniBatchKMeans(vectors, 3, { seed: 1 }).assignments));
  });

  it('continues from a warm start with its counts, and takes precomputed sparse views', () => {
    const { vectors } = blobs(13, 30, 4, CENTERS, 0.5);
    const first = miniBatchKMeans(vectors, 3, { seed: 2 });
    expect(first.counts.reduce((a, b) => a + b, 0)).toBe(20 * 64);
    const warm = miniBatchKMeans(vectors, 3, { seed: 3, iterations: 2, init: first.centroids, initCounts: first.counts, sparse: vectors.map(toSparse) });
    expect(Array.from(warm.assignments)).toEqual(Array.from(first.assignments));
    expect(warm.counts.reduce((a, b) => a + b, 0)).toBe(22 * 64);
    expect(Array.from(nearestCentroids(vectors.map(toSparse), warm.centroids))).toEqual(Array.from(warm.assignments));
  });
});

describe('miniBatchKMeans steps on scaled centroids', () => {
  /** The steps as first written: dense float64 centroids, each sample's update over every dimension. */
  function denseSteps(vectors: Float32Array[], init: Float32Array[], counts: number[], seed: number, iterations: number, batchSize: number): Float64Array[] {
    const rand = mulberry32(seed);
    const c = init.map((x) => Float64Array.from(x));
    const n = vectors.length;
    const dist = (x: Float32Array, y: Float64Array): number => x.reduce((s, v, j) => s + (v - y[j]) ** 2, 0);
    for (let it = 0; it < iterations; it++) {
      const batch = Array.from({ length: batchSize }, () => Math.min(n - 1, Math.floor(rand() * n)));
      const nearest = batch.map((i) => c.reduce((best, y, k) => (dist(vectors[i], y) < dist(vectors[i], c[best]) ? k : best), 0));
      batch.forEach((i, b) => {
        const k = nearest[b];
        const eta = 1 / ++counts[k];
        for (let j = 0; j < c[k].length; j++) c[k][j] += eta * (vectors[i][j] - c[k][j]);
      });
    }
    return c;
  }

  it('move the centroids as dense updates do (sparse samples, warm start, young and old centroids)', () => {
    const rand = mulberry32(17);
    const dim = 64;
    // sparse unit-ish vectors around 4 topics
    const vectors = Array.from({ length: 300 }, (_, i) => {
      const v = new Float32Array(dim);
      const topic = i % 4;
      for (let t = 0; t < 6; t++) v[topic * 16 + Math.floor(rand() * 16)] += Math.fround(rand());
      v[Math.floor(rand() * dim)] += Math.fround(0.3 * rand());
      return v;
    });
    const init = [0, 1, 2, 3].map((t) => vectors[t]);
    for (const initCounts of [[0, 0, 0, 0], [1, 5, 40, 128]]) {
      const result = miniBatchKMeans(vectors, 4, { seed: 5, init, initCounts, iterations: 12, batchSize: 32 });
      const counts = [...initCounts];
      const expected = denseSteps(vectors, init, counts, 5, 12, 32);
      result.centroids.forEach((c, k) => {
        for (let j = 0; j < dim; j++) expect(c[j]).toBeCloseTo(expected[k][j], 5);
      });
      expect(Array.from(result.counts)).toEqual(counts);
    }
  });
});

describe('miniBatchKMeansSparse', () => {
  /** k-means++ seeding as first written, over dense vectors. */
  function denseSeeds(vectors: Float32Array[], k: number, seed: number, init: Float32Array[]): Float32Array[] {
    const rand = mulberry32(seed);
    const cs = init.map((c) => Float32Array.from(c));
    const n = vectors.length;
    const d2 = new Float64Array(n).fill(Infinity);
    const sq = (a: Float32Array, b: Float32Array): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        const d = a[i] - b[i];
        s += d * d;
      }
      return s;
    };
    const update = (c: Float32Array): void => {
      for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], sq(vectors[i], c));
    };
    cs.forEach(update);
    while (cs.length < k) {
      let total = 0;
      if (cs.length > 0) for (let i = 0; i < n; i++) total += d2[i];
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
      cs.push(c);
      update(c);
    }
    return cs;
  }

  it('seeds over the nonzeros exactly as k-means++ over the dense vectors, and gives what miniBatchKMeans gives', () => {
    const rand = mulberry32(23);
    const dim = 48;
    const vectors = Array.from({ length: 90 }, () => {
      const v = new Float32Array(dim);
      for (let t = 0; t < 5; t++) v[Math.floor(rand() * dim)] = Math.fround(rand() - 0.5);
      return v;
    });
    for (const init of [[], [vectors[3]], vectors.slice(0, 6)]) {
      const seeded = miniBatchKMeansSparse(vectors.map(toSparse), dim, 6, { seed: 9, init, iterations: 0 });
      expect(seeded.centroids.map((c) => Array.from(c))).toEqual(denseSeeds(vectors, 6, 9, init).map((c) => Array.from(c)));
      const dense = miniBatchKMeans(vectors, 6, { seed: 9, init, iterations: 5, batchSize: 16 });
      const sparse = miniBatchKMeansSparse(vectors.map(toSparse), dim, 6, { seed: 9, init, iterations: 5, batchSize: 16 });
      expect(sparse.centroids.map((c) => Array.from(c))).toEqual(dense.centroids.map((c) => Array.from(c)));
      expect(Array.from(sparse.assignments)).toEqual(Array.from(dense.assignments));
    }
  });
});
