import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChatMessageData, EngineConfigData } from '../shared/protocol.js';
import { parseConversationText } from '../engine/conversationText.js';
import type { Engine } from '../engine/engine.js';
import { saveSessionFile } from '../engine/node/sessionFile.js';
import { toChromeTrace, toSpeedscope } from '../engine/profileExport.js';
import { DEFAULT_MAX_SESSION_BYTES, serializeSession, tooLargeMessage } from '../engine/sessionCodec.js';
import { engineToSession } from '../engine/sessionState.js';
import { statsToPrometheus } from '../engine/telemetry.js';
import { CommandError } from './host.js';

export interface OpenedConversation {
  title: string;
  messages: ChatMessageData[];
  /** A saved session's own settings; JSONL files have none. */
  config?: EngineConfigData;
}

export const APP_ID = 'finite-memory-studio 0.1.0';

/** Session files for the host: open (file or text), save (file or text), autosave, exports. */
export class HostSessions {
  #autosavePath: string | undefined;
  #createdAt = new Date().toISOString();

  constructor(options: { autosavePath?: string }) {
    this.#autosavePath = options.autosavePath;
  }

  parseText(text: string, name: string): OpenedConversation {
    try {
      const parsed = parseConversationText(text, name);
      if (parsed.kind === 'jsonl') return { title: path.basename(name).replace(/\.\w+$/, ''), messages: parsed.messages };
      const { session } = parsed;
      this.#createdAt = session.metadata.createdAt;
      return {
        title: session.metadata.title,
        messages: session.messages.map((m) => ({ role: m.role, content: m.content, pinned: m.pinned })),
        config: { policy: session.config.policy, maxTokens: session.config.maxTokens, window: session.config.window, pinSystem: session.config.pinSystem, recall: session.config.recall ?? false, ...(session.config.maxPolicyMs !== undefined ? { maxPolicyMs: session.config.maxPolicyMs } : {}) },
      };
    } catch (err) {
      throw new CommandError('bad-session', (err as Error).message);
    }
  }

  async readFile(file: string): Promise<OpenedConversation> {
    let text: string;
    try {
      const info = await stat(file);
      if (info.isDirectory()) throw new Error(`"${file}" is a folder, not a session file`);
      if (info.size > DEFAULT_MAX_SESSION_BYTES) throw new Error(`"${file}": ${tooLargeMessage(info.size, DEFAULT_MAX_SESSION_BYTES)}`);
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      throw new CommandError('io', `cannot open "${file}": ${why}`);
    }
    return this.parseText(text, file);
  }

  #session(engine: Engine, title: string) {
    return engineToSession(engine, { title, app: APP_ID, createdAt: this.#createdAt, savedAt: new Date().toISOString() });
  }

  /** Saves to a file (atomic), or returns the text for a browser download when there is no path. */
  async save(engine: Engine, title: string, file?: string): Promise<{ path?: string; text?: string; bytes: number }> {
    const session = this.#session(engine, title);
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

  /** Atomic autosave after every turn; a failure is reported, never fatal. */
  async autosave(engine: Engine, title: string): Promise<void> {
    if (!this.#autosavePath) return;
    try {
      await mkdir(path.dirname(this.#autosavePath), { recursive: true });
      await saveSessionFile(this.#autosavePath, this.#session(engine, title));
    } catch (err) {
      throw new CommandError('io', `autosave failed: ${(err as Error).message}`);
    }
  }

  /** The last autosave, or undefined when there is none or it cannot be read. */
  async readAutosave(): Promise<OpenedConversation | undefined> {
    if (!this.#autosavePath) return undefined;
    try {
      return await this.readFile(this.#autosavePath);
    } catch {
      return undefined;
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
