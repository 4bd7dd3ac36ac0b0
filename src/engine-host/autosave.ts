import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '../engine/node/sessionFile.js';

export interface AutosaveSnapshot {
  text: string;
  messages: number;
}

export interface AutosaveOptions {
  path: string;
  /** The session as it is now; called when a write starts, so the latest state wins. */
  snapshot: () => AutosaveSnapshot;
  /** A write is on disk (fsynced and renamed). */
  onSaved?: (saved: { messages: number; bytes: number }) => void;
  onError?: (err: Error) => void;
  /** Writes the text atomically (injected by tests to hold or fail a write). */
  write?: (file: string, text: string) => Promise<number>;
}

/**
 * One writer for one session's autosave, coalesced: at most one write in flight and one pending, and
 * the pending one snapshots the session when it starts (latest wins). A burst of 20,000 turns costs a
 * handful of writes, not 20,000 concurrent ones. `flush()` resolves once everything requested so far
 * is on disk.
 */
export class Autosave {
  readonly #o: AutosaveOptions;
  #pending = false;
  #running: Promise<void> | undefined;
  #lastError: Error | undefined;
  #writes = 0;

  constructor(options: AutosaveOptions) {
    this.#o = options;
  }

  get writes(): number {
    return this.#writes;
  }

  /** Removes temp files a killed writer left behind; call once before the first write. */
  async cleanUp(): Promise<number> {
    return removeStaleTemps(this.#o.path);
  }

  /** The session changed: write it soon. */
  request(): void {
    this.#pending = true;
    this.#running ??= this.#run();
  }

  /** Resolves when every requested write has finished; rejects with the last one's error if it failed. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#lastError) throw this.#lastError;
  }

  async #run(): Promise<void> {
    try {
      await mkdir(path.dirname(this.#o.path), { recursive: true }).catch(() => undefined);
      while (this.#pending) {
        this.#pending = false;
        try {
          const snap = this.#o.snapshot();
          const bytes = await (this.#o.write ?? writeFileAtomic)(this.#o.path, snap.text);
          this.#writes++;
          this.#lastError = undefined;
          this.#o.onSaved?.({ messages: snap.messages, bytes });
        } catch (err) {
          this.#lastError = err instanceof Error ? err : new Error(String(err));
          this.#o.onError?.(this.#lastError);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
