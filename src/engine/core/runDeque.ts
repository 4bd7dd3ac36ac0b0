/** Scratch columns of RunDeque.cut (one cut runs at a time: the engine is synchronous). */
let scratchMsg = new Int32Array(0);
let scratchStart = new Int32Array(0);
let scratchCount = new Int32Array(0);
const scratchTags: unknown[] = [];

/**
 * Runs of consecutive tokens of one message, in position order: (message id, first position, length).
 * The ledger keeps one beside each token ring so that a context can be described per message in
 * O(messages) instead of O(tokens). Each run can carry a tag (the context builder's segment for it),
 * dropped whenever the run changes, so what is built from a run is made once while the run stays as it is.
 */
export class RunDeque {
  #cap = 64;
  #head = 0;
  #len = 0;
  #msg = new Int32Array(this.#cap);
  #start = new Int32Array(this.#cap);
  #count = new Int32Array(this.#cap);
  // Tags in run order: run i's is #tags[#tagHead + i]. Runs [0, #tagged) have one, but for the first
  // (shrinkFirst drops its tag without touching #tagged).
  #tags: unknown[] = [];
  #tagHead = 0;
  #tagged = 0;

  get length(): number {
    return this.#len;
  }

  #slot(i: number): number {
    const s = this.#head + i;
    return s >= this.#cap ? s - this.#cap : s;
  }

  msg(i: number): number {
    return this.#msg[this.#slot(i)];
  }
  start(i: number): number {
    return this.#start[this.#slot(i)];
  }
  count(i: number): number {
    return this.#count[this.#slot(i)];
  }
  /** The tag set on run i since it last changed, or undefined. */
  tag(i: number): unknown {
    return this.#tags[this.#tagHead + i];
  }

  /**
   * Gives every run without a tag (new, or changed since it was tagged) make(i). O(runs changed)
   * calls to make; the runs before the last tagged one are skipped in O(1).
   */
  ensureTags(make: (i: number) => unknown): void {
    const tags = this.#tags;
    const h = this.#tagHead;
    if (this.#len > 0 && tags[h] === undefined) tags[h] = make(0);
    for (let i = this.#tagged; i < this.#len; i++) if (tags[h + i] === undefined) tags[h + i] = make(i);
    this.#tagged = this.#len;
  }

  /** Copies the runs' tags (after `ensureTags`), in run order, into out[at..at + length). */
  copyTags(out: unknown[], at: number): void {
    const tags = this.#tags;
    const h = this.#tagHead;
    for (let i = 0; i < this.#len; i++) out[at + i] = tags[h + i];
  }

  /** Records n tokens of one message at positions [pos, pos + n), appended at the end. */
  pushRun(msg: number, pos: number, n: number): void {
    if (n <= 0) return;
    if (this.#len > 0) {
      const last = this.#slot(this.#len - 1);
      if (this.#msg[last] === msg && this.#start[last] + this.#count[last] === pos) {
        this.#count[last] += n;
        this.#untagLast();
        return;
      }
    }
    if (this.#len === this.#cap) this.#grow();
    const s = this.#slot(this.#len);
    this.#msg[s] = msg;
    this.#start[s] = pos;
    this.#count[s] = n;
    this.#tags.push(undefined);
    this.#len++;
  }

  /**
   * Takes positions out of the runs: `cuts` holds ascending, disjoint position intervals as pairs
   * [a0, b0, a1, b1, ...] (each [a, b) removes every position in it). Runs before the first cut are
   * left alone; a later run outside every cut keeps its tag, a cut one is shrunk or split (and loses
   * it). O(runs from the first cut on + cuts), nothing per token.
   */
  cut(cuts: readonly number[]): void {
    if (cuts.length === 0 || this.#len === 0) return;
    // the first run that ends after the first cut starts (runs ascend by position and do not overlap)
    let lo = 0;
    let hi = this.#len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.#slot(mid);
      if (this.#start[s] + this.#count[s] <= cuts[0]) lo = mid + 1;
      else hi = mid;
    }
    const from = lo;
    const n = this.#len - from;
    if (n === 0) return;
    // the columns laid out from #head without wrapping, with room for every run the cuts can split
    // (each cut interval adds at most one run), so the runs are rewritten in place
    const room = from + n + (cuts.length >> 1);
    if (this.#head + room > this.#cap) this.#relayout(room > this.#cap ? 2 * room : this.#cap);
    // the runs from `from` on, into reused scratch columns (one block copy each, and their tags)
    if (scratchMsg.length < n) {
      const cap = Math.max(n, scratchMsg.length * 2);
      scratchMsg = new Int32Array(cap);
      scratchStart = new Int32Array(cap);
      scratchCount = new Int32Array(cap);
    }
    const at = this.#head + from;
    const msg = scratchMsg;
    const start = scratchStart;
    const count = scratchCount;
    msg.set(this.#msg.subarray(at, at + n));
    start.set(this.#start.subarray(at, at + n));
    count.set(this.#count.subarray(at, at + n));
    const tags = scratchTags;
    const allTags = this.#tags;
    const th = this.#tagHead + from;
    for (let i = 0; i < n; i++) tags[i] = allTags[th + i];
    if (this.#tagged > from) this.#tagged = from;
    // written back cut: a run outside every cut as it was (its tag too), a cut one shrunk or split
    const oMsg = this.#msg;
    const oStart = this.#start;
    const oCount = this.#count;
    let w = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const a = start[i];
      const e = a + count[i];
      while (c < cuts.length && cuts[c + 1] <= a) c += 2;
      if (c >= cuts.length || cuts[c] >= e) {
        oMsg[at + w] = msg[i];
        oStart[at + w] = a;
        oCount[at + w] = count[i];
        allTags[th + w] = tags[i];
        w++;
        continue;
      }
      let cur = a;
      for (let k = c; k < cuts.length && cuts[k] < e; k += 2) {
        if (cuts[k] > cur) {
          oMsg[at + w] = msg[i];
          oStart[at + w] = cur;
          oCount[at + w] = cuts[k] - cur;
          allTags[th + w] = undefined;
          w++;
        }
        if (cuts[k + 1] > cur) cur = cuts[k + 1];
      }
      if (cur < e) {
        oMsg[at + w] = msg[i];
        oStart[at + w] = cur;
        oCount[at + w] = e - cur;
        allTags[th + w] = undefined;
        w++;
      }
    }
    this.#len = from + w;
    // the tag array ends with the runs, and the scratch lets go of them
    allTags.length = this.#tagHead + this.#len;
    tags.fill(undefined, 0, n);
  }

  /** The columns moved into arrays of `cap` entries from slot 0 on, unwrapped (#head 0). */
  #relayout(cap: number): void {
    const move = (col: Int32Array): Int32Array<ArrayBuffer> => {
      const out = new Int32Array(cap);
      const first = Math.min(this.#len, this.#cap - this.#head);
      out.set(col.subarray(this.#head, this.#head + first));
      out.set(col.subarray(0, this.#len - first), first);
      return out;
    };
    this.#msg = move(this.#msg);
    this.#start = move(this.#start);
    this.#count = move(this.#count);
    this.#head = 0;
    this.#cap = cap;
  }

  /** Records one token appended at the end. */
  pushToken(msg: number, pos: number): void {
    this.pushRun(msg, pos, 1);
  }

  /** Shrinks the first run by n tokens (n <= its count), dropping it when empty. */
  shrinkFirst(n: number): void {
    const s = this.#head;
    if (n > this.#count[s]) throw new RangeError(`run has ${this.#count[s]} tokens, cannot drop ${n}`);
    this.#count[s] -= n;
    this.#start[s] += n;
    this.#tags[this.#tagHead] = undefined;
    if (this.#count[s] === 0) {
      this.#head = this.#slot(1);
      this.#len--;
      this.#tagHead++;
      if (this.#tagged > 0) this.#tagged--;
      if (this.#len === 0) {
        this.#head = 0;
        this.#clearTags();
      } else if (this.#tagHead > 1024 && this.#tagHead > this.#len) {
        this.#tags = this.#tags.slice(this.#tagHead);
        this.#tagHead = 0;
      }
    }
  }

  clear(): void {
    this.#head = 0;
    this.#len = 0;
    this.#clearTags();
  }

  #clearTags(): void {
    this.#tags = [];
    this.#tagHead = 0;
    this.#tagged = 0;
  }

  #untagLast(): void {
    this.#tags[this.#tagHead + this.#len - 1] = undefined;
    if (this.#tagged > this.#len - 1) this.#tagged = this.#len - 1;
  }

  #grow(): void {
    this.#relayout(this.#cap * 2);
  }
}
