/** Ordinary chat sentences that carry names, numbers, dates and attribute words without being facts. */
import { sentence } from '../engine/testing/syntheticChat.js';
import { ATTRIBUTES, makeValue, pick, type Attribute, type Next } from './people.js';
import { smallTalk } from './phrasing.js';

type Template = (name: string, next: Next) => string;

const num = (next: Next, max: number): number => 2 + Math.floor(next() * (max - 2));

const TEMPLATES: readonly Template[] = [
  (n, next) => `${n} said the deploy took ${num(next, 90)} minutes.`,
  (n, next) => `${n} moved the design review to ${makeValue(next, 'date')}.`,
  (n, next) => `Ticket ${makeValue(next, 'code')} is still assigned to ${n}.`,
  (n, next) => `We owe ${n} ${num(next, 60)} dollars for the pizza.`,
  (n, next) => `${n} thinks the ${num(next, 40)} failing tests are flaky.`,
  (n, next) => `Ask ${n} whether build ${makeValue(next, 'number')} shipped.`,
  (n, next) => `The badge reader on floor ${num(next, 12)} rejected ${n} again.`,
  (n, next) => `${n} renamed the branch to ${makeValue(next, 'quoted')}.`,
  (n, next) => `${n} booked room ${num(next, 500)} for the retro.`,
  (n) => `${n} will send the notes after lunch.`,
  // ordinary sentences that look like stated facts, or ask to be remembered, so neither signal alone gives facts away
  (n, next) => `${n}'s team is at ${num(next, 50)} open bugs this week.`,
  (n, next) => `${n}'s train was ${num(next, 45)} minutes late again.`,
  (n, next) => `Remember that ${n} is out on ${makeValue(next, 'date')}.`,
  (n, next) => `Please note the retro moved to room ${num(next, 500)}, ${n} says.`,
];

/** One ordinary sentence: half the generic synthetic text, half a named sentence with a number. */
export function fillerSentence(next: Next, names: readonly string[]): string {
  if (next() < 0.5) return sentence(next);
  return pick(next, TEMPLATES)(pick(next, names), next);
}

/** `count` ordinary sentences; with `smallTalk` (the user's turns) a fifth of them are first-person small talk. */
export function fillerSentences(next: Next, names: readonly string[], count: number, options: { smallTalk?: boolean } = {}): string[] {
  return Array.from({ length: count }, () => (options.smallTalk && next() < 0.2 ? smallTalk(next) : fillerSentence(next, names)));
}

/** How a fact is framed: half the time with a request to remember it, otherwise plainly. */
export const FACT_PREFIXES = ['Remember:', 'For the record:', 'By the way,', 'Also,', ''];

/** "Remember: Priya Raman's badge number is 4471." or just "Priya Raman's badge number is 4471." */
export function factSentence(prefix: string, person: string, attribute: Attribute, value: string): string {
  return `${prefix ? `${prefix} ` : ''}${person}'s ${attribute.name} ${attribute.link} ${value}.`;
}

/** The same holder and attribute with a near-miss value, framed as a typo (never as the fact); no person: the user's. */
export function typoSentence(person: string | undefined, attribute: Attribute, value: string): string {
  return `Someone wrote ${value} for ${person === undefined ? 'my' : `${person}'s`} ${attribute.name}, but that was a typo.`;
}

/** The exact value of a fact, said about something else by someone else. */
export function sameValueSentence(next: Next, other: string, value: string): string {
  const attribute = pick(next, ATTRIBUTES);
  return `${other} mentioned ${value} while talking about the ${attribute.name} forms.`;
}

/**
 * A tokenizer-free estimate of Qwen3 tokens, calibrated on this generator's text: a word is one
 * token (words over six letters two), every digit and punctuation mark one.
 */
export function estimateTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/[A-Za-z]+|\d|[^\sA-Za-z\d]/g)) n += m[0].length > 6 ? 2 : 1;
  return n;
}

/** Chat-template tokens around each message (Qwen3: `<|im_start|>role\n` … `<|im_end|>\n`). */
export const MESSAGE_OVERHEAD = 5;
