import type { Limits } from '../shared/limits.js';
import { parseConversationText } from '../engine/formats/conversationText.js';
import type { Engine } from '../engine/engine.js';
import { readConversationFile } from '../engine/node/conversationFile.js';
import { createHash } from 'node:crypto';
import type { Session, SessionMetadata } from '../shared/session.js';
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
const NO_METADATA: SessionMetadata = { title: '', app: '', createdAt: '1970-01-01T00:00:00.000Z', savedAt: '1970-01-01T00:00:00.000Z' };
/** A digest of what a session holds, its metadata aside. */
const contentDigest = (session: Session): string => digest(serializeSession({ ...session, metadata: NO_METADATA }));
/** A session's headline numbers, to say how two differ. */
const headline = (s: Session): string => `${s.stats.tokensRetained} tokens kept, ${s.messages.filter((m) => m.summary).length} summaries, ${s.stats.evictions} evictions`;

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
  /** The saved session last opened, until its replay is checked. */
  #opened: { digest: string; headline: string } | undefined;
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
    this.#opened = saved ? { digest: contentDigest(saved), headline: headline(saved) } : undefined;
  }

  /**
   * After the replay of an opened saved session: undefined when it reproduced the session (metadata
   * aside), else how they differ. A session that used a model, had its settings changed while it ran
   * or was cut short by the latency budget cannot be made again by a replay.
   */
  replayDiffers(engine: Engine): string | undefined {
    const opened = this.#opened;
    this.#opened = undefined;
    if (!opened) return undefined;
    const replayed = engineToSession(engine, NO_METADATA);
    if (contentDigest(replayed) === opened.digest) return undefined;
    return `its replay does not reproduce the saved session (it was made with a model, or its settings changed or the latency budget cut in while it ran); it goes on from the replay: ${headline(replayed)} (saved: ${opened.headline})`;
  }

  /** A file's whole text; of another tool's file holding several chats, `conversation` (from 1). */
  parseText(text: string, name: string, conversation?: number): OpenedConversation {
    try {
      return openedConversation(parseConversationText(text, name, this.#limits, conversation), name);
    } catch (err) {
      throw openError(err);
    }
  }

  async readFile(file: string, conversation?: number): Promise<OpenedConversation> {
    try {
      return openedConversation(await readConversationFile(file, { limits: this.#limits, conversation }), file);
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
