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

/**
 * A vector's sparse view, kept on the vector itself (a symbol-keyed property: a WeakMap's entries
 * cost the garbage collector more than the view saves).
 */
const VIEW = Symbol('sparseView');
type Viewed = Float32Array & { [VIEW]?: SparseVector };

/**
 * `toSparse(x)` for a vector that is never written again (an embedding shared through a cache),
 * made once per vector: a repeated text's cached embedding keeps its view.
 */
export function sparseOf(x: Float32Array): SparseVector {
  return ((x as Viewed)[VIEW] ??= toSparse(x));
}

/** Records `view` as x's sparse view (its maker built both at once; it must equal toSparse(x)). */
export function setSparseView(x: Float32Array, view: SparseVector): void {
  (x as Viewed)[VIEW] = view;
}

/** x · y for a sparse x and a dense y. */
export function sparseDot(x: SparseVector, y: ArrayLike<number>): number {
  const { index, value } = x;
  let s = 0;
  for (let k = 0; k < index.length; k++) s += value[k] * y[index[k]];
  return s;
}
