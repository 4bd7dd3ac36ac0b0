import type { BpeData } from './bpeData.js';

/** A growing list of token ids. */
export class IdList {
  ids = new Int32Array(1024);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) this.#grow(this.length + 1);
    this.ids[this.length++] = id;
  }

  pushAll(ids: Int32Array): void {
    if (this.length + ids.length > this.ids.length) this.#grow(this.length + ids.length);
    this.ids.set(ids, this.length);
    this.length += ids.length;
  }

  #grow(min: number): void {
    const next = new Int32Array(Math.max(min, this.ids.length * 2));
    next.set(this.ids.subarray(0, this.length));
    this.ids = next;
  }
}

/** Pre-tokens cached at most; the cache starts over when full (ids never depend on it). */
const CACHE_ENTRIES = 1 << 16;
const NO_MERGE = 0x7fffffff;
/** Words of more bytes than this merge through a heap (#mergeLong), shorter ones by scanning. */
const LONG_WORD = 48;
/** Heap keys are rank * POSITIONS + position: exact in a double for ranks below 2^29. */
const POSITIONS = 2 ** 24;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** transformers.js's clean_up_tokenization, for tokenizers whose config asks for it. */
const cleanUpSpaces = (text: string): string =>
  text.replace(/ \./g, '.').replace(/ \?/g, '?').replace(/ !/g, '!').replace(/ ,/g, ',').replace(/ ' /g, "'").replace(/ n't/g, "n't").replace(/ 'm/g, "'m").replace(/ 's/g, "'s").replace(/ 've/g, "'ve").replace(/ 're/g, "'re");

/**
 * Byte-level BPE over BpeData, giving the ids transformers.js gives for the same tokenizer.json:
 * added tokens are matched first (leftmost, longest), the text between them is normalized (NFC when
 * the tokenizer says so) and split by the pre-tokenizer regex, and each pre-token's UTF-8 bytes are
 * merged lowest rank first, leftmost on ties. A pre-token's ids are cached by its text.
 */
export class ByteLevelBpe {
  readonly data: BpeData;
  #pattern: RegExp;
  #addedPattern: RegExp | undefined;
  #addedIds = new Map<string, number>();
  #addedContent = new Map<number, string>();
  /** 1 for an added token whose id is also in the vocabulary's range (it decodes as its content). */
  #addedInVocab: Uint8Array;
  /** Pre-token text to its ids: a number for one token, else an Int32Array. */
  #cache = new Map<string, number | Int32Array>();
  #sym = new Int32Array(256);
  #rank = new Int32Array(256);
  #merge = new Int32Array(256);
  #bytes = new Uint8Array(1024);
  #next = new Int32Array(0);
  #prev = new Int32Array(0);
  #version = new Int32Array(0);
  #heapKey = new Float64Array(0);
  #heapVersion = new Int32Array(0);
  #heapSize = 0;
  #utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(data: BpeData) {
    this.data = data;
    const h = data.header;
    this.#pattern = new RegExp(h.pattern.source, h.pattern.flags.includes('g') ? h.pattern.flags : `${h.pattern.flags}g`);
    this.#addedInVocab = new Uint8Array(h.vocabSize);
    for (const t of h.added) {
      this.#addedIds.set(t.content, t.id);
      this.#addedContent.set(t.id, t.content);
      if (t.id >= 0 && t.id < h.vocabSize) this.#addedInVocab[t.id] = 1;
    }
    if (h.added.length > 0) {
      const longestFirst = [...this.#addedIds.keys()].sort((a, b) => b.length - a.length);
      this.#addedPattern = new RegExp(longestFirst.map(escapeRegExp).join('|'), 'g');
    }
  }

  /** The ids of `text`, appended to `out`. */
  encodeInto(text: string, out: IdList): void {
    const added = this.#addedPattern;
    if (added === undefined) return this.#encodeSection(text, out);
    let from = 0;
    added.lastIndex = 0;
    for (let m = added.exec(text); m !== null; m = added.exec(text)) {
      if (m.index > from) this.#encodeSection(text.slice(from, m.index), out);
      out.push(this.#addedIds.get(m[0])!);
      from = m.index + m[0].length;
    }
    if (from < text.length) this.#encodeSection(from === 0 ? text : text.slice(from), out);
  }

  /** Text without added tokens: normalize, pre-tokenize, BPE each pre-token. */
  #encodeSection(text: string, out: IdList): void {
    if (this.data.header.normalizer === 'NFC') text = text.normalize('NFC');
    const words = text.match(this.#pattern);
    if (words === null) {
      if (this.data.header.keepGaps && text.length > 0) this.#encodeWord(text, out);
      return;
    }
    let covered = 0;
    for (let i = 0; i < words.length; i++) covered += words[i].length;
    if (covered === text.length || !this.data.header.keepGaps) {
      for (let i = 0; i < words.length; i++) if (words[i].length > 0) this.#encodeWord(words[i], out);
      return;
    }
    // some text falls between matches: a Split 'Isolated' pre-tokenizer keeps it as pre-tokens too
    const pattern = this.#pattern;
    let from = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      if (m.index > from) this.#encodeWord(text.slice(from, m.index), out);
      this.#encodeWord(m[0], out);
      from = m.index + m[0].length;
    }
    if (from < text.length) this.#encodeWord(text.slice(from), out);
  }

  #encodeWord(word: string, out: IdList): void {
    const hit = this.#cache.get(word);
    if (hit !== undefined) {
      if (typeof hit === 'number') out.push(hit);
      else out.pushAll(hit);
      return;
    }
    const n = this.#merge_(word);
    const value = n === 1 ? this.#sym[0] : this.#sym.slice(0, n);
    if (this.#cache.size >= CACHE_ENTRIES) this.#cache.clear();
    this.#cache.set(word, value);
    if (typeof value === 'number') out.push(value);
    else out.pushAll(value);
  }

  /** BPE of one pre-token; its tokens are left in #sym[0, n), n returned. */
  #merge_(word: string): number {
    const n = this.#toByteSymbols(word);
    return n > LONG_WORD && n < POSITIONS ? this.#mergeLong(n) : this.#mergeShort(n);
  }

  /** Short words: scan for the lowest-rank pair each round (O(n²) in a few machine words). */
  #mergeShort(symbols: number): number {
    let n = symbols;
    const sym = this.#sym;
    const rank = this.#rank;
    const merge = this.#merge;
    for (let i = 0; i + 1 < n; i++) this.#lookup(i, sym[i], sym[i + 1]);
    for (;;) {
      let best = NO_MERGE;
      let at = -1;
      for (let i = 0; i + 1 < n; i++) {
        if (rank[i] < best) {
          best = rank[i];
          at = i;
        }
      }
      if (at < 0) return n;
      sym[at] = this.data.mergeResult[merge[at]];
      sym.copyWithin(at + 1, at + 2, n);
      rank.copyWithin(at + 1, at + 2, n);
      merge.copyWithin(at + 1, at + 2, n);
      n--;
      if (at + 1 < n) this.#lookup(at, sym[at], sym[at + 1]);
      else rank[at] = NO_MERGE;
      if (at > 0) this.#lookup(at - 1, sym[at - 1], sym[at]);
    }
  }

  /**
   * Long words (up to MAX_PRETOKEN_BYTES bytes and more): a heap of candidate pairs keyed by rank then
   * position, over a linked list of symbols, O(n log n). A pair whose symbols changed since it was
   * pushed is skipped when popped (its position's version moved on).
   */
  #mergeLong(n: number): number {
    if (this.#next.length < n + 1) {
      this.#next = new Int32Array(n + 1);
      this.#prev = new Int32Array(n + 1);
      this.#version = new Int32Array(n + 1);
      this.#heapKey = new Float64Array(2 * n + 2);
      this.#heapVersion = new Int32Array(2 * n + 2);
    }
    const sym = this.#sym;
    const next = this.#next;
    const prev = this.#prev;
    const version = this.#version;
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
      version[i] = 0;
    }
    this.#heapSize = 0;
    for (let i = 0; i + 1 < n; i++) this.#pushPair(i, sym[i], sym[i + 1]);
    const result = this.data.mergeResult;
    while (this.#heapSize > 0) {
      const key = this.#heapKey[0];
      const seen = this.#heapVersion[0];
      this.#popHeap();
      const i = key % POSITIONS;
      if (version[i] !== seen) continue; // stale: the symbols at i changed since this pair was pushed
      const j = next[i];
      sym[i] = result[this.#merge[i]];
      const k = next[j];
      next[i] = k;
      if (k >= 0) prev[k] = i;
      version[j] = -1;
      version[i]++;
      if (k >= 0) this.#pushPair(i, sym[i], sym[k]);
      const p = prev[i];
      if (p >= 0) {
        version[p]++;
        this.#pushPair(p, sym[p], sym[i]);
      }
    }
    let out = 0;
    for (let i = 0; i >= 0; i = next[i]) sym[out++] = sym[i];
    return out;
  }

  /** Pushes the pair at position i (symbols a, b) when the tokens merge; its merge row goes to #merge[i]. */
  #pushPair(i: number, a: number, b: number): void {
    this.#lookup(i, a, b);
    const rank = this.#rank[i];
    if (rank === NO_MERGE) return;
    let at = this.#heapSize++;
    const key = rank * POSITIONS + i;
    const keys = this.#heapKey;
    const versions = this.#heapVersion;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[at] = keys[parent];
      versions[at] = versions[parent];
      at = parent;
    }
    keys[at] = key;
    versions[at] = this.#version[i];
  }

  #popHeap(): void {
    const keys = this.#heapKey;
    const versions = this.#heapVersion;
    const size = --this.#heapSize;
    if (size === 0) return;
    const key = keys[size];
    const version = versions[size];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      keys[at] = keys[child];
      versions[at] = versions[child];
      at = child;
    }
    keys[at] = key;
    versions[at] = version;
  }

  /** The merge of tokens a and b, if any, into rank[i] and merge[i]. */
  #lookup(i: number, a: number, b: number): void {
    const { mergeStart, mergeRight, mergeRank } = this.data;
    let lo = mergeStart[a];
    let hi = mergeStart[a + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = mergeRight[mid];
      if (r < b) lo = mid + 1;
      else if (r > b) hi = mid - 1;
      else {
        this.#rank[i] = mergeRank[mid];
        this.#merge[i] = mid;
        return;
      }
    }
    this.#rank[i] = NO_MERGE;
  }

  /** The word's UTF-8 bytes (a lone surrogate as U+FFFD, as TextEncoder writes it) as byte tokens in #sym. */
  #toByteSymbols(word: string): number {
    if (this.#sym.length < word.length * 3) {
      const size = word.length * 3;
      this.#sym = new Int32Array(size);
      this.#rank = new Int32Array(size);
      this.#merge = new Int32Array(size);
    }
    const sym = this.#sym;
    const ids = this.data.header.byteIds;
    let n = 0;
    for (let i = 0; i < word.length; i++) {
      let c = word.charCodeAt(i);
      if (c < 0x80) {
        sym[n++] = ids[c];
        continue;
      }
      if (c < 0x800) {
        sym[n++] = ids[0xc0 | (c >> 6)];
        sym[n++] = ids[0x80 | (c & 63)];
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = word.charCodeAt(i + 1);
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          sym[n++] = ids[0xf0 | (cp >> 18)];
          sym[n++] = ids[0x80 | ((cp >> 12) & 63)];
          sym[n++] = ids[0x80 | ((cp >> 6) & 63)];
          sym[n++] = ids[0x80 | (cp & 63)];
          i++;
          continue;
        }
        c = 0xfffd;
      }
      sym[n++] = ids[0xe0 | (c >> 12)];
      sym[n++] = ids[0x80 | ((c >> 6) & 63)];
      sym[n++] = ids[0x80 | (c & 63)];
    }
    return n;
  }

  /** The text of these ids: byte tokens' bytes as UTF-8 (bad sequences as U+FFFD), added tokens as they are. */
  decode(ids: ArrayLike<number>): string {
    const { tokenStart, tokenBytes, header } = this.data;
    const vocabSize = header.vocabSize;
    const added = this.#addedContent;
    const hasAdded = this.#addedInVocab;
    let bytes = this.#bytes;
    let text = '';
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id >= 0 && id < vocabSize && hasAdded[id] === 0) {
        const from = tokenStart[id];
        const to = tokenStart[id + 1];
        if (n + to - from > bytes.length) {
          const grown = new Uint8Array(Math.max(bytes.length * 2, n + to - from));
          grown.set(bytes.subarray(0, n));
          this.#bytes = bytes = grown;
        }
        for (let b = from; b < to; b++) bytes[n++] = tokenBytes[b];
        continue;
      }
      const content = added.get(id);
      if (content === undefined) continue; // transformers.js decodes an unknown id to nothing
      if (n > 0) text += this.#utf8.decode(bytes.subarray(0, n));
      n = 0;
      text += content;
    }
    if (n > 0) text += this.#utf8.decode(bytes.subarray(0, n));
    return header.cleanUpSpaces ? cleanUpSpaces(text) : text;
  }
}
