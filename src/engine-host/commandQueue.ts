export interface CommandQueueOptions<C> {
  /** Runs one command; the next starts when it settles. */
  run: (command: C) => Promise<void>;
  /** A command was taken off the queue (browser mode's server reads more from the socket). */
  onTaken?: () => void;
  /** Commands waiting at most; past it `push` returns false and the caller refuses the command. */
  maxQueued?: number;
}

/**
 * Client commands run one at a time, in the order they came: every accepted command is applied, none
 * is dropped, and a burst waits here instead of running concurrently. It does not wait for the
 * client's acks: a client that pipelines commands sends its acks behind them on the same stream, so
 * waiting would deadlock browser mode, whose server stops reading the socket while commands queue
 * here. What bounds memory is that server's credit window (commands taken, reported by `onTaken`).
 */
export class CommandQueue<C> {
  readonly #o: Required<Omit<CommandQueueOptions<C>, 'onTaken'>> & Pick<CommandQueueOptions<C>, 'onTaken'>;
  #queue: C[] = [];
  #head = 0;
  #running = false;

  constructor(options: CommandQueueOptions<C>) {
    this.#o = { maxQueued: 4096, ...options };
  }

  get length(): number {
    return this.#queue.length - this.#head;
  }

  get running(): boolean {
    return this.#running;
  }

  push(command: C): boolean {
    if (this.length >= this.#o.maxQueued) return false;
    this.#queue.push(command);
    this.poke();
    return true;
  }

  /** Starts the next command if none is running. */
  poke(): void {
    if (this.#running || this.length === 0) return;
    const command = this.#queue[this.#head];
    this.#queue[this.#head++] = undefined as C;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#running = true;
    this.#o.onTaken?.();
    void this.#o
      .run(command)
      .catch(() => undefined) // run reports its own errors
      .finally(() => {
        this.#running = false;
        this.poke();
      });
  }
}
