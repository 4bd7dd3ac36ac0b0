/**
 * How facts are said: the user's own facts in varied phrasings, restatements with a new value
 * (knowledge updates), and first-person small talk that states nothing durable.
 */
import { pick, type Attribute, type Next } from './people.js';

/** Who a fact is about: the user (no person) or a named third person. */
export interface Holder {
  person?: string;
}

/** "my locker code" / "Priya Raman's badge number": the words a fact card's label would use. */
export const holderLabel = (holder: Holder, attribute: Attribute): string =>
  holder.person === undefined ? `my ${attribute.name}` : `${holder.person}'s ${attribute.name}`;

const capitalize = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** A statement the generator may put on a line of its own ("Locker code: 5521"), like a key–value list. */
export interface Phrased {
  sentence: string;
  line: boolean;
}

type UserForm = (a: Attribute, value: string) => string;

const USER_FORMS: readonly UserForm[] = [
  (a, v) => `My ${a.name} ${a.link} ${v}.`,
  (a, v) => `For the record, my ${a.name} ${a.link} ${v}.`,
  (a, v) => `Remember that my ${a.name} ${a.link} ${v}.`,
  (a, v) => `By the way, my ${a.name} ${a.link} ${v}.`,
  (a, v) => `Note to self: my ${a.name} ${a.link} ${v}.`,
];

/** One of the user's own facts: "My locker code is 5521.", "Locker code: 5521", "We decided the project codename is …". */
export function userFactSentence(next: Next, attribute: Attribute, value: string): Phrased {
  const r = next();
  if (r < 0.2) return { sentence: `${capitalize(attribute.name)}: ${value}`, line: true };
  if (attribute.shared && r < 0.45) return { sentence: `We decided the ${attribute.name} ${attribute.link} ${value}.`, line: false };
  return { sentence: pick(next, USER_FORMS)(attribute, value), line: false };
}

/** "is on" → "is now on", "is" → "is now". */
const nowLink = (link: string): string => link.replace(/^is\b/, 'is now');

type UpdateForm = (owner: string, a: Attribute, value: string) => string;

/** `owner` is "my" or "Priya Raman's"; each form starts with it or with a lead word. */
const UPDATE_FORMS: readonly UpdateForm[] = [
  (o, a, v) => `Update: ${o} ${a.name} ${nowLink(a.link)} ${v}.`,
  (o, a, v) => `Actually, ${o} ${a.name} ${a.link} ${v}.`,
  (o, a, v) => `Correction: ${o} ${a.name} ${a.link} ${v}.`,
  (o, a, v) => `${capitalize(o)} ${a.name} ${a.kind === 'date' ? 'moved' : 'changed'} to ${v}.`,
  (o, a, v) => `Heads up, ${o} ${a.name} ${nowLink(a.link)} ${v}.`,
];

/** A restatement with a new value: "Update: my locker code is now 7731.", "Correction: Priya Raman's badge number is 4490.". */
export function updateSentence(next: Next, holder: Holder, attribute: Attribute, value: string): Phrased {
  if (holder.person === undefined && next() < 0.15) return { sentence: `New ${attribute.name}: ${value}`, line: true };
  const owner = holder.person === undefined ? 'my' : `${holder.person}'s`;
  return { sentence: pick(next, UPDATE_FORMS)(owner, attribute, value), line: false };
}

/**
 * First-person remarks with nothing durable in them (no digits, no quotes), some naming an attribute
 * without a value, so that "first person" or "my <attribute>" alone gives no fact away.
 */
export const SMALL_TALK: readonly string[] = [
  "I'm tired today.",
  'I think the demo went well.',
  'My coffee is cold again.',
  'I was so busy this week.',
  'My back hurts from that chair.',
  'I love this weather.',
  'My cat kept me up last night.',
  'I should really take a break.',
  'My inbox is a mess.',
  "I'm not sure the new layout is better.",
  'I keep forgetting my locker code.',
  'My dentist is always running late.',
  'I hate renewing my visa.',
  'My parking spot is so far from the door.',
  'I never remember my Wi-Fi password.',
  'My desk is a mess after the move.',
  'I finally finished my favorite book.',
  'My flight was bumpy but fine.',
];

export const smallTalk = (next: Next): string => pick(next, SMALL_TALK);
