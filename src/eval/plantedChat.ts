/**
 * A long synthetic chat with facts planted at early, middle and late token positions, look-alike
 * facts and near-miss values scattered through it, and a closing question about one fact. Two
 * families: `planted` (each fact stated once) and `updates` (about half the facts restated later with
 * a new value; only the latest counts, and the question asks about an updated fact).
 */
import { rng, type SyntheticMessage } from '../engine/testing/syntheticChat.js';
import { estimateTokens, fillerSentences, MESSAGE_OVERHEAD } from './filler.js';
import { ATTRIBUTES, pick, questionFor } from './people.js';
import { holderLabel } from './phrasing.js';
import { ALL_NAMES, chooseFacts, factFractions, updateFractions, type LookalikeKind } from './plantedFacts.js';

export type FactPosition = 'early' | 'mid' | 'late';
export const FACT_POSITIONS: readonly FactPosition[] = ['early', 'mid', 'late'];

export type ChatFamily = 'planted' | 'updates';
export const CHAT_FAMILIES: readonly ChatFamily[] = ['planted', 'updates'];

/** One statement of a fact's value, as it appears in the chat (once). */
export interface FactStatement {
  sentence: string;
  value: string;
  messageIndex: number;
  /** Estimated token offset of the sentence in the chat (tokenizer-free, see `estimateTokens`). */
  tokenOffset: number;
}

export interface PlantedFact extends FactStatement {
  /** Where the first statement is. */
  position: FactPosition;
  /** The named third person the fact is about; absent: the user's own fact. */
  person?: string;
  attribute: string;
  /** The holder and attribute as a card would name them: "my locker code", "Priya Raman's badge number". */
  label: string;
  /** Later restatements with new values, in chat order (updates family only). The last one is the latest. */
  updates: FactStatement[];
}

export interface PlantedLookalike {
  sentence: string;
  kind: LookalikeKind;
  /** The fact it imitates. */
  factIndex: number;
  messageIndex: number;
}

export interface PlantedChat {
  family: ChatFamily;
  messages: SyntheticMessage[];
  /** In chat order of their first statement. */
  facts: PlantedFact[];
  lookalikes: PlantedLookalike[];
  /** The last message's text, asking about `facts[factIndex]` (an updated fact in the updates family). */
  question: { text: string; factIndex: number };
}

export interface PlantedChatOptions {
  seed: number;
  /** Approximate tokens of the rendered chat (default 20000). */
  targetTokens?: number;
  /** Facts to plant, spread evenly over the thirds (default 12). */
  facts?: number;
  /** The knowledge-update family: about half the facts restated later with a new value. */
  updates?: boolean;
}

/** Every statement of a fact, oldest first; the last is the latest value. */
export const statementsOf = (f: PlantedFact): FactStatement[] => [f, ...f.updates];
export const latestOf = (f: PlantedFact): FactStatement => f.updates.at(-1) ?? f;

const SYSTEM = 'You are a careful assistant. Keep answers short and cite names and numbers exactly.';
const LEADS = ['Quick check before we wrap up:', 'One last thing:', 'Before I forget to ask:'];

interface Item {
  at: number;
  sentence: string;
  line: boolean;
  fact?: { index: number; update: number };
  lookalike?: { kind: LookalikeKind; factIndex: number };
}

/** Sentences joined by spaces; a key–value statement ("Locker code: 5521") on a line of its own. */
function joinParts(parts: readonly { text: string; line: boolean }[]): string {
  return parts.map((p) => (p.line ? `\n${p.text}\n` : p.text)).join(' ').replace(/ ?\n ?/g, '\n').replace(/\n+/g, '\n').replace(/^\n|\n$/g, '');
}

/** Deterministic per seed and options. */
export function plantedChat(options: PlantedChatOptions): PlantedChat {
  const target = options.targetTokens ?? 20_000;
  const count = options.facts ?? 12;
  const next = rng(options.seed);
  // updates are chosen from a stream of their own, so both families plant the same facts for a seed
  const updateNext = options.updates ? rng(options.seed ^ 0x5eed_c0de) : undefined;
  const specs = chooseFacts(next, count, updateNext);
  const fractions = factFractions(count);
  const queue: Item[] = [
    ...specs.map((f, i): Item => ({ at: fractions[i] * target, sentence: f.sentence, line: f.line, fact: { index: i, update: 0 } })),
    ...specs.flatMap((f, i) => {
      const ats = updateNext ? updateFractions(updateNext, fractions[i], f.updates.length) : [];
      return f.updates.map((u, k): Item => ({ at: ats[k] * target, sentence: u.sentence, line: u.line, fact: { index: i, update: k + 1 } }));
    }),
    ...specs.flatMap((f, i) => f.lookalikes.map((l): Item => ({ at: (0.02 + 0.95 * next()) * target, sentence: l.sentence, line: false, lookalike: { kind: l.kind, factIndex: i } }))),
  ].sort((a, b) => a.at - b.at);

  const updatedSpecs = specs.flatMap((f, i) => (f.updates.length > 0 ? [i] : []));
  const asked = options.updates && updatedSpecs.length > 0 ? updatedSpecs[questionIndex(options.seed, updatedSpecs.length)] : questionIndex(options.seed, count);
  const question = `${pick(next, LEADS)} ${questionFor(specs[asked].attribute, specs[asked].person)}`;
  const messages: SyntheticMessage[] = [{ role: 'system', content: SYSTEM }];
  let pos = estimateTokens(SYSTEM) + MESSAGE_OVERHEAD;
  /** Where each statement went, keyed `${fact}:${update}`. */
  const placed = new Map<string, { messageIndex: number; tokenOffset: number }>();
  const lookalikes: PlantedLookalike[] = [];
  const end = target - estimateTokens(question) - MESSAGE_OVERHEAD;
  while (queue.length > 0 || pos < end - 60) {
    const parts = fillerSentences(next, ALL_NAMES, 1 + Math.floor(next() * 5), { smallTalk: true }).map((text) => ({ text, line: false }));
    const due: Item[] = [];
    for (let q = 0; q < queue.length && (queue[q].at <= pos || (due.length === 0 && pos >= end - 60)); ) {
      const item = queue[q];
      // an update waits for a later message than the statement it updates
      if (item.fact && item.fact.update > 0 && !placed.has(`${item.fact.index}:${item.fact.update - 1}`)) q++;
      else due.push(...queue.splice(q, 1));
    }
    for (const item of due) parts.splice(Math.floor(next() * (parts.length + 1)), 0, { text: item.sentence, line: item.line });
    const content = joinParts(parts);
    const messageIndex = messages.length;
    for (const item of due) {
      const tokenOffset = pos + estimateTokens(content.slice(0, content.indexOf(item.sentence)));
      if (item.fact) placed.set(`${item.fact.index}:${item.fact.update}`, { messageIndex, tokenOffset });
      if (item.lookalike) lookalikes.push({ sentence: item.sentence, messageIndex, ...item.lookalike });
    }
    messages.push({ role: 'user', content });
    const reply = fillerSentences(next, ALL_NAMES, 2 + Math.floor(next() * 9)).join(' ');
    messages.push({ role: 'assistant', content: reply });
    pos += estimateTokens(content) + estimateTokens(reply) + 2 * MESSAGE_OVERHEAD;
  }
  messages.push({ role: 'user', content: question });
  const total = pos + estimateTokens(question) + MESSAGE_OVERHEAD;

  const at = (i: number, u: number) => placed.get(`${i}:${u}`) as { messageIndex: number; tokenOffset: number };
  const facts = specs.map((f, i): PlantedFact => ({
    sentence: f.sentence,
    value: f.value,
    ...at(i, 0),
    position: FACT_POSITIONS[Math.min(2, Math.floor((3 * at(i, 0).tokenOffset) / total))],
    ...(f.person === undefined ? {} : { person: f.person }),
    attribute: f.attribute.name,
    label: holderLabel(f, f.attribute),
    updates: f.updates.map((u, k) => ({ sentence: u.sentence, value: u.value, ...at(i, k + 1) })),
  }));
  const order = facts.map((_, i) => i).sort((a, b) => facts[a].tokenOffset - facts[b].tokenOffset);
  const rank = new Map(order.map((i, r) => [i, r]));
  return {
    family: options.updates ? 'updates' : 'planted',
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
  const text = `${LEADS[factIndex % LEADS.length]} ${questionFor(attribute, fact.person)}`;
  return { ...chat, messages: [...chat.messages.slice(0, -1), { role: 'user', content: text }], question: { text, factIndex } };
}

/** Which fact the question asks about: rotates with the seed, striding across the thirds. */
export function questionIndex(seed: number, count: number): number {
  const stride = [7, 5, 11, 13, 1].find((s) => count % s !== 0) ?? 1;
  return (((seed * stride) % count) + count) % count;
}
