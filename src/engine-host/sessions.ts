import type { ChatMessageData, EngineConfigData } from '../shared/protocol.js';
import { TooLargeError, type Limits } from '../shared/limits.js';
import { parseConversationText, type ConversationText } from '../engine/conversationText.js';
import type { Engine } from '../engine/engine.js';
import { FileAccessError, readConversationFile } from '../engine/node/conversationFile.js';
import { saveSessionFile } from '../engine/node/sessionFile.js';
import { toChromeTrace, toSpeedscope } from '../engine/profileExport.js';
import { serializeSession } from '../engine/sessionCodec.js';
import { engineToSession } from '../engine/sessionState.js';
import { statsToPrometheus } from '../engine/telemetry.js';
import { CommandError } from './errors.js';

export interface OpenedConversation {
  title: string;
  messages: ChatMessageData[];
  /** A saved session's own settings; JSONL files have none. */
  config?: EngineConfigData;
  createdAt?: string;
}

export const APP_ID = 'finite-memory-studio 0.1.0';

/** A reader error as a command error: limits are `too-large`, unreadable files `io`, the rest `bad-session`. */
export function openError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const code = err instanceof TooLargeError ? 'too-large' : err instanceof FileAccessError ? 'io' : 'bad-session';
  return new CommandError(code, (err as Error).message);
}

/** What the host opens from a parsed file: its title, messages and (for a saved session) settings. */
export function openedConversation(parsed: ConversationText, name: string): OpenedConversation {
  if (parsed.kind === 'jsonl') return { title: baseName(name).replace(/\.\w+$/, ''), messages: parsed.messages };
  const { session } = parsed;
  const c = session.config;
  return {
    title: session.metadata.title,
    createdAt: session.metadata.createdAt,
    messages: session.messages.map((m) => ({ role: m.role, content: m.content, pinned: m.pinned })),
    config: { policy: c.policy, maxTokens: c.maxTokens, window: c.window, pinSystem: c.pinSystem, recall: c.recall ?? false, ...(c.maxPolicyMs !== undefined ? { maxPolicyMs: c.maxPolicyMs } : {}) },
  };
}

const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;

/** Session files for the host: open (granted file, upload or text), save (granted file or text), exports. */
export class HostSessions {
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

  exportProfile(engine: Engine, format: 'speedscope' | 'chrome', title: string): string {
    const spans = engine.profiler.spans();
    return JSON.stringify(format === 'speedscope' ? toSpeedscope(spans, { name: title }) : toChromeTrace(spans));
  }

  metrics(engine: Engine): string {
    return statsToPrometheus(engine.stats(), { turns: engine.turns() });
  }
}
