/**
 * Backpressure between browser mode's socket and the engine host: commands forwarded and not yet taken
 * by the host (it sends credits as it takes them). Past either cap the socket stops being read, so a
 * client that sends faster than the engine works waits in TCP, not in our memory, and nothing is dropped.
 */
export class CommandFlow {
  readonly maxCommands: number;
  readonly maxBytes: number;
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;

  constructor(options: { maxCommands: number; maxBytes: number }) {
    this.maxCommands = options.maxCommands;
    this.maxBytes = options.maxBytes;
  }

  get commands(): number {
    return this.#sizes.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** True while the socket should not be read. */
  get full(): boolean {
    return this.commands >= this.maxCommands || this.#bytes >= this.maxBytes;
  }

  sent(bytes: number): void {
    this.#sizes.push(bytes);
    this.#bytes += bytes;
  }

  /** The host took `n` commands, oldest first. */
  credit(n: number): void {
    for (let i = 0; i < n && this.#head < this.#sizes.length; i++) this.#bytes -= this.#sizes[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#sizes.length) {
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
  }

  /** A new host: nothing is in flight. */
  reset(): void {
    this.#sizes = [];
    this.#head = 0;
    this.#bytes = 0;
  }
}
