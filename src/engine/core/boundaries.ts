import { FLAG_SENTENCE_START } from './tokenRing.js';

const TERMINATORS = new Set(['.', '!', '?', '…']);
/** CJK full stops end a sentence without a following space. */
const TIGHT_TERMINATORS = new Set(['。', '！', '？']);
/** Titles and Latin abbreviations whose period does not end a sentence ("Dr. Okafor"). */
const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'prof', 'sr', 'jr', 'st', 'vs', 'e.g', 'i.e', 'cf', 'approx', 'no', 'fig']);
const CLOSERS = new Set(['"', "'", ')', ']', '}', '»', '”', '’', '*', '_', '`']);

const enum State {
  None,
  /** Saw a terminator: a space next would end the sentence. */
  AfterTerminator,
  /** Sentence ended: the next non-space token starts a new one. */
  Ended,
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;

// What the scan needs of one token's text, as bits (computed once per token id by SentenceScanner).
const KNOWN = 1;
/** The text is exactly ".". */
const DOT = 2;
/** As the previous token, the text is a title or abbreviation whose period does not end a sentence. */
const ABBREV = 4;
/** The text starts with whitespace. */
const LEAD_SPACE = 8;
/** Its leading whitespace has a newline. */
const LEAD_NEWLINE = 16;
/** It has a non-space part (its state after that part is in bits 6-7). */
const HAS_REST = 32;
const REST_SHIFT = 6;

/** The scan's bits for one token's text. */
export function tokenClass(s: string): number {
  let c = KNOWN;
  if (s === '.') c |= DOT;
  if (ABBREVIATIONS.has(s.trim().toLowerCase())) c |= ABBREV;
  let j = 0;
  while (j < s.length && isSpace(s.charCodeAt(j))) {
    c |= LEAD_SPACE;
    if (s.charCodeAt(j) === 10) c |= LEAD_NEWLINE;
    j++;
  }
  if (j < s.length) c |= HAS_REST | (scanRest(s, j) << REST_SHIFT);
  return c;
}

/**
 * Flags the tokens that start a sentence, from each token's decoded text (cached by the tokenizer).
 * Computed once per message when it is appended. The first token of a message always starts one.
 * "3.14" and "e.g.x" are not boundaries: a terminator must be followed by whitespace or a newline.
 */
export function sentenceFlags(ids: ArrayLike<number>, decodeToken: (id: number) => string): Uint8Array {
  return scanFlags(ids, (id) => tokenClass(decodeToken(id)));
}

/**
 * `sentenceFlags` over a cache of each token id's scan bits, so that a token seen before costs a
 * typed-array read instead of a string scan. `decodeToken` is called for ids not seen before; `cached`
 * counts the tokens answered without it (the tokenizer's own decode cache holds every id this one
 * does, so each would have been a hit there).
 */
export class SentenceScanner {
  readonly #decodeToken: (id: number) => string;
  #classes = new Uint8Array(1024);
  readonly #far = new Map<number, number>();
  /** Tokens classified from this cache, without calling decodeToken. */
  cached = 0;

  constructor(decodeToken: (id: number) => string) {
    this.#decodeToken = decodeToken;
  }

  flags(ids: ArrayLike<number>): Uint8Array {
    const out = new Uint8Array(ids.length);
    this.flagsInto(ids, out);
    return out;
  }

  /**
   * The flags of `ids` written into out[0, ids.length) (the rest of `out` is left as it was): what
   * `flags` gives, without a new array per message. The scan reads each id's bits from the dense
   * cache inline and classifies an id only the first time it is met.
   */
  flagsInto(ids: ArrayLike<number>, out: Uint8Array): void {
    const n = ids.length;
    let classes = this.#classes;
    let cached = 0;
    let state: number = State.Ended;
    let prevAbbrev = false;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      let c = id >= 0 && id < classes.length ? classes[id] : 0;
      if (c !== 0) cached++;
      else {
        const known = this.#far.get(id);
        if (known !== undefined) {
          cached++;
          c = known;
        } else {
          c = this.#classify(id);
          classes = this.#classes;
        }
      }
      out[i] = 0;
      if (c & DOT && prevAbbrev) {
        state = State.None;
        prevAbbrev = false; // "." is no abbreviation
        continue;
      }
      prevAbbrev = (c & ABBREV) !== 0;
      // leading whitespace ends a sentence after a terminator, a newline in it always
      if (c & LEAD_SPACE && (state === State.AfterTerminator || c & LEAD_NEWLINE)) state = State.Ended;
      if (c & HAS_REST) {
        if (state === State.Ended) out[i] = FLAG_SENTENCE_START;
        state = (c >> REST_SHIFT) & 3;
      }
    }
    if (n > 0) out[0] = FLAG_SENTENCE_START;
    this.cached += cached;
  }

  /** An id met for the first time: its bits, decoded and scanned once, then cached. */
  #classify(id: number): number {
    const c = tokenClass(this.#decodeToken(id));
    if (id >= 0 && id < MAX_DENSE_ID) {
      if (id >= this.#classes.length) this.#grow(id);
      this.#classes[id] = c;
    } else this.#far.set(id, c);
    return c;
  }

  #grow(id: number): void {
    const next = new Uint8Array(Math.min(MAX_DENSE_ID, Math.max(id + 1, this.#classes.length * 2)));
    next.set(this.#classes);
    this.#classes = next;
  }
}

/** Ids below this are cached in a typed array (vocabularies are a few hundred thousand at most). */
const MAX_DENSE_ID = 1 << 22;

function scanFlags(ids: ArrayLike<number>, classOf: (id: number) => number): Uint8Array {
  const flags = new Uint8Array(ids.length);
  let state: number = State.Ended;
  let prevAbbrev = false;
  for (let i = 0; i < ids.length; i++) {
    const c = classOf(ids[i]);
    if (c & DOT && prevAbbrev) {
      state = State.None;
      prevAbbrev = false; // "." is no abbreviation
      continue;
    }
    prevAbbrev = (c & ABBREV) !== 0;
    // leading whitespace ends a sentence after a terminator, a newline in it always
    if (c & LEAD_SPACE && (state === State.AfterTerminator || c & LEAD_NEWLINE)) state = State.Ended;
    if (c & HAS_REST) {
      if (state === State.Ended) flags[i] = FLAG_SENTENCE_START;
      state = (c >> REST_SHIFT) & 3;
    }
  }
  if (ids.length > 0) flags[0] = FLAG_SENTENCE_START;
  return flags;
}

/** State after the non-space part of a token starting at index j. */
function scanRest(s: string, j: number): State {
  let state = State.None;
  for (let k = j; k < s.length; k++) {
    const ch = s[k];
    const c = s.charCodeAt(k);
    if (isSpace(c)) {
      if (state === State.AfterTerminator || c === 10) state = State.Ended;
    } else if (TIGHT_TERMINATORS.has(ch)) state = State.Ended;
    else if (TERMINATORS.has(ch)) state = state === State.Ended ? State.Ended : State.AfterTerminator;
    else if (CLOSERS.has(ch)) {
      if (state !== State.AfterTerminator && state !== State.Ended) state = State.None;
    } else state = State.None;
  }
  return state;
}
