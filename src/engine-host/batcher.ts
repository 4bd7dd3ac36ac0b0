import { columnBuffers, toColumns } from '../shared/batchColumns.js';
import type { EventBatch, HostEvent, SpanColumns, WireBatch } from '../shared/protocol.js';
import { RESETS as VIEW_RESETS } from '../shared/view/draft.js';

export interface BatcherOptions {
  /**
   * Delivers one batch as it travels (its high-volume events as columns: batchColumns.ts); `transfer`
   * lists buffers that may be transferred instead of copied.
   */
  send: (batch: WireBatch, transfer: ArrayBuffer[]) => void;
  /** Wall clock (ms since epoch) stamped on batches. */
  now: () => number;
  /** Runs fn after ms; returns a cancel function. Injected so tests need no real time. */
  schedule: (fn: () => void, ms: number) => () => void;
  tickMs?: number;
  /**
   * Events per batch at most (default 1,024; profiler spans, which travel as columns, are not counted);
   * the rest wait for an ack (nothing is dropped). This bounds the client's work per batch, which is a
   * batch's latency under a backlog (~1 ms unloaded at 1,024; 2,048 with 4,096 spans took 3-4 ms
   * unloaded and 20-50 ms on the loaded bench machine, the protocol bench's p95). The renderer acks after
   * its next frame and two batches may be in flight, so a frame can take ~2,048 counted events: at 60
   * frames a second ~120,000 counted events/s, ~300,000 engine events/s with the spans and merges.
   */
  maxEvents?: number;
  /**
   * Profiler spans per batch at most (default 2,048), so a backlog does not make one batch huge (the
   * protocol bench saw batches of 17,000 spans take 150 ms); the rest wait for an ack. A batch
   * that starts the stores over (a hello, a loaded session) takes them all, as before.
   */
  maxSpans?: number;
  /**
   * Sees every batch as it is flushed, before it is sent (the host's view model folds it): also while
   * no client is connected, when batches are folded and not sent.
   */
  fold?: (batch: EventBatch) => void;
  /**
   * Batches sent and not yet acked at most (default 2). Acks are cumulative (an ack of seq n acks every
   * batch up to n). Two let the host take and encode the next batch while the client commits the last
   * (host and client are separate processes on separate cores in the app and in browser mode), instead
   * of each side idling through the other's work and the ack's round trip.
   */
  maxInFlight?: number;
  /**
   * What a batch should cost the client to check and commit, in ms (default 4; its acks say what it
   * took). A batch that took longer shrinks the next batches' caps in proportion (down to 1/16 of
   * maxEvents and maxSpans); quick ones grow them back. This keeps a batch's latency under a backlog
   * near this figure on a slow or loaded client, where fixed caps made batches of 20-50 ms. Only the
   * batching changes, never what the stores end up with.
   */
  targetClientMs?: number;
  /**
   * A clock in ms (performance.now) timing the host's own part of each batch (take, fold, columns,
   * send: for browser mode's host that includes framing and the IPC write), which counts toward
   * targetClientMs with the client's: under a backlog a batch's latency is both sides' work. Without
   * it only the client's time sizes batches (tests, where batch sizes must not depend on the machine).
   */
  hostClock?: () => number;
}

/** The smallest share of maxEvents / maxSpans a slow client shrinks batches to. */
const MIN_SCALE = 1 / 16;

/** Events where only the latest value matters: a newer one replaces the pending one. */
const LAST_WINS = new Set<HostEvent['type']>(['windowSnapshot', 'replayProgress', 'contextBuilt', 'spanScores', 'embeddingCache', 'metrics', 'openProgress', 'autosaved']);

/**
 * Events that tell the user something once (an error, a restart, a warning) rather than change a
 * store: while no client is connected they are held, not only folded, and come in the next hello's
 * batch, after its snapshot. At most MAX_HELD, the newest.
 */
const NOTICES = new Set<HostEvent['type']>(['error', 'warning', 'hostRestarted']);
export const MAX_HELD = 16;

/** Events after which every store starts over. */
const RESETS: ReadonlySet<string> = new Set(VIEW_RESETS);

/** Error events waiting at most; more are folded into the last one (its `repeated` count). */
export const MAX_PENDING_ERRORS = 16;

/**
 * Batches host events: flushes on a ~16 ms tick or when the size cap is reached, keeps at most
 * maxInFlight (2) batches unacked, and merges while waiting: window snapshots, built contexts
 * and replay progress are last-value-wins (LAST_WINS), consecutive chat tokens of one reply are concatenated, profiler
 * spans travel as columns in a transferred Float64Array, and past MAX_PENDING_ERRORS waiting errors the rest
 * are counted in the last one (a client flooding bad commands without acking costs a counter, not memory).
 * Nothing else is merged or dropped.
 */
export class EventBatcher {
  #o: Required<Omit<BatcherOptions, 'fold' | 'hostClock'>> & Pick<BatcherOptions, 'fold' | 'hostClock'>;
  /** Pending events from #head on (undefined: merged away); taken batches move #head instead of copying the rest. */
  #pending: (HostEvent | undefined)[] = [];
  #head = 0;
  #live = 0;
  #lastWins = new Map<string, number>();
  #errors = 0;
  #lastError = -1;
  #spanNames: string[] = [];
  #spanData: number[] = [];
  /** Pending spans from #spanHead on. */
  #spanHead = 0;
  #merged = 0;
  #seq = 0;
  /** Seqs sent and not acked yet, oldest first. */
  #inFlight: number[] = [];
  /**
   * How big each unacked batch was, as a share of the full caps (the larger of events / maxEvents and
   * spans / maxSpans), and the host's ms on it (with hostClock).
   */
  #sentScale = new Map<number, { share: number; hostMs: number }>();
  /** The share of maxEvents and maxSpans the next batch takes (see targetClientMs). */
  #scale = 1;
  #cancelTick: (() => void) | undefined;
  #started = false;
  #disposed = false;
  #held: HostEvent[] = [];

  constructor(options: BatcherOptions) {
    this.#o = { tickMs: 16, maxEvents: 1024, maxSpans: 2048, maxInFlight: 2, targetClientMs: 4, ...options };
  }

  /** The oldest batch sent and not acked yet, if any. */
  get inFlight(): number | undefined {
    return this.#inFlight[0];
  }
  get pending(): number {
    return this.#live + (this.#spanNames.length > this.#spanHead ? 1 : 0);
  }

  /** Batches sent and not acked yet (at most maxInFlight). */
  get unacked(): number {
    return this.#inFlight.length;
  }

  /** True while the window of unacked batches is full. */
  get #full(): boolean {
    return this.#inFlight.length >= this.#o.maxInFlight;
  }

  /** Starts sending (after the client's hello); a new client resets the in-flight batch. */
  start(): void {
    this.#started = true;
    this.#inFlight = [];
    this.#sentScale.clear();
    this.#arm();
  }

  /**
   * A client said hello: everything pending is folded (not sent: the snapshot carries it), then the
   * batch `first` makes (the hello answer, with the snapshot's span columns) is sent, unfolded, with
   * the notices held while no client listened after it; sending resumes after its ack. The batch's seq tells the client where the sequence starts.
   */
  restart(first: () => Pick<EventBatch, 'events' | 'spans'> & { transfer?: ArrayBuffer[] }): void {
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    this.#foldPending();
    const { events, spans, transfer } = first();
    const batch: EventBatch = { type: 'batch', seq: this.#seq++, events: [...events, ...this.#held], merged: 0, sentAt: this.#o.now(), ...(spans ? { spans } : {}) };
    this.#held = [];
    this.#started = true;
    // the hello's answer alone in flight: the client starts its sequence there
    this.#inFlight = [batch.seq];
    this.#sentScale.clear();
    this.#o.send(batch, transfer ?? (spans ? [spans.data.buffer] : []));
  }

  /** Folds every pending event, holding the notices among them for the next client. */
  #foldPending(): void {
    while (this.pending > 0) {
      const batch = this.#take();
      this.#fold(batch);
      for (const e of batch.events) if (NOTICES.has(e.type)) this.#held.push(e);
    }
    if (this.#held.length > MAX_HELD) this.#held = this.#held.slice(-MAX_HELD);
  }

  push(event: HostEvent): void {
    switch (event.type) {
      case 'profileSpan': {
        const s = event.span;
        this.#spanNames.push(s.name);
        this.#spanData.push(s.start, s.end, s.depth, s.turn);
        break;
      }
      case 'error': {
        const last = this.#pending[this.#lastError];
        if (this.#errors >= MAX_PENDING_ERRORS && last?.type === 'error') {
          this.#pending[this.#lastError] = { ...last, repeated: (last.repeated ?? 0) + 1 + (event.repeated ?? 0) };
          this.#merged++;
        } else {
          this.#errors++;
          this.#lastError = this.#pending.length;
          this.#append(event);
        }
        break;
      }
      case 'chatToken': {
        const last = this.#pending[this.#pending.length - 1];
        if (last?.type === 'chatToken' && last.id === event.id) {
          this.#pending[this.#pending.length - 1] = { ...last, text: last.text + event.text };
          this.#merged++;
        } else this.#append(event);
        break;
      }
      default:
        if (LAST_WINS.has(event.type)) this.#replaceLast(event.type, event);
        else this.#append(event);
    }
    if (this.#live >= this.#o.maxEvents * this.#scale) this.flush();
    else this.#arm();
  }

  /** The share of the caps the next batch takes (1 unless a slow client shrank it). */
  get scale(): number {
    return this.#scale;
  }

  /**
   * The client committed batch `seq` (and, acks being cumulative, every batch before it), taking
   * `clientMs` to check and commit it when it says so.
   */
  ack(seq: number, clientMs?: number): void {
    const i = this.#inFlight.indexOf(seq);
    if (i < 0) return;
    for (const s of this.#inFlight.splice(0, i + 1)) if (s !== seq) this.#sentScale.delete(s);
    const sent = this.#sentScale.get(seq);
    this.#sentScale.delete(seq);
    if (clientMs !== undefined && sent !== undefined) this.#resize(sent.share, clientMs + sent.hostMs);
    if (this.pending > 0) this.flush();
  }

  /** A batch of `sentScale` of the full caps cost the client `ms`: the next ones are sized to take about targetClientMs. */
  #resize(sentScale: number, ms: number): void {
    const target = this.#o.targetClientMs;
    if (ms > target) this.#scale = Math.max(MIN_SCALE, Math.min(this.#scale, (sentScale * target) / ms));
    else if (ms < target / 2) this.#scale = Math.min(1, this.#scale * 2);
  }

  /**
   * Sends what is pending now, unless a batch is still in flight. While no client is connected the
   * pending events are folded and dropped (the next hello's snapshot carries them), so nothing queues.
   */
  flush(): void {
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    if (!this.#started) {
      this.#foldPending();
      return;
    }
    if (this.#full || this.pending === 0) return;
    const t0 = this.#o.hostClock?.();
    const batch = this.#take();
    this.#fold(batch);
    this.#inFlight.push(batch.seq);
    const sent = { share: Math.max(batch.events.length / this.#o.maxEvents, (batch.spans?.names.length ?? 0) / this.#o.maxSpans), hostMs: 0 };
    this.#sentScale.set(batch.seq, sent);
    const { events, columns } = toColumns(batch.events);
    const wire: WireBatch = { ...batch, events: events as HostEvent[], ...(columns ? { columns } : {}) };
    this.#o.send(wire, [...columnBuffers(columns), ...(batch.spans ? [batch.spans.data.buffer] : [])]);
    if (t0 !== undefined) sent.hostMs = this.#o.hostClock!() - t0;
    if (this.pending > 0) this.#arm();
  }

  /** The next batch of pending events (at most maxEvents) and pending spans (at most maxSpans, unless it starts the stores over), numbered. */
  #take(): EventBatch {
    const events: HostEvent[] = [];
    const pending = this.#pending;
    let i = this.#head;
    const maxEvents = Math.max(1, Math.round(this.#o.maxEvents * this.#scale));
    for (; i < pending.length && events.length < maxEvents; i++) {
      const e = pending[i];
      if (e) events.push(e);
    }
    this.#live -= events.length;
    this.#head = i;
    this.#reindex();
    if (this.#head === pending.length) this.#compact(this.#head);
    else if (this.#head > 4096 && this.#head * 2 > pending.length) this.#compact(this.#head);
    const batch: EventBatch = { type: 'batch', seq: this.#seq++, events, merged: this.#merged, sentAt: this.#o.now() };
    const spansPending = this.#spanNames.length - this.#spanHead;
    if (spansPending > 0) {
      const n = events.some((e) => RESETS.has(e.type)) ? spansPending : Math.min(spansPending, Math.max(1, Math.round(this.#o.maxSpans * this.#scale)));
      const from = this.#spanHead;
      const data = new Float64Array(n * 4);
      for (let k = 0, j = from * 4; k < data.length; k++, j++) data[k] = this.#spanData[j];
      batch.spans = { names: this.#spanNames.slice(from, from + n), data } satisfies SpanColumns;
      this.#spanHead += n;
      if (this.#spanHead === this.#spanNames.length) {
        this.#spanNames = [];
        this.#spanData = [];
        this.#spanHead = 0;
      } else if (this.#spanHead > 4096 && this.#spanHead * 2 > this.#spanNames.length) {
        this.#spanNames = this.#spanNames.slice(this.#spanHead);
        this.#spanData = this.#spanData.slice(this.#spanHead * 4);
        this.#spanHead = 0;
      }
    }
    this.#merged = 0;
    return batch;
  }

  /** Where the pending last-value-wins events and errors are, after a batch was taken (up to #head). */
  #reindex(): void {
    for (const [type, at] of this.#lastWins) if (at < this.#head) this.#lastWins.delete(type);
    if (this.#lastError < this.#head) {
      this.#errors = 0;
      this.#lastError = -1;
    } else {
      // some errors are still pending (rare, and at most MAX_PENDING_ERRORS): count them again
      this.#errors = 0;
      for (let j = this.#head; j <= this.#lastError; j++) if (this.#pending[j]?.type === 'error') this.#errors++;
    }
  }

  /** Drops the first `n` pending slots (taken), shifting the kept indexes. */
  #compact(n: number): void {
    this.#pending = n === this.#pending.length ? [] : this.#pending.slice(n);
    this.#head -= n;
    for (const [type, at] of this.#lastWins) this.#lastWins.set(type, at - n);
    if (this.#lastError >= 0) this.#lastError -= n;
  }

  #fold(batch: EventBatch): void {
    this.#o.fold?.(batch);
  }

  dispose(): void {
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    this.#disposed = true;
    this.#started = false;
  }

  #append(event: HostEvent): void {
    this.#pending.push(event);
    this.#live++;
  }

  #replaceLast(key: string, event: HostEvent): void {
    const at = this.#lastWins.get(key);
    if (at !== undefined && this.#pending[at]) {
      this.#pending[at] = undefined;
      this.#live--;
      this.#merged++;
    }
    this.#lastWins.set(key, this.#pending.length);
    this.#append(event);
  }

  #arm(): void {
    if (this.#disposed || this.#cancelTick || (this.#started && this.#full)) return;
    if (this.pending === 0) return;
    this.#cancelTick = this.#o.schedule(() => {
      this.#cancelTick = undefined;
      this.flush();
    }, this.#o.tickMs);
  }
}
