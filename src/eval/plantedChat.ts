/**
 * A long synthetic chat with facts planted at early, middle and late token positions, look-alike
 * facts and near-miss values scattered through it, and a closing question about one fact.
 */
import { rng, type SyntheticMessage } from '../engine/testing/syntheticChat.js';
import { estimateTokens, fillerSentences, MESSAGE_OVERHEAD } from './filler.js';
import { ATTRIBUTES, pick } from './people.js';
import { ALL_NAMES, chooseFacts, factFractions, type LookalikeKind } from './plantedFacts.js';

export type FactPosition = 'early' | 'mid' | 'late';
export const FACT_POSITIONS: readonly FactPosition[] = ['early', 'mid', 'late'];

export interface PlantedFact {
  /** The whole sentence, as it appears in the chat (once). */
  sentence: string;
  position: FactPosition;
  messageIndex: number;
  person: string;
  attribute: string;
  value: string;
  /** Estimated token offset of the sentence in the chat (tokenizer-free, see `estimateTokens`). */
  tokenOffset: number;
}

export interface PlantedLookalike {
  sentence: string;
  kind: LookalikeKind;
  /** The fact it imitates. */
  factIndex: number;
  messageIndex: number;
}

export interface PlantedChat {
  messages: SyntheticMessage[];
  /** In chat order. */
  facts: PlantedFact[];
  lookalikes: PlantedLookalike[];
  /** The last message's text, asking about `facts[factIndex]`. */
  question: { text: string; factIndex: number };
}

export interface PlantedChatOptions {
  seed: number;
  /** Approximate tokens of the rendered chat (default 20000). */
  targetTokens?: number;
  /** Facts to plant, spread evenly over the thirds (default 12). */
  facts?: number;
}

const SYSTEM = 'You are a careful assistant. Keep answers short and cite names and numbers exactly.';
const LEADS = ['Quick check before we wrap up:', 'One last thing:', 'Before I forget to ask:'];

interface Item {
  at: number;
  sentence: string;
  fact?: number;
  lookalike?: { kind: LookalikeKind; factIndex: number };
}

/** Deterministic per seed. */
export function plantedChat(options: PlantedChatOptions): PlantedChat {
  const target = options.targetTokens ?? 20_000;
  const count = options.facts ?? 12;
  const next = rng(options.seed);
  const specs = chooseFacts(next, count);
  const fractions = factFractions(count);
  const queue: Item[] = [
    ...specs.map((f, i) => ({ at: fractions[i] * target, sentence: f.sentence, fact: i })),
    ...specs.flatMap((f, i) => f.lookalikes.map((l) => ({ at: (0.02 + 0.95 * next()) * target, sentence: l.sentence, lookalike: { kind: l.kind, factIndex: i } }))),
  ].sort((a, b) => a.at - b.at);

  const asked = questionIndex(options.seed, count);
  const question = `${pick(next, LEADS)} ${specs[asked].attribute.question.replace('{p}', specs[asked].person)}`;
  const messages: SyntheticMessage[] = [{ role: 'system', content: SYSTEM }];
  let pos = estimateTokens(SYSTEM) + MESSAGE_OVERHEAD;
  const offsets = new Map<number, { messageIndex: number; offset: number }>();
  const lookalikes: PlantedLookalike[] = [];
  const end = target - estimateTokens(question) - MESSAGE_OVERHEAD;
  while (queue.length > 0 || pos < end - 60) {
    const parts = fillerSentences(next, ALL_NAMES, 1 + Math.floor(next() * 5));
    const due: Item[] = [];
    while (queue.length > 0 && queue[0].at <= pos) due.push(queue.shift() as Item);
    if (due.length === 0 && pos >= end - 60) due.push(queue.shift() as Item);
    for (const item of due) parts.splice(Math.floor(next() * (parts.length + 1)), 0, item.sentence);
    const content = parts.join(' ');
    const messageIndex = messages.length;
    for (const item of due) {
      if (item.fact !== undefined) offsets.set(item.fact, { messageIndex, offset: pos + estimateTokens(content.slice(0, content.indexOf(item.sentence))) });
      if (item.lookalike) lookalikes.push({ sentence: item.sentence, messageIndex, ...item.lookalike });
    }
    messages.push({ role: 'user', content });
    const reply = fillerSentences(next, ALL_NAMES, 2 + Math.floor(next() * 9)).join(' ');
    messages.push({ role: 'assistant', content: reply });
    pos += estimateTokens(content) + estimateTokens(reply) + 2 * MESSAGE_OVERHEAD;
  }
  messages.push({ role: 'user', content: question });
  const total = pos + estimateTokens(question) + MESSAGE_OVERHEAD;

  const facts = specs.map((f, i): PlantedFact => {
    const { messageIndex, offset } = offsets.get(i) as { messageIndex: number; offset: number };
    const position = FACT_POSITIONS[Math.min(2, Math.floor((3 * offset) / total))];
    return { sentence: f.sentence, position, messageIndex, person: f.person, attribute: f.attribute.name, value: f.value, tokenOffset: offset };
  });
  const order = facts.map((_, i) => i).sort((a, b) => facts[a].tokenOffset - facts[b].tokenOffset);
  const rank = new Map(order.map((i, r) => [i, r]));
  return {
    messages,
    facts: order.map((i) => facts[i]),
    lookalikes: lookalikes.map((l) => ({ ...l, factIndex: rank.get(l.factIndex) as number })),
    question: { text: question, factIndex: rank.get(asked) as number },
  };
}

/**
 * The same chat ending with a question about fact `factIndex` (chat order) instead: every planted
 * fact can be the one asked about.
 */
export function askingAbout(chat: PlantedChat, factIndex: number): PlantedChat {
  const fact = chat.facts[factIndex];
  if (!fact) throw new RangeError(`no fact ${factIndex} (the chat has ${chat.facts.length})`);
  const attribute = ATTRIBUTES.find((a) => a.name === fact.attribute);
  if (!attribute) throw new Error(`unknown attribute "${fact.attribute}"`);
  const text = `${LEADS[factIndex % LEADS.length]} ${attribute.question.replace('{p}', fact.person)}`;
  return { ...chat, messages: [...chat.messages.slice(0, -1), { role: 'user', content: text }], question: { text, factIndex } };
}

/** Which fact the question asks about: rotates with the seed, striding across the thirds. */
export function questionIndex(seed: number, count: number): number {
  const stride = [7, 5, 11, 13, 1].find((s) => count % s !== 0) ?? 1;
  return (((seed * stride) % count) + count) % count;
}

