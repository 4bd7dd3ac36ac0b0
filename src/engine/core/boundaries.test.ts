import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SentenceScanner, sentenceFlags } from './boundaries.js';
import { FLAG_SENTENCE_START } from './tokenRing.js';

/** A fake vocabulary: each id is one string piece, so tests read like the decoded text. */
function flagsOf(pieces: string[]): string[] {
  const ids = pieces.map((_, i) => i);
  const flags = sentenceFlags(ids, (id) => pieces[id]);
  return pieces.filter((_, i) => flags[i] & FLAG_SENTENCE_START);
}

describe('sentence boundaries', () => {
  it('flags the first token and the token after terminator + space', () => {
    expect(flagsOf(['Hello', ' world', '.', ' This', ' is', '!', ' And', ' more'])).toEqual(['Hello', ' This', ' And']);
  });
  it('does not split decimals or terminators without a following space', () => {
    expect(flagsOf(['Pi', ' is', ' ', '3', '.', '1', '4', ' ok', '.', 'x'])).toEqual(['Pi']);
  });
  it('handles a separate whitespace token, closing quotes and newlines', () => {
    expect(flagsOf(['A', '."', ' ', 'B', ' line', '\n', 'C', ' d', '?)', ' E'])).toEqual(['A', 'B', 'C', ' E']);
  });
  it('treats CJK full stops as boundaries without spaces', () => {
    expect(flagsOf(['你好', '。', '再见'])).toEqual(['你好', '再见']);
  });
  it('does not end a sentence after a title abbreviation', () => {
    expect(flagsOf(['Ask', ' Dr', '.', ' Okafor', ' now', '.', ' Then', ' go'])).toEqual(['Ask', ' Then']);
  });
  it('never flags a whitespace-only token', () => {
    expect(flagsOf(['Hi', '.', ' ', '\n', ' ', 'Next'])).toEqual(['Hi', 'Next']);
  });
});

/** The scan as it was written first, over strings (the reference the cached scan must match). */
function referenceFlags(ids: number[], decodeToken: (id: number) => string): Uint8Array {
  const TERMINATORS = new Set(['.', '!', '?', '…']);
  const TIGHT = new Set(['。', '！', '？']);
  const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'prof', 'sr', 'jr', 'st', 'vs', 'e.g', 'i.e', 'cf', 'approx', 'no', 'fig']);
  const CLOSERS = new Set(['"', "'", ')', ']', '}', '»', '”', '’', '*', '_', '`']);
  const space = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;
  const rest = (s: string, j: number): number => {
    let st = 0;
    for (let k = j; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (space(c)) {
        if (st === 1 || c === 10) st = 2;
      } else if (TIGHT.has(s[k])) st = 2;
      else if (TERMINATORS.has(s[k])) st = st === 2 ? 2 : 1;
      else if (CLOSERS.has(s[k])) {
        if (st !== 1 && st !== 2) st = 0;
      } else st = 0;
    }
    return st;
  };
  const flags = new Uint8Array(ids.length);
  let state = 2;
  let prev = '';
  for (let i = 0; i < ids.length; i++) {
    const s = decodeToken(ids[i]);
    if (s === '.' && ABBREVIATIONS.has(prev.trim().toLowerCase())) {
      state = 0;
      prev = s;
      continue;
    }
    prev = s;
    let j = 0;
    while (j < s.length && space(s.charCodeAt(j))) {
      if (state === 1 || s.charCodeAt(j) === 10) state = 2;
      j++;
    }
    if (j < s.length) {
      if (state === 2) flags[i] = FLAG_SENTENCE_START;
      state = rest(s, j);
    }
  }
  if (ids.length > 0) flags[0] = FLAG_SENTENCE_START;
  return flags;
}

describe('cached sentence scan', () => {
  const PIECES = ['', ' ', '  ', '\n', ' \n', '\n ', '\t', '\u00a0', '.', '!', '?', '…', '。', '！', '？', '."', '.)', ' .', '. ', '.\n', '?)', '"', ')', '*', 'Dr', ' Dr', ' dr', ' Mr', ' e.g', 'no', ' No', ' fig', 'Hello', ' world', 'x', ' x', '3', '1', ' 4', 'a.b', ' ok.', 'end!', '你好', ' ”', '’ ', ' \u00a0.', 'St', ' vs'];
  it('gives the flags of the string scan, with every repeat answered from its cache', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: PIECES.length - 1 }), { maxLength: 40 }), { minLength: 1, maxLength: 6 }), (messages) => {
        let decodes = 0;
        const scanner = new SentenceScanner((id) => {
          decodes++;
          return PIECES[id];
        });
        let tokens = 0;
        for (const ids of messages) {
          const want = referenceFlags(ids, (id) => PIECES[id]);
          expect(Array.from(scanner.flags(ids))).toEqual(Array.from(want));
          expect(Array.from(sentenceFlags(ids, (id) => PIECES[id]))).toEqual(Array.from(want));
          tokens += ids.length;
        }
        const distinct = new Set(messages.flat()).size;
        expect(decodes).toBe(distinct);
        expect(scanner.cached).toBe(tokens - distinct);
      }),
    );
  });
  it('writes the same flags into a reused buffer, leaving the rest of it alone', () => {
    const scanner = new SentenceScanner((id) => PIECES[id]);
    const out = new Uint8Array(64).fill(0xff);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: PIECES.length - 1 }), { maxLength: 40 }), (ids) => {
        const tail = out.slice(ids.length);
        scanner.flagsInto(ids, out);
        expect(Array.from(out.subarray(0, ids.length))).toEqual(Array.from(referenceFlags(ids, (id) => PIECES[id])));
        expect(Array.from(out.subarray(ids.length))).toEqual(Array.from(tail));
      }),
    );
  });
  it('caches ids beyond its dense range too', () => {
    const scanner = new SentenceScanner((id) => (id < 0 ? '.' : ' Next'));
    const ids = [2 ** 23, -1, 2 ** 23, 7];
    expect(Array.from(scanner.flags(ids))).toEqual(Array.from(referenceFlags(ids, (id) => (id < 0 ? '.' : ' Next'))));
    expect(scanner.cached).toBe(1);
  });
});
