import { describe, expect, it } from 'vitest';
import { extractSalient, salience } from './salientFacts.js';

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
