import type { Limits } from '../shared/limits.js';
import { parseConversationText } from '../engine/formats/conversationText.js';
import type { Engine } from '../engine/engine.js';
import { readConversationFile } from '../engine/node/conversationFile.js';
import { createHash } from 'node:crypto';
import type { Session } from '../shared/session.js';
import { writeFileAtomic } from '../engine/node/sessionFile.js';
import { serializeSession } from '../engine/formats/sessionCodec.js';
import { engineToSession } from '../engine/formats/sessionState.js';
import { CommandError } from './errors.js';
import { openedConversation, openError, type OpenedConversation } from './openedConversation.js';

export const APP_ID = 'finite-memory-studio 0.1.0';

/** A saved session's text and what it holds. */
export interface SessionText {
  session: Session;
  text: string;
  /** Conversation messages (rolling summaries left out), as the header counts them. */
  messages: number;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64');

/**
 * The session as files: opens a whole text or a granted file, saves to a granted file or as text for a
 * download, and snapshots the session for the autosave. Streamed uploads are `Uploads`.
 * A save keeps the `savedAt` of the last save (or of the opened file) while the session is unchanged,
 * so saving a session again, or one just opened, writes the same bytes.
 */
export class SessionFiles {
  readonly #now: () => Date;
  #createdAt: string;
  /** The content last saved or opened (a digest of its text) and its savedAt. */
  #last: { digest: string; savedAt: string } | undefined;
  readonly #limits: Limits | undefined;

  constructor(options: { limits?: Limits; now?: () => Date } = {}) {
    this.#limits = options.limits;
    this.#now = options.now ?? (() => new Date());
    this.#createdAt = this.#now().toISOString();
  }

  /** A new session starts its own creation date; one opened from a saved session keeps its dates. */
  opened(o: OpenedConversation | undefined): void {
    const saved = o?.session;
    this.#createdAt = saved?.metadata.createdAt ?? this.#now().toISOString();
    this.#last = saved ? { digest: digest(serializeSession(saved)), savedAt: saved.metadata.savedAt } : undefined;
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

  /** The session as it is now, in the saved format, with its text. */
  snapshot(engine: Engine, title: string): SessionText {
    const last = this.#last;
    const now = this.#now().toISOString();
    const session = engineToSession(engine, { title, app: APP_ID, createdAt: this.#createdAt, savedAt: last?.savedAt ?? now });
    let text = serializeSession(session);
    const messages = session.messages.filter((m) => !m.summary).length;
    if (last && digest(text) === last.digest) return { session, text, messages };
    if (last) {
      // changed since: stamped now (one savedAt field in the text; a string value's quotes are escaped)
      text = text.replace(`"savedAt": ${JSON.stringify(last.savedAt)}`, `"savedAt": ${JSON.stringify(now)}`);
      session.metadata.savedAt = now;
    }
    this.#last = { digest: digest(text), savedAt: now };
    return { session, text, messages };
  }

  /** Saves to a file (atomic), or returns the text for a browser download when there is no path. */
  async save(engine: Engine, title: string, file?: string): Promise<{ path?: string; text?: string; bytes: number }> {
    const { text } = this.snapshot(engine, title);
    if (!file) return { text, bytes: new TextEncoder().encode(text).length };
    try {
      return { path: file, bytes: await writeFileAtomic(file, text, 'session file') };
    } catch (err) {
      throw new CommandError('io', (err as Error).message);
    }
  }
}
