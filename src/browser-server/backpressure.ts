import type { ClientSlot } from './clientSlot.js';
import { CommandFlow } from './flow.js';

/**
 * Reads the client's socket by the host's credits: past the flow's caps the socket is paused (and the
 * pause counted), and it is read again once the host has taken enough commands or a new host starts.
 */
export class Backpressure {
  readonly #flow: CommandFlow;
  readonly #client: ClientSlot;
  #pauses = 0;

  constructor(options: { maxCommands: number; maxBytes: number; client: ClientSlot }) {
    this.#flow = new CommandFlow(options);
    this.#client = options.client;
  }

  /** How often the socket stopped being read because the engine was behind. */
  get pauses(): number {
    return this.#pauses;
  }

  /** A command of `bytes` went to the host. */
  sent(bytes: number): void {
    this.#flow.sent(bytes);
    const conn = this.#client.current;
    if (this.#flow.full && conn && !conn.paused) {
      this.#pauses++;
      conn.setPaused(true);
    }
  }

  /** The host took `commands` commands. */
  credit(commands: number): void {
    this.#flow.credit(commands);
    if (!this.#flow.full) this.#client.current?.setPaused(false);
  }

  /** A new host: nothing is in flight, the client is read again. */
  reset(): void {
    this.#flow.reset();
    this.#client.current?.setPaused(false);
  }

  /** A client just connected: it is not read while the engine is behind. */
  admit(conn: { setPaused(paused: boolean): void }): void {
    if (this.#flow.full) conn.setPaused(true);
  }
}
