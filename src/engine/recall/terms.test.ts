import { describe, expect, it } from 'vitest';
import { queryTerms, recallTerms, STOPWORDS } from './terms.js';

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
