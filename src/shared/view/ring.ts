/**
 * The newest `capacity` items of an append-only series, mutated in place: a push overwrites the
 * oldest item once full, so adding costs the item alone, never a copy of the series. `total` counts
 * every item ever pushed (plus `droppedBefore`, for a ring rebuilt from its newest items), so
 * `total - size` items were dropped. A store that holds a ring bumps a version when it pushes:
 * selectors read the version, then the ring.
 */
export class Ring<T> implements Iterable<T> {
  readonly capacity: number;
  #items: T[] = [];
  /** Where the next push goes once the ring is full: the oldest item. 0 until then. */
  #next = 0;
  #total: number;

  constructor(capacity: number, droppedBefore = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a ring needs a capacity of at least 1, not ${capacity}`);
    this.capacity = capacity;
    this.#total = droppedBefore;
  }

  /** A ring rebuilt from a series' newest items (oldest first) and how many items it had in all. */
  static from<T>(capacity: number, newest: readonly T[], total = newest.length): Ring<T> {
    const kept = newest.slice(-capacity);
    const ring = new Ring<T>(capacity, Math.max(0, total - kept.length));
    for (const item of kept) ring.push(item);
    return ring;
  }

  push(item: T): void {
    this.#total++;
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
      return;
    }
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Items kept (at most `capacity`). */
  get size(): number {
    return this.#items.length;
  }

  /** Items ever pushed, kept or not. */
  get total(): number {
    return this.#total;
  }

  /** Items pushed out by newer ones. */
  get dropped(): number {
    return this.#total - this.#items.length;
  }

  /** The i-th newest item kept (0 = the newest), or undefined past the oldest. */
  newest(i: number): T | undefined {
    const n = this.#items.length;
    return Number.isInteger(i) && i >= 0 && i < n ? this.#items[(this.#next + n - 1 - i) % n] : undefined;
  }

  /** The i-th oldest item kept (0 = the oldest), or undefined past the newest. */
  oldest(i: number): T | undefined {
    const n = this.#items.length;
    return Number.isInteger(i) && i >= 0 && i < n ? this.#items[(this.#next + i) % n] : undefined;
  }

  /** The kept items, oldest first (no copy). */
  *[Symbol.iterator](): Iterator<T> {
    const items = this.#items;
    for (let k = this.#next; k < items.length; k++) yield items[k];
    for (let k = 0; k < this.#next; k++) yield items[k];
  }

  /** The kept items, oldest first (a copy: for tests and snapshots, not per batch). */
  toArray(): T[] {
    return [...this.#items.slice(this.#next), ...this.#items.slice(0, this.#next)];
  }
}
