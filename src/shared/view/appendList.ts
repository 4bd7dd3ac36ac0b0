import type { MessageData } from '../protocol.js';

/**
 * An append-only list pushed to in place: adding costs the item alone, never a copy of the list. A
 * store that holds one replaces it only when its data starts over (a session loaded), and bumps a
 * version on every push: selectors read the version, then the list.
 */
export class AppendList<T> {
  readonly #items: T[] = [];

  push(item: T): void {
    this.#items.push(item);
  }

  get length(): number {
    return this.#items.length;
  }

  /** The items, oldest first: the list's own array, read-only and not a copy (it grows in place). */
  get items(): readonly T[] {
    return this.#items;
  }

  at(i: number): T | undefined {
    return this.#items.at(i);
  }
}

/**
 * The conversation as the UI has it: every message (summaries included), in order, with an index by
 * id and the count of the conversation's own messages (summaries left out), both kept as messages
 * come, so neither costs a walk of the list.
 */
export class MessageList extends AppendList<MessageData> {
  readonly #indexById = new Map<number, number>();
  #conversation = 0;

  /** A list of these messages (a session's messages as a hello or a load gives them). */
  constructor(messages: readonly MessageData[] = []) {
    super();
    for (const m of messages) this.push(m);
  }

  override push(m: MessageData): void {
    this.#indexById.set(m.id, this.length);
    super.push(m);
    if (!m.summary) this.#conversation++;
  }

  /** Where the message with this id is in the list, or -1. */
  indexOfId(id: number | undefined): number {
    return id === undefined ? -1 : (this.#indexById.get(id) ?? -1);
  }

  byId(id: number): MessageData | undefined {
    const i = this.#indexById.get(id);
    return i === undefined ? undefined : this.items[i];
  }

  /** Messages of the conversation itself (rolling summaries left out): what the header counts. */
  get conversationLength(): number {
    return this.#conversation;
  }
}
