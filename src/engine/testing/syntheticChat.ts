import type { Role } from '../../shared/protocol.js';
import { mulberry32 } from '../core/rng.js';

/** A seeded PRNG: the same seed gives the same chat everywhere. */
export const rng = mulberry32;

const SUBJECTS = ['The build', 'Our parser', 'Maria', 'The cache layer', 'Kenji', 'This query', 'The retry loop', 'Dr. Okafor', 'The scheduler', 'Your test'];
const VERBS = ['handles', 'drops', 'rewrites', 'measures', 'forgets', 'reorders', 'batches', 'validates', 'streams', 'caches'];
const OBJECTS = ['the token budget', 'every third request', 'old spans', 'the 42 pending jobs', 'quoted strings like "alpha-7"', 'the March 3 report', 'unicode names such as Zoë', 'the p95 latency', 'nested lists', 'the system prompt'];
const TAILS = ['.', '.', '.', '!', '?', ' before noon.', ' in 3.5 seconds.', ', which is odd.', ' (see below).', ' again.'];

/** One sentence of plausible chat text. */
export function sentence(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  return `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}${pick(TAILS)}`;
}

/** A message of a few sentences, sometimes with a newline or a list. */
export function messageText(next: () => number, sentences: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) {
    parts.push(sentence(next));
    if (next() < 0.1) parts.push('\n');
  }
  return parts.join(' ').replace(/ \n /g, '\n');
}

export interface SyntheticMessage {
  role: Role;
  content: string;
}

/**
 * A long chat: a system prompt, then alternating user/assistant turns. `sentencesPerMessage`
 * averages about 12 tokens per sentence with the Qwen3 tokenizer.
 */
export function syntheticChat(options: { seed?: number; turns: number; sentencesPerMessage?: number }): SyntheticMessage[] {
  const next = rng(options.seed ?? 1);
  const per = options.sentencesPerMessage ?? 6;
  const out: SyntheticMessage[] = [
    { role: 'system', content: 'You are a careful assistant. Keep answers short and cite numbers exactly.' },
  ];
  for (let t = 0; t < options.turns; t++) {
    out.push({ role: 'user', content: messageText(next, 1 + Math.floor(next() * per)) });
    out.push({ role: 'assistant', content: messageText(next, 1 + Math.floor(next() * per * 2)) });
  }
  return out;
}
