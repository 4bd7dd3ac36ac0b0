/**
 * Terms for the lexical (BM25) side of recall. Users ask about facts, so numbers, codes and names must
 * survive as exact terms: "4417", "alpha-7", "10:30", "v2.1", "1,200" (kept as "1200").
 *
 * Pipeline: NFKD + strip combining marks (so "Inês" matches "Ines"), lowercase, split on anything that
 * is not a letter or digit except single connectors inside a word (- _ . , / : and apostrophes), drop a
 * possessive "'s", then:
 * - a compound with a digit is kept whole and also split into its parts ("alpha-7" -> alpha-7, alpha, 7),
 *   so both "alpha-7" and "alpha 7" find it and the exact compound scores higher;
 * - a compound without digits is split into its parts ("Jean-Luc" -> jean, luc);
 * - parts in a small English stopword list are dropped (compounds with digits never are).
 */
const TOKEN = /[\p{L}\p{N}]+(?:[-_.,/:'’][\p{L}\p{N}]+)*/gu;
const CONNECTORS = /[-_.,/:]+/u;
const DIGIT = /\p{N}/u;
const MARKS = /\p{M}+/gu;
const THOUSANDS = /(?<=\p{N}),(?=\p{N}{3}(?!\p{N}))/gu;

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about am an and any are as at be been but by can could did do does for from had has have he her ' +
    'here him his how i if in into is it its me my of on or our ours she so some than that the their ' +
    'them then there these they this those to us was we were what when where which while who whom whose ' +
    'why will with would you your yours'
  ).split(' '),
);

const PLAIN_WORD = /^[a-z]+$/u;
const PLAIN_TEXT = /^[\x20-\x7e\t\n\r]*$/u;
const APOSTROPHE = /['’]/u;

function pushParts(compound: string, out: string[]): void {
  for (const part of compound.split(CONNECTORS)) {
    if (part !== '' && !STOPWORDS.has(part)) out.push(part);
  }
}

/** Appends the terms of one raw token (already lowercased and accent-free) to `out`. */
function expandToken(raw: string, out: string[]): void {
  // most tokens are plain words: no apostrophe, digit or connector to handle
  if (PLAIN_WORD.test(raw)) {
    if (!STOPWORDS.has(raw)) out.push(raw);
    return;
  }
  const word = APOSTROPHE.test(raw) ? raw.replace(/['’]s$/u, '').replace(/['’]/gu, '') : raw;
  if (word === '') return;
  if (!DIGIT.test(word)) {
    pushParts(word, out);
    return;
  }
  const compound = word.replace(THOUSANDS, '');
  out.push(compound);
  if (CONNECTORS.test(compound)) pushParts(compound, out);
}

/** The index terms of `text`, in order, with repeats (term frequency matters to BM25). */
export function recallTerms(text: string): string[] {
  // printable ASCII has nothing to decompose or strip
  const folded = PLAIN_TEXT.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const out: string[] = [];
  for (const match of folded.matchAll(TOKEN)) expandToken(match[0], out);
  return out;
}

/** The distinct terms of a query, in first-seen order (a repeated query word must not count twice). */
export function queryTerms(query: string): string[] {
  return [...new Set(recallTermsInto(query, []))];
}

/**
 * Plain words (lowercase ASCII letters) seen before, keyed by their characters without building a string:
 * an open-addressing table of FNV-1a hashes → the word's term (its canonical string, shared by every
 * span that has it) or '' for a stopword. Cleared when full, so it stays bounded whatever the chat.
 */
class PlainWords {
  static readonly MAX = 1 << 15;
  #slots = new Int32Array(PlainWords.MAX * 2).fill(-1);
  #hash = new Int32Array(PlainWords.MAX);
  #words: string[] = [];
  #terms: string[] = [];

  /** The term of the lowercased `text[from, to)` (ASCII letters, any case) with FNV-1a hash `h`. */
  get(text: string, from: number, to: number, h: number): string {
    const mask = this.#slots.length - 1;
    const len = to - from;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.#slots[s];
      if (e < 0) return this.#insert(s, text.slice(from, to).toLowerCase(), h);
      if (this.#hash[e] !== h) continue;
      const w = this.#words[e];
      if (w.length !== len) continue;
      let i = 0;
      while (i < len && w.charCodeAt(i) === (text.charCodeAt(from + i) | 0x20)) i++;
      if (i === len) return this.#terms[e];
    }
  }

  #insert(slot: number, word: string, h: number): string {
    if (this.#words.length >= PlainWords.MAX) {
      this.#slots.fill(-1);
      this.#words = [];
      this.#terms = [];
      return this.get(word, 0, word.length, h);
    }
    const e = this.#words.length;
    const term = STOPWORDS.has(word) ? '' : word;
    this.#words.push(word);
    this.#terms.push(term);
    this.#hash[e] = h;
    this.#slots[slot] = e;
    return term;
  }
}

const plainWords = new PlainWords();

/**
 * The terms of a string under a pure function of it (expandToken of a raw token, recallTerms of a
 * non-ASCII chunk), remembered: names, numbers and codes recur through a chat. Cleared when full, so it
 * stays bounded whatever the chat; a remembered list is never handed out, only copied into `out`.
 */
class TermsMemo {
  static readonly MAX = 4096;
  readonly #terms = new Map<string, readonly string[]>();
  readonly #compute: (key: string, out: string[]) => void;

  constructor(compute: (key: string, out: string[]) => void) {
    this.#compute = compute;
  }

  /** Appends the terms of `key` to `out`. */
  into(key: string, out: string[]): void {
    const known = this.#terms.get(key);
    if (known !== undefined) {
      for (let i = 0; i < known.length; i++) out.push(known[i]);
      return;
    }
    const from = out.length;
    this.#compute(key, out);
    if (this.#terms.size >= TermsMemo.MAX) this.#terms.clear();
    this.#terms.set(key, out.slice(from));
  }
}

const tokenTerms = new TermsMemo(expandToken);
const chunkTerms = new TermsMemo((chunk, out) => {
  for (const t of recallTerms(chunk)) out.push(t);
});

// ASCII character classes: 1 letter, 2 digit, 4 connector (- _ . , / : and the ASCII apostrophe)
const ASCII_CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = ASCII_CLASS[c + 32] = 1;
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 2;
for (const c of "-_.,/:'") ASCII_CLASS[c.charCodeAt(0)] = 4;

/** ASCII whitespace: never inside a TOKEN match, and NFKD, mark stripping and lowercasing never look across it. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * recallTerms(text) appended to `out` (returns out): the same terms, found for ASCII text by one scan of
 * its characters (TOKEN's matches, lowercased on the fly, plain words looked up without making a
 * string). A whitespace-delimited chunk with any other character goes through recallTerms alone: the
 * full pipeline's steps are local to such chunks (NFKD reorders marks only up to a starter, Greek final
 * sigma looks only across letters and case-ignorable characters, matches never hold whitespace).
 */
export function recallTermsInto(text: string, out: string[]): string[] {
  const n = text.length;
  let chunkStart = 0;
  let chunkOut = out.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      i = fullChunk(text, chunkStart, out, chunkOut);
      continue;
    }
    if ((ASCII_CLASS[c] & 3) === 0) {
      i++;
      if (isSpace(c)) {
        chunkStart = i;
        chunkOut = out.length;
      }
      continue;
    }
    // one TOKEN match: alnum runs joined by single connectors followed by an alnum
    const from = i;
    let plain = true;
    let h = 0x811c9dc5 | 0;
    let d = c;
    for (;;) {
      while (i < n && d < 128 && (ASCII_CLASS[d] & 3) !== 0) {
        if (ASCII_CLASS[d] === 2) plain = false;
        h = Math.imul(h ^ (d | 0x20), 0x01000193);
        d = text.charCodeAt(++i);
      }
      if (i + 1 < n && d < 128 && ASCII_CLASS[d] === 4) {
        const e = text.charCodeAt(i + 1);
        if (e < 128 && (ASCII_CLASS[e] & 3) !== 0) {
          plain = false;
          d = text.charCodeAt(++i);
          continue;
        }
      }
      break;
    }
    if (i < n && d >= 128) {
      i = fullChunk(text, chunkStart, out, chunkOut);
      continue;
    }
    if (plain) {
      const term = plainWords.get(text, from, i, h);
      if (term !== '') out.push(term);
    } else tokenTerms.into(text.slice(from, i).toLowerCase(), out);
  }
  return out;
}

/** Replaces the terms of the chunk from `start` (out past `outAt`) by recallTerms of the whole chunk; returns its end. */
function fullChunk(text: string, start: number, out: string[], outAt: number): number {
  let end = start;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  out.length = outAt;
  chunkTerms.into(text.slice(start, end), out);
  return end;
}
