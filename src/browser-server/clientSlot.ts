import type { HostEvent } from '../shared/protocol.js';
import type { FramedBatch } from '../shared/wire.js';
import type { ClientConnection } from './connection.js';

/**
 * The one browser client the engine talks to (a second window replaces the first), and the newest
 * batch it has not acked yet: when it goes, the server acks that batch for it (acks are cumulative, so
 * that acks every batch before it too) and the host never waits on a client that left.
 */
export class ClientSlot {
  #conn: ClientConnection | undefined;
  #unacked: number | undefined;

  get current(): ClientConnection | undefined {
    return this.#conn;
  }

  /** A new client takes the slot; the one before it is closed. */
  attach(conn: ClientConnection): void {
    this.#conn?.close(4000, 'another window connected');
    this.#conn = conn;
  }

  /** A client closed. Returns the batch it left unacked (the caller acks it to the host), if it held the slot. */
  detach(conn: ClientConnection): number | undefined {
    if (this.#conn !== conn) return undefined;
    this.#conn = undefined;
    const unacked = this.#unacked;
    this.#unacked = undefined;
    return unacked;
  }

  /** Sends a batch to the client (its binary frame, as the host encoded it); false when no client is open to take it (the server acks it instead). */
  deliver(batch: FramedBatch): boolean {
    if (!this.#conn?.open) return false;
    this.#unacked = batch.seq;
    this.#conn.send(batch.frame);
    return true;
  }

  /** The client acked batch `seq` (and every batch before it). */
  acked(seq: number): void {
    if (this.#unacked !== undefined && seq >= this.#unacked) this.#unacked = undefined;
  }

  notice(event: HostEvent): void {
    this.#conn?.notice(event);
  }

  close(code: number, reason: string): void {
    this.#conn?.close(code, reason);
  }
}
