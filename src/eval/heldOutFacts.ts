/**
 * Held-out phrasings: fact sentences written by hand after the extractor was built, in wordings that neither the
 * eval's generators nor the extractor's tests use, and sentences that state nothing durable. `npm run eval` reports
 * how many the rules find, so the planted-fact figures (whose phrasings the extractor was tuned on) have a check
 * that was not. A find counts when its holder and value match (the attribute's key is the extractor's own wording).
 */
import { extractFacts, type FactRole } from '../engine/facts/extract.js';

export interface HeldOutFact {
  sentence: string;
  role: FactRole;
  holder: string;
  value: string;
}

export const HELD_OUT_FACTS: readonly HeldOutFact[] = [
  { sentence: 'The gate code for my building is 4471.', role: 'user', holder: 'user', value: '4471' },
  { sentence: 'My seat on the train is 14C.', role: 'user', holder: 'user', value: '14C' },
  { sentence: "My daughter's school is Lincoln Elementary.", role: 'user', holder: 'user', value: 'Lincoln Elementary' },
  { sentence: 'My insurance policy number is QX-88213.', role: 'user', holder: 'user', value: 'QX-88213' },
  { sentence: 'Our anniversary is on June 12.', role: 'user', holder: 'user', value: 'June 12' },
  { sentence: 'I was born in Valparaíso.', role: 'user', holder: 'user', value: 'Valparaíso' },
  { sentence: 'My blood type is O negative.', role: 'user', holder: 'user', value: 'O negative' },
  { sentence: 'My landlord is Mr. Okafor.', role: 'user', holder: 'user', value: 'Mr. Okafor' },
  { sentence: 'Home router password: "tangerine-owl".', role: 'user', holder: 'user', value: '"tangerine-owl"' },
  { sentence: 'Gym locker: 212', role: 'user', holder: 'user', value: '212' },
  { sentence: 'Our team standup is at 9:15.', role: 'user', holder: 'user', value: '9:15' },
  { sentence: 'My shoe size is 43.', role: 'user', holder: 'user', value: '43' },
  { sentence: 'My preferred airline is Finnair.', role: 'user', holder: 'user', value: 'Finnair' },
  { sentence: 'FYI my new phone extension is 3307.', role: 'user', holder: 'user', value: '3307' },
  { sentence: 'My cat is called Miso.', role: 'user', holder: 'user', value: 'Miso' },
  { sentence: 'I am vegetarian.', role: 'user', holder: 'user', value: 'vegetarian' },
  { sentence: "My manager's name is Dana Whitfield.", role: 'user', holder: 'user', value: 'Dana Whitfield' },
  { sentence: 'Please keep in mind that my deadline is March 30.', role: 'user', holder: 'user', value: 'March 30' },
  { sentence: 'Our server rack is in room B-204.', role: 'user', holder: 'user', value: 'B-204' },
  { sentence: 'My car plate is KLM 4520.', role: 'user', holder: 'user', value: 'KLM 4520' },
  { sentence: "Kofi Mensah's office is room 512.", role: 'user', holder: 'Kofi Mensah', value: '512' },
  { sentence: "Lena Fischer's start date is April 2.", role: 'user', holder: 'Lena Fischer', value: 'April 2' },
  { sentence: "Ravi Patel's mobile number is 555-0142.", role: 'user', holder: 'Ravi Patel', value: '555-0142' },
  { sentence: 'Your booking reference is ZK7P2Q.', role: 'assistant', holder: 'user', value: 'ZK7P2Q' },
  { sentence: 'Correction: my gate code is 4417, not 4471.', role: 'user', holder: 'user', value: '4417' },
];

/** Sentences that state nothing durable: a find here is a false positive. */
export const HELD_OUT_NON_FACTS: readonly string[] = [
  'My flight was delayed by two hours yesterday.',
  'I think my code review went fine.',
  'Is my gate code 4471 or 4417?',
  'My head hurts a bit today.',
  'If my budget were 5000 we could buy both.',
  'I counted 42 open tabs this morning.',
  'My guess is that it takes 3 days.',
  'The meeting ran 15 minutes over again.',
  'I tried 3 times before it worked.',
  'My favorite part was the demo at 10.',
];

export interface HeldOutReport {
  found: number;
  total: number;
  falsePositives: number;
  negatives: number;
  missed: string[];
}

/** How many held-out facts the rules find with the right holder and value, and how many non-facts they report. */
export function heldOutReport(): HeldOutReport {
  const norm = (v: string): string => v.replace(/^["“]|["”]$/g, '').replace(/[.,;]$/, '').trim().toLowerCase();
  const missed: string[] = [];
  let found = 0;
  for (const f of HELD_OUT_FACTS) {
    const hit = extractFacts(f.sentence, f.role).some((s) => s.holder === f.holder && norm(s.value) === norm(f.value));
    if (hit) found++;
    else missed.push(f.sentence);
  }
  const falsePositives = HELD_OUT_NON_FACTS.filter((s) => extractFacts(s, 'user').length > 0).length;
  return { found, total: HELD_OUT_FACTS.length, falsePositives, negatives: HELD_OUT_NON_FACTS.length, missed };
}
