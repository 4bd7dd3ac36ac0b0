import { EventBatchSchema, firstIssue, NoticeSchema, PROTOCOL_VERSION, type ClientCommand, type EventBatch, type HostEvent } from '../../shared/protocol.js';
import { expandBatch } from '../../shared/wire.js';

/** How the renderer reaches the engine host: a MessagePort (Electron) or a WebSocket (browser mode). */
export interface ClientTransport {
  send(command: ClientCommand): void;
  onMessage(handler: (data: unknown) => void): void;
  close(): void;
}

export interface EngineClientOptions {
  /** Commits one batch to the UI stores; the batch is acked when this returns. */
  onBatch: (batch: EventBatch) => void;
  /** Events from the host's parent (browser mode's server: refused commands, the engine stopped); never acked. */
  onNotice?: (events: HostEvent[]) => void;
  /** A batch that failed validation (it is dropped, and acked so the host is not stalled). */
  onProtocolError?: (message: string) => void;
  clientName?: string;
  /**
   * Sends the ack when the given callback runs (default: right after the commit). The renderer acks
   * after the next frame, so the host coalesces events instead of the UI committing several batches
   * per frame.
   */
  deferAck?: (ack: () => void) => void;
  /** A batch arrived out of sequence (one was lost): the client asked for a new snapshot. */
  onResync?: (expected: number, got: number) => void;
}

/**
 * The renderer's side of the protocol: validates every batch with zod before it touches state (its
 * column-encoded events with the schema's one-pass check of the columns),
 * acks each batch after it is committed (the host keeps at most two unacked), and sends typed commands. Batches are
 * sequenced from the hello's answer (which carries the snapshot): one that is not the next in
 * sequence (a batch was lost or refused) is not applied, and the client says hello again for a new
 * snapshot. Batches before the answer are applied (the snapshot then replaces every store).
 */
export class EngineClient {
  #t: ClientTransport;
  #o: EngineClientOptions;
  #closed = false;
  /** The seq the next batch must have; undefined until the hello is answered. */
  #expected: number | undefined;

  constructor(transport: ClientTransport, options: EngineClientOptions) {
    this.#t = transport;
    this.#o = options;
    transport.onMessage((data) => this.#receive(data));
  }

  hello(): void {
    this.#expected = undefined;
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: this.#o.clientName ?? 'renderer' });
  }

  send(command: ClientCommand): void {
    if (!this.#closed) this.#t.send(command);
  }

  close(): void {
    this.#closed = true;
    this.#t.close();
  }

  #receive(data: unknown): void {
    const started = performance.now();
    if ((data as { type?: unknown } | undefined)?.type === 'notice') {
      const notice = NoticeSchema.safeParse(data);
      if (notice.success) this.#o.onNotice?.(notice.data.events as HostEvent[]);
      else this.#o.onProtocolError?.(`malformed notice from the server: ${firstIssue(notice.error)}`);
      return;
    }
    const parsed = EventBatchSchema.safeParse(data);
    if (!parsed.success) {
      this.#o.onProtocolError?.(`malformed batch from the engine: ${firstIssue(parsed.error)}`);
      const seq = (data as { seq?: unknown } | undefined)?.seq;
      if (typeof seq === 'number') this.send({ type: 'ack', seq });
      this.#resync(this.#expected ?? -1, typeof seq === 'number' ? seq : -1); // the stores miss what it carried
      return;
    }
    // the columns passed the schema's check: their rows become the events they were, in order
    const batch = expandBatch(parsed.data);
    let ms: number | undefined;
    const ack = () => this.send(ms === undefined ? { type: 'ack', seq: batch.seq } : { type: 'ack', seq: batch.seq, ms });
    try {
      if (this.#inSequence(batch)) this.#o.onBatch(batch);
      // the check and the commit, not the wait for a frame: the host sizes its batches by it
      ms = Math.round((performance.now() - started) * 100) / 100;
    } finally {
      if (this.#o.deferAck) this.#o.deferAck(ack);
      else ack();
    }
  }

  /** True when the batch is the hello's answer or the next after it; otherwise asks for a new snapshot once. */
  #inSequence(batch: EventBatch): boolean {
    if (batch.events.some((e) => e.type === 'helloAck')) {
      this.#expected = batch.seq + 1;
      return true;
    }
    if (this.#expected === undefined) return true; // before the answer: harmless (the snapshot replaces every store), and errors such as a protocol mismatch show
    if (batch.seq === this.#expected) {
      this.#expected++;
      return true;
    }
    this.#resync(this.#expected, batch.seq);
    return false;
  }

  #resync(expected: number, got: number): void {
    if (this.#expected === undefined) return; // already waiting for a snapshot
    this.#o.onResync?.(expected, got);
    this.hello();
  }
}
