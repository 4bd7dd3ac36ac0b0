import MiniSearch from 'minisearch';
import { queryTerms, recallTerms } from './terms.js';

/**
 * The BM25 side of recall, on MiniSearch (BM25+ with k1 1.2, b 0.7, delta 0.5; MiniSearch multiplies a
 * document's summed score by the number of distinct query terms it matched, which favours spans that
 * answer the whole question). Exact terms only by default: no fuzzy matching ever (4417 must not match
 * 4471), prefix matching only when asked and then only for alphabetic terms of 3+ letters.
 */
export interface LexicalHit {
  id: number;
  score: number;
}

export interface LexicalOptions {
  /** Let "lock" match "locker" (never for terms with digits). Default false. */
  prefix?: boolean;
}

interface Doc {
  id: number;
  text: string;
}

const wordPrefix = (term: string): boolean => term.length >= 3 && !/\p{N}/u.test(term);

export class LexicalIndex {
  readonly #search: MiniSearch<Doc>;

  constructor(options: LexicalOptions = {}) {
    this.#search = new MiniSearch<Doc>({
      fields: ['text'],
      idField: 'id',
      storeFields: [],
      // recallTerms does all the normalization, so field lengths count real terms, not stopwords.
      tokenize: recallTerms,
      processTerm: (term) => term,
      // We remove with the exact indexed text (see remove), so there is nothing to vacuum and no timers.
      autoVacuum: false,
      searchOptions: {
        tokenize: queryTerms,
        processTerm: (term) => term,
        combineWith: 'OR',
        fuzzy: false,
        prefix: options.prefix ? wordPrefix : false,
      },
    });
  }

  add(id: number, text: string): void {
    this.#search.add({ id, text });
  }

  /**
   * Removes a document immediately, updating document frequencies and the average length. `text`
   * must be exactly the text it was added with (RecallIndex keeps its own copy).
   */
  remove(id: number, text: string): void {
    this.#search.remove({ id, text });
  }

  clear(): void {
    this.#search.removeAll();
  }

  /** Matches for `query` scoring >= minScore, by score desc then id asc (MiniSearch breaks ties by insertion). */
  rank(query: string, minScore = -Infinity): LexicalHit[] {
    if (this.#search.documentCount === 0) return [];
    const hits: LexicalHit[] = [];
    for (const result of this.#search.search(query)) {
      if (result.score >= minScore) hits.push({ id: result.id as number, score: result.score });
    }
    return hits.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
