import type { EvictionEvent, RecallEvent, SummaryEvent } from '../../shared/protocol.js';

/** A row of the eviction log: an eviction, a recall that brought evicted spans back, or a new rolling summary. */
export type LogRow = EvictionEvent | RecallEvent | SummaryEvent;

/** How many rows of the eviction log the UI keeps: the newest. Counts beyond it stay exact. */
export const EVICTION_LOG_CAP = 5_000;

/**
 * The newest `capacity` rows of the eviction log, each with the time it reached the UI. Mutated in
 * place: a push overwrites the oldest row once full, so a batch costs its own rows, never a copy of
 * the log. `total` counts every row ever pushed (plus `droppedBefore`, for a log rebuilt from its
 * newest rows), so `total - size` rows were dropped.
 */
export class EvictionRing {
  readonly capacity: number;
  #rows: LogRow[] = [];
  #times: number[] = [];
  /** Where the next push goes once the ring is full: the oldest row. 0 until then. */
  #next = 0;
  #total: number;

  constructor(capacity = EVICTION_LOG_CAP, droppedBefore = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an eviction ring needs a capacity of at least 1, not ${capacity}`);
    this.capacity = capacity;
    this.#total = droppedBefore;
  }

  push(row: LogRow, time: number): void {
    this.#total++;
    if (this.#rows.length < this.capacity) {
      this.#rows.push(row);
      this.#times.push(time);
      return;
    }
    this.#rows[this.#next] = row;
    this.#times[this.#next] = time;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Rows kept (at most `capacity`). */
  get size(): number {
    return this.#rows.length;
  }

  /** Rows ever pushed, kept or not. */
  get total(): number {
    return this.#total;
  }

  /** Rows pushed out by newer ones. */
  get dropped(): number {
    return this.#total - this.#rows.length;
  }

  /** The i-th newest row kept (0 = the newest), or undefined past the oldest. */
  newest(i: number): LogRow | undefined {
    const k = this.#slot(i);
    return k === undefined ? undefined : this.#rows[k];
  }

  /** When the i-th newest row reached the UI (the host's clock when its batch was sent). */
  timeOfNewest(i: number): number | undefined {
    const k = this.#slot(i);
    return k === undefined ? undefined : this.#times[k];
  }

  /** The newest kept row with this seq. */
  findSeq(seq: number): LogRow | undefined {
    for (let i = 0; i < this.size; i++) {
      const row = this.newest(i)!;
      if (row.seq === seq) return row;
    }
    return undefined;
  }

  /** The rows kept, oldest first (a copy: for tests and snapshots, not per batch). */
  toArray(): LogRow[] {
    return [...this.#rows.slice(this.#next), ...this.#rows.slice(0, this.#next)];
  }

  #slot(i: number): number | undefined {
    const n = this.#rows.length;
    if (!Number.isInteger(i) || i < 0 || i >= n) return undefined;
    return (this.#next + n - 1 - i) % n;
  }
}
