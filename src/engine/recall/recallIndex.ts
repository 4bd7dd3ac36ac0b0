import { DenseVectors, unitVector } from './dense.js';
import { type LexicalBackend, LexicalIndex, type LexicalOptions } from './lexical.js';
import { reciprocalRankFusion } from './rrf.js';

export { reciprocalRankFusion, type FusedItem } from './rrf.js';

/** An evicted, sentence-aligned span of the conversation. */
export interface RecallSpan {
  id: number;
  text: string;
  tokens: number;
  messageId: number;
  startPos: number;
  endPos: number;
  embedding?: Float32Array;
}

export interface RecallSearchOptions {
  /** Number of hits to return. Default 8. */
  k?: number;
  /** Enables the dense ranking (spans without an embedding take part in BM25 only). */
  queryEmbedding?: Float32Array;
  /** RRF constant. Default 60. */
  rrfK?: number;
  /** BM25 matches scoring below this leave the BM25 ranking (ranks are counted after the cut). */
  minBm25Score?: number;
  /** Spans with a cosine below this leave the dense ranking. Default: none leave. */
  minCosine?: number;
}

export interface RecallHit {
  id: number;
  /** Fused RRF score. */
  score: number;
  bm25Rank?: number;
  bm25Score?: number;
  denseRank?: number;
  cosine?: number;
}

export interface RecallIndexOptions extends LexicalOptions {
  /** Builds the lexical side (default: LexicalIndex, our BM25 index); benchmarks pass the old one as a peer. */
  lexical?: (options: LexicalOptions) => LexicalBackend;
}

/**
 * Query-aware recall over evicted spans: BM25 (exact terms, numbers and names) fused by reciprocal rank
 * with cosine similarity when embeddings exist. Results are deterministic: fused score desc, id asc.
 */
export class RecallIndex {
  readonly #spans = new Map<number, Readonly<RecallSpan>>();
  readonly #lexical: LexicalBackend;
  readonly #dense = new DenseVectors();

  constructor(options: RecallIndexOptions = {}) {
    this.#lexical = options.lexical ? options.lexical({ prefix: options.prefix }) : new LexicalIndex(options);
  }

  get size(): number {
    return this.#spans.size;
  }

  has(id: number): boolean {
    return this.#spans.has(id);
  }

  /** The stored span (a frozen copy; its embedding, if any, is the unit-length copy used for search). */
  get(id: number): Readonly<RecallSpan> | undefined {
    return this.#spans.get(id);
  }

  /** Adds a span, replacing any span with the same id. Throws, changing nothing, on a bad id or dimension. */
  add(span: RecallSpan): void {
    if (!Number.isSafeInteger(span.id)) throw new RangeError(`span id must be a safe integer, got ${span.id}`);
    if (typeof span.text !== 'string') throw new TypeError(`span ${span.id} has no text`);
    const unit = span.embedding ? unitVector(span.embedding) : undefined;
    // Replacing the only embedded span may change the dimension; otherwise it must match the others.
    const replacesLastVector = this.#dense.size === 1 && this.#spans.get(span.id)?.embedding !== undefined;
    if (unit && !replacesLastVector) this.#dense.checkDimension(unit.length, `the embedding of span ${span.id}`);
    this.remove(span.id);
    const stored: RecallSpan = { ...span, embedding: unit };
    if (!unit) delete stored.embedding;
    this.#spans.set(span.id, Object.freeze(stored));
    this.#lexical.add(span.id, stored.text);
    if (unit) this.#dense.set(span.id, unit);
  }

  /** Removes a span; false if it was not there. */
  remove(id: number): boolean {
    const span = this.#spans.get(id);
    if (!span) return false;
    this.#lexical.remove(id);
    this.#dense.delete(id);
    this.#spans.delete(id);
    return true;
  }

  clear(): void {
    this.#spans.clear();
    this.#lexical.clear();
    this.#dense.clear();
  }

  search(query: string, options: RecallSearchOptions = {}): RecallHit[] {
    const { k = 8, rrfK = 60, queryEmbedding, minBm25Score, minCosine } = options;
    if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be an integer >= 0, got ${k}`);
    if (!Number.isFinite(rrfK) || rrfK < 0) throw new RangeError(`rrfK must be a finite number >= 0, got ${rrfK}`);
    if (this.#spans.size === 0 || k === 0) return [];
    // fusion only needs the head of each list: ranks past it add under 1/(rrfK + depth) each
    const depth = Math.max(128, 8 * k);
    const dense = queryEmbedding ? this.#dense.rank(queryEmbedding, minCosine).slice(0, depth) : [];
    if (dense.length === 0) {
      // BM25 alone: the fused order is its order and a hit's fused score is 1 / (rrfK + rank), so
      // only its first k count (what reciprocalRankFusion gives for one list, without the maps)
      return this.#lexical.rank(query, minBm25Score, k).map((h, i) => ({ id: h.id, score: 1 / (rrfK + i + 1), bm25Rank: i + 1, bm25Score: h.score }));
    }
    const lexical = this.#lexical.rank(query, minBm25Score, depth);
    const fused = reciprocalRankFusion([lexical.map((h) => h.id), dense.map((h) => h.id)], rrfK);
    const bm25 = new Map(lexical.map((h, i) => [h.id, { rank: i + 1, score: h.score }]));
    const cos = new Map(dense.map((h, i) => [h.id, { rank: i + 1, cosine: h.cosine }]));
    return fused.slice(0, k).map(({ id, score }) => {
      const hit: RecallHit = { id, score };
      const b = bm25.get(id);
      if (b) Object.assign(hit, { bm25Rank: b.rank, bm25Score: b.score });
      const d = cos.get(id);
      if (d) Object.assign(hit, { denseRank: d.rank, cosine: d.cosine });
      return hit;
    });
  }
}
