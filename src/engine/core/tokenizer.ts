import type { Role } from '../../shared/protocol.js';

export interface ChatMessage {
  role: Role;
  content: string;
}

/** What the engine needs from a tokenizer. Implemented over transformers.js tokenizers. */
export interface Tokenizer {
  /** Hub id or folder the tokenizer was loaded from. */
  readonly name: string;
  readonly hasChatTemplate: boolean;
  /**
   * Content tokens (no special tokens added). Long texts are encoded in chunks, and runs longer than
   * MAX_PRETOKEN_BYTES are cut (see splitForEncoding).
   */
  encode(text: string): Int32Array;
  /**
   * Tokens of an already rendered prompt (special tokens in the text are recognised), in one call
   * unless the text has runs longer than MAX_PRETOKEN_BYTES.
   */
  encodeRendered(text: string): Int32Array;
  /** encodeRendered(text).length. */
  countTokens(text: string): number;
  decode(ids: ArrayLike<number>): string;
  /** One token's text, from a cache after the first call. */
  decodeToken(id: number): string;
  readonly decodeCache: { hits: number; misses: number };
  /** The prompt text for these messages, through the tokenizer's chat template when it has one. */
  renderChat(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string;
}

/** The slice of a transformers.js PreTrainedTokenizer that we use. */
export interface HfTokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[] | bigint[], options?: { skip_special_tokens?: boolean }): string;
  apply_chat_template(messages: { role: string; content: string }[], options?: Record<string, unknown>): unknown;
  chat_template?: unknown;
}

/** Encoding a 1 MB string in one call is slow: long texts go in chunks of about this many chars. */
export const ENCODE_CHUNK_CHARS = 4096;

const isLetter = (c: string): boolean => /\p{L}/u.test(c);

/**
 * Cut points for chunked encoding: a single space between a non-space and a letter, where
 * BPE pre-tokenizers start a new word token (" word"), so chunked and whole encodings agree.
 */
export function chunkText(text: string, size = ENCODE_CHUNK_CHARS): string[] {
  if (text.length <= size) return [text];
  const out: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    let cut = -1;
    const min = start + (size >> 2);
    for (let j = start + size; j > min; j--) {
      if (text.charCodeAt(j) === 32 && text.charCodeAt(j - 1) !== 32 && !/\s/.test(text[j - 1]) && isLetter(text[j + 1] ?? '')) {
        cut = j;
        break;
      }
    }
    if (cut < 0) break; // no safe cut: encode the rest whole rather than risk a different tokenization
    out.push(text.slice(start, cut));
    start = cut;
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Longest run of non-space (or of space) characters, in UTF-8 bytes, that is BPE-encoded whole;
 * longer runs are cut into pieces of at most this many bytes first, as production BPE tokenizers
 * bound their words. BPE merges inside one pre-token cost transformers.js about 6 µs a byte unless
 * the pre-token is in its cache, which holds only pre-tokens under 256 bytes: with larger pieces a
 * run of "aaa…" or "中中…" encodes 15-20 times slower (bench/tokenizer.bench.ts). A cut falls on a
 * pre-token boundary when the piece has one, so token ids change only where a run has this many
 * bytes without a letter-run end or a digit: long letter runs ("aaa…"), punctuation runs ("===…")
 * and whitespace runs.
 */
export const MAX_PRETOKEN_BYTES = 255;

/** Longest `<...>` span kept whole: special tokens such as `<|object_ref_start|>` are never cut. */
const ATOM_CHARS = 32;
const OTHER = 1;
const LETTER = 2;
const DIGIT = 3;
/** A code point that joins the one before it: a combining mark, ZWJ, Hangul vowel/final jamo, skin tone, tag. */
const JOINER = 4;
const bmpKinds = new Uint8Array(0x10000);

function charKind(cp: number): number {
  if (cp < 128) return (cp | 32) >= 97 && (cp | 32) <= 122 ? LETTER : cp >= 48 && cp <= 57 ? DIGIT : OTHER;
  if (cp < 0x10000 && bmpKinds[cp] !== 0) return bmpKinds[cp];
  const c = String.fromCodePoint(cp);
  const joins = /\p{M}/u.test(c) || cp === 0x200d || (cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 && cp <= 0xe007f);
  const kind = joins ? JOINER : /\p{L}/u.test(c) ? LETTER : /\p{N}/u.test(c) ? DIGIT : OTHER;
  if (cp < 0x10000) bmpKinds[cp] = kind;
  return kind;
}

const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

function codePointBefore(text: string, p: number): number {
  const c = text.charCodeAt(p - 1);
  return isLow(c) && p >= 2 ? (text.codePointAt(p - 2) ?? c) : c;
}

/** Whether p falls inside a `<...>` span of at most ATOM_CHARS units without spaces. */
function insideAtom(text: string, p: number): boolean {
  let i = p - 1;
  for (; i >= 0 && p - i < ATOM_CHARS; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x3c) break;
    if (c === 0x3e || c <= 32) return false;
  }
  if (i < 0 || text.charCodeAt(i) !== 0x3c) return false;
  for (let j = p; j < text.length && j - i < ATOM_CHARS; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x3e) return true;
    if (c === 0x3c || c <= 32) return false;
  }
  return false;
}

/** A cut at p keeps code points, combining sequences and special tokens whole. */
function canCut(text: string, p: number): boolean {
  if (isLow(text.charCodeAt(p)) || text.charCodeAt(p - 1) === 0x200d) return false;
  return charKind(text.codePointAt(p) ?? 0) !== JOINER && !insideAtom(text, p);
}

/**
 * Inside a run of non-space characters, p is a boundary of the Qwen/GPT-style pre-tokenizer (letter
 * runs, single digits, punctuation runs) when a letter run ends there or a digit is on either side.
 */
function isPreTokenBoundary(text: string, p: number): boolean {
  const before = charKind(codePointBefore(text, p));
  const after = charKind(text.codePointAt(p) ?? 0);
  return after !== JOINER && ((before === LETTER && after !== LETTER) || before === DIGIT || after === DIGIT) && !insideAtom(text, p);
}

/** The furthest q > s (at most end) such that text[s, q) holds at most maxBytes UTF-8 bytes. */
function byteLimit(text: string, s: number, end: number, maxBytes: number): number {
  let q = s;
  for (let bytes = 0; q < end; ) {
    const c = text.charCodeAt(q);
    const pair = c >= 0xd800 && c <= 0xdbff && isLow(text.charCodeAt(q + 1));
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes > maxBytes) break;
    q += pair ? 2 : 1;
  }
  return Math.max(q, s + 1);
}

export interface RunCuts {
  /** Ascending cut positions. */
  at: number[];
  /** Per cut: it falls on a pre-token boundary, so the pieces on both sides may share one encode call. */
  exact: boolean[];
}

const SPACE = /\s/;

const isSpaceAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c < 0x80 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(text[i]);
};

/**
 * Whether text has a run of at least n UTF-16 units that are all whitespace or all not (as `\s` and
 * `\S` count them): the runs longRunCuts looks for. Any n consecutive units hold exactly one position
 * p with p % n === n - 1, so only those are probed, each run measured out from there until it is
 * known to be shorter than n: about length / n probes plus the runs around them, instead of the
 * regex's lookbehind at every position (which cost as much as a tenth of a long replay's tokenizing).
 */
export function hasRunOf(text: string, n: number): boolean {
  if (n <= 1) return text.length >= n;
  for (let p = n - 1; p < text.length; p += n) {
    const space = isSpaceAt(text, p);
    let a = p;
    while (a > 0 && p - a + 1 < n && isSpaceAt(text, a - 1) === space) a--;
    let b = p;
    while (b - a + 1 < n && b + 1 < text.length && isSpaceAt(text, b + 1) === space) b++;
    if (b - a + 1 >= n) return true;
  }
  return false;
}

/**
 * Where runs of more than `maxBytes` UTF-8 bytes of non-space (or space) characters are cut, so that
 * no piece is longer: at the last pre-token boundary within that length when there is one (token ids
 * are then unchanged), else at the last position that keeps code points, combining sequences and
 * `<...>` special tokens whole.
 */
export function longRunCuts(text: string, maxBytes = MAX_PRETOKEN_BYTES): RunCuts {
  const out: RunCuts = { at: [], exact: [] };
  const minUnits = Math.floor(maxBytes / 3) + 1; // a UTF-16 unit is at most 3 UTF-8 bytes
  if (!hasRunOf(text, minUnits)) return out; // nearly every message: one pass, no regex
  const runs = new RegExp(`(?<!\\S)\\S{${minUnits},}|(?<!\\s)\\s{${minUnits},}`, 'g');
  for (let m = runs.exec(text); m; m = runs.exec(text)) {
    const end = m.index + m[0].length;
    const spaces = /\s/.test(m[0][0]);
    for (let s = m.index, e = byteLimit(text, s, end, maxBytes); e < end; e = byteLimit(text, s, end, maxBytes)) {
      let p = -1;
      for (let q = e; !spaces && p < 0 && q > s; q--) if (isPreTokenBoundary(text, q)) p = q;
      const exact = p >= 0;
      for (let q = e; p < 0 && q > s; q--) if (canCut(text, q)) p = q;
      for (let q = e; p < 0 && q > s; q--) if (!isLow(text.charCodeAt(q)) && !insideAtom(text, q)) p = q;
      if (p < 0) p = e;
      out.at.push(p);
      out.exact.push(exact);
      s = p;
    }
  }
  return out;
}

/**
 * The texts to encode, one encoder call each, whose tokens concatenate to the text's: long runs are
 * cut (longRunCuts); pieces between exact cuts are grouped up to `size` units; with `chunk`, longer
 * pieces go through chunkText. Without long runs this is chunkText(text) or [text].
 */
export function splitForEncoding(text: string, chunk: boolean, maxBytes = MAX_PRETOKEN_BYTES, size = ENCODE_CHUNK_CHARS): string[] {
  const cuts = longRunCuts(text, maxBytes);
  if (cuts.at.length === 0) return chunk ? chunkText(text, size) : [text];
  const out: string[] = [];
  const emit = (from: number, to: number): void => {
    const piece = text.slice(from, to);
    if (chunk && piece.length > size) for (const c of chunkText(piece, size)) out.push(c);
    else out.push(piece);
  };
  let start = 0;
  let held = -1; // an exact cut after start, not taken yet
  cuts.at.forEach((p, i) => {
    if (!cuts.exact[i]) {
      emit(start, p);
      start = p;
    } else {
      if (p - start > size && held > start) {
        emit(start, held);
        start = held;
      }
      held = p;
    }
  });
  emit(start, text.length);
  return out;
}

export class HfTokenizer implements Tokenizer {
  readonly name: string;
  readonly hasChatTemplate: boolean;
  readonly decodeCache = { hits: 0, misses: 0 };
  #tok: HfTokenizerLike;
  #cache = new Map<number, string>();

  constructor(name: string, tok: HfTokenizerLike) {
    this.name = name;
    this.#tok = tok;
    this.hasChatTemplate = Boolean(tok.chat_template);
  }

  encode(text: string): Int32Array {
    return concat(this.#encodePieces(text, true));
  }

  encodeRendered(text: string): Int32Array {
    return concat(this.#encodePieces(text, false));
  }

  countTokens(text: string): number {
    return this.#encodePieces(text, false).reduce((n, p) => n + p.length, 0);
  }

  #encodePieces(text: string, chunk: boolean): number[][] {
    return splitForEncoding(text, chunk).map((piece) => this.#tok.encode(piece, { add_special_tokens: false }));
  }

  decode(ids: ArrayLike<number>): string {
    if (ids.length === 0) return ''; // transformers.js throws on an empty list
    return this.#tok.decode(Array.from(ids), { skip_special_tokens: false });
  }

  decodeToken(id: number): string {
    return cachedDecode(this.#cache, this.decodeCache, id, (one) => this.#tok.decode(one, { skip_special_tokens: false }));
  }

  renderChat(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string {
    if (!this.hasChatTemplate) return renderPlainChat(messages, addGenerationPrompt);
    const out = this.#tok.apply_chat_template(
      messages.map((m) => ({ role: m.role, content: m.content })),
      { tokenize: false, add_generation_prompt: addGenerationPrompt },
    );
    if (typeof out !== 'string') throw new Error('chat template did not render to text');
    return out;
  }
}

/** One token's text from `cache`, decoded (and counted as a miss) the first time. */
export function cachedDecode(cache: Map<number, string>, counts: { hits: number; misses: number }, id: number, decode: (ids: number[]) => string): string {
  const hit = cache.get(id);
  if (hit !== undefined) {
    counts.hits++;
    return hit;
  }
  counts.misses++;
  const s = decode([id]);
  cache.set(id, s);
  return s;
}

function concat(parts: number[][]): Int32Array {
  if (parts.length === 1) return Int32Array.from(parts[0]);
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The format used when a tokenizer has no chat template: "role: content" blocks. */
export function renderPlainChat(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string {
  const body = messages.map((m) => `${m.role}: ${m.content}\n\n`).join('');
  return addGenerationPrompt ? `${body}assistant:` : body;
}
