/** Chat ids remembered as cancelled before they started, at most. */
const MAX_EARLY_CANCELS = 64;

/**
 * The replay or chat that is running (commands run one at a time): what `cancel` stops. A chat
 * cancelled while it still waited in the queue is remembered and starts cancelled.
 */
export class RunningWork {
  #current: { id: string; abort: AbortController } | undefined;
  readonly #cancelledEarly = new Set<string>();

  /** Marks `id` as running; a chat (`early`) that was cancelled while it waited starts aborted. */
  start(id: string, early = false): AbortSignal {
    const abort = new AbortController();
    if (early && this.#cancelledEarly.delete(id)) abort.abort();
    this.#current = { id, abort };
    return abort.signal;
  }

  finish(): void {
    this.#current = undefined;
  }

  /** Stops the running work if it is `id` (or `id` is '*'); false when nothing matched. */
  cancel(id: string): boolean {
    if (!this.#current || (this.#current.id !== id && id !== '*')) return false;
    this.#current.abort.abort();
    return true;
  }

  /** Remembers a cancel for a chat that has not started yet. */
  cancelLater(id: string): void {
    if (this.#cancelledEarly.size < MAX_EARLY_CANCELS) this.#cancelledEarly.add(id);
  }

  /** Stops whatever runs (the host is going away). */
  abort(): void {
    this.#current?.abort.abort();
  }
}
