/**
 * Reads one clause of a framed sentence (extract.ts took the list marker, "remember that", "update:" and
 * the like off) as a fact: a first-person phrasing ("I live in Porto"), a decision ("we agreed to ship on
 * June 4"), a possessive statement ("my locker code is 5521", "Priya Raman's badge number is 4471", "the
 * codename is …") or a key–value line ("Locker code: 5521").
 *
 * Holders: "my", "our", "I", "we" and plain key–value lines are the writer's (the user in a user, system or
 * tool message, the assistant in its own); "your" is the addressee's (the user when the assistant says it,
 * the assistant when the user or the system prompt says it); "Priya Raman's" is "Priya Raman"; "his",
 * "her", "their" take the person named earlier in the sentence, and are skipped without one. A tool's
 * output states only named people's facts ("Status code: 200" is nobody's attribute).
 */
import type { FactRole, FactStatement } from './extractTypes.js';
import { readValue, type Value } from './extractValue.js';
import {
  DECIDED_ACTION,
  DECIDED_AS,
  DECISION,
  DURABLE_HEADS,
  FIRST_PERSON,
  KEY_DROP,
  KEY_UPDATE,
  NEGATION,
  NOT_NAMES,
  PET,
  SYNONYMS,
  TRANSIENT_HEADS,
} from './phrases.js';

/** A sentence with its framing read: the text left, and what the framing said. */
export interface Frame {
  text: string;
  role: FactRole;
  cue: boolean;
  update: boolean;
  /** The last named holder in the sentence, for "his" / "her" / "their". */
  lastName: string | undefined;
}

interface Hit {
  holder: string;
  attribute: string;
  label: string;
  value: Value;
  update?: boolean;
}

const writer = (role: FactRole): string => (role === 'assistant' ? 'assistant' : 'user');
const addressee = (role: FactRole): string => (role === 'assistant' || role === 'tool' ? 'user' : 'assistant');

const NO_LONGER = /\bno\s+longer\s+/i;
const ANYMORE = /\s+any\s?more$/i;
const NOT_ONCE = /\b(?:do|does|did|am|is|are)\s+not\s+|\b(?:don|doesn|didn)['’]t\s+|\bnot\s+|n['’]t\b/i;
const NOT_TAIL = /\s*,\s*not\s+[^\s,]+(?:\s+[^\s,]+){0,2}$/i;
/** "I no longer have a dog": a retraction with no value. */
const HAVE_NO_MORE = /^(?:I|we)\s+(?:have|own)\s+(?:a|an|my|our)\s+(?<thing>[\p{L}][\p{L}\s-]{0,30})$/u;

/** The fact one clause states, or undefined. `nested`: a statement after a colon ("Heads up: my flight …"). */
export function readClause(clause: string, frame: Frame, nested = false): FactStatement | undefined {
  let text = clause.trim();
  let retracts = false;
  // "my locker code is 7731, not 5521": the value, correcting another
  const notTail = text.includes('not') ? NOT_TAIL.exec(text) : null;
  if (notTail !== null) text = text.slice(0, notTail.index);
  if (text.includes('longer') && NO_LONGER.test(text)) {
    text = text.replace(NO_LONGER, '');
    retracts = true;
  } else if (text.endsWith('more') && ANYMORE.test(text)) {
    text = text.replace(ANYMORE, '').replace(NOT_ONCE, '');
    retracts = true;
  }
  const hit =
    firstPerson(text, frame) ??
    decision(text, frame) ??
    updateRequest(text, frame) ??
    forName(text, frame) ??
    possessive(text, frame, false) ??
    keyValue(text, frame) ??
    (retracts ? dropped(text, frame) : undefined);
  // a tool's output is data, not anyone's statement: only facts about a named person count there
  if (hit !== undefined && frame.role === 'tool' && (hit.holder === 'user' || hit.holder === 'assistant')) return undefined;
  if (hit === undefined) {
    const colon = text.indexOf(':');
    return colon > 0 && !nested ? readClause(text.slice(colon + 1), frame, true) : undefined;
  }
  // a negation left after "no longer" / "not … anymore" are out states what is not so
  if (NEGATION.test(text)) return undefined;
  return {
    holder: hit.holder,
    attribute: hit.attribute,
    label: hit.label,
    value: hit.value.value,
    update: frame.update || retracts || notTail !== null || hit.update === true || hit.value.update,
    retracts,
    cue: frame.cue,
    valueKind: hit.value.kind,
  };
}

/** Keys whose value must be a proper name ("I live in Porto", not "I live in a flat"). */
const PROPER_KEYS = new Set(['city', 'name', 'employer', 'birthplace', 'hometown', 'language', 'car']);
const KIND_OF_KEY: Readonly<Record<string, Value['kind']>> = { birthday: 'date', age: 'code', 'birth year': 'code' };

function firstPerson(text: string, frame: Frame): Hit | undefined {
  const c = text.charCodeAt(0) | 32;
  if (c !== 105 && c !== 99 && c !== 104 && c !== 119 && c !== 112 && c !== 121 && c !== 106) return undefined; // i c h w p y j
  for (const phrase of FIRST_PERSON) {
    const m = phrase.re.exec(text);
    if (m === null) continue;
    const value = readValue(m.groups?.v ?? '');
    if (value === undefined) return undefined;
    if (PROPER_KEYS.has(phrase.attribute) && value.kind !== 'proper') return undefined;
    const kind = KIND_OF_KEY[phrase.attribute];
    if (kind !== undefined && value.kind !== kind) return undefined;
    return { holder: writer(frame.role), attribute: phrase.attribute, label: phrase.label, value, update: phrase.update };
  }
  const pet = PET.exec(text);
  if (pet === null) return undefined;
  const value = readValue(pet.groups?.v ?? '');
  if (value === undefined || value.kind !== 'proper') return undefined;
  const animal = (pet.groups?.pet ?? '').toLowerCase();
  return { holder: writer(frame.role), attribute: `${animal} name`, label: `${animal}'s name`, value };
}

function decision(text: string, frame: Frame): Hit | undefined {
  const c = text.charCodeAt(0) | 32;
  if (c !== 119 && c !== 116 && c !== 101 && c !== 108) return undefined; // w t e l
  const m = DECISION.exec(text);
  const rest = m?.groups?.rest;
  if (rest === undefined) return undefined;
  const stated = possessive(rest, frame, true);
  if (stated !== undefined) return stated;
  const action = DECIDED_ACTION.exec(rest);
  if (action?.groups !== undefined) {
    const value = readValue(action.groups.v);
    if (value === undefined || value.kind === 'words') return undefined;
    const { prep } = action.groups;
    const suffix = (prep === 'on' || prep === 'by') && value.kind === 'date' ? ' date' : prep === 'at' && value.kind === 'time' ? ' time' : '';
    const attribute = `${normalizeAttribute(action.groups.action).key}${suffix}`;
    return { holder: writer(frame.role), attribute, label: attribute, value };
  }
  const as = DECIDED_AS.exec(rest);
  if (as?.groups === undefined) return undefined;
  const value = readValue(as.groups.v);
  if (value === undefined || value.kind === 'words') return undefined;
  const { key } = normalizeAttribute(as.groups.attr);
  return key.length === 0 ? undefined : { holder: writer(frame.role), attribute: key, label: as.groups.attr, value };
}

const NAME = "(?:(?:Dr|Mr|Mrs|Ms|Prof)\\.?\\s+)?\\p{Lu}[\\p{L}-]*(?:\\s+\\p{Lu}[\\p{L}-]*){0,2}";
const ATTR_WORD = "[\\p{L}\\d][\\p{L}\\d'’.-]*";
const LINK =
  "['’]s(?=\\s+[\"“\\d\\p{Lu}])|\\s+(?:(?:is|are)(?:\\s+(?<now>now))?(?:\\s+(?:still|also))?(?:\\s+(?:(?<prep>on|at|in)|due\\s+on|due|set\\s+to|scheduled\\s+for|(?<chg>changing\\s+to)))?|(?:has\\s+|have\\s+|was\\s+|got\\s+)?(?<moved>changed|switched|moved|updated|been\\s+changed)(?:\\s+from\\s+\\S+(?:\\s+\\S+){0,3}?)?\\s+to|will\\s+be|=)";
const POSSESSIVE = new RegExp(
  `^(?:(?:(?<pron>[Mm]y|[Oo]ur|[Yy]our|[Hh]is|[Hh]er|[Tt]heir)|(?<role>[Tt]he\\s+(?:user|assistant))['’]s|(?<name>${NAME})(?:['’]s|(?<=s)['’])|(?<the>[Tt]he))\\s+)?(?<attr>${ATTR_WORD}(?:\\s+${ATTR_WORD}){0,4}?)(?:${LINK})\\s+(?<v>.+)$`,
  'u',
);

const UPDATE_REQUEST = /^(?:please\s+)?(?:update|change|set|switch)\s+(?<target>.+?)\s+to\s+(?<v>.+)$/iu;

const FOR_NAME = new RegExp(`^(?:[Ff]or|[Aa]s\\s+for)\\s+(?<who>${NAME}),\\s+(?:the|her|his|their)\\s+(?<rest>.+)$`, 'u');

/** "For Priya Raman, the badge number is 4471": read as "Priya Raman's badge number is 4471". */
function forName(text: string, frame: Frame): Hit | undefined {
  if ((text.charCodeAt(0) | 32) !== 102 && (text.charCodeAt(0) | 32) !== 97) return undefined; // f a
  const g = FOR_NAME.exec(text)?.groups;
  return g === undefined || NOT_NAMES.has(g.who.split(' ')[0]) ? undefined : possessive(`${g.who}'s ${g.rest}`, frame, false);
}

/** "Please update my locker code to 7731": read as "my locker code changed to 7731". */
function updateRequest(text: string, frame: Frame): Hit | undefined {
  const c = text.charCodeAt(0) | 32;
  if (c !== 112 && c !== 117 && c !== 99 && c !== 115) return undefined; // p u c s
  const g = UPDATE_REQUEST.exec(text)?.groups;
  return g === undefined ? undefined : possessive(`${g.target} changed to ${g.v}`, frame, false);
}

/** Whether text holds an apostrophe or a link word: POSSESSIVE cannot match without one. */
const mayLink = (t: string): boolean =>
  t.includes("'") || t.includes('’') || t.includes(' is ') || t.includes(' are ') || t.includes(' to ') || t.includes(' will be ') || t.includes('=');

function possessive(text: string, frame: Frame, decided: boolean): Hit | undefined {
  if (!mayLink(text)) return undefined;
  const m = POSSESSIVE.exec(text);
  const g = m?.groups;
  if (g === undefined) return undefined;
  const owner = g.pron ?? g.role ?? g.name;
  let holder = holderOf(g, frame);
  let attr = g.attr;
  if (owner === undefined) {
    // "the badge number for Priya Raman is 4471": the holder comes after the attribute
    const of = OF_HOLDER.exec(attr);
    const mine = OF_MY.exec(attr);
    if (mine?.groups !== undefined) attr = `${mine.groups.whose} ${mine.groups.attr}`;
    else if (of?.groups !== undefined && !NOT_NAMES.has(of.groups.who)) {
      attr = of.groups.attr;
      holder = /^(?:me|mine)$/i.test(of.groups.who) ? writer(frame.role) : of.groups.who;
    } else if (g.the === undefined && !bareAttribute(attr)) return undefined;
  }
  if (holder === undefined) return undefined;
  const { key, head, update } = normalizeAttribute(attr);
  if (key.length === 0 || TRANSIENT_HEADS.has(head)) return undefined;
  const durable = DURABLE_HEADS.has(head) || /^(?:favorite|preferred)\b/.test(key);
  if (owner === undefined && !durable && !decided) return undefined;
  const value = readValue(g.v);
  if (value === undefined) return undefined;
  // "my name is on the list": after on / at / in, a date, time, place or number, not plain words
  if (value.kind === 'words' && (!durable || g.prep !== undefined || isProgressive(value.value, key))) return undefined;
  const said = owner === undefined ? g.attr : `${g.pron !== undefined ? owner.toLowerCase() : m![0].slice(0, m![0].indexOf(g.attr)).trimEnd()} ${attr}`;
  return { holder, attribute: key, label: said, value, update: update || g.now !== undefined || g.chg !== undefined || g.moved !== undefined };
}

/** "the code for my locker" is the writer's "locker code". */
const OF_MY = /^(?<attr>[\p{L}\d][\p{L}\d\s'’.-]*?)\s+(?:for|of|on)\s+(?:my|our)\s+(?<whose>[\p{L}\d][\p{L}\d\s'’.-]*)$/iu;
const OF_HOLDER = new RegExp(`^(?<attr>.+?)\\s+(?:for|of)\\s+(?<who>${NAME}|me|mine)$`, 'u');
const capitalized = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const DETERMINER = /\b(?:my|our|your|his|her|their|its|the|a|an|this|that|me|him|them|us)\b/i;
/**
 * An attribute with nothing before it ("Locker code is 5521") is a noun phrase of at most four words: not a
 * pronoun or "this" first, no determiner inside ("Priya said her badge number is …"), no name after its first word.
 */
function bareAttribute(attr: string): boolean {
  const words = attr.split(' ');
  if (words.length > 4 || NOT_NAMES.has(capitalized(words[0])) || DETERMINER.test(attr)) return false;
  for (let i = 1; i < words.length; i++) if (/^\p{Lu}\p{Ll}/u.test(words[i])) return false;
  return true;
}
/** "My phone is dying": a progressive verb, not a value, unless the attribute is an activity ("my hobby is climbing"). */
const isProgressive = (v: string, key: string): boolean => /^[a-z]{2,}ing$/.test(v) && !/\b(?:hobby|sport|activity|food|dish|favorite)\b/.test(key);

function holderOf(g: Record<string, string | undefined>, frame: Frame): string | undefined {
  if (g.pron !== undefined) {
    const p = g.pron.toLowerCase();
    return p === 'my' || p === 'our' ? writer(frame.role) : p === 'your' ? addressee(frame.role) : frame.lastName;
  }
  if (g.role !== undefined) return g.role.toLowerCase().endsWith('user') ? 'user' : 'assistant';
  if (g.name !== undefined) return NOT_NAMES.has(g.name.split(/\s+/)[0]) ? undefined : g.name;
  return writer(frame.role);
}

const KEY_VALUE = /^(?<key>\p{L}[\p{L}\d'’./&-]*(?:\s+[\p{L}\d][\p{L}\d'’./&-]*){0,4}?)\s*(?::|\s[-–—=]\s|=)\s*(?<v>\S.*)$/u;
const KEY_VERB = /\b(?:is|are|was|were|has|have|had|will|did|does|do|am|be|says|said|thinks)\b/i;

function keyValue(text: string, frame: Frame): Hit | undefined {
  if (!text.includes(':') && !text.includes('=') && !text.includes(' - ') && !text.includes('–') && !text.includes('—')) return undefined;
  const g = KEY_VALUE.exec(text)?.groups;
  if (g === undefined || KEY_VERB.test(g.key)) return undefined;
  const stated = possessive(`${g.key} is ${g.v}`, frame, false);
  if (stated !== undefined) return stated;
  const words = g.key.split(/\s+/);
  if (NOT_NAMES.has(words[0])) return undefined;
  const { key, head, update } = normalizeAttribute(g.key);
  if (key.length === 0 || TRANSIENT_HEADS.has(head)) return undefined;
  const durable = DURABLE_HEADS.has(head) || /^(?:favorite|preferred)\b/.test(key);
  if (frame.role !== 'user' && !durable) return undefined;
  const value = readValue(g.v);
  if (value === undefined) return undefined;
  // the assistant's formatted answers are full of "Memory: 4 GB" lines: only durable keys count outside the user's own
  if ((value.kind === 'words' || frame.role !== 'user') && !durable) return undefined;
  // "Kenji Sato: sounds good" names a speaker, not an attribute
  if (!durable && words.length > 1 && words.every((w) => /^\p{Lu}/u.test(w))) return undefined;
  return { holder: writer(frame.role), attribute: key, label: g.key, value, update };
}

/** "I no longer have a dog" / "I don't have a locker anymore": the attribute is retracted, no value. */
function dropped(text: string, frame: Frame): Hit | undefined {
  const thing = HAVE_NO_MORE.exec(text)?.groups?.thing;
  if (thing === undefined) return undefined;
  const { key, head } = normalizeAttribute(thing);
  if (!DURABLE_HEADS.has(head)) return undefined;
  const pet = head === 'dog' || head === 'cat' || head === 'pet';
  return { holder: writer(frame.role), attribute: pet ? `${key} name` : key, label: pet ? `${thing}'s name` : thing, value: { value: '', kind: 'words', update: true } };
}

/**
 * The key of an attribute as written: lower case, "'s" and determiners dropped, spelling variants folded
 * ("Wi-Fi password" → "wifi password", "my dog's name" → "dog name"); `head` is its last word, `update`
 * whether it said "new".
 */
export function normalizeAttribute(words: string): { key: string; head: string; update: boolean } {
  const tokens = words
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/'s\b|(?<=s)'(?=\s|$)/g, '')
    .split(/\s+/)
    .filter((t) => t.length > 0);
  const update = tokens.some((t) => KEY_UPDATE.has(t));
  let key = tokens
    .filter((t) => !KEY_DROP.has(t))
    .map((t) => SYNONYMS[t] ?? t)
    .join(' ');
  for (const [from, to] of MULTI_WORD_SYNONYMS) if (key.includes(from)) key = key.replace(from, to);
  return { key, head: key.slice(key.lastIndexOf(' ') + 1), update };
}

const MULTI_WORD_SYNONYMS = Object.entries(SYNONYMS).filter(([from]) => from.includes(' '));
