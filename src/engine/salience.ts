/**
 * What makes a sentence worth keeping without a model: the facts in it. The same extraction backs the
 * span value that knapsack maximizes (so facts a user stated outlive small talk) and, later, the
 * rolling-summary QA gate (every fact in a summary must appear in its source).
 */
export interface Salient {
  numbers: string[];
  dates: string[];
  names: string[];
  quotes: string[];
}

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const DATE = new RegExp(`\\b(?:(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?)\\b`, 'g');
const NUMBER = /(?<![\p{L}\d])(?:[A-Z]{1,4}-)?\d[\d,.:-]*\d?(?![\p{L}])|\b[A-Za-z]+-\d+\b/gu;
const QUOTE = /"([^"\n]{2,80})"|“([^”\n]{2,80})”/g;
/** Capitalised words that are not the first word of a sentence, joined into multi-word names. */
const NAME = /(?<![.!?]\s|^|\n)(?<=\s)\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)*/gu;
const COMMON = new Set(['I', 'The', 'A', 'An', 'And', 'But', 'Or', 'If', 'So', 'Then', 'This', 'That', 'It', 'We', 'You', 'They', 'He', 'She', 'Our', 'Your', 'My', ...MONTHS.split('|')]);

export function extractSalient(text: string): Salient {
  const dates = [...text.matchAll(DATE)].map((m) => m[0]);
  const withoutDates = dates.reduce((t, d) => t.replace(d, ' '), text);
  const numbers = [...withoutDates.matchAll(NUMBER)].map((m) => m[0].replace(/[.,:]$/, '')).filter((n) => /\d/.test(n));
  const quotes = [...text.matchAll(QUOTE)].map((m) => m[1] ?? m[2]);
  const names = [...text.matchAll(NAME)].map((m) => m[0].replace(/['’]s$/, '')).filter((n) => !COMMON.has(n));
  return { numbers, dates, names, quotes };
}

/** A 0..1 score: how much checkable fact a span carries for its length. */
export function salience(text: string, tokens: number): number {
  const s = extractSalient(text);
  const facts = s.numbers.length + 1.5 * s.dates.length + s.names.length + 1.5 * s.quotes.length;
  if (facts === 0) return 0;
  return Math.min(1, (facts * 12) / Math.max(8, tokens));
}
