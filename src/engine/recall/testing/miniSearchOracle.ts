import MiniSearch from 'minisearch';
import type { LexicalBackend } from '../lexical.js';
import { queryTerms, recallTerms } from '../terms.js';

/**
 * The lexical index recall used before bm25.ts, on MiniSearch, kept only as the test and bench oracle:
 * the new index must rank as it does (BM25+ k1 1.2, b 0.7, delta 0.5, times the distinct query terms
 * matched; ties by id asc).
 */
export class MiniSearchLexical implements LexicalBackend {
  readonly #search: MiniSearch<{ id: number; text: string }>;
  readonly #texts = new Map<number, string>();

  constructor(options: { prefix?: boolean } = {}) {
    this.#search = new MiniSearch<{ id: number; text: string }>({
      fields: ['text'],
      idField: 'id',
      storeFields: [],
      tokenize: recallTerms,
      processTerm: (term) => term,
      autoVacuum: false,
      searchOptions: {
        tokenize: queryTerms,
        processTerm: (term) => term,
        combineWith: 'OR',
        fuzzy: false,
        prefix: options.prefix ? (term: string) => term.length >= 3 && !/\p{N}/u.test(term) : false,
      },
    });
  }

  get size(): number {
    return this.#search.documentCount;
  }

  add(id: number, text: string): void {
    this.#search.add({ id, text });
    this.#texts.set(id, text);
  }

  remove(id: number): void {
    const text = this.#texts.get(id);
    if (text === undefined) return;
    this.#search.remove({ id, text });
    this.#texts.delete(id);
  }

  clear(): void {
    this.#search.removeAll();
    this.#texts.clear();
  }

  rank(query: string, minScore = -Infinity, limit = Infinity): { id: number; score: number }[] {
    if (this.#search.documentCount === 0) return [];
    const hits: { id: number; score: number }[] = [];
    for (const r of this.#search.search(query)) if (r.score >= minScore) hits.push({ id: r.id as number, score: r.score });
    return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
  }
}
