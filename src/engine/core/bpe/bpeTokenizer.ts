import { cachedDecode, renderPlainChat, splitForEncoding, type ChatMessage, type Tokenizer } from '../tokenizer.js';
import type { BpeData } from './bpeData.js';
import { ByteLevelBpe, IdList } from './byteLevelBpe.js';

/** Renders messages through a chat template (a compiled Jinja template, or a native one). */
export type ChatRenderer = (messages: readonly ChatMessage[], addGenerationPrompt: boolean) => string;

/**
 * The Tokenizer over pre-parsed byte-level BPE data (ByteLevelBpe): the same ids as HfTokenizer over
 * transformers.js for the same tokenizer.json, with the same chunking and long-run cuts
 * (splitForEncoding), without loading transformers.js or parsing tokenizer.json.
 */
export class BpeTokenizer implements Tokenizer {
  readonly name: string;
  readonly hasChatTemplate: boolean;
  readonly decodeCache = { hits: 0, misses: 0 };
  #bpe: ByteLevelBpe;
  #render: ChatRenderer | undefined;
  #out = new IdList();
  #decoded = new Map<number, string>();

  constructor(name: string, data: BpeData, render?: ChatRenderer) {
    this.name = name;
    this.#bpe = new ByteLevelBpe(data);
    this.#render = render;
    this.hasChatTemplate = render !== undefined;
  }

  encode(text: string): Int32Array {
    return this.#encode(text, true).ids.slice(0, this.#out.length);
  }

  encodeRendered(text: string): Int32Array {
    return this.#encode(text, false).ids.slice(0, this.#out.length);
  }

  countTokens(text: string): number {
    return this.#encode(text, false).length;
  }

  #encode(text: string, chunk: boolean): IdList {
    const out = this.#out;
    out.length = 0;
    for (const piece of splitForEncoding(text, chunk)) this.#bpe.encodeInto(piece, out);
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    return this.#bpe.decode(ids);
  }

  decodeToken(id: number): string {
    return cachedDecode(this.#decoded, this.decodeCache, id, (one) => this.#bpe.decode(one));
  }

  renderChat(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string {
    return this.#render ? this.#render(messages, addGenerationPrompt) : renderPlainChat(messages, addGenerationPrompt);
  }
}
