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
 *
 * Every candidate span is scored once when it enters (~10 a turn), so this is on the policies' hot
 * path: printable-ASCII text with no digit and no quote — most small talk — can hold only names, and
 * they are counted by one scan (`asciiNames`) instead of four regular expressions; anything else
 * takes the full extraction. Same scores (property test against `salienceOf(extractSalient(text))`).
 */
export function salience(text: string, tokens: number): number {
  const names = asciiNames(text);
  if (names < 0) return salienceCounted(text, tokens);
  if (names === 0) return 0;
  return DENSITY_WEIGHT * Math.min(1, (names * 12) / Math.max(8, tokens)) + (MEMORY_CUE.test(text) ? CUE_WEIGHT : 0);
}

/** `salience` from an extraction of `text`. */
export function salienceOf(s: Salient, text: string, tokens: number): number {
  const facts = s.numbers.length + 1.5 * s.dates.length + s.names.length + 1.5 * s.quotes.length;
  if (facts === 0) return 0;
  const density = Math.min(1, (facts * 12) / Math.max(8, tokens));
  const hasValue = s.numbers.length + s.dates.length + s.quotes.length > 0;
  const statement = hasValue && STATEMENT.some((re) => re.test(text)) ? 1 : 0;
  const cue = MEMORY_CUE.test(text) ? 1 : 0;
  return DENSITY_WEIGHT * density + STATEMENT_WEIGHT * statement + CUE_WEIGHT * cue;
}

/** Matches of a global regular expression in text, from its start (none is empty for the patterns here). */
function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let count = 0;
  while (re.exec(text) !== null) count++;
  return count;
}

/**
 * `salienceOf(extractSalient(text))` without the arrays: every pattern but NAME's is counted, and
 * skipped when the text cannot match it (DATE and NUMBER need an ASCII digit, QUOTE a double quote).
 * A text with a date takes the full extraction (its numbers are counted with the dates blanked out).
 * Every NUMBER match holds a digit, and dropping a trailing '.', ',' or ':' keeps it, so the
 * extraction's digit filter keeps them all.
 */
function salienceCounted(text: string, tokens: number): number {
  let digit = false;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 34 || c === 0x201c) quote = true;
  }
  if (digit && countMatches(DATE, text) > 0) return salienceOf(extractSalient(text), text, tokens);
  const numbers = digit ? countMatches(NUMBER, text) : 0;
  const quotes = quote ? countMatches(QUOTE, text) : 0;
  let names = 0;
  NAME.lastIndex = 0;
  for (let m = NAME.exec(text); m !== null; m = NAME.exec(text)) if (!COMMON.has(m[0].replace(/['’]s$/, ''))) names++;
  const facts = numbers + 1.5 * 0 + names + 1.5 * quotes;
  if (facts === 0) return 0;
  const density = Math.min(1, (facts * 12) / Math.max(8, tokens));
  const statement = numbers + quotes > 0 && STATEMENT.some((re) => re.test(text)) ? 1 : 0;
  const cue = MEMORY_CUE.test(text) ? 1 : 0;
  return DENSITY_WEIGHT * density + STATEMENT_WEIGHT * statement + CUE_WEIGHT * cue;
}

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
/** [\p{L}'’-] on ASCII: a letter, an apostrophe or a hyphen. */
const isNameChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39 || c === 45;
/** \s on ASCII: space, \t \n \v \f \r. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * How many names (NAME's matches not in COMMON, a trailing 's dropped) text holds when it is
 * printable ASCII with no digit and no double quote (then it holds no number, date or quote); -1
 * otherwise. One pass; the same leftmost-greedy matches as NAME: an upper-case letter after
 * whitespace (not after a newline or ". "), then name characters, then more such words after
 * whitespace.
 */
export function asciiNames(text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 126 || c === 34 || (c >= 48 && c <= 57)) return -1;
  }
  let names = 0;
  for (let i = 1; i < n; i++) {
    if (!isUpper(text.charCodeAt(i))) continue;
    const prev = text.charCodeAt(i - 1);
    if (!isSpace(prev) || prev === 10) continue;
    if (i >= 2) {
      const p2 = text.charCodeAt(i - 2);
      if (p2 === 46 || p2 === 33 || p2 === 63) continue;
    }
    let j = i + 1;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    if (j === i + 1) continue;
    for (;;) {
      let k = j;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (k === j || k + 1 >= n || !isUpper(text.charCodeAt(k)) || !isNameChar(text.charCodeAt(k + 1))) break;
      j = k + 2;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
    }
    let end = j;
    if (end - i >= 2 && text.charCodeAt(end - 1) === 115 && text.charCodeAt(end - 2) === 39) end -= 2;
    if (!COMMON.has(text.slice(i, end))) names++;
    i = j;
  }
  return names;
}
