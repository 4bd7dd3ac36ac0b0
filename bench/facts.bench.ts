// The deterministic fact extractor (src/engine/facts/extract.ts) on the engine's hot path: every sentence
// of every message goes through extractFacts. Sentences are cut as the engine cuts them (Qwen3 tokens,
// the ledger's sentence flags, spans of at most 64 tokens decoded), from (a) the 1,600-turn synthetic
// chat, (b) an eval-like stream (the eval's filler with a planted fact sentence in every 20) and (c) the
// eval's own knowledge-update chats (facts in varied phrasings, updates, small talk). µs per
// sentence (median of the rounds), the share the one-pass scan rejects before any regex, and
// extractSalient (the policies' regex extraction of numbers, dates, names and quotes) on the same
// sentences for scale. Run with `node_modules/.bin/tsx bench/facts.bench.ts` (FMS_BENCH_ROUNDS=n; default 9).
import { sentenceFlags } from '../src/engine/core/boundaries.js';
import { FLAG_SENTENCE_START } from '../src/engine/core/tokenRing.js';
import { extractFacts, mayStateFact, type FactRole } from '../src/engine/facts/extract.js';
import { tokenScan } from '../src/engine/facts/tokenScan.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { extractSalient } from '../src/engine/policies/salientFacts.js';
import { rng, syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { FACT_PREFIXES, factSentence, fillerSentences } from '../src/eval/filler.js';
import { ATTRIBUTES, makeValue, pick } from '../src/eval/people.js';
import { plantedChat } from '../src/eval/plantedChat.js';
import { ALL_NAMES } from '../src/eval/plantedFacts.js';
import { summarize, table } from './util.js';

const ROUNDS = Math.max(1, Number(process.env.FMS_BENCH_ROUNDS ?? 9));
const MAX_FACT_SENTENCE = 64;
const tokenizer = await loadTokenizer();

interface Sentence {
  text: string;
  role: FactRole;
}

/** The sentences the engine hands the extractor for these messages. */
function engineSentences(messages: readonly { role: FactRole; content: string }[]): Sentence[] {
  const out: Sentence[] = [];
  for (const m of messages) {
    const ids = tokenizer.encode(m.content);
    const flags = sentenceFlags(ids, (id) => tokenizer.decodeToken(id));
    for (let a = 0; a < ids.length; ) {
      let b = a + 1;
      while (b < ids.length && (flags[b] & FLAG_SENTENCE_START) === 0) b++;
      if (b - a <= MAX_FACT_SENTENCE) out.push({ text: tokenizer.decode(ids.subarray(a, b)), role: m.role });
      a = b;
    }
  }
  return out;
}

function evalLike(turns: number): { role: FactRole; content: string }[] {
  const next = rng(3);
  const out: { role: FactRole; content: string }[] = [];
  for (let t = 0; t < turns; t++) {
    const parts = fillerSentences(next, ALL_NAMES, 2 + Math.floor(next() * 8));
    if (t % 20 === 0) {
      const attribute = pick(next, ATTRIBUTES);
      parts.splice(1, 0, factSentence(pick(next, FACT_PREFIXES), pick(next, ALL_NAMES), attribute, makeValue(next, attribute.kind)));
    }
    out.push({ role: t % 2 === 0 ? 'user' : 'assistant', content: parts.join(' ') });
  }
  return out;
}

/**
 * µs per sentence of `fn` over all sentences: the median of the rounds in wall time and in CPU time (the
 * machine is shared: CPU time is the steadier figure), and the facts it found in one round.
 */
function measure(sentences: readonly Sentence[], fn: (s: Sentence) => number): { us: number; cpu: number; found: number } {
  let found = 0;
  for (const s of sentences) found += fn(s); // warm-up (JIT, regex compilation)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let sink = 0;
    for (const s of sentences) sink += fn(s);
    wall.push(Number(process.hrtime.bigint() - t0) / 1000 / sentences.length);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / sentences.length);
    if (sink !== found) throw new Error('not deterministic');
  }
  return { us: summarize(wall).p50, cpu: summarize(cpu).p50, found };
}

const corpora: [string, Sentence[]][] = [
  ['synthetic chat, 1,600 turns', engineSentences(syntheticChat({ seed: 1, turns: 1600 }).map((m) => ({ role: m.role as FactRole, content: m.content })))],
  ['eval-like filler, 1,600 messages, a fact in every 20th', engineSentences(evalLike(1600))],
  [
    "the eval's knowledge-update chats, seeds 1-5 (~20k tokens each)",
    engineSentences([1, 2, 3, 4, 5].flatMap((seed) => plantedChat({ seed, updates: true }).messages.map((m) => ({ role: m.role as FactRole, content: m.content })))),
  ],
];
const rows: (string | number)[][] = [];
for (const [name, sentences] of corpora) {
  const passed = sentences.filter((s) => mayStateFact(s.text)).length;
  const ours = measure(sentences, (s) => extractFacts(s.text, s.role).length);
  const scan = measure(sentences, (s) => (mayStateFact(s.text) ? 1 : 0));
  const salient = measure(sentences, (s) => extractSalient(s.text).numbers.length);
  rows.push([name, sentences.length, `${((100 * passed) / sentences.length).toFixed(1)}%`, ours.found, `${ours.us.toFixed(2)} / ${ours.cpu.toFixed(2)}`, `${scan.us.toFixed(2)} / ${scan.cpu.toFixed(2)}`, `${salient.us.toFixed(2)} / ${salient.cpu.toFixed(2)}`]);
}
console.log(
  table(
    `Fact extraction, µs per sentence, wall / CPU (median of ${ROUNDS} rounds; target: well under 5 µs)`,
    ['corpus', 'sentences', 'pass the scan', 'facts found', 'extractFacts', 'the scan alone', 'extractSalient (for scale)'],
    rows,
  ),
);

// --- The engine's scan per message: the token pass, then only the sentences it lets through cut out and read ---
// As scanFacts (src/engine/factsStep.ts) does it, without the ledger; beside it, the floor (walking the
// sentence flags alone) and the peer without the token pass (every sentence decoded and read).
interface Tokenized {
  role: FactRole;
  content: string;
  ids: Int32Array;
  flags: Uint8Array;
}
const tokenized = (messages: readonly { role: FactRole; content: string }[]): Tokenized[] =>
  messages.map((m) => {
    const ids = tokenizer.encode(m.content);
    return { ...m, ids, flags: sentenceFlags(ids, (id) => tokenizer.decodeToken(id)) };
  });
function sentencesOf(m: Tokenized, fn: (a: number, b: number) => void): void {
  for (let a = 0; a < m.ids.length; ) {
    let b = a + 1;
    while (b < m.ids.length && (m.flags[b] & FLAG_SENTENCE_START) === 0) b++;
    if (b - a <= MAX_FACT_SENTENCE) fn(a, b);
    a = b;
  }
}
/** µs per message of fn over all messages: the median of the rounds, wall / CPU. */
function perMessage(messages: readonly Tokenized[], fn: (m: Tokenized) => number): string {
  const run = (): number => messages.reduce((n, m) => n + fn(m), 0);
  const sink = run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (run() !== sink) throw new Error('not deterministic');
    wall.push(Number(process.hrtime.bigint() - t0) / 1000 / messages.length);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / messages.length);
  }
  return `${summarize(wall).p50.toFixed(2)} / ${summarize(cpu).p50.toFixed(2)}`;
}
const scanRows: (string | number)[][] = [];
for (const [name, messages] of [
  ['synthetic chat, 1,600 turns', tokenized(syntheticChat({ seed: 1, turns: 1600 }).map((m) => ({ role: m.role as FactRole, content: m.content })))],
  ["the eval's knowledge-update chats, seeds 1-5", tokenized([1, 2, 3, 4, 5].flatMap((seed) => plantedChat({ seed, updates: true }).messages.map((m) => ({ role: m.role as FactRole, content: m.content }))))],
] as const) {
  const engine = (m: Tokenized): number => {
    const scan = tokenScan(tokenizer, m.ids);
    let offsets: Int32Array | undefined | null = null;
    let found = 0;
    sentencesOf(m, (a, b) => {
      if (!scan.mayState(a, b)) return;
      if (offsets === null) offsets = scan.charOffsets(m.content);
      found += extractFacts(offsets ? m.content.slice(offsets[a], offsets[b]) : tokenizer.decode(m.ids.subarray(a, b)), m.role).length;
    });
    return found;
  };
  const everySentence = (m: Tokenized): number => {
    let found = 0;
    sentencesOf(m, (a, b) => (found += extractFacts(tokenizer.decode(m.ids.subarray(a, b)), m.role).length));
    return found;
  };
  const floor = (m: Tokenized): number => {
    let n = 0;
    sentencesOf(m, () => n++);
    return n;
  };
  if (messages.reduce((n, m) => n + engine(m), 0) !== messages.reduce((n, m) => n + everySentence(m), 0)) throw new Error('the token pass lost a fact');
  scanRows.push([name, messages.length, perMessage(messages, engine), perMessage(messages, everySentence), perMessage(messages, floor)]);
}
console.log(
  table(
    `The engine's fact scan, µs per message, wall / CPU (median of ${ROUNDS} rounds; a turn is two messages)`,
    ['messages', 'count', 'token pass + read what it lets through (the engine)', 'every sentence decoded and read (peer)', 'walking the sentence flags alone (floor)'],
    scanRows,
  ),
);
