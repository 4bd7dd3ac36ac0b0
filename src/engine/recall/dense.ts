/**
 * The dense side of recall: unit vectors by span id and an exact cosine ranking (a linear scan; the
 * evicted-span pool is thousands, not millions). Vectors are expected L2-normalized but are
 * normalized again on the way in, so cosine is a plain dot product.
 */
export interface DenseHit {
  id: number;
  cosine: number;
}

/** A unit-length copy of `v`, or undefined when it has no direction (all zeros, NaN or Infinity). */
export function unitVector(v: Float32Array): Float32Array | undefined {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / norm;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return Math.min(1, Math.max(-1, sum));
}

export class DenseVectors {
  readonly #vectors = new Map<number, Float32Array>();

  get size(): number {
    return this.#vectors.size;
  }

  /** The dimension every stored vector shares, or undefined while none is stored. */
  get dimension(): number | undefined {
    for (const v of this.#vectors.values()) return v.length;
    return undefined;
  }

  /** Throws unless a vector of length `dim` may join the store (or be used as a query). */
  checkDimension(dim: number, what: string): void {
    const expected = this.dimension;
    if (expected !== undefined && dim !== expected) {
      throw new RangeError(`${what} has dimension ${dim}, but the recall index holds ${expected}-dimensional embeddings`);
    }
  }

  /** Stores an already unit-length vector (see unitVector). */
  set(id: number, unit: Float32Array): void {
    this.#vectors.set(id, unit);
  }

  delete(id: number): void {
    this.#vectors.delete(id);
  }

  clear(): void {
    this.#vectors.clear();
  }

  /** Every stored vector with cosine >= minCosine to `query`, by cosine desc then id asc. */
  rank(query: Float32Array, minCosine = -Infinity): DenseHit[] {
    if (this.#vectors.size === 0) return [];
    this.checkDimension(query.length, 'the query embedding');
    const unit = unitVector(query);
    if (!unit) return [];
    const hits: DenseHit[] = [];
    for (const [id, v] of this.#vectors) {
      const cosine = dot(unit, v);
      if (cosine >= minCosine) hits.push({ id, cosine });
    }
    return hits.sort((a, b) => b.cosine - a.cosine || a.id - b.id);
  }
}
