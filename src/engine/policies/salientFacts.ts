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

/**
 * A fact stated as an attribute and its value: "Priya's badge number is 4471", "my flight is on
 * May 3", "the vault code is 7719", "the courier is Ines Duarte".
 */
const STATEMENT = [
  /(?:\b(?:my|our|his|her|their)\b|\p{L}['’]s)\s+(?:[\p{L}-]+\s+){0,3}?(?:is|are|was|were)\b/iu,
  /\b(?:is|are|was|were)(?:\s+(?:on|at|due on|set to|now))?\s+(?:["“]|\d|[A-Z]{1,4}-\d|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d|\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+)/u,
];
/** Phrases people use when they want something kept: "remember", "for the record", "don't forget". */
const MEMORY_CUE = /\b(?:remember|please note|note that|for the record|keep in mind|don['’]t forget|do not forget|make sure you|important:|fyi)\b/i;

/** Weights of the three parts of `salience` (they sum to 1). */
export const DENSITY_WEIGHT = 0.5;
export const STATEMENT_WEIGHT = 0.3;
export const CUE_WEIGHT = 0.2;

/**
 * A 0..1 score of how much checkable fact a span carries: fact density (numbers, dates, names and
 * quoted strings per token), plus a bonus when a fact is stated as an attribute with its value, plus
 * a bonus when the writer asked for it to be kept ("remember", "for the record"). Text that merely
 * mentions names and numbers scores on density alone.
 */
export function salience(text: string, tokens: number): number {
  const s = extractSalient(text);
  const facts = s.numbers.length + 1.5 * s.dates.length + s.names.length + 1.5 * s.quotes.length;
  if (facts === 0) return 0;
  const density = Math.min(1, (facts * 12) / Math.max(8, tokens));
  const hasValue = s.numbers.length + s.dates.length + s.quotes.length > 0;
  const statement = hasValue && STATEMENT.some((re) => re.test(text)) ? 1 : 0;
  const cue = MEMORY_CUE.test(text) ? 1 : 0;
  return DENSITY_WEIGHT * density + STATEMENT_WEIGHT * statement + CUE_WEIGHT * cue;
}
