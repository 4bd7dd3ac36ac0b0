/**
 * A vector's nonzero entries and squared norm. Feature-hashing embeddings have a few dozen nonzeros
 * out of 256, so dot products against dense vectors (centroids, principal axes) cost O(nnz).
 */
export interface SparseVector {
  readonly index: Int32Array;
  readonly value: Float64Array;
  readonly sqNorm: number;
}

export function toSparse(x: ArrayLike<number>): SparseVector {
  let nnz = 0;
  for (let j = 0; j < x.length; j++) if (x[j] !== 0) nnz++;
  const index = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  let sqNorm = 0;
  for (let j = 0, k = 0; j < x.length; j++) {
    if (x[j] === 0) continue;
    index[k] = j;
    value[k++] = x[j];
    sqNorm += x[j] * x[j];
  }
  return { index, value, sqNorm };
}

/** x · y for a sparse x and a dense y. */
export function sparseDot(x: SparseVector, y: ArrayLike<number>): number {
  const { index, value } = x;
  let s = 0;
  for (let k = 0; k < index.length; k++) s += value[k] * y[index[k]];
  return s;
}
