import type { Tokenizer } from './tokenizer.js';
import type { TokenRing } from './tokenRing.js';

const HEAD = 32;
const TAIL = 8;
const MAX_CHARS = 160;

function clip(s: string): string {
  return s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s;
}

/**
 * One reusable buffer per length up to HEAD + TAIL: a preview's ids are copied into the buffer of
 * their length (decode reads `length`), so a preview makes no typed array (decode is synchronous
 * and keeps no reference to its argument).
 */
const scratch: Int32Array[] = [];

function idsOf(ring: TokenRing, from: number, to: number): Int32Array {
  const n = to - from;
  const out = (scratch[n] ??= new Int32Array(n));
  ring.copyIds(from, to, out);
  return out;
}

/**
 * A short text preview of ring tokens [from, to): the first tokens, and the last few when long.
 * `text`, when given, is the decode of exactly those tokens (a span policy holds it): a short span's
 * preview is made from it instead of decoding the tokens again.
 */
export function previewText(tokenizer: Tokenizer, ring: TokenRing, from: number, to: number, text?: string): string {
  const n = to - from;
  if (n <= HEAD + TAIL) return clip(text ?? tokenizer.decode(idsOf(ring, from, to)));
  const head = tokenizer.decode(idsOf(ring, from, from + HEAD));
  const tail = tokenizer.decode(idsOf(ring, to - TAIL, to));
  return `${clip(head)} … ${tail}`;
}
