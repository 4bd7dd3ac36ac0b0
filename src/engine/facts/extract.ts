/**
 * The deterministic fact extractor: the durable facts one sentence states ("my locker code is 5521",
 * "Locker code: 5521", "I moved to Lisbon", "call me Sam", "Priya Raman's badge number is 4471", "we
 * decided the codename is \"Quiet Harbor\""), who holds each (the user, the assistant, a named person),
 * and whether it restates, retracts or asks to keep one. Questions, hypotheticals, typos, reported speech
 * and first-person small talk ("I'm tired today", "my coffee is cold") state none; nor do events ("Sofia
 * Marin is out on May 3": an absence on a date is not an attribute of hers) or states of the moment ("my
 * phone is dying", anything said "today" or "this week").
 *
 * The engine calls it on every sentence of every message, so a sentence with no digit, no quote, no
 * colon, no dash, no apostrophe and no first-person word is rejected by one cheap test
 * (`mayStateFact`, one precompiled character-class pattern) before the phrasings are tried (so "The
 * codename is Paper Comet", with none of those, is not read; quoted or said by someone it is). The
 * phrasings are tables (phrases.ts, with the attribute keys they state); a clause is read by
 * extractClause.ts, a value by extractValue.ts.
 *
 * Attribute keys: the attribute as written, lower case, without determiners, "'s" or "new" ("my dog's
 * name" → "dog name", "Wi-Fi password" → "wifi password"); first-person phrasings have fixed keys (city,
 * name, employer, job, allergy, diet, age, birthday, hometown, "<animal> name"); decisions key on their
 * action ("we agreed to ship on June 4" → "ship date").
 */
import { readClause, type Frame } from './extractClause.js';
import type { FactRole, FactStatement } from './extractTypes.js';
import { CUE_PREFIX, CUE_REQUEST, HEDGE, NEUTRAL_PREFIX, PREFIX_FIRST_WORDS, QUESTION_START, TRANSIENT, UPDATE_PREFIX } from './phrases.js';

export type { FactRole, FactStatement } from './extractTypes.js';

/**
 * Longer text is a pasted paragraph, not one statement (the engine hands over sentences of at most 64
 * tokens); the bound also keeps every pattern's worst case small.
 */
export const MAX_SENTENCE = 400;

/** The durable facts `sentence` states, in order; [] for most sentences. Deterministic and pure. */
export function extractFacts(sentence: string, role: FactRole): FactStatement[] {
  if (sentence.length > MAX_SENTENCE || !mayStateFact(sentence) || !MAY_READ.test(sentence)) return [];
  const frame = frameOf(sentence, role);
  if (frame === undefined) return [];
  const out: FactStatement[] = [];
  let checked = false;
  for (const clause of splitClauses(frame.text)) {
    const fact = readClause(clause, frame);
    if (fact === undefined) continue;
    // the hedges are checked once a clause reads as a fact: most sentences never get this far
    if (!checked && (HEDGE.test(frame.text) || TRANSIENT.test(frame.text))) return [];
    checked = true;
    out.push(fact);
    if (fact.holder !== 'user' && fact.holder !== 'assistant') frame.lastName = fact.holder;
  }
  return out;
}

const isLetter = (c: number): boolean => ((c | 32) >= 97 && (c | 32) <= 122) || c > 127;

/** The words of the first check (MAY_STATE) and of the second (MAY_READ), lower case (facts/tokenScan.ts looks them up too). */
export const STATE_WORDS: readonly string[] = ['i', 'my', 'me', 'our', 'we', 'your', 'mine'];
export const READ_WORDS: readonly string[] =
  'i we is are am was were will call called changed switched moved relocated updated decided agreed settled confirmed chose picked went voted going update change set switch'.split(' ');

/**
 * Anything a fact needs: an ASCII digit, a double or curly quote, a colon, an apostrophe (possessives,
 * "I'm"), '=', a dash ("Dentist appointment - May 3", "Correction — …") or one of the words I, my, me,
 * our, we, your, mine. One precompiled pattern of a character class and a few words: V8 runs it as native
 * code, 2x faster than the same scan written as a loop over char codes (0.14 vs 0.30 µs a sentence on
 * the synthetic and eval chats, same answers on all 20,471 of their sentences).
 */
export const MAY_STATE = new RegExp(`[\\d:"'=“”’—–]|\\s-\\s|\\b(?:${STATE_WORDS.join('|')})\\b`, 'i');

/**
 * The second check, as cheap: something one of the readers (extractClause.ts) needs to match — a key–value
 * mark or an apostrophe, a link verb (is, are, am, was, were, will be, changed / switched / moved / updated
 * … to), a first-person or decision word, or an update request. On the 1,600-turn synthetic chat 8,922 of
 * 15,788 sentences pass the first check and 850 this one; extraction there went from 1.4 to 0.5 µs a
 * sentence. Every phrasing test runs through it.
 */
export const MAY_READ = new RegExp(`[:=|—–'’]|\\s-\\s|\\b(?:${READ_WORDS.join('|')})\\b`, 'i');

/** False when `s` cannot state a fact (see MAY_STATE); every other check runs only when this is true. */
export function mayStateFact(s: string): boolean {
  return MAY_STATE.test(s);
}

const LIST_MARKER = /^\s*(?:[-*•+]|\d{1,2}[.)])\s+/;
const LIST_START = /^[-*•+\d]/;
const MARKUP = /\*\*|__|`/g;
/** s without trailing whitespace and . ! ; … (a loop: a regex anchored only at the end tries every start). */
function trimEnd(s: string): string {
  let e = s.length;
  for (; e > 0; e--) {
    const c = s.charCodeAt(e - 1);
    if (c !== 46 && c !== 33 && c !== 59 && c !== 0x2026 && c !== 32 && !(c >= 9 && c <= 13)) break;
  }
  return e === s.length ? s : s.slice(0, e);
}

/** A two-cell table row ("| Locker code | 5521 |") as a key-value line; any other row as it is. */
function tableRow(s: string): string {
  const cells = s.split('|').map((c) => c.trim()).filter((c) => c.length > 0);
  return cells.length === 2 && !/^[-:\s]+$/.test(cells[1]) ? `${cells[0]}: ${cells[1]}` : s;
}

/** The sentence without list markers, markup and framing words, with its cue and update flags; undefined for questions and hedges. */
function frameOf(sentence: string, role: FactRole): Frame | undefined {
  let s = sentence.trim();
  if (LIST_START.test(s)) s = s.replace(LIST_MARKER, '');
  else if (s.charCodeAt(0) === 124) s = tableRow(s);
  if (s.includes('**') || s.includes('__') || s.includes('`')) s = s.replace(MARKUP, '');
  let cue = false;
  let update = false;
  const first = s.charCodeAt(0) | 32;
  const request = first === 99 || first === 119 ? CUE_REQUEST.exec(s) : null; // can / could / would / will
  if (request !== null) {
    cue = true;
    s = s.slice(request[0].length).replace(/[\s?]+$/, '');
  }
  s = trimEnd(s);
  if (s.endsWith('?') || s.endsWith('?"') || s.endsWith('?”')) return undefined;
  for (let changed = PREFIX_FIRST_WORDS.has(firstWord(s)); changed; ) {
    changed = false;
    for (const [re, kind] of PREFIXES) {
      const m = re.exec(s);
      if (m === null || m[0].length === 0) continue;
      s = s.slice(m[0].length);
      if (kind === 'cue') cue = true;
      else if (kind === 'update') update = true;
      changed = true;
    }
  }
  if (s.length === 0 || QUESTION_START.test(s)) return undefined;
  return { text: s, role, cue, update, lastName: undefined };
}

/** The first word of s, lower case: letters, apostrophes and dots ("don't", "p.s"). */
function firstWord(s: string): string {
  let j = 0;
  for (; j < s.length && j < 12; j++) {
    const c = s.charCodeAt(j);
    if (!isLetter(c) && c !== 39 && c !== 0x2019 && c !== 46) break;
  }
  while (j > 0 && s.charCodeAt(j - 1) === 46) j--;
  return s.slice(0, j).toLowerCase();
}

const PREFIXES: readonly (readonly [RegExp, 'cue' | 'update' | 'neutral'])[] = [
  [CUE_PREFIX, 'cue'],
  [UPDATE_PREFIX, 'update'],
  [NEUTRAL_PREFIX, 'neutral'],
];

/** Where a sentence holds a second statement: "; " or "and" before a new subject ("… and my desk is …"). */
const CLAUSE_SPLIT = /;\s+|,?\s+and\s+(?=(?:[Mm]y|[Oo]ur|[Yy]our|[Hh]is|[Hh]er|[Tt]heir|I|I['’]m|[Tt]he)\s|\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*){0,2}['’]s\s)/u;

function splitClauses(text: string): string[] {
  if (!text.includes(';') && !text.includes(' and ')) return [text];
  return text.split(CLAUSE_SPLIT).filter((c) => c.length > 0);
}
