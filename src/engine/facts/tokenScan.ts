/**
 * The fact scan's first pass, on token ids instead of text: what each token's text could contribute to
 * the extractor's two checks (extract.ts MAY_STATE and MAY_READ), cached per token id, so a sentence is
 * tested by OR-ing a few bytes and only the sentences that may pass both checks are cut out of their
 * message and read. Exact in one direction: every sentence the checks accept passes here (the extractor
 * then runs the checks themselves), shown by a property test over random text.
 *
 * A check matches a character (one token holds it whole, or the token is a fragment of a character and
 * counts as matching anything), " - " (a dash at a token's edge counts), or a whole word (\b…\b). A word
 * inside one token's text is found by the check on that text (the token's edges are word boundaries
 * there: a superset); a word split across tokens ("m" + "y") is joined from the word characters at the
 * tokens' edges and looked up.
 *
 * The same cache gives each token's text length, so a sentence's text is a slice of its message
 * (`charOffsets`) rather than a decode of its tokens.
 */
import type { Tokenizer } from '../core/tokenizer.js';
import { READ_WORDS, STATE_WORDS, MAY_READ, MAY_STATE } from './extract.js';

/** A token may match the first check (MAY_STATE), the second (MAY_READ). */
const STATE = 1;
const READ = 2;
/** Every character of the token's text is a word character (\w: A–Z, a–z, 0–9, _). */
const ALL_WORD = 4;
/** The token's text is known (its cache entry is filled). */
const KNOWN = 8;
/** The token is part of a character (its text has U+FFFD): its length in the message is unknown. */
const FRAGMENT = 16;
/** The word characters that close the token could begin a checked word ("wa" of "was"). */
const TAIL_BEGINS = 32;
/** The word characters that open the token could continue one ("s" of "was"). */
const HEAD_CONTINUES = 64;
/** The token opens with whitespace, closes with it. */
const WS_START = 128;
const WS_END = 256;
/** " - " across tokens: the token opens with "-" and whitespace ("- 7": needs whitespace before it), is "-" alone, closes with whitespace and "-". */
const DASH_OPENS = 512;
const DASH_ALONE = 1024;
const DASH_CLOSES = 2048;
const DASHES = DASH_OPENS | DASH_ALONE | DASH_CLOSES;

const SPACE = /\s/;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(String.fromCharCode(c)));
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const STATE_WORD_SET = new Set(STATE_WORDS);
const READ_WORD_SET = new Set(READ_WORDS);
const ALL_WORDS = [...STATE_WORD_SET, ...READ_WORD_SET];
const LONGEST_WORD = Math.max(...ALL_WORDS.map((w) => w.length));
const begins = (piece: string): boolean => piece.length <= LONGEST_WORD && ALL_WORDS.some((w) => w.startsWith(piece));
const continues = (piece: string): boolean => piece.length <= LONGEST_WORD && ALL_WORDS.some((w) => w.includes(piece, 1));

/** Per token id: the bits above, its text's length, and how many word characters open and close it (≤ 255). */
interface TokenTable {
  bits: Uint16Array;
  lengths: Uint16Array;
  heads: Uint8Array;
  tails: Uint8Array;
}

const tables = new WeakMap<Tokenizer, TokenTable>();

function grow(t: TokenTable, id: number): void {
  const size = Math.max(id + 1, t.bits.length * 2);
  const next = (a: Uint8Array | Uint16Array) => {
    const b = new (a.constructor as Uint8ArrayConstructor | Uint16ArrayConstructor)(size);
    b.set(a);
    return b;
  };
  t.bits = next(t.bits) as Uint16Array;
  t.lengths = next(t.lengths) as Uint16Array;
  t.heads = next(t.heads) as Uint8Array;
  t.tails = next(t.tails) as Uint8Array;
}

/** Fills token id's entry from its text. */
function learn(t: TokenTable, id: number, text: string): void {
  let bits = KNOWN;
  if (MAY_STATE.test(text)) bits |= STATE;
  if (MAY_READ.test(text)) bits |= READ;
  const n = text.length;
  if (n > 0 && isSpace(text.charCodeAt(0))) bits |= WS_START;
  if (n > 0 && isSpace(text.charCodeAt(n - 1))) bits |= WS_END;
  if (text === '-') bits |= DASH_ALONE;
  else if (n > 1 && text.charCodeAt(0) === 45 && isSpace(text.charCodeAt(1))) bits |= DASH_OPENS;
  if (n > 1 && text.charCodeAt(n - 1) === 45 && isSpace(text.charCodeAt(n - 2))) bits |= DASH_CLOSES;
  // part of a character: it may be part of a quote or a dash, and its length in the text is unknown
  if (text.includes('\uFFFD')) bits |= STATE | READ | FRAGMENT;
  let head = 0;
  while (head < text.length && isWordChar(text.charCodeAt(head))) head++;
  let tail = 0;
  while (tail < text.length && isWordChar(text.charCodeAt(text.length - 1 - tail))) tail++;
  if (head === text.length && text.length > 0) bits |= ALL_WORD;
  if (tail > 0 && begins(text.slice(text.length - tail).toLowerCase())) bits |= TAIL_BEGINS;
  if (head > 0 && continues(text.slice(0, head).toLowerCase())) bits |= HEAD_CONTINUES;
  t.bits[id] = bits;
  t.lengths[id] = Math.min(0xffff, text.length);
  t.heads[id] = Math.min(255, head);
  t.tails[id] = Math.min(255, tail);
}

/** The table for `tokenizer`, with every token of `ids` in it. */
function tableFor(tokenizer: Tokenizer, ids: Int32Array): TokenTable {
  let t = tables.get(tokenizer);
  if (!t) tables.set(tokenizer, (t = { bits: new Uint16Array(1 << 16), lengths: new Uint16Array(1 << 16), heads: new Uint8Array(1 << 16), tails: new Uint8Array(1 << 16) }));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id >= t.bits.length) grow(t, id);
    if (t.bits[id] === 0) learn(t, id, tokenizer.decodeToken(id));
  }
  return t;
}

/**
 * The word split across tokens a..b-1 of ids that starts in token k (its last `tails[k]` characters) and
 * ends where the word characters do (within tokens [k, end)): lower case, or undefined when longer than
 * any checked word.
 */
function joinedWord(tokenizer: Tokenizer, t: TokenTable, ids: Int32Array, k: number, end: number): string | undefined {
  let length = t.tails[ids[k]];
  let j = k + 1;
  for (; j < end && t.bits[ids[j]] & ALL_WORD; j++) length += t.lengths[ids[j]];
  if (j < end) length += t.heads[ids[j]];
  if (length > LONGEST_WORD) return undefined;
  const first = tokenizer.decodeToken(ids[k]);
  let word = first.slice(first.length - t.tails[ids[k]]);
  for (let m = k + 1; m < j; m++) word += tokenizer.decodeToken(ids[m]);
  if (j < end) word += tokenizer.decodeToken(ids[j]).slice(0, t.heads[ids[j]]);
  return word.toLowerCase();
}

/** A scanner for one message's tokens: which sentences may state a fact, and where each token starts in the text. */
export interface TokenScan {
  /** False when tokens [a, b) cannot pass the extractor's two checks (true may still fail them). */
  mayState(a: number, b: number): boolean;
  /** charOffsets for this message, from the table the scan already filled. */
  charOffsets(content: string): Int32Array | undefined;
}

export function tokenScan(tokenizer: Tokenizer, ids: Int32Array): TokenScan {
  const t = tableFor(tokenizer, ids);
  const { bits, tails } = t;
  return {
    mayState(a: number, b: number): boolean {
      let any = 0;
      for (let k = a; k < b; k++) any |= bits[ids[k]];
      if ((any & (STATE | READ)) === (STATE | READ)) return true;
      // " - " across tokens (in both checks)
      if (any & DASHES && dashAcross(bits, ids, a, b)) return true;
      if ((any & TAIL_BEGINS) === 0) return false;
      // words split across tokens: join each run of word characters that crosses a token edge
      for (let k = a; k + 1 < b; k++) {
        const id = ids[k];
        if ((bits[id] & TAIL_BEGINS) === 0 || (bits[ids[k + 1]] & HEAD_CONTINUES) === 0) continue;
        // the run starts here unless this token is all word characters and continues one from the left
        if (bits[id] & ALL_WORD && k > a && tails[ids[k - 1]] > 0) continue;
        const word = joinedWord(tokenizer, t, ids, k, b);
        if (word === undefined) continue;
        if (STATE_WORD_SET.has(word)) any |= STATE;
        if (READ_WORD_SET.has(word)) any |= READ;
        if ((any & (STATE | READ)) === (STATE | READ)) return true;
      }
      return false;
    },
    charOffsets: (content) => offsetsOf(t, ids, content),
  };
}

/** Whether tokens [a, b) hold whitespace, "-", whitespace with the dash at a token's edge. */
function dashAcross(bits: Uint16Array, ids: Int32Array, a: number, b: number): boolean {
  for (let k = a; k < b; k++) {
    const bk = bits[ids[k]];
    if ((bk & DASHES) === 0) continue;
    const before = k > a && (bits[ids[k - 1]] & WS_END) !== 0;
    const after = k + 1 < b && (bits[ids[k + 1]] & WS_START) !== 0;
    if ((bk & DASH_OPENS && before) || (bk & DASH_ALONE && before && after) || (bk & DASH_CLOSES && after)) return true;
  }
  return false;
}

/** charOffsets' answer, reused message after message (read before the next message is scanned). */
let offsetScratch = new Int32Array(1024);

/**
 * Where each token of a message starts in its text: the sum of the tokens' own texts' lengths, so a
 * sentence's text is a slice of the message, not a decode of its tokens. Undefined when the lengths do
 * not add up to the text's, when a token is part of a character (a byte-level token may split one), or
 * when the text is not in the form the tokenizer reads it (NFC): then sentences are decoded. The array
 * is reused: it holds this answer until the next call.
 */
export function charOffsets(tokenizer: Tokenizer, ids: Int32Array, content: string): Int32Array | undefined {
  return offsetsOf(tableFor(tokenizer, ids), ids, content);
}

/** charOffsets with a table that holds every token of `ids`. */
function offsetsOf(t: TokenTable, ids: Int32Array, content: string): Int32Array | undefined {
  if (offsetScratch.length < ids.length + 1) offsetScratch = new Int32Array(Math.max(ids.length + 1, offsetScratch.length * 2));
  const out = offsetScratch;
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (t.bits[id] & FRAGMENT) return undefined;
    out[i] = at;
    at += t.lengths[id];
  }
  out[ids.length] = at;
  if (at !== content.length) return undefined;
  return MAY_NORMALIZE.test(content) && content.normalize('NFC') !== content ? undefined : out;
}

/**
 * Characters outside Latin (tabs, newlines, U+0020–U+02FF) and most of General Punctuation (U+2002–U+206F: quotes, dashes,
 * ellipsis): text of only those is NFC as it is (no combining marks, no singletons), so the common case
 * skips normalize().
 */
const MAY_NORMALIZE = /[^\t\n\r\x20-\u02ff\u2002-\u206f]/;
