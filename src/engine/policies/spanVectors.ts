import { grownTo } from '../core/grown.js';
import type { SparseVector } from '../embed/sparseVector.js';

/** Dimension of the lexical hashing embedding (hashEmbedSparse's default). */
export const LEXICAL_DIM = 256;

/**
 * Up to this many vectors in the sum, and values that are float32 within [2^-17, 1] in magnitude,
 * every partial sum of any subset in any order is a multiple of 2^-40 below 2^13: exact in a double.
 * The running sum then equals a sum made afresh, bit for bit, whatever the order of adds and removes.
 */
const EXACT_MAX_VECTORS = 8000;
const EXACT_MIN = 2 ** -17;

/** Whether a sparse vector's values keep every sum of such vectors exact (see EXACT_MAX_VECTORS). */
function exactable(v: SparseVector): boolean {
  const { value } = v;
  for (let t = 0; t < value.length; t++) {
    const x = Math.abs(value[t]);
    if (x > 1 || x < EXACT_MIN || x !== Math.fround(x)) return false;
  }
  return true;
}

/**
 * The candidate spans' lexical embeddings, in columns beside the span tracker's (entry k is span k's,
 * moved with it): each vector's nonzeros live in one pool of typed arrays (offset and length per
 * span) instead of two small typed arrays per span, so a pass over every candidate's vector reads
 * contiguous memory; and the sum of every embedded span's vector is kept as spans are embedded and
 * leave (hybrid's uniqueness is measured against it). Hybrid's last uniqueness of each span and the
 * call that last saw it are columns here too.
 */
export class SpanVectors {
  /** Offset in the pool, and number of nonzeros (-1: not embedded). */
  off = new Int32Array(256);
  len = new Int32Array(256);
  /** Squared norm of each vector (the embedder's, as its SparseVector says). */
  sq = new Float64Array(256);
  /** 1 where the vector keeps sums exact (see exactable). */
  exact = new Uint8Array(256);
  /** Hybrid: last uniqueness of each span, and the call that last saw it. */
  uniq = new Float64Array(256);
  uniqAt = new Int32Array(256);
  /**
   * Semantic: which of its states embedded each span (0: none yet; reset when the span is made), the
   * span's cluster (-1: none), its representative fit (dot with its centroid) and the call it was
   * computed at (-1: its cluster changed since), and its Spans-view position (x, y) on axes version
   * `axes` (0: none). Moved with the spans once semantic has used them (useSemantic).
   */
  owner = new Int32Array(256);
  cluster = new Int32Array(256);
  fit = new Float64Array(256);
  fitAt = new Int32Array(256);
  x = new Float64Array(256);
  y = new Float64Array(256);
  axes = new Int32Array(256);
  /** The pool of nonzeros: [off[k], off[k] + len[k]) is span k's, ascending by index. */
  index = new Int32Array(8192);
  value = new Float64Array(8192);
  #end = 0;
  #live = 0;
  /** Whether a vector was set since the last clear. */
  #used = false;
  /** Whether semantic's columns were written since the last clear. */
  #semantic = false;
  /** Sum of the embedded spans' vectors, how many it holds, and how many of them are not exactable. */
  readonly sum = new Float64Array(LEXICAL_DIM);
  count = 0;
  inexact = 0;

  /** Whether `sum` equals the sum of the embedded vectors made afresh in any order, bit for bit. */
  get sumExact(): boolean {
    return this.inexact === 0 && this.count <= EXACT_MAX_VECTORS;
  }

  /** Makes the columns hold `size` spans (their first entries kept). */
  grow(size: number): void {
    this.off = grownTo(this.off, size);
    this.len = grownTo(this.len, size);
    this.sq = grownTo(this.sq, size);
    this.exact = grownTo(this.exact, size);
    this.uniq = grownTo(this.uniq, size);
    this.uniqAt = grownTo(this.uniqAt, size);
    this.owner = grownTo(this.owner, size);
    this.cluster = grownTo(this.cluster, size);
    this.fit = grownTo(this.fit, size);
    this.fitAt = grownTo(this.fitAt, size);
    this.x = grownTo(this.x, size);
    this.y = grownTo(this.y, size);
    this.axes = grownTo(this.axes, size);
  }

  /** Semantic writes its columns: from now on (until the next clear) they move with the spans. */
  useSemantic(): void {
    this.#semantic = true;
  }

  /** Entry k is a new span: not embedded, never seen. */
  reset(k: number): void {
    this.len[k] = -1;
    this.uniqAt[k] = 0;
    this.owner[k] = 0;
  }

  /** Span k leaves: its vector leaves the sum (its pool entries are reclaimed by the next compaction). */
  drop(k: number): void {
    const l = this.len[k];
    if (l < 0) return;
    const { index, value, sum } = this;
    const o = this.off[k];
    for (let t = 0; t < l; t++) sum[index[o + t]] -= value[o + t];
    this.count--;
    if (!this.exact[k]) this.inexact--;
    this.#live -= l;
    this.len[k] = -1;
  }

  /**
   * Entries [from, end) move to [to, to + end - from) (the tracker's columns move alike). While no
   * span was embedded since the last clear (a policy that does not embed), every span's entry says
   * only "not embedded" (reset when it was made) and they are left as they are; so are semantic's
   * columns while it has not used them (every owner is 0 then).
   */
  move(to: number, from: number, end: number): void {
    if (this.#semantic) {
      this.owner.copyWithin(to, from, end);
      this.cluster.copyWithin(to, from, end);
      this.fit.copyWithin(to, from, end);
      this.fitAt.copyWithin(to, from, end);
      this.x.copyWithin(to, from, end);
      this.y.copyWithin(to, from, end);
      this.axes.copyWithin(to, from, end);
    }
    if (!this.#used) return;
    this.off.copyWithin(to, from, end);
    this.len.copyWithin(to, from, end);
    this.sq.copyWithin(to, from, end);
    this.exact.copyWithin(to, from, end);
    this.uniq.copyWithin(to, from, end);
    this.uniqAt.copyWithin(to, from, end);
  }

  /** No span is embedded. */
  clear(): void {
    this.sum.fill(0);
    this.count = 0;
    this.inexact = 0;
    this.#end = 0;
    this.#live = 0;
    this.#used = false;
    this.#semantic = false;
  }

  /** Span k (of n) gets vector v: its nonzeros go to the pool, and into the sum. */
  set(k: number, n: number, v: SparseVector): void {
    this.drop(k);
    const l = v.index.length;
    if (this.#end + l > this.index.length) this.#compact(k, n, l);
    const o = this.#end;
    this.index.set(v.index, o);
    this.value.set(v.value, o);
    const { sum } = this;
    for (let t = 0; t < l; t++) sum[v.index[t]] += v.value[t];
    this.#end += l;
    this.#live += l;
    this.off[k] = o;
    this.len[k] = l;
    this.sq[k] = v.sqNorm;
    this.uniqAt[k] = 0;
    this.#used = true;
    const ex = exactable(v);
    this.exact[k] = ex ? 1 : 0;
    this.count++;
    if (!ex) this.inexact++;
  }

  /** v_k · y over span k's nonzeros (as sparseDot: in index order). */
  dot(k: number, y: Float64Array): number {
    const { index, value } = this;
    const o = this.off[k];
    const end = o + this.len[k];
    let s = 0;
    for (let t = o; t < end; t++) s += value[t] * y[index[t]];
    return s;
  }

  /** dot for a float32 y (a k-means centroid): the same products and order, so the same value. */
  dot32(k: number, y: Float32Array): number {
    const { index, value } = this;
    const o = this.off[k];
    const end = o + this.len[k];
    let s = 0;
    for (let t = o; t < end; t++) s += value[t] * y[index[t]];
    return s;
  }

  /** The sum of the vectors of spans [0, n) made afresh in span order into `out` (when the kept sum is not exact). */
  freshSum(n: number, out: Float64Array): Float64Array {
    out.fill(0);
    const { index, value, off, len } = this;
    for (let k = 0; k < n; k++) {
      const o = off[k];
      const end = o + len[k];
      for (let t = o; t < end; t++) out[index[t]] += value[t];
    }
    return out;
  }

  /** Rewrites the pool with the live vectors of spans [0, n) but k, in span order, with room for `extra` more. */
  #compact(k: number, n: number, extra: number): void {
    let size = this.index.length;
    while (size < 2 * (this.#live + extra)) size *= 2;
    const index = new Int32Array(size);
    const value = new Float64Array(size);
    let end = 0;
    for (let j = 0; j < n; j++) {
      const l = this.len[j];
      if (j === k || l < 0) continue;
      const o = this.off[j];
      index.set(this.index.subarray(o, o + l), end);
      value.set(this.value.subarray(o, o + l), end);
      this.off[j] = end;
      end += l;
    }
    this.index = index;
    this.value = value;
    this.#end = end;
  }
}
