import { Bm25Index } from './bm25.js';
import { queryTerms, recallTermsInto } from './terms.js';

/**
 * The BM25 side of recall, on our incremental index (bm25.ts): BM25+ with k1 1.2, b 0.7, delta 0.5, and a
 * document's summed score multiplied by the number of distinct query terms it matched, which favours
 * spans that answer the whole question (MiniSearch's scoring, which recall used before; its rankings
 * are the test oracle). Exact terms only by default: no fuzzy matching ever (4417 must not match 4471),
 * prefix matching only when asked and then only for alphabetic terms of 3+ letters.
 */
export interface LexicalHit {
  id: number;
  score: number;
}

export interface LexicalOptions {
  /** Let "lock" match "locker" (never for terms with digits). Default false. */
  prefix?: boolean;
}

const wordPrefix = (term: string): boolean => term.length >= 3 && !/\p{N}/u.test(term);

/** What RecallIndex needs of its lexical side (benchmarks plug the old MiniSearch index in as a peer). */
export interface LexicalBackend {
  readonly size: number;
  add(id: number, text: string): void;
  remove(id: number): void;
  clear(): void;
  /** The best `limit` matches for `query` scoring >= minScore, by score desc then id asc. */
  rank(query: string, minScore?: number, limit?: number): LexicalHit[];
}

export class LexicalIndex implements LexicalBackend {
  readonly #index: Bm25Index;
  readonly #terms: string[] = [];
  readonly #prefix: boolean;

  constructor(options: LexicalOptions = {}) {
    this.#prefix = options.prefix === true;
    this.#index = new Bm25Index(options.prefix ? { prefix: wordPrefix } : {});
  }

  get size(): number {
    return this.#index.size;
  }

  add(id: number, text: string): void {
    const terms = this.#terms;
    terms.length = 0;
    this.#index.add(id, recallTermsInto(text, terms));
  }

  /** Removes a document immediately, updating document frequencies and the average length. */
  remove(id: number): void {
    this.#index.remove(id);
  }

  clear(): void {
    this.#index.clear();
  }

  /** The best `limit` matches for `query` scoring >= minScore, by score desc then id asc. */
  rank(query: string, minScore = -Infinity, limit = Infinity): LexicalHit[] {
    if (this.#index.size === 0) return [];
    if (this.#prefix) return this.#index.search(queryTerms(query), limit, minScore);
    // exact terms: the index counts a repeated term once (what queryTerms' distinct list gives), so the
    // query's terms go in with their repeats, into a reused array
    const terms = this.#terms;
    terms.length = 0;
    return this.#index.search(recallTermsInto(query, terms), limit, minScore);
  }
}
