import type { Limits } from '../shared/limits.js';
import { parseConversationText } from '../engine/formats/conversationText.js';
import type { Engine } from '../engine/engine.js';
import { readConversationFile } from '../engine/node/conversationFile.js';
import { saveSessionFile } from '../engine/node/sessionFile.js';
import { serializeSession } from '../engine/formats/sessionCodec.js';
import { engineToSession } from '../engine/formats/sessionState.js';
import { CommandError } from './errors.js';
import { openedConversation, openError, type OpenedConversation } from './openedConversation.js';

export const APP_ID = 'finite-memory-studio 0.1.0';

/**
 * The session as files: opens a whole text or a granted file, saves to a granted file or as text for a
 * download, and snapshots the session for the autosave. Streamed uploads are `Uploads`.
 */
export class SessionFiles {
  #createdAt = new Date().toISOString();
  readonly #limits: Limits | undefined;

  constructor(options: { limits?: Limits } = {}) {
    this.#limits = options.limits;
  }

  /** A new session (or one opened from a file) starts its own creation date. */
  opened(o: OpenedConversation | undefined): void {
    this.#createdAt = o?.createdAt ?? new Date().toISOString();
  }

  parseText(text: string, name: string): OpenedConversation {
    try {
      return openedConversation(parseConversationText(text, name, this.#limits), name);
    } catch (err) {
      throw openError(err);
    }
  }

  async readFile(file: string): Promise<OpenedConversation> {
    try {
      return openedConversation(await readConversationFile(file, { limits: this.#limits }), file);
    } catch (err) {
      throw openError(err);
    }
  }

  /** The session as it is now, in the saved format. */
  session(engine: Engine, title: string) {
    return engineToSession(engine, { title, app: APP_ID, createdAt: this.#createdAt, savedAt: new Date().toISOString() });
  }

  /** Saves to a file (atomic), or returns the text for a browser download when there is no path. */
  async save(engine: Engine, title: string, file?: string): Promise<{ path?: string; text?: string; bytes: number }> {
    const session = this.session(engine, title);
    if (!file) {
      const text = serializeSession(session);
      return { text, bytes: new TextEncoder().encode(text).length };
    }
    try {
      return { path: file, bytes: await saveSessionFile(file, session) };
    } catch (err) {
      throw new CommandError('io', (err as Error).message);
    }
  }
}
