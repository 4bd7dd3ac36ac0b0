import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../node/loadTokenizer.js';
import { tinyLlamaDir } from '../../testing/testModels.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import { StreamDecoder } from './streamDecoder.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await loadTokenizer(tinyLlamaDir());
});

describe('StreamDecoder', () => {
  it('holds back split multi-byte characters and never emits a replacement character', () => {
    const text = 'Grüße aus Köln — 你好, 世界! 🙂👍 done.';
    const ids = tok.encode(text);
    expect(ids.length).toBeGreaterThan(text.length / 2); // the cut vocabulary splits these into byte tokens
    const dec = new StreamDecoder((x) => tok.decode(x));
    const pieces: string[] = [];
    for (const id of ids) {
      const p = dec.push(id);
      if (p) pieces.push(p);
    }
    pieces.push(dec.flush());
    expect(pieces.join('')).toBe(text);
    expect(dec.text).toBe(text);
    for (const p of pieces) expect(p).not.toContain('\uFFFD');
  });

  it('flushes an incomplete tail as text', () => {
    const [first] = tok.encode('你'); // the first byte token of a three-byte character
    const dec = new StreamDecoder((x) => tok.decode(x));
    expect(dec.push(first)).toBe('');
    expect(dec.flush()).toBe(tok.decode([first]));
    expect(dec.flush()).toBe('');
  });
});
