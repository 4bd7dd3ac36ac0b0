import { describe, expect, it } from 'vitest';
import { sentenceFlags } from './boundaries.js';
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
