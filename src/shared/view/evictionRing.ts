import type { EvictionEvent, RecallEvent, SummaryEvent } from '../protocol.js';
import { Ring } from './ring.js';

/** A row of the eviction log: an eviction, a recall that brought evicted spans back, or a new rolling summary. */
export type LogRow = EvictionEvent | RecallEvent | SummaryEvent;

/** How many rows of the eviction log the UI keeps: the newest. Counts beyond it stay exact. */
export const EVICTION_LOG_CAP = 5_000;

/**
 * The newest `capacity` rows of the eviction log, each with the time it reached the UI: two rings
 * (see Ring) pushed to together, so a batch costs its own rows, never a copy of the log. `total`
 * counts every row ever pushed (plus `droppedBefore`, for a log rebuilt from its newest rows), so
 * `total - size` rows were dropped.
 */
export class EvictionRing {
  readonly capacity: number;
  readonly #rows: Ring<LogRow>;
  readonly #times: Ring<number>;

  constructor(capacity = EVICTION_LOG_CAP, droppedBefore = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an eviction ring needs a capacity of at least 1, not ${capacity}`);
    this.capacity = capacity;
    this.#rows = new Ring(capacity, droppedBefore);
    this.#times = new Ring(capacity, droppedBefore);
  }

  /** A log rebuilt from its newest rows (oldest first), their times, and how many rows it had in all. */
  static from(rows: readonly LogRow[], times: readonly number[], total = rows.length, capacity = EVICTION_LOG_CAP): EvictionRing {
    const kept = Math.min(rows.length, capacity);
    const ring = new EvictionRing(capacity, Math.max(0, total - kept));
    for (let i = rows.length - kept; i < rows.length; i++) ring.push(rows[i], times[i] ?? 0);
    return ring;
  }

  push(row: LogRow, time: number): void {
    this.#rows.push(row);
    this.#times.push(time);
  }

  /** Rows kept (at most `capacity`). */
  get size(): number {
    return this.#rows.size;
  }

  /** Rows ever pushed, kept or not. */
  get total(): number {
    return this.#rows.total;
  }

  /** Rows pushed out by newer ones. */
  get dropped(): number {
    return this.#rows.dropped;
  }

  /** The i-th newest row kept (0 = the newest), or undefined past the oldest. */
  newest(i: number): LogRow | undefined {
    return this.#rows.newest(i);
  }

  /** When the i-th newest row reached the UI (the host's clock when its batch was sent). */
  timeOfNewest(i: number): number | undefined {
    return this.#times.newest(i);
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
    return this.#rows.toArray();
  }

  /** When each kept row reached the UI, oldest first (a copy, beside toArray). */
  timesToArray(): number[] {
    return this.#times.toArray();
  }
}
