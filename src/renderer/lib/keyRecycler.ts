/**
 * React keys for a list window whose items come and go fast (the chat's newest messages, the eviction
 * log's visible rows during a full-speed replay): an item keeps its key while it stays in the window,
 * and a new item takes the key of one that left, in the order they held, so React updates the left
 * item's elements in place instead of unmounting them and mounting new ones. When a tick brings a whole
 * window of new items (hundreds of messages a second), the rows are the same elements with new text.
 */
export class KeyRecycler<Id> {
  #ids: readonly Id[] = [];
  #keys: number[] = [];
  #next = 0;

  /** The keys of `ids` (the window as it is now, in order): unique among them, stable for an item that stays. */
  keysFor(ids: readonly Id[]): number[] {
    const live = new Set(ids);
    const held = new Map<Id, number>();
    const free: number[] = [];
    for (let i = 0; i < this.#ids.length; i++) {
      if (live.has(this.#ids[i])) held.set(this.#ids[i], this.#keys[i]);
      else free.push(this.#keys[i]);
    }
    let f = 0;
    const keys = ids.map((id) => held.get(id) ?? (f < free.length ? free[f++] : this.#next++));
    this.#ids = ids.slice();
    this.#keys = keys;
    return keys;
  }
}
