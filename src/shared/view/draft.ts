import type { HostEvent } from '../protocol.js';

export type EventOf<T extends HostEvent['type']> = Extract<HostEvent, { type: T }>;

/** Events after which every store starts over: a (re)connection, or another session loaded. */
export const RESETS = ['helloAck', 'sessionLoaded'] as const;

/** Each reducer's list of event types as a set, made once (a batch's filter is then one lookup an event). */
const typeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The events of a batch that a reducer reads, in order, narrowed so its switch can end in `assertNever`. */
export function eventsOf<T extends HostEvent['type']>(events: readonly HostEvent[], types: readonly T[]): EventOf<T>[] {
  let wanted = typeSets.get(types);
  if (!wanted) typeSets.set(types, (wanted = new Set(types)));
  const out: EventOf<T>[] = [];
  for (const e of events) if (wanted.has(e.type)) out.push(e as EventOf<T>);
  return out;
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
