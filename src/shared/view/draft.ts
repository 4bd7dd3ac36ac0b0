import type { HostEvent } from '../protocol.js';

export type EventOf<T extends HostEvent['type']> = Extract<HostEvent, { type: T }>;

/** Events after which every store starts over: a (re)connection, or another session loaded. */
export const RESETS = ['helloAck', 'sessionLoaded'] as const;

/** The events of a batch that a reducer reads, in order, narrowed so its switch can end in `assertNever`. */
export function eventsOf<T extends HostEvent['type']>(events: readonly HostEvent[], types: readonly T[]): EventOf<T>[] {
  const wanted: readonly string[] = types;
  return events.filter((e): e is EventOf<T> => wanted.includes(e.type));
}

/**
 * A store's state as a batch has changed it so far (`get`), and the changes alone (`patch`), which
 * become the store's one `set` of the batch.
 */
export class Draft<T extends object> {
  readonly patch: Partial<T> = {};
  readonly #base: T;

  constructor(base: T) {
    this.#base = base;
  }

  get<K extends keyof T>(key: K): T[K] {
    return key in this.patch ? (this.patch[key] as T[K]) : this.#base[key];
  }

  set(values: Partial<T>): void {
    Object.assign(this.patch, values);
  }
}
