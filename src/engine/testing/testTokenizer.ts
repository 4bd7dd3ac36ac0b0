import { loadTokenizer } from '../node/loadTokenizer.js';
import type { Tokenizer } from '../core/tokenizer.js';

let cached: Promise<Tokenizer> | undefined;

/** The real Qwen3 tokenizer, loaded once per process (loading takes about a second). */
export function testTokenizer(): Promise<Tokenizer> {
  cached ??= loadTokenizer();
  return cached;
}
