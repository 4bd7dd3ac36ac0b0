import type { EngineCommand, EventBatch, HostEvent } from '../src/shared/protocol.js';
import { EngineClient, type ClientTransport } from '../src/renderer/client/engineClient.js';
import { applyBatch } from '../src/renderer/state/applyBatch.js';
import { pumpStartOf, wallNow } from './protocolPump.js';
import { summarize } from './util.js';

export interface ReplayResult {
  /** Events received (after the batcher merged some): events plus span columns' rows. */
  events: number;
  /** Events the engine (or the pump) emitted, when known: the rate counts these. */
  pushed?: number;
  batches: number;
  merged: number;
  seconds: number;
  /** Client receive (Date.now) minus batch.sentAt, per batch. */
  sentAtMs: number[];
  /** Optional finer latencies (performance.now), per batch. */
  extraMs: Record<string, number[]>;
  errors: string[];
}

/**
 * A real EngineClient (zod validation and column checks, expansion, one ack per batch) that commits
 * every batch to the renderer's stores (applyBatch, as the app does) and counts what it receives: every
 * event in a batch, plus every profiler span in its span columns.
 */
export class RecordingClient {
  readonly client: EngineClient;
  readonly errors: string[] = [];
  /** Called with each batch after it is counted, with its performance.now receive time. */
  onReceived: ((batch: EventBatch, at: number) => void) | undefined;
  #r = { events: 0, batches: 0, merged: 0, sentAtMs: [] as number[] };
  #waiters: { type: HostEvent['type']; resolve: () => void }[] = [];

  #clientMs: number[] = [];
  #pumpDone: ((ms: number) => void) | undefined;

  constructor(transport: ClientTransport) {
    // time spent in the client per batch: validation, expansion, the stores' commit and the ack
    const timed: ClientTransport = {
      send: (cmd) => transport.send(cmd),
      close: () => transport.close(),
      onMessage: (handler) =>
        transport.onMessage((data) => {
          const t0 = performance.now();
          handler(data);
          this.#clientMs.push(performance.now() - t0);
        }),
    };
    this.client = new EngineClient(timed, { onBatch: (b) => this.#receive(b), onProtocolError: (m) => this.errors.push(m), clientName: 'bench' });
  }

  #receive(batch: EventBatch): void {
    applyBatch(batch, { saveText: () => undefined });
    const at = performance.now();
    this.#r.sentAtMs.push(Date.now() - batch.sentAt);
    this.#r.events += batch.events.length + (batch.spans?.names.length ?? 0);
    this.#r.batches++;
    this.#r.merged += batch.merged;
    this.onReceived?.(batch, at);
    for (const e of batch.events) {
      if (e.type === 'error') this.errors.push(`${e.code}: ${e.message}`);
      else if (e.type === 'metrics' && this.#pumpDone) {
        const start = pumpStartOf(e.text);
        if (start !== undefined) this.#pumpDone(wallNow() - start);
      }
    }
    const types = new Set(batch.events.map((e) => e.type));
    const ready = this.#waiters.filter((w) => types.has(w.type));
    this.#waiters = this.#waiters.filter((w) => !types.has(w.type));
    ready.forEach((w) => w.resolve());
  }

  /** Resolves when a batch carrying an event of this type arrives. */
  next(type: HostEvent['type']): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  /** Says hello (again every `retryMs` until the host answers: a fresh child may not listen yet). */
  async hello(retryMs = 250): Promise<void> {
    const acked = this.next('helloAck');
    let done = false;
    void acked.then(() => (done = true));
    while (!done) {
      this.client.hello();
      await Promise.race([acked, new Promise((r) => setTimeout(r, retryMs))]);
    }
  }

  reset(): void {
    this.#r = { events: 0, batches: 0, merged: 0, sentAtMs: [] };
    this.#clientMs = [];
    this.#errorsBefore = this.errors.length;
  }

  #errorsBefore = 0;

  onPumpDone(resolve: (ms: number) => void): void {
    this.#pumpDone = (ms) => {
      this.#pumpDone = undefined;
      resolve(ms);
    };
  }

  result(seconds: number): ReplayResult {
    return { ...this.#r, seconds, extraMs: { 'client check+apply+ack': this.#clientMs }, errors: this.errors.slice(this.#errorsBefore) };
  }

  /** Sends a replay and resolves with what arrived until the replay finished (its configChanged). */
  async replay(command: Extract<EngineCommand, { type: 'replay' }>): Promise<ReplayResult> {
    this.reset();
    const finished = this.next('configChanged');
    const t0 = performance.now();
    this.client.send(command);
    await finished;
    return this.result((performance.now() - t0) / 1000);
  }
}

/**
 * What arrived while `start` made the host pump a recorded replay (protocolPump.ts), until its sentinel:
 * seconds from the pump's start (host clock) to the sentinel's arrival (client clock, same machine).
 */
export async function pumpRun(rec: RecordingClient, start: () => void): Promise<ReplayResult> {
  rec.reset();
  const done = new Promise<number>((resolve) => rec.onPumpDone(resolve));
  start();
  const ms = await done;
  return rec.result(ms / 1000);
}

/** The median run (by events/s) of several, with every run's latency samples pooled. */
export function combine(runs: ReplayResult[]): ReplayResult {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)];
  const extraMs: Record<string, number[]> = {};
  for (const r of runs) for (const [k, xs] of Object.entries(r.extraMs)) (extraMs[k] ??= []).push(...xs);
  return { ...mid, sentAtMs: runs.flatMap((r) => r.sentAtMs), extraMs, errors: runs.flatMap((r) => r.errors) };
}

/** One table row: events/s, batches, merged, and p50/p95 latencies. */
export function resultRow(label: string, r: ReplayResult): (string | number)[] {
  const sent = summarize(r.sentAtMs);
  const extra = Object.entries(r.extraMs).map(([name, xs]) => {
    const s = summarize(xs);
    return `${name} ${s.p50.toFixed(2)} / ${s.p95.toFixed(2)}`;
  });
  return [label, r.events, Math.round((r.pushed ?? r.events) / r.seconds), r.batches, r.merged, sent.p50, sent.p95, sent.max, extra.join('; ') || '–'];
}

export const RESULT_HEADER = ['transport', 'events received', 'events/s (emitted)', 'batches', 'merged', 'p50 ms', 'p95 ms', 'max ms', 'finer p50 / p95 ms'];
