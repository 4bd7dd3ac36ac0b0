import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticChat } from '../testing/syntheticChat.js';
import { asciiNames, extractSalient, salience, salienceOf } from './salientFacts.js';

describe('salience', () => {
  it('extracts numbers, dates, names and quoted strings', () => {
    const s = extractSalient('Remember: Priya Raman\'s badge number is 4471, code QX-209, due March 14 and the tag is "alpha-7".');
    expect(s.numbers).toEqual(expect.arrayContaining(['4471', 'QX-209']));
    expect(s.dates).toEqual(['March 14']);
    expect(s.names).toContain('Priya Raman');
    expect(s.quotes).toEqual(['alpha-7']);
  });

  it('does not count sentence-initial words, pronouns or months as names', () => {
    const s = extractSalient('The build failed. Then it worked again. In May we shipped.');
    expect(s.names).toEqual([]);
  });

  it('scores facts above small talk, and density matters', () => {
    const fact = salience('My locker code is 5521 and my manager is Ines Duarte.', 16);
    const chat = salience('That sounds good, thanks for the help with all of this.', 13);
    expect(chat).toBe(0);
    expect(fact).toBeGreaterThan(0.5);
    expect(salience('Kenji said 42.', 5)).toBeGreaterThan(salience('Kenji said that the number we want is probably 42 or so, but who knows really.', 20));
  });
});

describe('salience fast path', () => {
  const pieces = [' ', '  ', '\n', '\t', '. ', '! ', '? ', ', ', "'s", "'", '-', 'The', 'Then', 'I', 'A', 'May', 'March', 'Kenji', 'Ines Duarte', 'Zoë', '’s', 'remember', 'note that', 'my', 'is', 'code', 'x', 'ab', 'Q', 'QX', '-209', '42', '3.5', '7', '/', '2024-05-01', 'Sept', ':', '"', '“', '”', 'alpha', 'Priya', "O'Neil", 'Anne-Marie', 'fyi', 'é', 'É'];
  it('scores exactly as the full extraction on texts of tricky pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), fc.integer({ min: 1, max: 80 }), (parts, tokens) => {
        const text = parts.join('');
        expect(salience(text, tokens)).toBe(salienceOf(extractSalient(text), text, tokens));
      }),
      { numRuns: 3000 },
    );
  });

  it('scores exactly as the full extraction on any ASCII text, and on the synthetic chat', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...' \n\tAaBbZz\'-.!?,s'.split('')), maxLength: 60 }), (text) => {
        expect(salience(text, 12)).toBe(salienceOf(extractSalient(text), text, 12));
      }),
      { numRuns: 3000 },
    );
    for (const m of syntheticChat({ seed: 11, turns: 200, sentencesPerMessage: 6 }))
      for (const s of m.content.split(/(?<=[.!?])\s+/)) for (const text of [s, ` ${s}`]) expect(salience(text, 14)).toBe(salienceOf(extractSalient(text), text, 14));
  });

  it('takes the scan only for ASCII text with no digit and no double quote', () => {
    expect(asciiNames(' Maria met Ines Duarte and the Scheduler Team.')).toBe(3);
    expect(asciiNames(' The build failed. Then it worked. In May we shipped.')).toBe(0);
    expect(asciiNames(' Kenji said 42.')).toBe(-1);
    expect(asciiNames(' Kenji said "hi".')).toBe(-1);
    expect(asciiNames(' Zoë said hi.')).toBe(-1);
  });
});
