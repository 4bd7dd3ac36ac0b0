import { sparseDot, toSparse, type SparseVector } from '../embed/sparseVector.js';

export interface Project2dOptions {
  /** Power-iteration steps per component; default 50. */
  iterations?: number;
}

/**
 * Covariance times v without forming the matrix or the centered rows: X^T (X v) / n with
 * X = rows - mean, expanded so each row is only touched at its nonzeros.
 */
function covTimes(rows: readonly SparseVector[], mean: Float64Array, v: Float64Array, out: Float64Array): void {
  out.fill(0);
  const mv = dot(mean, v);
  let sum = 0;
  for (const row of rows) {
    const p = sparseDot(row, v) - mv;
    sum += p;
    for (let k = 0; k < row.index.length; k++) out[row.index[k]] += p * row.value[k];
  }
  for (let j = 0; j < out.length; j++) out[j] = (out[j] - mean[j] * sum) / rows.length;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Scales v to unit length in place; returns the old length. */
function normalize(v: Float64Array): number {
  const len = Math.sqrt(dot(v, v));
  if (len > 0) for (let i = 0; i < v.length; i++) v[i] /= len;
  return len;
}

/**
 * Top principal direction of the centered rows, orthogonal to `deflate` (already unit vectors with
 * eigenvalues `lambdas`). Returns a zero vector when the remaining variance is negligible.
 */
function powerIterate(rows: readonly SparseVector[], mean: Float64Array, iterations: number, deflate: Float64Array[], lambdas: number[], scale: number, salt: number, start?: Float64Array): { v: Float64Array; lambda: number } {
  const dim = mean.length;
  const v = new Float64Array(dim);
  // Deterministic start: the given direction (a warm start), else all ones plus a small
  // index-based, salt-dependent perturbation.
  if (start && start.length === dim && dot(start, start) > 0) v.set(start);
  else for (let i = 0; i < dim; i++) v[i] = 1 + 0.1 * Math.sin((i + 1) * (1.7 + salt));
  normalize(v);
  const w = new Float64Array(dim);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    covTimes(rows, mean, v, w);
    for (let k = 0; k < deflate.length; k++) {
      const proj = lambdas[k] * dot(deflate[k], v);
      for (let i = 0; i < dim; i++) w[i] -= proj * deflate[k][i];
    }
    // Re-orthogonalize against earlier directions to keep rounding noise out.
    for (const u of deflate) {
      const p = dot(u, w);
      for (let i = 0; i < dim; i++) w[i] -= p * u[i];
    }
    lambda = normalize(w);
    if (lambda <= 1e-12 * scale) return { v: new Float64Array(dim), lambda: 0 };
    v.set(w);
  }
  // Fix the sign: the largest-magnitude component is positive.
  let big = 0;
  for (let i = 1; i < dim; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
  if (v[big] < 0) for (let i = 0; i < dim; i++) v[i] = -v[i];
  return { v, lambda };
}

/** The top two principal directions of a point set and its mean: a 2D view other points can be placed in. */
export interface Axes2d {
  mean: Float64Array;
  /** Unit vectors (or zero vectors when the variance along them is negligible). */
  x: Float64Array;
  y: Float64Array;
  /** mean · x and mean · y: a sparse vector is placed at (v · x - origin[0], v · y - origin[1]). */
  origin: [number, number];
}

/**
 * Top two principal directions of the vectors (power iteration with deflation); deterministic.
 * Each iteration costs O(nonzeros + dim), so sparse embeddings are cheap.
 */
export function principalAxes(vectors: readonly Float32Array[], options: Project2dOptions = {}): Axes2d {
  const n = vectors.length;
  const dim = n > 0 ? vectors[0].length : 0;
  const mean = new Float64Array(dim);
  const zero: Axes2d = { mean, x: new Float64Array(dim), y: new Float64Array(dim), origin: [0, 0] };
  if (n < 2) return zero;
  const iterations = Math.max(1, Math.floor(options.iterations ?? 50));
  for (const v of vectors) {
    if (v.length !== dim) throw new RangeError('all vectors must have the same dimension');
    for (let j = 0; j < dim; j++) mean[j] += v[j] / n;
  }
  let trace = 0;
  for (const v of vectors) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (v[j] - mean[j]) ** 2;
    trace += s / n;
  }
  if (trace === 0) return zero;
  const rows = vectors.map(toSparse);
  const first = powerIterate(rows, mean, iterations, [], [], trace, 0);
  const second = powerIterate(rows, mean, iterations, [first.v], [first.lambda], trace, 1);
  return { mean, x: first.v, y: second.v, origin: [dot(mean, first.v), dot(mean, second.v)] };
}

export interface SparseAxesOptions {
  /** Power-iteration steps per component. */
  iterations: number;
  /** Axes of a nearby point set (the last fit) to start the iteration from: fewer steps reach the same directions. */
  start?: Axes2d;
}

/**
 * principalAxes of sparse rows of dimension `dim`, touching each row only at its nonzeros (the mean,
 * the total variance and every power step), optionally warm-started from earlier axes.
 * Deterministic for the same rows and start.
 */
export function principalAxesSparse(rows: readonly SparseVector[], dim: number, options: SparseAxesOptions): Axes2d {
  const n = rows.length;
  const mean = new Float64Array(dim);
  const zero: Axes2d = { mean, x: new Float64Array(dim), y: new Float64Array(dim), origin: [0, 0] };
  if (n < 2) return zero;
  let sqSum = 0;
  for (const row of rows) {
    for (let k = 0; k < row.index.length; k++) mean[row.index[k]] += row.value[k];
    sqSum += row.sqNorm;
  }
  for (let j = 0; j < dim; j++) mean[j] /= n;
  // total variance: mean squared norm less the mean's squared norm
  const trace = Math.max(0, sqSum / n - dot(mean, mean));
  if (trace <= 1e-12 * Math.max(1, sqSum / n)) return zero;
  const iterations = Math.max(1, Math.floor(options.iterations));
  const first = powerIterate(rows, mean, iterations, [], [], trace, 0, options.start?.x);
  const second = powerIterate(rows, mean, iterations, [first.v], [first.lambda], trace, 1, options.start?.y);
  return { mean, x: first.v, y: second.v, origin: [dot(mean, first.v), dot(mean, second.v)] };
}

/** Coordinates of v on the axes: (v - mean) · x and (v - mean) · y. */
export function projectOnto(v: ArrayLike<number>, axes: Axes2d): [number, number] {
  let x = 0;
  let y = 0;
  for (let j = 0; j < v.length; j++) {
    const d = v[j] - axes.mean[j];
    x += d * axes.x[j];
    y += d * axes.y[j];
  }
  return [x, y];
}

/** projectOnto for a sparse vector: O(nonzeros). */
export function projectSparse(v: SparseVector, axes: Axes2d): [number, number] {
  return [sparseDot(v, axes.x) - axes.origin[0], sparseDot(v, axes.y) - axes.origin[1]];
}

/**
 * Projects vectors onto their top two principal directions (power iteration with deflation).
 * Returns 2n interleaved coordinates (x0, y0, x1, y1, ...); deterministic.
 */
export function project2d(vectors: readonly Float32Array[], options: Project2dOptions = {}): Float32Array {
  const out = new Float32Array(2 * vectors.length);
  if (vectors.length < 2) return out;
  const axes = principalAxes(vectors, options);
  vectors.forEach((v, i) => {
    [out[2 * i], out[2 * i + 1]] = projectOnto(v, axes);
  });
  return out;
}
