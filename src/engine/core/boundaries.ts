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

/**
 * Flags the tokens that start a sentence, from each token's decoded text (cached by the tokenizer).
 * Computed once per message when it is appended. The first token of a message always starts one.
 * "3.14" and "e.g.x" are not boundaries: a terminator must be followed by whitespace or a newline.
 */
export function sentenceFlags(ids: ArrayLike<number>, decodeToken: (id: number) => string): Uint8Array {
  const flags = new Uint8Array(ids.length);
  let state = State.Ended;
  let prev = '';
  for (let i = 0; i < ids.length; i++) {
    const s = decodeToken(ids[i]);
    if (s === '.' && ABBREVIATIONS.has(prev.trim().toLowerCase())) {
      state = State.None;
      prev = s;
      continue;
    }
    prev = s;
    let j = 0;
    // leading whitespace of this token
    while (j < s.length && isSpace(s.charCodeAt(j))) {
      if (state === State.AfterTerminator || s.charCodeAt(j) === 10) state = State.Ended;
      j++;
    }
    if (j < s.length) {
      if (state === State.Ended) flags[i] = FLAG_SENTENCE_START;
      state = scanRest(s, j);
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
