import type { Limits } from '../shared/limits.js';
import { ConversationReader } from '../engine/formats/conversationReader.js';
import { documentParsers } from '../engine/formats/conversationText.js';
import { CommandError } from './errors.js';
import { openedConversation, openError, type OpenedConversation } from './openedConversation.js';

interface Upload {
  id: string;
  name: string;
  total: number;
  reader: ConversationReader;
  /** Of another tool's file holding several chats, the one to open (from 1). */
  conversation?: number;
}

/**
 * Files streamed from a client in chunks (browser mode's Open, drag-and-drop): parsed as they arrive
 * (JSONL line by line), so a file of hundreds of MB never travels as one message. One upload at a
 * time; a new one replaces an abandoned one.
 */
export class Uploads {
  #current: Upload | undefined;
  readonly #limits: Limits | undefined;

  constructor(limits?: Limits) {
    this.#limits = limits;
  }

  begin(id: string, name: string, total: number, conversation?: number): void {
    this.#current = { id, name, total, reader: new ConversationReader(name, this.#limits), conversation };
  }

  /** Adds a chunk; resolves with the bytes received so far. A parse error ends the upload. */
  chunk(id: string, text: string): { received: number; total: number } {
    const u = this.#get(id);
    try {
      u.reader.push(text);
    } catch (err) {
      this.#current = undefined;
      throw openError(err);
    }
    return { received: u.reader.bytes, total: Math.max(u.total, u.reader.bytes) };
  }

  end(id: string): OpenedConversation {
    const u = this.#get(id);
    this.#current = undefined;
    try {
      return openedConversation(u.reader.end(documentParsers(u.conversation)), u.name);
    } catch (err) {
      throw openError(err);
    }
  }

  cancel(id: string): boolean {
    if (this.#current?.id !== id && id !== '*') return false;
    this.#current = undefined;
    return true;
  }

  #get(id: string): Upload {
    if (this.#current?.id !== id) throw new CommandError('bad-command', `no upload "${id}" in progress (send openBegin first)`);
    return this.#current;
  }
}
