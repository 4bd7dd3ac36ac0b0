import type { Role } from '../shared/protocol.js';

export interface ChatMessage {
  role: Role;
  content: string;
}

/** What the engine needs from a tokenizer. Implemented over transformers.js tokenizers. */
export interface Tokenizer {
  /** Hub id or folder the tokenizer was loaded from. */
  readonly name: string;
  readonly hasChatTemplate: boolean;
  /** Content tokens (no special tokens added). Long texts are encoded in chunks. */
  encode(text: string): Int32Array;
  /** Tokens of an already rendered prompt, in one call (special tokens in the text are recognised). */
  encodeRendered(text: string): Int32Array;
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
    const chunks = chunkText(text);
    if (chunks.length === 1) return Int32Array.from(this.#tok.encode(text, { add_special_tokens: false }));
    const parts = chunks.map((c) => this.#tok.encode(c, { add_special_tokens: false }));
    const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  encodeRendered(text: string): Int32Array {
    return Int32Array.from(this.#tok.encode(text, { add_special_tokens: false }));
  }

  countTokens(text: string): number {
    return this.#tok.encode(text, { add_special_tokens: false }).length;
  }

  decode(ids: ArrayLike<number>): string {
    return this.#tok.decode(Array.from(ids), { skip_special_tokens: false });
  }

  decodeToken(id: number): string {
    const hit = this.#cache.get(id);
    if (hit !== undefined) {
      this.decodeCache.hits++;
      return hit;
    }
    this.decodeCache.misses++;
    const s = this.#tok.decode([id], { skip_special_tokens: false });
    this.#cache.set(id, s);
    return s;
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

/** The format used when a tokenizer has no chat template: "role: content" blocks. */
export function renderPlainChat(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string {
  const body = messages.map((m) => `${m.role}: ${m.content}\n\n`).join('');
  return addGenerationPrompt ? `${body}assistant:` : body;
}
