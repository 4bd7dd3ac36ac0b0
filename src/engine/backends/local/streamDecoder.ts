/**
 * Turns a stream of token ids into text deltas. Byte-level tokens can end inside a multi-byte
 * character, which decodes to U+FFFD: such a tail is held back until the next tokens complete it.
 * Decoding works on a short window (the last emitted piece plus what is new), not the whole reply.
 */
export class StreamDecoder {
  #ids: number[] = [];
  #prefix = 0;
  #read = 0;
  #decode: (ids: number[]) => string;
  #text = '';

  constructor(decode: (ids: number[]) => string) {
    this.#decode = (ids) => (ids.length === 0 ? '' : decode(ids));
  }

  /** Text emitted so far: the concatenation of every returned piece. */
  get text(): string {
    return this.#text;
  }

  /** Adds a token; returns the new text it completes ('' while a character is incomplete). */
  push(id: number): string {
    this.#ids.push(id);
    const before = this.#decode(this.#ids.slice(this.#prefix, this.#read));
    const after = this.#decode(this.#ids.slice(this.#prefix));
    if (after.length <= before.length || after.endsWith('\uFFFD')) return '';
    this.#prefix = this.#read;
    this.#read = this.#ids.length;
    return this.#emit(after.slice(before.length));
  }

  /** The held-back tail, incomplete characters included (call once at the end). */
  flush(): string {
    if (this.#read === this.#ids.length) return '';
    const before = this.#decode(this.#ids.slice(this.#prefix, this.#read));
    const after = this.#decode(this.#ids.slice(this.#prefix));
    this.#prefix = this.#read = this.#ids.length;
    return after.length > before.length ? this.#emit(after.slice(before.length)) : '';
  }

  #emit(piece: string): string {
    this.#text += piece;
    return piece;
  }
}
