import type { Tokenizer } from '../../core/tokenizer.js';

/** With no maxNewTokens, a reply stops at this many characters (UTF-16 code units) all the same. */
export const MAX_REPLY_CHARS = 4 * 2 ** 20;

/**
 * Enforces a reply's limits on our side, for servers that ignore `max_tokens`: counts the tokens of
 * each piece as it arrives (at least 1 per non-empty piece; linear in the text) and the characters.
 * A piece that would go over is cut to what fits (by tokens: encode, decode the tokens that fit, kept
 * only if it is a prefix of the piece), and the stream should stop there.
 *
 * Reaching the limit exactly does not stop the stream: a server that honours max_tokens sends its
 * finish_reason and usage next, which we still want; only content past the limit stops it.
 */
export class ReplyLimit {
  readonly #tokenizer: Tokenizer;
  readonly #maxTokens: number | undefined;
  readonly #maxChars: number;
  #tokens = 0;
  #chars = 0;

  constructor(tokenizer: Tokenizer, maxTokens: number | undefined, maxChars = MAX_REPLY_CHARS) {
    this.#tokenizer = tokenizer;
    // Not a finite number (undefined from a JS caller, NaN, Infinity): no token limit, only the characters'.
    this.#maxTokens = maxTokens !== undefined && Number.isFinite(maxTokens) ? Math.max(0, Math.floor(maxTokens)) : undefined;
    this.#maxChars = maxChars;
  }

  /** The token limit in force, if any. */
  get maxTokens(): number | undefined {
    return this.#maxTokens;
  }

  /** Tokens counted so far (0 when there is no token limit: nothing is counted then). */
  get tokens(): number {
    return this.#tokens;
  }

  /** The part of `piece` within the limits: `piece` itself, or a shorter prefix when it went over. */
  admit(piece: string): string {
    if (piece === '') return piece;
    let kept = this.#chars + piece.length > this.#maxChars ? cutChars(piece, this.#maxChars - this.#chars) : piece;
    if (this.#maxTokens !== undefined && kept !== '') {
      const room = this.#maxTokens - this.#tokens;
      let n = Math.max(1, this.#tokenizer.countTokens(kept));
      if (n > room) [kept, n] = this.#cutTokens(kept, room);
      this.#tokens += n;
    }
    this.#chars += kept.length;
    return kept;
  }

  /** The longest decoding of at most `room` first tokens of `piece` that is a prefix of it, and its token count. */
  #cutTokens(piece: string, room: number): [string, number] {
    if (room <= 0) return ['', 0];
    const ids = this.#tokenizer.encode(piece);
    for (let n = Math.min(room, ids.length); n > 0; n--) {
      const text = this.#tokenizer.decode(ids.subarray(0, n));
      if (text !== '' && piece.startsWith(text)) return [text, n];
    }
    return ['', 0];
  }
}

/** The first `n` UTF-16 code units of `s`, not ending inside a surrogate pair. */
function cutChars(s: string, n: number): string {
  if (n <= 0) return '';
  const c = s.charCodeAt(n - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
}
