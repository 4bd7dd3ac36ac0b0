// The renderer's stores in a long session: how long applyBatch takes for one 200-event batch (25 turns
// of 2 messages, 2 evictions, a snapshot, stats, a cache report and a built context, plus 100 profiler
// spans) on stores that already hold 20,000 messages, 5,000 evictions, 5,000 turns of stats, 10,000
// cache reports and 60,000 profiler spans (the middle row; the others scale every count by 0.1 and 2:
// a batch should cost the same on all three). Each run fills the stores afresh through applyBatch (not
// timed), then times the one batch. Node, no DOM: the stores alone, not React. `npm run bench stores`.
import { DEFAULT_CONFIG } from '../src/shared/config.js';
import { EventBatchSchema, type EventBatch, type HostEvent, type MessageData } from '../src/shared/protocol.js';
import { applyBatch } from '../src/renderer/state/applyBatch.js';
import { summarize, table } from './util.js';
import { emptySnapshot, toSnapshot } from '../src/shared/view/snapshot.js';
import { ViewModel } from '../src/shared/view/viewModel.js';
import { encodeWire, decodeWire } from '../src/shared/wire.js';

let MESSAGES = 20_000;
let EVICTIONS = 5_000;
let TURNS = 5_000;
let REPORTS = 10_000;
let SPANS = 60_000;
const RUNS = 25;

const config = { ...DEFAULT_CONFIG, policy: 'sliding', maxTokens: 4096, window: 64, pinSystem: true };
const budget = { maxTokens: 4096, usedBefore: 4100, usedAfter: 4090 };
const byRole = { system: 0, user: 2000, assistant: 2000, tool: 0 };
const effects = { saveText: () => undefined };
let batchSeq = 0;
const batchOf = (events: HostEvent[], spans?: EventBatch['spans']): EventBatch => ({ type: 'batch', seq: batchSeq++, events, merged: 0, sentAt: Date.now(), ...(spans ? { spans } : {}) });
type Apply = (events: HostEvent[], spans?: EventBatch['spans']) => void;
const apply: Apply = (events, spans) => applyBatch(batchOf(events, spans), effects);


const message = (id: number): MessageData => ({ id, role: id % 2 ? 'assistant' : 'user', content: `Message ${id}: some words of the conversation.`, turn: id >> 1, pinned: false, tokens: 12, startPos: id * 12 });
const appended = (id: number): HostEvent => ({ type: 'messageAppended', turn: id >> 1, messageId: id, role: id % 2 ? 'assistant' : 'user', pinned: false, startPos: id * 12, tokens: 12, content: `Message ${id}.` });
const eviction = (seq: number, messageId: number): HostEvent => ({ type: 'eviction', turn: messageId >> 1, seq, startPos: messageId * 12, endPos: messageId * 12 + 6, tokens: 6, ranges: [{ messageId, from: 0, to: 6 }], preview: 'Message', reason: { policy: 'sliding', kind: 'budget', detail: 'd', budget } });
const stats = (turn: number): HostEvent => ({
  type: 'stats',
  stats: { tokensSeen: turn * 24, tokensRetained: 4000, tokensPinned: 0, tokensEvicted: turn * 12, evictions: turn, compressionRatio: 2, policyLatencyMs: 0.1, policyLatencyMsTotal: turn, policyCalls: turn, fallbackCount: 0, anchorCacheHits: turn * 3, anchorCacheMisses: turn, contextBuilds: turn, turns: turn },
  turn: { turn, tokensIn: 24, tokenizeMs: 0, policyMs: 0, buildMs: 0, engineMs: 0, evictedTokens: 12, evictionEvents: 2, contextTokens: 4000, used: 4000 },
  byRole,
});
const report = (turn: number): HostEvent => ({ type: 'cacheReport', turn, hit: true, reusedTokens: 3900, recomputedTokens: 100 });
const spanColumns = (n: number, t0: number): NonNullable<EventBatch['spans']> => {
  const data = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) data.set([t0 + i, t0 + i + 0.5, i % 4, i >> 2], i * 4);
  return { names: Array.from({ length: n }, (_, i) => `span${i % 8}`), data };
};

/** The stores as a long session leaves them, through `apply` (the renderer's applyBatch, or a view model's). */
function fill(apply: Apply): void {
  apply([{ type: 'helloAck', protocolVersion: 1, host: 'bench', session: { title: 'bench', messages: MESSAGES, config, tokenizer: 'qwen3' }, snapshot: emptySnapshot(Array.from({ length: MESSAGES }, (_, i) => message(i))), backend: { kind: 'none' } }]);
  for (let b = 0; b < EVICTIONS / 500; b++) apply(Array.from({ length: 500 }, (_, i) => eviction(b * 500 + i, (b * 500 + i) >> 1)));
  for (let b = 0; b < TURNS / 500; b++) apply(Array.from({ length: 500 }, (_, i) => stats(b * 500 + i + 1)));
  for (let b = 0; b < REPORTS / 1000; b++) apply(Array.from({ length: 1000 }, (_, i) => report(b * 1000 + i + 1)));
  for (let b = 0; b < SPANS / 6000; b++) apply([], spanColumns(6000, b * 6000));
}

/** 25 turns: two messages, two evictions (of the next message the fill had not evicted yet), a snapshot, stats, a cache report, a built context. */
function liveBatch(): { events: HostEvent[]; spans: NonNullable<EventBatch['spans']> } {
  const events: HostEvent[] = [];
  for (let t = 0; t < 25; t++) {
    const id = MESSAGES + 2 * t;
    const turn = TURNS + t + 1;
    events.push(appended(id), appended(id + 1), eviction(EVICTIONS + 2 * t, (EVICTIONS >> 1) + t), eviction(EVICTIONS + 2 * t + 1, (EVICTIONS >> 1) + t));
    events.push({ type: 'windowSnapshot', turn, maxTokens: 4096, used: 4000, pinned: 0, retained: 4000, recalled: 0, byRole, windowStartPos: id * 12 - 4000, endPos: id * 12 + 24 });
    events.push(stats(turn), report(turn));
    events.push({ type: 'contextBuilt', turn, tokens: 4010, maxTokens: 4096, segments: [{ messageId: id, from: 0, to: 12, role: 'user', pinned: false }], startsAtSentence: true, ms: 0.2 });
  }
  return { events, spans: spanColumns(100, SPANS) };
}

const fmt = (n: number) => n.toLocaleString('en-US');
const rows: (string | number)[][] = [];
for (const scale of [0.1, 1, 2]) {
  [MESSAGES, EVICTIONS, TURNS, REPORTS, SPANS] = [20_000, 5_000, 5_000, 10_000, 60_000].map((n) => n * scale);
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    fill(apply);
    const { events, spans } = liveBatch();
    globalThis.gc?.();
    const t0 = performance.now();
    apply(events, spans);
    ms.push(performance.now() - t0);
  }
  const s = summarize(ms.slice(3)); // the first runs warm up the JIT
  rows.push([`${fmt(MESSAGES)} msgs, ${fmt(EVICTIONS)} evictions, ${fmt(TURNS)} turns, ${fmt(REPORTS)} reports, ${fmt(SPANS)} spans`, s.p50, s.p95, s.max]);
}
console.log(table(`applyBatch, one batch of 200 events + 100 spans on long-session stores (${RUNS - 3} runs after 3 warm-ups each)`, ['stores before the batch', 'p50 ms', 'p95 ms', 'max ms'], rows));

// A late client's snapshot of the same long sessions: the host builds it from its view model, it crosses
// the port (structured clone) or the WebSocket (JSON), and the client's reducers rebuild every store
// from it. The peer is the transfer alone: a structured clone of the same snapshot, which any way of
// handing a client this much state costs at least.
const snapRows: (string | number)[][] = [];
for (const scale of [0.1, 1, 2]) {
  [MESSAGES, EVICTIONS, TURNS, REPORTS, SPANS] = [20_000, 5_000, 5_000, 10_000, 60_000].map((n) => n * scale);
  const model = new ViewModel();
  fill((events, spans) => model.apply(batchOf(events, spans)));
  const [build, clone, check, rebuild, wire] = [[], [], [], [], []] as number[][];
  let bytes = 0;
  for (let r = 0; r < 8; r++) {
    let t0 = performance.now();
    const { snapshot, spans } = toSnapshot(model);
    const hello: EventBatch = { type: 'batch', seq: 0, events: [{ type: 'helloAck', protocolVersion: 3, host: 'bench', session: { title: 'bench', messages: MESSAGES, config, tokenizer: 'qwen3' }, snapshot, backend: { kind: 'none' } }], spans, merged: 0, sentAt: 0 };
    build.push(performance.now() - t0);
    t0 = performance.now();
    const cloned = structuredClone(hello);
    clone.push(performance.now() - t0);
    t0 = performance.now();
    if (!EventBatchSchema.safeParse(cloned).success) throw new Error('the snapshot does not validate');
    check.push(performance.now() - t0);
    t0 = performance.now();
    new ViewModel().apply(cloned);
    rebuild.push(performance.now() - t0);
    t0 = performance.now();
    const text = encodeWire(hello);
    decodeWire(text);
    wire.push(performance.now() - t0);
    bytes = text.length;
  }
  const p50 = (xs: number[]) => summarize(xs.slice(2)).p50;
  snapRows.push([`${fmt(MESSAGES)} msgs, ${fmt(EVICTIONS)} evictions, ${fmt(TURNS)} turns, ${fmt(SPANS)} spans`, p50(build), p50(check), p50(rebuild), p50(clone), p50(wire), (bytes / 1048576).toFixed(1)]);
}
console.log(table('A late client\'s snapshot (reload, second tab, restart): p50 of 6 runs after 2 warm-ups', ['session', 'host builds ms', 'client validates (zod) ms', 'client rebuilds ms', 'peer: structured clone ms', 'JSON encode+decode ms (WebSocket)', 'JSON MiB'], snapRows));
