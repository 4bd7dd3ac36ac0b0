// Host -> client event throughput with batching, end to end, for a large synthetic chat replayed under a
// small budget (many evictions, snapshots and profiler spans), received by a real EngineClient that
// checks, expands, commits to the renderer's stores and acks every batch: (a) a worker_threads
// MessageChannel in this process, (b) the browser-mode server (host child over IPC, binary WebSocket frames).
// Two ways each: a live replay (engine included: bounded by the engine) and the transport alone (the same
// replay's recorded engine events pumped into the host's batcher as if the engine cost nothing:
// protocolPump.ts), with CPU per event. The peer: batched structured clone of the same events.
// Numbers, not pass/fail. Run with `npm run bench protocol`.
import { MessageChannel } from 'node:worker_threads';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import type { Tokenizer } from '../src/engine/core/tokenizer.js';
import { EventBatcher } from '../src/engine-host/batcher.js';
import { createHost } from '../src/engine-host/host.js';
import { nodePortTransport } from '../src/engine-host/transport.js';
import type { HostEvent, WireBatch } from '../src/shared/protocol.js';
import { CONFIG, pump, recordReplay, REPLAYS, type Recorded } from './protocolPump.js';
import { combine, pumpRun, RecordingClient, RESULT_HEADER, resultRow, type ReplayResult } from './protocolRecorder.js';
import { overWebSocket, pumpOverWebSocket } from './protocolWs.js';
import { fmtNum, record, summarize, table } from './util.js';

const RUNS = 3;
const PUMP_RUNS = 5;
const BATCH = 500;

/** Median events/s of structured-cloning these messages (each as a port copies it: no transfer), over 5 runs. */
function cloneRate(messages: readonly unknown[], events: number): number {
  const rates: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    for (const m of messages) structuredClone(m);
    rates.push(events / ((performance.now() - t0) / 1000));
  }
  return summarize(rates).p50;
}

/**
 * The peer: the same events as the batcher sends them (a real EventBatcher, its caps, merges and columns,
 * acked at once), each wire batch structured-cloned without transfer, as Electron's MessagePortMain
 * copies it: what a port costs per event at best. Beside it, the same events as plain object batches
 * of BATCH (the protocol before columns).
 */
function structuredCloneRates(events: readonly HostEvent[]): { columns: number; objects: number; batches: number } {
  const wire: WireBatch[] = [];
  const batcher = new EventBatcher({ send: (b) => wire.push(b), now: Date.now, schedule: () => () => undefined });
  batcher.start();
  for (const e of events) batcher.push(e);
  for (let guard = 0; batcher.pending > 0 || batcher.inFlight !== undefined; guard++) {
    if (batcher.inFlight !== undefined) batcher.ack(wire[wire.length - 1].seq);
    else batcher.flush();
    if (guard > 1e6) throw new Error('peer: the batcher did not drain');
  }
  const objects: unknown[] = [];
  for (let i = 0; i < events.length; i += BATCH) objects.push({ type: 'batch', seq: 0, events: events.slice(i, i + BATCH), merged: 0, sentAt: 0 });
  return { columns: cloneRate(wire, events.length), objects: cloneRate(objects, events.length), batches: wire.length };
}

/** Host and client in one process over a MessageChannel: live replays, then pumped ones with this process's CPU. */
async function overChannel(tokenizer: Tokenizer, recorded: { warm: Recorded; measured: Recorded }) {
  const { port1, port2 } = new MessageChannel();
  const host = await createHost({ transport: nodePortTransport(port1), tokenizer });
  const rec = new RecordingClient({ send: (cmd) => port2.postMessage(cmd), onMessage: (h) => port2.on('message', h), close: () => port2.close() });
  await rec.hello();
  await rec.replay(REPLAYS.warm);
  const live: ReplayResult[] = [];
  for (let i = 0; i < RUNS; i++) live.push({ ...(await rec.replay(REPLAYS.measured)), pushed: recorded.measured.events.length });
  await pumpRun(rec, () => void pump(host.batcher, recorded.warm));
  const pumped: ReplayResult[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < PUMP_RUNS; i++) {
    const c0 = process.cpuUsage();
    pumped.push({ ...(await pumpRun(rec, () => void pump(host.batcher, recorded.measured))), pushed: recorded.measured.events.length });
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  await host.dispose();
  rec.client.close();
  port1.close();
  return { live, pumped, cpu };
}

const tokenizer = await loadTokenizer();
recordReplay(tokenizer, REPLAYS.warm); // warm the engine
const recorded = { warm: recordReplay(tokenizer, REPLAYS.warm), measured: recordReplay(tokenizer, REPLAYS.measured) };
const engineRuns = [recorded.measured.seconds, recordReplay(tokenizer, REPLAYS.measured).seconds, recordReplay(tokenizer, REPLAYS.measured).seconds];
const emitted = recorded.measured.events.length;
const engineRate = emitted / summarize(engineRuns).p50;
const peer = structuredCloneRates(recorded.measured.events);
const peerRate = peer.columns;
const channel = await overChannel(tokenizer, recorded);
const socketLive = combine((await overWebSocket(REPLAYS.warm, REPLAYS.measured, RUNS)).map((r) => ({ ...r, pushed: emitted })));
const socketPump = await pumpOverWebSocket(emitted, PUMP_RUNS);

const byType = new Map<string, number>();
for (const e of recorded.measured.events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
const mix = [...byType].map(([t, n]) => `${t} ${n}`).join(', ');
console.log(`replay: ${REPLAYS.measured.messages.length} messages, budget ${CONFIG.maxTokens} tokens (window ${CONFIG.window}), ${CONFIG.policy}; engine events: ${mix}\n`);
console.log(
  table('Engine alone and the peer (same events)', ['what', 'events', 'events/s'], [
    ['engine alone, no batching, no transport (median of 3; tokenization included): the ceiling of a live replay', emitted, Math.round(engineRate)],
    [`peer: structured clone of the same events as the batcher sends them (${peer.batches} columnar wire batches, no transfer, median of 5)`, emitted, Math.round(peerRate)],
    [`  (before columns: plain object batches of ${BATCH}, median of 5)`, emitted, Math.round(peer.objects)],
  ]),
);
const chPump = combine(channel.pumped);
const wsPump = combine(socketPump.results);
console.log(
  table(`Host → client with batching (median run; latency = client receive − batch.sentAt, Date.now, all runs pooled)`, RESULT_HEADER, [
    resultRow(`(a) MessageChannel, live replay (engine included; ${RUNS} runs)`, combine(channel.live)),
    resultRow(`(a) MessageChannel, transport alone (recorded events pumped; ${PUMP_RUNS} runs)`, chPump),
    resultRow(`(b) WebSocket via fms serve, live replay (${RUNS} runs)`, socketLive),
    resultRow(`(b) WebSocket via fms serve, transport alone (${PUMP_RUNS} runs)`, wsPump),
    ['target', '', '≥ 200,000', '', '', '', '≤ 20', '', ''],
  ]),
);
const us = (seconds: number[]) => (summarize(seconds).p50 * 1e6) / emitted;
const chUs = us(channel.cpu);
const hostUs = socketPump.cpu.host.length > 0 ? us(socketPump.cpu.host) : NaN;
const serverClientUs = us(socketPump.cpu.serverAndClient);
console.log(
  table('Transport CPU per emitted event, transport alone (median of runs)', ['path', 'µs / event', 'which side'], [
    ['(a) MessageChannel', chUs, `host (batcher, fold, post) + client (check, expand, stores, ack), one process: ${fmtNum(Math.round(1e6 / chUs))} events per CPU-second`],
    ['(b) WebSocket, host child', hostUs, 'batcher, fold, IPC send'],
    ['(b) WebSocket, server + client', serverClientUs, 'IPC receive, frame encode, socket; frame decode, check, expand, stores, ack'],
  ]),
);
for (const [name, r] of [['MessageChannel live', combine(channel.live)], ['MessageChannel pump', chPump], ['WebSocket live', socketLive], ['WebSocket pump', wsPump]] as const) {
  if (r.errors.length > 0) console.log(`${name}: ${r.errors.length} errors, first: ${r.errors[0]}`);
}

const k = (n: number) => `${fmtNum(Math.round(n / 1000))}k`;
const engineNote = engineRate >= 200_000 ? '' : `; the engine alone emits ${k(engineRate)} events/s on this run, below 200k, so a live replay is bounded by the engine, not the transport`;
for (const [key, label, r, cpuNote] of [
  // what the CPU alone allows (the steadier figure on a loaded machine): one process on one core; the
  // WebSocket's two processes on two cores, bounded by the busier side
  ['transport-channel', 'MessageChannel (Electron path; Node port here)', chPump, `${chUs.toFixed(2)} µs CPU/event host + client, ${k(1e6 / chUs)}/s on one core`],
  [
    'transport-websocket',
    'WebSocket via fms serve (IPC + binary frames)',
    wsPump,
    `${(hostUs + serverClientUs).toFixed(2)} µs CPU/event (host ${hostUs.toFixed(2)}, server + client ${serverClientUs.toFixed(2)}), ${k(1e6 / Math.max(hostUs, serverClientUs))}/s on two cores`,
  ],
] as const) {
  const rate = emitted / r.seconds;
  const p95 = summarize(r.sentAtMs).p95;
  record({
    key,
    figure: `host → client events/s, ${label}: the recorded replay's ${fmtNum(emitted)} events pumped through host + transport + client (engine cost removed) / p95 batch`,
    value: `${k(rate)} events/s / p95 ${p95} ms (${cpuNote}; live replay with the engine: ${k(emitted / (key === 'transport-channel' ? combine(channel.live) : socketLive).seconds)}${engineNote})`,
    peer: `structured clone of the same events as the columnar batches sent ${k(peerRate)} events/s (object batches ${k(peer.objects)})`,
    ratio: `${(rate / peerRate).toFixed(2)}x`,
    target: '≥ 200,000 events/s, p95 batch ≤ 20 ms',
    holds: rate >= 200_000 && p95 <= 20,
  });
}
record({
  key: 'transport-engine-alone',
  figure: 'engine alone on the same replay (no batching, no transport): the ceiling of a live replay',
  value: `${k(engineRate)} events/s`,
  peer: `transport alone: MessageChannel ${k(emitted / chPump.seconds)}, WebSocket ${k(emitted / wsPump.seconds)} events/s`,
  ratio: `${(engineRate / (emitted / chPump.seconds)).toFixed(2)}x the MessageChannel's`,
  target: 'the transport is not the limit (transport alone above the engine alone)',
  holds: emitted / chPump.seconds > engineRate && emitted / wsPump.seconds > engineRate,
});
