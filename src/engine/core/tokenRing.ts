/** Token flag bits, one byte per token. */
export const FLAG_PINNED = 1;
/** The token starts a sentence (computed once, when the token is appended). */
export const FLAG_SENTENCE_START = 2;
/** The token starts its message. */
export const FLAG_MESSAGE_START = 4;
/** The token was evicted and brought back by query-aware recall. */
export const FLAG_RECALLED = 8;
/** The token belongs to the rolling summary (text that stands in for evicted spans). */
export const FLAG_SUMMARY = 16;
/** The token is held in the context by the facts share (a live fact's sentence, kept out of the window). */
export const FLAG_FACT = 32;

/**
 * A growable ring buffer of tokens in typed arrays. Every token knows its id, absolute position,
 * message and flags (its role and turn are its message's, in the ledger). Removing from the front is O(n removed) at most (O(1) bookkeeping);
 * nothing is ever rebuilt on the hot path.
 */
export class TokenRing {
  #cap: number;
  #head = 0;
  #len = 0;
  #ids: Int32Array;
  #pos: Int32Array;
  #msg: Int32Array;
  #flags: Uint8Array;

  constructor(capacity = 1024) {
    this.#cap = Math.max(16, capacity);
    this.#ids = new Int32Array(this.#cap);
    this.#pos = new Int32Array(this.#cap);
    this.#msg = new Int32Array(this.#cap);
    this.#flags = new Uint8Array(this.#cap);
  }

  get length(): number {
    return this.#len;
  }

  get capacity(): number {
    return this.#cap;
  }

  /** Bytes held by the typed arrays (what memory grows with). */
  get bytes(): number {
    return this.#cap * (3 * 4 + 1);
  }

  #slot(i: number): number {
    const s = this.#head + i;
    return s >= this.#cap ? s - this.#cap : s;
  }

  push(id: number, pos: number, msg: number, flags: number): void {
    if (this.#len === this.#cap) this.#grow(this.#cap * 2);
    const s = this.#slot(this.#len);
    this.#ids[s] = id;
    this.#pos[s] = pos;
    this.#msg[s] = msg;
    this.#flags[s] = flags;
    this.#len++;
  }

  /**
   * Appends a message's tokens at positions startPos.. in one pass: each token's flags are its
   * `flags` entry with `extra` added, and the first one's FLAG_MESSAGE_START.
   */
  pushMessage(ids: ArrayLike<number>, flags: ArrayLike<number>, extra: number, startPos: number, msg: number): void {
    const n = ids.length;
    if (n === 0) return;
    if (this.#len + n > this.#cap) {
      let cap = this.#cap * 2;
      while (this.#len + n > cap) cap *= 2;
      this.#grow(cap);
    }
    let s = this.#slot(this.#len);
    for (let i = 0; i < n; i++) {
      this.#ids[s] = ids[i];
      this.#pos[s] = startPos + i;
      this.#msg[s] = msg;
      this.#flags[s] = flags[i] | extra;
      if (++s === this.#cap) s = 0;
    }
    this.#flags[this.#slot(this.#len)] |= FLAG_MESSAGE_START;
    this.#len += n;
  }

  /** Drops the first n tokens. */
  shift(n: number): void {
    if (n < 0 || n > this.#len) throw new RangeError(`cannot shift ${n} of ${this.#len} tokens`);
    this.#head = this.#slot(n);
    this.#len -= n;
    if (this.#len === 0) this.#head = 0;
  }

  /** Removes tokens [from, to) from the middle, keeping order (O(length)). */
  remove(from: number, to: number): void {
    if (from < 0 || to > this.#len || from > to) throw new RangeError(`bad range [${from}, ${to}) of ${this.#len}`);
    if (from === 0) return this.shift(to);
    this.removeMany([{ from, to }]);
  }

  /**
   * Removes several disjoint ranges (ascending) in one compaction pass. The shorter side moves: the
   * tokens kept after the first range shift left, or those kept before the last range shift right
   * (and the head moves past the gap), whichever is fewer; O(tokens moved), copied with copyWithin
   * where the ring does not wrap.
   */
  removeMany(ranges: readonly { from: number; to: number }[]): void {
    const k = ranges.length;
    if (k === 0) return;
    let removed = 0;
    for (let r = 0; r < k; r++) removed += ranges[r].to - ranges[r].from;
    if (removed === 0) return;
    const first = ranges[0].from;
    const last = ranges[k - 1].to;
    if (last - removed <= this.#len - first - removed) {
      // the kept tokens before the last range move right, ending where it ended
      let write = last;
      for (let r = k - 1; r >= 0; r--) {
        const end = ranges[r].from;
        const start = r > 0 ? ranges[r - 1].to : 0;
        write -= end - start;
        this.#move(write, start, end - start);
      }
      this.#head = this.#slot(write);
    } else {
      let write = first;
      for (let r = 0; r < k; r++) {
        const start = ranges[r].to;
        const end = r + 1 < k ? ranges[r + 1].from : this.#len;
        this.#move(write, start, end - start);
        write += end - start;
      }
    }
    this.#len -= removed;
    if (this.#len === 0) this.#head = 0;
  }

  /**
   * Moves n tokens from index src to index dst (either direction, overlapping allowed): copyWithin
   * over the pieces where neither side wraps, in the order that never overwrites a token still to move.
   */
  #move(dst: number, src: number, n: number): void {
    if (n <= 0 || dst === src) return;
    const cap = this.#cap;
    if (dst < src) {
      for (let i = 0; i < n; ) {
        const a = this.#slot(src + i);
        const b = this.#slot(dst + i);
        const k = Math.min(n - i, cap - a, cap - b);
        this.#copy(b, a, k);
        i += k;
      }
    } else {
      for (let i = n; i > 0; ) {
        const a = this.#slot(src + i - 1) + 1;
        const b = this.#slot(dst + i - 1) + 1;
        const k = Math.min(i, a, b);
        this.#copy(b - k, a - k, k);
        i -= k;
      }
    }
  }

  /** copyWithin on every column: k slots from `from` to `to` (no wrap on either side). */
  #copy(to: number, from: number, k: number): void {
    this.#ids.copyWithin(to, from, from + k);
    this.#pos.copyWithin(to, from, from + k);
    this.#msg.copyWithin(to, from, from + k);
    this.#flags.copyWithin(to, from, from + k);
  }

  clear(): void {
    this.#head = 0;
    this.#len = 0;
  }

  id(i: number): number {
    return this.#ids[this.#slot(i)];
  }
  pos(i: number): number {
    return this.#pos[this.#slot(i)];
  }
  msg(i: number): number {
    return this.#msg[this.#slot(i)];
  }
  flags(i: number): number {
    return this.#flags[this.#slot(i)];
  }

  /** Copies token ids [from, to) into a new Int32Array. */
  ids(from = 0, to = this.#len): Int32Array {
    const out = new Int32Array(to - from);
    if (to <= from) return out;
    const a = this.#slot(from);
    const first = Math.min(to - from, this.#cap - a);
    out.set(this.#ids.subarray(a, a + first));
    if (first < to - from) out.set(this.#ids.subarray(0, to - from - first), first);
    return out;
  }

  /** Copies token ids [from, to) into out[0, to - from). */
  copyIds(from: number, to: number, out: Int32Array): void {
    if (to <= from) return;
    const a = this.#slot(from);
    const first = Math.min(to - from, this.#cap - a);
    const ids = this.#ids;
    for (let i = 0; i < first; i++) out[i] = ids[a + i];
    for (let i = first; i < to - from; i++) out[i] = ids[i - first];
  }

  /** Index of the token at conversation position `pos`, or -1 (positions ascend along the ring). O(log n). */
  indexOfPos(pos: number): number {
    let lo = 0;
    let hi = this.#len - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.#pos[this.#slot(mid)];
      if (p === pos) return mid;
      if (p < pos) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the first token in [from, to) whose flags include `mask`, or -1. */
  findFlag(mask: number, from: number, to: number): number {
    for (let i = from; i < to; i++) if (this.#flags[this.#slot(i)] & mask) return i;
    return -1;
  }

  #grow(cap: number): void {
    const copy = <T extends Int32Array | Uint8Array>(src: T, make: (n: number) => T): T => {
      const out = make(cap);
      for (let i = 0; i < this.#len; i++) out[i] = src[this.#slot(i)];
      return out;
    };
    this.#ids = copy(this.#ids, (n) => new Int32Array(n));
    this.#pos = copy(this.#pos, (n) => new Int32Array(n));
    this.#msg = copy(this.#msg, (n) => new Int32Array(n));
    this.#flags = copy(this.#flags, (n) => new Uint8Array(n));
    this.#head = 0;
    this.#cap = cap;
  }
}
