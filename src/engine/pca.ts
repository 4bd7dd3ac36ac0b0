export interface Project2dOptions {
  /** Power-iteration steps per component; default 50. */
  iterations?: number;
}

/** Covariance times v without forming the matrix: X^T (X v) / n over the centered rows. */
function covTimes(rows: readonly Float64Array[], v: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (const row of rows) {
    let p = 0;
    for (let j = 0; j < v.length; j++) p += row[j] * v[j];
    for (let j = 0; j < v.length; j++) out[j] += p * row[j];
  }
  for (let j = 0; j < out.length; j++) out[j] /= rows.length;
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
function powerIterate(rows: readonly Float64Array[], dim: number, iterations: number, deflate: Float64Array[], lambdas: number[], scale: number, salt: number): { v: Float64Array; lambda: number } {
  const v = new Float64Array(dim);
  // Deterministic start: all ones plus a small index-based, salt-dependent perturbation.
  for (let i = 0; i < dim; i++) v[i] = 1 + 0.1 * Math.sin((i + 1) * (1.7 + salt));
  normalize(v);
  const w = new Float64Array(dim);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    covTimes(rows, v, w);
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

/**
 * Projects vectors onto their top two principal directions (power iteration with deflation).
 * Returns 2n interleaved coordinates (x0, y0, x1, y1, ...); deterministic.
 */
export function project2d(vectors: readonly Float32Array[], options: Project2dOptions = {}): Float32Array {
  const n = vectors.length;
  const out = new Float32Array(2 * n);
  if (n < 2) return out;
  const dim = vectors[0].length;
  const iterations = Math.max(1, Math.floor(options.iterations ?? 50));
  const mean = new Float64Array(dim);
  for (const v of vectors) {
    if (v.length !== dim) throw new RangeError('all vectors must have the same dimension');
    for (let j = 0; j < dim; j++) mean[j] += v[j] / n;
  }
  const rows = vectors.map((v) => Float64Array.from(v, (x, j) => x - mean[j]));
  let trace = 0;
  for (const row of rows) trace += dot(row, row) / n;
  if (trace === 0) return out;
  const first = powerIterate(rows, dim, iterations, [], [], trace, 0);
  const second = powerIterate(rows, dim, iterations, [first.v], [first.lambda], trace, 1);
  for (let i = 0; i < n; i++) {
    out[2 * i] = dot(rows[i], first.v);
    out[2 * i + 1] = dot(rows[i], second.v);
  }
  return out;
}
