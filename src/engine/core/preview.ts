import type { Tokenizer } from './tokenizer.js';
import type { TokenRing } from './tokenRing.js';

const HEAD = 32;
const TAIL = 8;
const MAX_CHARS = 160;

function clip(s: string): string {
  return s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s;
}

/** A short text preview of ring tokens [from, to): the first tokens, and the last few when long. */
export function previewText(tokenizer: Tokenizer, ring: TokenRing, from: number, to: number): string {
  const n = to - from;
  if (n <= HEAD + TAIL) return clip(tokenizer.decode(ring.ids(from, to)));
  const head = tokenizer.decode(ring.ids(from, from + HEAD));
  const tail = tokenizer.decode(ring.ids(to - TAIL, to));
  return `${clip(head)} … ${tail}`;
}
