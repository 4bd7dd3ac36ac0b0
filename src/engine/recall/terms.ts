/**
 * Terms for the lexical (BM25) side of recall. Users ask about facts, so numbers, codes and names must
 * survive as exact terms: "4417", "alpha-7", "10:30", "v2.1", "1,200" (kept as "1200").
 *
 * Pipeline: NFKD + strip combining marks (so "Inês" matches "Ines"), lowercase, split on anything that
 * is not a letter or digit except single connectors inside a word (- _ . , / : and apostrophes), drop a
 * possessive "'s", then:
 * - a compound with a digit is kept whole and also split into its parts ("alpha-7" -> alpha-7, alpha, 7),
 *   so both "alpha-7" and "alpha 7" find it and the exact compound scores higher;
 * - a compound without digits is split into its parts ("Jean-Luc" -> jean, luc);
 * - parts in a small English stopword list are dropped (compounds with digits never are).
 */
const TOKEN = /[\p{L}\p{N}]+(?:[-_.,/:'’][\p{L}\p{N}]+)*/gu;
const CONNECTORS = /[-_.,/:]+/u;
const DIGIT = /\p{N}/u;
const MARKS = /\p{M}+/gu;
const THOUSANDS = /(?<=\p{N}),(?=\p{N}{3}(?!\p{N}))/gu;

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about am an and any are as at be been but by can could did do does for from had has have he her ' +
    'here him his how i if in into is it its me my of on or our ours she so some than that the their ' +
    'them then there these they this those to us was we were what when where which while who whom whose ' +
    'why will with would you your yours'
  ).split(' '),
);

const PLAIN_WORD = /^[a-z]+$/u;
const PLAIN_TEXT = /^[\x20-\x7e\t\n\r]*$/u;
const APOSTROPHE = /['’]/u;

function pushParts(compound: string, out: string[]): void {
  for (const part of compound.split(CONNECTORS)) {
    if (part !== '' && !STOPWORDS.has(part)) out.push(part);
  }
}

/** Appends the terms of one raw token (already lowercased and accent-free) to `out`. */
function expandToken(raw: string, out: string[]): void {
  // most tokens are plain words: no apostrophe, digit or connector to handle
  if (PLAIN_WORD.test(raw)) {
    if (!STOPWORDS.has(raw)) out.push(raw);
    return;
  }
  const word = APOSTROPHE.test(raw) ? raw.replace(/['’]s$/u, '').replace(/['’]/gu, '') : raw;
  if (word === '') return;
  if (!DIGIT.test(word)) {
    pushParts(word, out);
    return;
  }
  const compound = word.replace(THOUSANDS, '');
  out.push(compound);
  if (CONNECTORS.test(compound)) pushParts(compound, out);
}

/** The index terms of `text`, in order, with repeats (term frequency matters to BM25). */
export function recallTerms(text: string): string[] {
  // printable ASCII has nothing to decompose or strip
  const folded = PLAIN_TEXT.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const out: string[] = [];
  for (const match of folded.matchAll(TOKEN)) expandToken(match[0], out);
  return out;
}

/** The distinct terms of a query, in first-seen order (a repeated query word must not count twice). */
export function queryTerms(query: string): string[] {
  return [...new Set(recallTerms(query))];
}
