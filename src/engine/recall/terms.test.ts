import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryTerms, recallTerms, recallTermsInto, STOPWORDS } from './terms.js';
import { syntheticChat } from '../testing/syntheticChat.js';

describe('recall terms', () => {
  it('lowercases, strips punctuation and drops stopwords', () => {
    expect(recallTerms('My locker code is 5521 and my manager is Ines Duarte.')).toEqual([
      'locker', 'code', '5521', 'manager', 'ines', 'duarte',
    ]);
    expect(recallTerms('What is it?! ... -- ;')).toEqual([]);
  });
  it('drops the possessive and keeps names whole', () => {
    expect(recallTerms("Priya's badge number is 4471")).toEqual(['priya', 'badge', 'number', '4471']);
    expect(recallTerms('Priyanka’s badge is 4417.')).toEqual(['priyanka', 'badge', '4417']);
  });
  it('keeps words with digits whole, plus their parts', () => {
    expect(recallTerms('Agent alpha-7 calls at 10:30 about v2.1')).toEqual([
      'agent', 'alpha-7', 'alpha', '7', 'calls', '10:30', '10', '30', 'v2.1', 'v2', '1',
    ]);
    expect(recallTerms('flight LH4417 on 2024-05-01')).toEqual(['flight', 'lh4417', '2024-05-01', '2024', '05', '01']);
  });
  it('joins thousands separators but not other commas', () => {
    expect(recallTerms('It costs 1,200 euros, or 1,5 in 3,4567')).toEqual(['costs', '1200', 'euros', '1,5', '1', '5', '3,4567', '3', '4567']);
  });
  it('splits compounds without digits into their parts', () => {
    expect(recallTerms('Jean-Luc mailed ines.duarte@acme.com')).toEqual(['jean', 'luc', 'mailed', 'ines', 'duarte', 'acme', 'com']);
  });
  it('folds accents and compatibility forms', () => {
    expect(recallTerms('Inês Duarte, São Paulo, ４４１７')).toEqual(['ines', 'duarte', 'sao', 'paulo', '4417']);
  });
  it('keeps non-Latin words', () => {
    expect(recallTerms('Пароль 5521 для Ольги')).toEqual(['пароль', '5521', 'для', 'ольги']);
  });
  it('dedupes query terms in first-seen order', () => {
    expect(queryTerms('code? CODE, locker code')).toEqual(['code', 'locker']);
  });
  it('has a small stopword list without content words', () => {
    expect(STOPWORDS.size).toBeLessThan(100);
    for (const word of ['code', 'locker', 'manager', 'badge', 'number', 'not', 'no']) expect(STOPWORDS.has(word)).toBe(false);
  });
});

// The pipeline as it was before its fast paths (plain words, printable ASCII), as the oracle.
const O_TOKEN = /[\p{L}\p{N}]+(?:[-_.,/:'’][\p{L}\p{N}]+)*/gu;
const O_CONNECTORS = /[-_.,/:]+/u;
function oracleTerms(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const out: string[] = [];
  const parts = (c: string) => {
    for (const p of c.split(O_CONNECTORS)) if (p !== '' && !STOPWORDS.has(p)) out.push(p);
  };
  for (const m of folded.matchAll(O_TOKEN)) {
    const word = m[0].replace(/['’]s$/u, '').replace(/['’]/gu, '');
    if (word === '') continue;
    if (!/\p{N}/u.test(word)) {
      parts(word);
      continue;
    }
    const compound = word.replace(/(?<=\p{N}),(?=\p{N}{3}(?!\p{N}))/gu, '');
    out.push(compound);
    if (O_CONNECTORS.test(compound)) parts(compound);
  }
  return out;
}

describe('recall terms, fast paths', () => {
  it('give the same terms as the full pipeline on any text', () => {
    const piece = fc.constantFrom('The', 'lock', "Priya's", 'Inês', 'ÉCOLE', 'alpha-7', '1,200', '10:30', 'v2.1', 'Jean-Luc', 'don’t', 'ﬁle', 'Ⅻ', '42', ' ', '. ', '\n', '-', "'", 'x_y', 'straße');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 20 }), (pieces) => {
        const text = pieces.join('');
        expect(recallTerms(text)).toEqual(oracleTerms(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('recallTermsInto (the one-scan ASCII path)', () => {
  const ascii = fc.constantFrom('The', 'THE', 'lock', 'LoCkEr', "Priya's", "it's", "'s", "a'", 'alpha-7', '1,200', '12,3456', '10:30', 'v2.1', 'Jean-Luc', 'a--b', 'x_y', '_', 'e.g.', '42', ' ', '. ', '\n', '\t', '-', "'", ',', ':', '/', '\x00', '\x7f', 'é', 'Inês', '’', 'don’t', 'ﬁle', '４４', 'ΟΔΟΣ', 'Σ', 'σ', '\u0301', '\u00a0', 'İ', '½', 'ß', '\u2028', '\x0b', '\x0c', '\r\n');
  it('gives recallTerms(text) on any text, appended after what out held', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(ascii, fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(recallTermsInto(text, ['x'])).toEqual(['x', ...recallTerms(text)]);
      }),
      { numRuns: 6000 },
    );
  });
  it('gives recallTerms(text) on a whole synthetic chat, sentence by sentence and message by message', () => {
    const out: string[] = [];
    for (const m of syntheticChat({ seed: 7, turns: 400, sentencesPerMessage: 6 })) {
      for (const s of [m.content, ...m.content.split(/(?<=[.!?])\s+/u)]) {
        out.length = 0;
        expect(recallTermsInto(s, out)).toEqual(recallTerms(s));
      }
    }
  });
  it('stays right past its memos of compound tokens and non-ASCII chunks (cleared when full)', () => {
    const out: string[] = [];
    for (let i = 0; i < 12_000; i += 3) {
      const text = `alpha-${i} Zoë${i}. ${i}.5 v${i >> 2}:1 Inês-${i % 5} don't x_${i}`;
      out.length = 0;
      expect(recallTermsInto(text, out)).toEqual(recallTerms(text));
      out.length = 0;
      expect(recallTermsInto(text, out)).toEqual(recallTerms(text));
    }
  });
  it('stays right past its plain-word cache (cleared when full)', () => {
    const word = (i: number) => 'w' + i.toString(26).replace(/[0-9]/gu, (d) => 'qrstuvwxyz'[Number(d)]);
    const out: string[] = [];
    for (let i = 0; i < 70_000; i += 7) {
      const text = `${word(i)} ${word(i + 1)} ${word(i + 2)} ${word(i + 3)} ${word(i + 4)} ${word(i + 5)} ${word(i + 6)} ${word(i >> 1)} The`;
      out.length = 0;
      expect(recallTermsInto(text, out)).toEqual(recallTerms(text));
    }
  });
});
