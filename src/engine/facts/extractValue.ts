/**
 * The value half of a fact statement: cut where the clause goes on ("May 3, so I'll be out"), trimmed of
 * trailing punctuation and of the words that mark a restatement ("… now", "… instead"), and classified by
 * shape. A value that has no recognizable shape is not a fact's value ("going fine", "12 open bugs").
 */
import { MONTH, WEEKDAY } from './phrases.js';

/**
 * quoted: "\"Amber Falcon\""; date: "May 3", "2026-05-03", "next Friday"; time: "10:30 am"; code: a
 * number, code or amount of up to three tokens ("4471", "QK-127", "room 212", "+1 555 0100"); email;
 * proper: capitalized words ("Lisbon", "Acme Corp", "The Hobbit"); words: a few plain words ("vegetarian"),
 * which only attributes with a durable head may take.
 */
export type ValueKind = 'quoted' | 'date' | 'time' | 'code' | 'email' | 'proper' | 'words';

export interface Value {
  value: string;
  kind: ValueKind;
  /** A trailing "now", "instead", "from now on": the value replaces an earlier one. */
  update: boolean;
}

const TIME = '\\d{1,2}(?::\\d{2})?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.)|\\d{1,2}:\\d{2}';
const DATE = new RegExp(
  `^(?:(?:${TIME})\\s+on\\s+)?(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+\\d{4})?|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?|(?:(?:next|this)\\s+)?${WEEKDAY}(?:,?\\s+${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?)?|tomorrow)(?:\\s+at\\s+(?:${TIME}))?$`,
  'i',
);
const TIME_ONLY = new RegExp(`^(?:${TIME})$`, 'i');
const QUOTED = /^(?:"[^"\n]{1,80}"|“[^”\n]{1,80}”|'[^'\n]{1,80}')$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
/** A web address or a handle: "https://sam.dev", "www.acme.io", "@samlee". */
const IDENTIFIER = /^(?:https?:\/\/\S+|www\.\S+\.\S+|@[\w.-]{2,})$/i;
const CODE_TOKEN = /^[#$€£+(]?[\p{L}\d][\p{L}\d.,:/#+()'’-]*%?$/u;
const DIGIT = /\d/;
/** Words that may stand beside a number in a code-shaped value ("room 212", "floor 3", "1,200 dollars"). */
const UNITS = new Set(
  'floor room gate seat desk building bldg level suite apt apartment unit terminal platform row bay spot locker no no. ext ext. x dollars euros pounds usd eur gbp chf kg lbs cm km miles years months a per'.split(' '),
);
const CONNECTORS = new Set(['of', 'de', 'da', 'do', 'del', 'van', 'von', 'der', 'den', 'the', 'and', '&', 'la', 'le', 'y', 'on', 'in']);
const PROPER_WORD = /^(?:\p{Lu}[\p{L}\d'’.&-]*|\d+)$/u;
const PLAIN_WORD = /^[\p{L}][\p{L}'’-]*$/u;
/** Words no durable plain-word value holds: verbs of state and small-talk adjectives ("going fine", "so cold"). */
const NOT_VALUE_WORDS = new Set(
  (
    'is are was were be been being going gonna to it that this there here very really so too fine good great ok okay bad cold hot warm ' +
    'tired busy nice awful late early done over same something anything everything nothing broken dead full empty down out off on up ' +
    'ready missing lost gone new old open closed slow fast weird strange funny boring mess disaster nightmare joke pain problem ' +
    'killing awesome amazing terrible horrible cute lovely perfect crazy'
  ).split(' '),
);

/** Where a value stops: a comma, semicolon or paren, a spaced dash, or a conjunction that starts a new clause. */
const CLAUSE_END = /\s(?<instead>instead\s+of|rather\s+than)\s|;|\s\(|\s[—–-]\s|,(?!\s*\d{4}\b)|\s(?:because|since|so|but|which|who|until|when|while|after|before|though|although|and\s+(?:i|my|it|that|we|you|he|she|they|his|her|their|the))\b/i;
const CODE_THEN_PREPOSITION = /^(\S*\d\S*)\s+(?:to|from|on|at|for|in|with|via)\s/i;
const TRAILING_UPDATE = /\s+(?:now|instead|from\s+now\s+on|going\s+forward|these\s+days|as\s+of\s+(?:today|now))$/i;
const TRAILING_PUNCT = /[\s.!?;:,…]+$/;

/** The value at the start of `raw` (the text after the link word), or undefined if it has no value shape. */
export function readValue(raw: string): Value | undefined {
  let v = raw.trim();
  const open = v.charAt(0);
  if (open === '"' || open === '“') {
    const close = v.indexOf(open === '"' ? '"' : '”', 1);
    if (close < 2) return undefined;
    const rest = v.slice(close + 1).replace(TRAILING_PUNCT, '');
    return { value: v.slice(0, close + 1), kind: 'quoted', update: TRAILING_UPDATE.test(` ${rest}`) };
  }
  const end = CLAUSE_END.exec(v);
  let update = end?.groups?.instead !== undefined;
  if (end !== null) v = v.slice(0, end.index);
  v = v.replace(TRAILING_PUNCT, '');
  for (let m = TRAILING_UPDATE.exec(v); m !== null; m = TRAILING_UPDATE.exec(v)) {
    update = true;
    v = v.slice(0, m.index).replace(TRAILING_PUNCT, '');
  }
  let kind = shapeOf(v);
  const lead = kind === undefined ? CODE_THEN_PREPOSITION.exec(v) : null;
  // "QK-127 to Berlin", "5521 for the gym": the code, not the words after it
  if (lead !== null && shapeOf(lead[1]) === 'code') [v, kind] = [lead[1], 'code'];
  return kind === undefined ? undefined : { value: v, kind, update };
}

/** The shape of a trimmed value, or undefined if it has none. */
export function shapeOf(v: string): ValueKind | undefined {
  if (v.length === 0 || v.length > 80) return undefined;
  if (QUOTED.test(v)) return 'quoted';
  if (DATE.test(v)) return 'date';
  if (TIME_ONLY.test(v)) return 'time';
  if (EMAIL.test(v)) return 'email';
  if (IDENTIFIER.test(v)) return 'code';
  const words = v.split(/\s+/);
  if (DIGIT.test(v)) return isCode(words) ? 'code' : isProper(words) ? 'proper' : undefined;
  if (isProper(words)) return 'proper';
  if (words.length <= 4 && words.every(isValueWord)) return 'words';
  return undefined;
}

/** A plain word a durable value may hold: not a verb of state or a small-talk adjective. */
function isValueWord(w: string): boolean {
  const l = w.toLowerCase();
  return PLAIN_WORD.test(w) && !NOT_VALUE_WORDS.has(l);
}

function isCode(words: readonly string[]): boolean {
  if (words.length > 3) return false;
  let digits = 0;
  for (const w of words) {
    if (!CODE_TOKEN.test(w)) return false;
    if (DIGIT.test(w)) digits++;
    else if (!UNITS.has(w.toLowerCase()) && !/^[A-Z]{1,5}$/.test(w)) return false;
  }
  return digits > 0;
}

/** Capitalized words, with connectors between them; or a street address ("12 Main Street", "221B Baker Street"). */
function isProper(words: readonly string[]): boolean {
  if (words.length > 5 || !PROPER_WORD.test(words[0])) return false;
  if (DIGIT.test(words[0].charAt(0)) && (words.length < 3 || !/^\d+[A-Za-z]?$/.test(words[0]) || !/^\p{Lu}\p{Ll}/u.test(words[1]))) return false;
  for (let i = 1; i < words.length; i++) if (!PROPER_WORD.test(words[i]) && !CONNECTORS.has(words[i])) return false;
  return !CONNECTORS.has(words[words.length - 1]);
}
