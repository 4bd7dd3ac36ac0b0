/**
 * An incremental BM25+ index over typed arrays: the lexical side of recall.
 *
 * Scoring is MiniSearch's (the index recall used before, kept as the test oracle): BM25+ with k1 1.2,
 * b 0.7, delta 0.5, a document's length being its number of distinct terms, the average length kept as
 * a running mean updated on every add and remove (the same float operations, so equal scores stay
 * equal), and a document's summed score multiplied by the number of distinct query terms it matched.
 *
 * Layout: a term dictionary (string → term id, ids reused when a term's last posting leaves), one
 * posting list per term as an Int32Array of [slot, code] pairs (code: the document's length when the
 * term occurs once in it and the length is under LEN_TABLE, else minus the term frequency) in the order
 * the documents came, from a head offset on, and per document slot the term ids it holds. Recall adds
 * the newest evicted span and forgets the oldest, so a removal finds its posting at its terms' heads
 * and moves them on: add and remove cost O(distinct terms of the document) (a document removed out of
 * that order, one kept longer, is found by a walk from the head past the few older ones, which shift up
 * a place). Kept in arrival order, and with slots reused oldest first, a term's postings visit the
 * score array in ascending slots (one wrap), which the memory prefetcher follows; a swap-remove's order,
 * random after a while, walked it ~2x slower. A query walks only its terms'
 * postings, accumulating into a dense score array by slot, and keeps a bounded top-k in a typed-array
 * heap (no object per match, no sort of all matches). Most postings (tf 1) read their score from a table
 * by document length made once per query term (the same float operations as the full formula, so the
 * same scores bit for bit): no division per posting. Memory grows with the documents held and their
 * vocabulary, not with what was added and removed before.
 */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
/** MiniSearch's default weight of a prefix match (its distance lowers it further). */
const PREFIX_WEIGHT = 0.375;
/** Document lengths below this have their tf-1 postings scored from a per-query table. */
const LEN_TABLE = 1024;

export interface Bm25Hit {
  id: number;
  score: number;
}

export interface Bm25Options {
  /** Which query terms also match the indexed terms they are a strict prefix of. Default: none. */
  prefix?: (term: string) => boolean;
}

const EMPTY = new Int32Array(0);

function grownInt32(a: Int32Array, min: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(min, a.length * 2, 4));
  out.set(a);
  return out;
}

/**
 * The best `cap` of the (score, id) pairs offered, by score desc then id asc: a heap in two typed arrays
 * whose root is the worst pair kept (no object per offer, no sort of all of them), reused by every query.
 */
class TopK {
  #score = new Float64Array(16);
  #id = new Float64Array(16);
  #n = 0;
  #cap = 0;

  reset(cap: number): this {
    if (this.#score.length < cap) {
      this.#score = new Float64Array(Math.max(cap, 2 * this.#score.length));
      this.#id = new Float64Array(this.#score.length);
    }
    this.#n = 0;
    this.#cap = cap;
    return this;
  }

  offer(s: number, id: number): void {
    const hs = this.#score;
    const hi = this.#id;
    const n = this.#n;
    if (n < this.#cap) {
      // sift up from the new leaf while the parent is better (a is worse than b: lower score, or equal and larger id)
      let j = n;
      this.#n = n + 1;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        const ps = hs[parent];
        if (!(s < ps || (s === ps && id > hi[parent]))) break;
        hs[j] = ps;
        hi[j] = hi[parent];
        j = parent;
      }
      hs[j] = s;
      hi[j] = id;
    } else if (n > 0 && (hs[0] < s || (hs[0] === s && hi[0] > id))) {
      this.#siftDown(s, id, n); // better than the worst kept: it replaces the root
    }
  }

  /** Puts (s, id) at the root of the heap's first n entries and sifts it down to its place. */
  #siftDown(s: number, id: number, n: number): void {
    const hs = this.#score;
    const hi = this.#id;
    let j = 0;
    for (;;) {
      const l = 2 * j + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (hs[r] < hs[l] || (hs[r] === hs[l] && hi[r] > hi[l])) ? r : l;
      if (!(hs[c] < s || (hs[c] === s && hi[c] > id))) break;
      hs[j] = hs[c];
      hi[j] = hi[c];
      j = c;
    }
    hs[j] = s;
    hi[j] = id;
  }

  /** The score a pair must reach to be kept (ties by id): -Infinity until the heap is full. */
  get floor(): number {
    return this.#n < this.#cap ? -Infinity : this.#score[0];
  }

  /** The pairs kept, best first (the heap emptied worst first into the array's end: no sort). */
  hits(): Bm25Hit[] {
    const hs = this.#score;
    const hi = this.#id;
    let n = this.#n;
    const out: Bm25Hit[] = new Array<Bm25Hit>(n);
    while (n > 0) {
      out[n - 1] = { id: hi[0], score: hs[0] };
      n--;
      this.#siftDown(hs[n], hi[n], n); // the last leaf to the root
    }
    this.#n = 0;
    return out;
  }
}

export class Bm25Index {
  readonly #prefix: ((term: string) => boolean) | undefined;
  // terms
  readonly #termId = new Map<string, number>();
  #terms: (string | undefined)[] = [];
  /** Per term: its postings' [slot, code] pairs from #head[t] on, oldest first (see the layout above). */
  #post: Int32Array[] = [];
  #head = new Int32Array(16);
  #df = new Int32Array(16);
  #freeTerms: number[] = [];
  // add scratch: frequency by term id, distinct terms in order
  #tf = new Int32Array(16);
  #uniq = new Int32Array(16);
  // documents, by slot
  readonly #slotOf = new Map<number, number>();
  #docId = new Float64Array(16);
  #docLen = new Int32Array(16);
  /** Per slot: the document's n (= #docLen) distinct term ids. */
  #docTerms: Int32Array[] = [];
  #freeSlots: number[] = [];
  #slots = 0;
  #count = 0;
  #avgLen = 0;
  /** The largest document length encoded in a posting's code so far (the tables' extent). */
  #maxCodeLen = 0;
  // query scratch, by document length: a tf-1 posting's (K1 + 1) / (1 + length norm), the same for every
  // term of a query, and one query term's score of a tf-1 posting
  readonly #tf1ByLen = new Float64Array(LEN_TABLE);
  readonly #scoreByLen = new Float64Array(LEN_TABLE);
  // query scratch, by slot: the exact search's total and number of terms matched side by side (one array
  // for both: a posting's two updates touch one cache line and one typed array), the prefix path's apart
  #acc = new Float64Array(32);
  #score = new Float64Array(16);
  #matched = new Int32Array(16);
  #touched = new Int32Array(16);
  #termScore = new Float64Array(16);
  #termTouched = new Int32Array(16);
  readonly #topK = new TopK();
  /** Per term id: the number of the last exact query that met it (repeats count once). */
  #seen = new Int32Array(16);
  #stamp = 0;

  constructor(options: Bm25Options = {}) {
    this.#prefix = options.prefix;
  }

  get size(): number {
    return this.#count;
  }

  /** Distinct terms held (for tests and memory accounting). */
  get vocabulary(): number {
    return this.#termId.size;
  }

  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** Adds a document from its terms (with repeats: term frequency counts). Throws on a duplicate id. */
  add(id: number, terms: readonly string[]): void {
    if (this.#slotOf.has(id)) throw new Error(`bm25: duplicate document id ${id}`);
    // term frequencies by term id, distinct terms in first-seen order (no map per document)
    let uniq = this.#uniq;
    if (uniq.length < terms.length) uniq = this.#uniq = new Int32Array(Math.max(terms.length, 2 * uniq.length));
    let n = 0;
    for (let i = 0; i < terms.length; i++) {
      const t = this.#internTerm(terms[i]);
      if (t >= this.#tf.length) this.#tf = grownInt32(this.#tf, t + 1);
      if (this.#tf[t]++ === 0) uniq[n++] = t;
    }
    const slot = this.#takeSlot();
    this.#slotOf.set(id, slot);
    this.#docId[slot] = id;
    this.#docLen[slot] = n;
    // MiniSearch's running mean: count is the documents before this one.
    this.#avgLen = (this.#avgLen * this.#count + n) / (this.#count + 1);
    this.#count++;
    // a freed slot keeps its array: reused when it is long enough (no allocation per document in a steady state)
    let termIds = this.#docTerms[slot];
    if (termIds === undefined || termIds.length < n) termIds = new Int32Array(Math.max(n, 32));
    const tf = this.#tf;
    const lenCode = n < LEN_TABLE;
    if (lenCode && n > this.#maxCodeLen) this.#maxCodeLen = n;
    for (let e = 0; e < n; e++) {
      const t = uniq[e];
      const freq = tf[t];
      tf[t] = 0;
      const df = this.#df[t];
      let head = this.#head[t];
      let list = this.#post[t];
      if (head + (df + 1) * 2 > list.length) {
        // full at the end: slide the postings back to the start when that frees a quarter, else double
        if ((df + 1) * 2 <= (list.length * 3) >> 2) list.copyWithin(0, head, head + df * 2);
        else {
          const grown = new Int32Array(Math.max(8, list.length * 2));
          grown.set(list.subarray(head, head + df * 2));
          this.#post[t] = list = grown;
        }
        this.#head[t] = head = 0;
      }
      const at = head + df * 2;
      list[at] = slot;
      list[at + 1] = freq === 1 && lenCode ? n : -freq;
      this.#df[t] = df + 1;
      termIds[e] = t;
    }
    this.#docTerms[slot] = termIds;
  }

  /**
   * Removes a document; false if it was not there. O(distinct terms of the document) for the oldest
   * (its postings are at its terms' heads), plus the older documents still held for another.
   */
  remove(id: number): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    this.#slotOf.delete(id);
    const termIds = this.#docTerms[slot];
    const n = this.#docLen[slot];
    for (let e = 0; e < n; e++) {
      const t = termIds[e];
      const list = this.#post[t];
      const head = this.#head[t];
      if (list[head] !== slot) {
        // older documents are still held: shift them up a place over this one's posting
        const end = head + this.#df[t] * 2;
        let p = head + 2;
        while (p < end && list[p] !== slot) p += 2;
        if (p >= end) throw new Error(`bm25: document ${id} is missing from a posting list`);
        list.copyWithin(head + 2, head, p);
      }
      const df = this.#df[t] - 1;
      this.#df[t] = df;
      this.#head[t] = head + 2;
      if (df === 0) this.#releaseTerm(t);
    }
    const len = this.#docLen[slot];
    this.#avgLen = this.#count === 1 ? 0 : (this.#avgLen * this.#count - len) / (this.#count - 1);
    this.#count--;
    this.#freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.#termId.clear();
    this.#terms = [];
    this.#post = [];
    this.#head = new Int32Array(16);
    this.#df = new Int32Array(16);
    this.#maxCodeLen = 0;
    this.#freeTerms = [];
    this.#slotOf.clear();
    this.#docTerms = [];
    this.#freeSlots = [];
    this.#slots = 0;
    this.#count = 0;
    this.#avgLen = 0;
  }

  /**
   * The best `limit` documents matching any of `queryTerms` (in order; a repeated term counts once, at
   * its first occurrence) with a score >= minScore, by score desc then id asc.
   */
  search(queryTerms: readonly string[], limit = Infinity, minScore = -Infinity): Bm25Hit[] {
    if (this.#count === 0 || limit <= 0) return [];
    if (!this.#prefix) return this.#searchExact(queryTerms, limit, minScore);
    queryTerms = [...new Set(queryTerms)];
    const score = this.#score;
    const matched = this.#matched;
    const touched = this.#touched;
    let nTouched = 0;
    for (const term of queryTerms) {
      const exact = this.#termId.get(term);
      const derived = this.#prefix?.(term) ? this.#prefixTerms(term) : undefined;
      if (!derived || derived.length === 0) {
        if (exact === undefined) continue;
        // One posting per document: add straight into the totals.
        const list = this.#post[exact];
        const df = this.#df[exact];
        const idf = this.#idf(df);
        const docLen = this.#docLen;
        const avgLen = this.#avgLen;
        const head = this.#head[exact];
        for (let p = head; p < head + df * 2; p += 2) {
          const slot = list[p];
          const code = list[p + 1];
          const tf = code >= 0 ? 1 : -code;
          // #termScoreOf, inlined (same operations in the same order)
          const s = idf * (DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * docLen[slot]) / avgLen)));
          if (matched[slot] === 0) {
            touched[nTouched++] = slot;
            score[slot] = s;
          } else score[slot] += s;
          matched[slot]++;
        }
        continue;
      }
      // Exact and prefix matches of one query term are summed first (as MiniSearch does), then added.
      const ts = this.#termScore;
      const tt = this.#termTouched;
      let nt = 0;
      const walk = (t: number, weight: number): void => {
        const list = this.#post[t];
        const df = this.#df[t];
        const idf = this.#idf(df);
        const head = this.#head[t];
        for (let p = head; p < head + df * 2; p += 2) {
          const slot = list[p];
          const code = list[p + 1];
          const s = weight * this.#termScoreOf(idf, code >= 0 ? 1 : -code, slot);
          if (ts[slot] === 0 && !this.#inTerm(tt, nt, slot)) {
            tt[nt++] = slot;
            ts[slot] = s;
          } else ts[slot] += s;
        }
      };
      if (exact !== undefined) walk(exact, 1);
      for (const t of derived) {
        const name = this.#terms[t] as string;
        const distance = name.length - term.length;
        walk(t, (PREFIX_WEIGHT * name.length) / (name.length + 0.3 * distance));
      }
      for (let i = 0; i < nt; i++) {
        const slot = tt[i];
        if (matched[slot] === 0) {
          touched[nTouched++] = slot;
          score[slot] = ts[slot];
        } else score[slot] += ts[slot];
        matched[slot]++;
        ts[slot] = 0;
      }
    }
    const hits = this.#top(nTouched, limit, minScore);
    for (let i = 0; i < nTouched; i++) {
      const slot = touched[i];
      score[slot] = 0;
      matched[slot] = 0;
    }
    return hits;
  }

  /**
   * Exact terms only: every posting adds into its document's total without a branch (a total starts at
   * 0, and 0 + s is s), then one pass over the slots keeps the top hits and clears the totals. A tf-1
   * posting's score comes from the term's table by document length, idf * (DELTA + f[len]) with f[len] =
   * (1 * (K1 + 1)) / (1 + K1 * (1 - B + B * len / avgLen)) made once per query (the formula's own
   * operations on the same operands, so each entry is bit for bit the score the formula gives, and one
   * division per length a query instead of one per length a term); other postings use the formula. The
   * same sums in the same order as the loop above, so the same scores.
   */
  #searchExact(queryTerms: readonly string[], limit: number, minScore: number): Bm25Hit[] {
    const acc = this.#acc;
    const docLen = this.#docLen;
    const avgLen = this.#avgLen;
    const tf1 = this.#tf1ByLen;
    const table = this.#scoreByLen;
    const lens = this.#maxCodeLen + 1;
    // a term met before in this query is skipped (by term id, stamped with the query's number)
    if (this.#seen.length < this.#terms.length) this.#seen = new Int32Array(Math.max(this.#terms.length, 2 * this.#seen.length));
    const seen = this.#seen;
    if (this.#stamp === 0x3fffffff) {
      seen.fill(0);
      this.#stamp = 0;
    }
    const stamp = ++this.#stamp;
    let any = false;
    for (let q = 0; q < queryTerms.length; q++) {
      const t = this.#termId.get(queryTerms[q]);
      if (t === undefined || seen[t] === stamp) continue;
      seen[t] = stamp;
      if (!any) for (let len = 0; len < lens; len++) tf1[len] = (1 * (K1 + 1)) / (1 + K1 * (1 - B + (B * len) / avgLen));
      any = true;
      const list = this.#post[t];
      const head = this.#head[t];
      const end = head + this.#df[t] * 2;
      const idf = this.#idf(this.#df[t]);
      for (let len = 0; len < lens; len++) table[len] = idf * (DELTA + tf1[len]);
      // two postings per step (each posting of a term is another document: no order to keep between them)
      const pairs = end - ((end - head) & 3);
      let p = head;
      for (; p < pairs; p += 4) {
        const slot0 = list[p];
        const code0 = list[p + 1];
        const slot1 = list[p + 2];
        const code1 = list[p + 3];
        const at0 = slot0 << 1;
        const at1 = slot1 << 1;
        acc[at0] += code0 >= 0 ? table[code0] : idf * (DELTA + (-code0 * (K1 + 1)) / (-code0 + K1 * (1 - B + (B * docLen[slot0]) / avgLen)));
        acc[at0 + 1] += 1;
        acc[at1] += code1 >= 0 ? table[code1] : idf * (DELTA + (-code1 * (K1 + 1)) / (-code1 + K1 * (1 - B + (B * docLen[slot1]) / avgLen)));
        acc[at1 + 1] += 1;
      }
      for (; p < end; p += 2) {
        const slot = list[p];
        const code = list[p + 1];
        const at = slot << 1;
        acc[at] += code >= 0 ? table[code] : idf * (DELTA + (-code * (K1 + 1)) / (-code + K1 * (1 - B + (B * docLen[slot]) / avgLen)));
        acc[at + 1] += 1;
      }
    }
    if (!any) return [];
    const slots = this.#slots;
    const top = this.#topK.reset(Math.min(limit, this.#count));
    const ids = this.#docId;
    let floor = Math.max(minScore, top.floor);
    for (let slot = 0; slot < slots; slot++) {
      const m = acc[2 * slot + 1];
      if (m === 0) continue;
      const s = acc[2 * slot] * m;
      acc[2 * slot] = 0;
      acc[2 * slot + 1] = 0;
      if (s >= floor) {
        top.offer(s, ids[slot]);
        floor = Math.max(minScore, top.floor);
      }
    }
    return top.hits();
  }

  #idf(df: number): number {
    return Math.log(1 + (this.#count - df + 0.5) / (df + 0.5));
  }

  #termScoreOf(idf: number, tf: number, slot: number): number {
    return idf * (DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.#docLen[slot]) / this.#avgLen)));
  }

  /** Whether `slot` is among the first n of `list` (only for a zero partial score, which is rare). */
  #inTerm(list: Int32Array, n: number, slot: number): boolean {
    for (let i = 0; i < n; i++) if (list[i] === slot) return true;
    return false;
  }

  /** Term ids of the indexed terms `term` is a strict prefix of. */
  #prefixTerms(term: string): number[] {
    const out: number[] = [];
    for (const [name, t] of this.#termId) if (name.length > term.length && name.startsWith(term)) out.push(t);
    return out;
  }

  /** Bounded top-k over the touched slots. */
  #top(nTouched: number, limit: number, minScore: number): Bm25Hit[] {
    const touched = this.#touched;
    const score = this.#score;
    const matched = this.#matched;
    const ids = this.#docId;
    const top = this.#topK.reset(Math.min(limit, nTouched));
    for (let i = 0; i < nTouched; i++) {
      const slot = touched[i];
      const s = score[slot] * matched[slot];
      if (s >= minScore) top.offer(s, ids[slot]);
    }
    return top.hits();
  }

  #takeSlot(): number {
    const free = this.#freeSlots.pop();
    if (free !== undefined) return free;
    const slot = this.#slots++;
    if (slot >= this.#docId.length) {
      const size = this.#docId.length * 2;
      const f64 = (a: Float64Array) => {
        const o = new Float64Array(size);
        o.set(a);
        return o;
      };
      this.#docId = f64(this.#docId);
      this.#docLen = grownInt32(this.#docLen, size);
      this.#score = f64(this.#score);
      const acc = new Float64Array(2 * size);
      acc.set(this.#acc);
      this.#acc = acc;
      this.#termScore = f64(this.#termScore);
      this.#matched = grownInt32(this.#matched, size);
      this.#touched = grownInt32(this.#touched, size);
      this.#termTouched = grownInt32(this.#termTouched, size);
    }
    return slot;
  }

  #internTerm(term: string): number {
    const known = this.#termId.get(term);
    if (known !== undefined) return known;
    const t = this.#freeTerms.pop() ?? this.#terms.length;
    if (t === this.#terms.length) {
      this.#terms.push(term);
      this.#post.push(EMPTY);
      if (t >= this.#df.length) {
        this.#df = grownInt32(this.#df, t + 1);
        this.#head = grownInt32(this.#head, t + 1);
      }
    } else this.#terms[t] = term;
    this.#termId.set(term, t);
    this.#df[t] = 0;
    this.#head[t] = 0;
    return t;
  }

  #releaseTerm(t: number): void {
    this.#termId.delete(this.#terms[t] as string);
    this.#terms[t] = undefined;
    this.#post[t] = EMPTY;
    this.#head[t] = 0;
    this.#freeTerms.push(t);
  }
}
