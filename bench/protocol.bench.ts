// Host -> client event throughput with batching, end to end: a large synthetic chat replayed under a
// small budget (many evictions, snapshots and profiler spans), received by a real EngineClient that
// validates and acks every batch. (a) a worker_threads MessageChannel in this process, (b) the
// browser-mode server over a WebSocket. Numbers, not pass/fail. Run with `npm run bench protocol`.
import { MessageChannel } from 'node:worker_threads';
import { createEngine } from '../src/engine/engine.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import type { Tokenizer } from '../src/engine/core/tokenizer.js';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { createHost } from '../src/engine-host/host.js';
import { nodePortTransport, type HostTransport } from '../src/engine-host/transport.js';
import type { EngineCommand, HostEvent } from '../src/shared/protocol.js';
import { combine, RecordingClient, RESULT_HEADER, resultRow, type ReplayResult } from './protocolRecorder.js';
import { overWebSocket } from './protocolWs.js';
import { table } from './util.js';

type Replay = Extract<EngineCommand, { type: 'replay' }>;
// recall off: this measures the transport; with recall on the engine itself (a BM25 query per user message) bounds the rate
const CONFIG = { policy: 'sliding', maxTokens: 256, window: 64, pinSystem: true, recall: false };
const replayOf = (turns: number, seed: number): Replay => ({ type: 'replay', messages: syntheticChat({ seed, turns, sentencesPerMessage: 6 }), config: CONFIG, title: 'bench' });
const warm = replayOf(300, 1);
const measured = replayOf(4000, 42);

/** What the engine alone emits for the same replay (no batching, no transport): the ceiling. */
function engineAlone(tokenizer: Tokenizer): { events: number; seconds: number; byType: Map<string, number> } {
  const byType = new Map<string, number>();
  for (const replay of [warm, measured]) {
    byType.clear();
    const engine = createEngine({ tokenizer, ...CONFIG });
    engine.subscribe((e) => byType.set(e.type, (byType.get(e.type) ?? 0) + 1));
    const t0 = performance.now();
    for (const m of replay.messages) engine.ingest(m);
    engine.finishTurn();
    if (replay === measured) return { events: [...byType.values()].reduce((a, b) => a + b, 0), seconds: (performance.now() - t0) / 1000, byType };
  }
  throw new Error('unreachable');
}

/** Host and client in one process over a MessageChannel, with enqueue and send times per batch. */
async function overChannel(tokenizer: Tokenizer, runs: number): Promise<ReplayResult[]> {
  const { port1, port2 } = new MessageChannel();
  const base = nodePortTransport(port1);
  const pushedAt = new WeakMap<HostEvent, number>();
  let firstSpanAt: number | undefined;
  const sentAt = new Map<number, { send: number; oldest: number }>();
  const transport: HostTransport = {
    send: (batch, transfer) => {
      let oldest = firstSpanAt ?? Infinity; // every pending span travels in this batch
      for (const e of batch.events) oldest = Math.min(oldest, pushedAt.get(e) ?? Infinity);
      firstSpanAt = undefined;
      sentAt.set(batch.seq, { send: performance.now(), oldest });
      base.send(batch, transfer);
    },
    onMessage: (handler) => base.onMessage(handler),
  };
  const host = await createHost({ transport, tokenizer });
  const push = host.batcher.push.bind(host.batcher);
  host.batcher.push = (event) => {
    const t = performance.now();
    if (event.type === 'profileSpan') firstSpanAt ??= t;
    else pushedAt.set(event, t);
    push(event);
  };
  const rec = new RecordingClient({ send: (cmd) => port2.postMessage(cmd), onMessage: (h) => port2.on('message', h), close: () => port2.close() });
  let sendToReceive: number[] = [];
  let enqueueToReceive: number[] = [];
  rec.onReceived = (batch, at) => {
    const s = sentAt.get(batch.seq);
    if (!s) return;
    sendToReceive.push(at - s.send);
    if (Number.isFinite(s.oldest)) enqueueToReceive.push(at - s.oldest);
  };
  await rec.hello();
  await rec.replay(warm);
  const results: ReplayResult[] = [];
  for (let i = 0; i < runs; i++) {
    sendToReceive = [];
    enqueueToReceive = [];
    const result = await rec.replay(measured);
    Object.assign(result.extraMs, { 'send→recv': sendToReceive, 'oldest enqueue→recv': enqueueToReceive });
    results.push(result);
  }
  await host.dispose();
  rec.client.close();
  port1.close();
  return results;
}

const tokenizer = await loadTokenizer();
const alone = engineAlone(tokenizer);
const RUNS = 3;
const channel = combine(await overChannel(tokenizer, RUNS));
const socket = combine(await overWebSocket(warm, measured, RUNS));

const mix = [...alone.byType].map(([t, n]) => `${t} ${n}`).join(', ');
console.log(`replay: ${measured.messages.length} messages, budget ${CONFIG.maxTokens} tokens (window ${CONFIG.window}), ${CONFIG.policy}; engine events: ${mix}\n`);
console.log(table('Engine alone (no batching, no transport)', ['events', 'events/s'], [[alone.events, Math.round(alone.events / alone.seconds)]]));
console.log(
  table(`Host → client events with batching (median of ${RUNS} runs; latency = client receive − batch.sentAt, Date.now, all runs pooled)`, RESULT_HEADER, [
    resultRow('(a) MessageChannel, same process', channel),
    resultRow('(b) WebSocket via fms serve (child IPC + JSON)', socket),
    ['target', '', '≥ 50,000', '', '', '', '≤ 50', '', ''],
  ]),
);
for (const [name, r] of [['MessageChannel', channel], ['WebSocket', socket]] as const) {
  if (r.errors.length > 0) console.log(`${name}: ${r.errors.length} errors, first: ${r.errors[0]}`);
}
