import { beforeAll, describe, expect, it } from 'vitest';
import { testTokenizer } from '../../testing/testTokenizer.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import { MAX_REPLY_CHARS, ReplyLimit } from './replyLimit.js';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await testTokenizer();
});

describe('ReplyLimit', () => {
  it('admits pieces up to maxNewTokens exactly, then nothing', () => {
    const limit = new ReplyLimit(tokenizer, 3);
    expect(limit.admit(' one')).toBe(' one');
    expect(limit.admit(' two')).toBe(' two');
    expect(limit.admit(' three')).toBe(' three');
    expect(limit.tokens).toBe(3);
    expect(limit.admit(' four')).toBe('');
    expect(limit.tokens).toBe(3);
  });

  it('cuts the piece that goes over by tokens, to a prefix of it', () => {
    const piece = ' the quick brown fox jumps';
    const limit = new ReplyLimit(tokenizer, 3);
    const kept = limit.admit(piece);
    expect(kept).toBe(tokenizer.decode(tokenizer.encode(piece).subarray(0, 3)));
    expect(piece.startsWith(kept)).toBe(true);
    expect(limit.tokens).toBe(3);
  });

  it('never keeps half a character when the tokens that fit end inside one', () => {
    const piece = '龘龘龘'; // byte-level BPE: two tokens each, and the first decodes to U+FFFD alone
    expect(tokenizer.encode(piece).length).toBe(6);
    const kept = [1, 2, 3, 4, 5].map((max) => new ReplyLimit(tokenizer, max).admit(piece));
    expect(kept).toEqual(['', '龘', '龘', '龘龘', '龘龘']);
  });

  it('counts at least one token per non-empty piece and nothing for empty ones', () => {
    const limit = new ReplyLimit({ countTokens: () => 0 } as Partial<Tokenizer> as Tokenizer, 2);
    expect(limit.admit('')).toBe('');
    expect(limit.admit('a')).toBe('a');
    expect(limit.admit('b')).toBe('b');
    expect(limit.tokens).toBe(2);
  });

  it('with no maxNewTokens, caps the characters only, without splitting a surrogate pair', () => {
    const limit = new ReplyLimit({} as Tokenizer, undefined, 10); // no token limit: the tokenizer goes unused
    expect(limit.maxTokens).toBeUndefined();
    expect(new ReplyLimit({} as Tokenizer, Number.NaN).maxTokens).toBeUndefined();
    expect(limit.admit('12345678')).toBe('12345678');
    expect(limit.admit('9🙂')).toBe('9');
    expect(limit.admit('x')).toBe('x');
    expect(limit.admit('y')).toBe('');
    expect(new ReplyLimit(tokenizer, undefined).admit('x'.repeat(MAX_REPLY_CHARS + 5)).length).toBe(MAX_REPLY_CHARS);
  });
});
