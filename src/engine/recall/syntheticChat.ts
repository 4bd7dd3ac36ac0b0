import { mulberry32 } from '../core/rng.js';
import type { RecallSpan } from './recallIndex.js';

/**
 * Test fixture: a few hundred spans of chat-like text, full of numbers and names, built from a seeded
 * PRNG so every run sees the same corpus. The distractors mention "locker", "code", "manager", "Ines",
 * "Priya", "badge" and four-digit numbers, but never two of a planted fact's query words together.
 */
export const LOCKER_FACT = 'My locker code is 5521 and my manager is Ines Duarte.';
export const PRIYA_FACT = "Priya's badge number is 4471.";
export const PRIYANKA_FACT = "Priyanka's badge is 4417.";
export const LOCKER_ID = 137;
export const PRIYA_ID = 211;
export const PRIYANKA_ID = 212;


const NAMES = ['Marco', 'Aiko', 'Lena', 'Tomasz', 'Fatima', 'Diego', 'Noor', 'Sven', 'Amara', 'Kenji', 'Olga'];
const SURNAMES = ['Moreau', 'Silva', 'Kowalski', 'Haddad', 'Okafor', 'Lindqvist', 'Tanaka', 'Reyes'];
const PLACES = ['lab', 'office', 'garage', 'studio', 'warehouse', 'clinic', 'library', 'kitchen'];
const TOPICS = ['the quarterly report', 'the migration plan', 'a hiking trip', 'the new espresso machine',
  'tax forms', 'the server outage', 'a birthday party', 'the bike repair', 'holiday photos'];

const RESERVED = new Set([5521, 4471, 4417]);

type Pick = <T>(items: readonly T[]) => T;

const TEMPLATES: ((pick: Pick, n: () => number) => string)[] = [
  (pick, n) => `The ${pick(PLACES)} door code is ${n()} since the alarm was replaced.`,
  (pick) => `I left my gym bag in the locker room near the ${pick(PLACES)}.`,
  (pick, n) => `Locker ${n() % 90} is broken again.`,
  (pick, n) => `Our ${pick(PLACES)} manager approved a budget of ${n()} euros for ${pick(TOPICS)}.`,
  (pick, n) => `Ines ${pick(SURNAMES)} sent ${n() % 40} slides about ${pick(TOPICS)}.`,
  () => `Ines laughed.`,
  (pick, n) => `${pick(NAMES)} said ${pick(TOPICS)} will cost about ${n()} dollars.`,
  (pick, n) => `We talked about ${pick(TOPICS)} for ${n() % 60} minutes and then ordered food.`,
  (pick, n) => `${pick(NAMES)} ${pick(SURNAMES)} moved to apartment ${n()} on Elm Street.`,
  (pick, n) => `Priya ${pick(SURNAMES)} booked a table for ${n() % 12} people at 19:30.`,
  (pick, n) => `The visitor badge printer in the ${pick(PLACES)} jammed ${n() % 9} times today.`,
  (pick, n) => `Remember that flight ${pick(['LH', 'AF', 'KL'])}${n()} leaves from gate ${n() % 50}.`,
  (pick) => `Can you summarize ${pick(TOPICS)} in three bullet points?`,
  (pick, n) => `The zip code for the ${pick(PLACES)} is ${n()}0.`,
  (pick) => `The new manager of the ${pick(PLACES)} is very strict about deadlines.`,
];

/** `count` spans: distractors plus the three planted facts at LOCKER_ID, PRIYA_ID and PRIYANKA_ID. */
export function syntheticSpans(count = 300, seed = 4417): RecallSpan[] {
  const random = mulberry32(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)];
  const n = (): number => {
    const value = 1000 + Math.floor(random() * 9000);
    return RESERVED.has(value) ? n() : value; // the planted numbers stay unique
  };
  const planted = new Map([[LOCKER_ID, LOCKER_FACT], [PRIYA_ID, PRIYA_FACT], [PRIYANKA_ID, PRIYANKA_FACT]]);
  const spans: RecallSpan[] = [];
  let pos = 0;
  for (let id = 1; id <= count; id++) {
    const text = planted.get(id) ?? pick(TEMPLATES)(pick, n);
    const tokens = Math.ceil(text.length / 4);
    spans.push({ id, text, tokens, messageId: Math.ceil(id / 3), startPos: pos, endPos: pos + tokens });
    pos += tokens;
  }
  return spans;
}
