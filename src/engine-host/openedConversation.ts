import type { ChatMessageData, EngineConfigData } from '../shared/protocol.js';
import { TooLargeError } from '../shared/limits.js';
import { savedSettings, type Session } from '../shared/session.js';
import type { ConversationText } from '../engine/formats/conversationText.js';
import type { ImportSummary } from '../engine/formats/conversationReader.js';
import { FileAccessError } from '../engine/node/conversationFile.js';
import { CommandError } from './errors.js';

/** What the host opens from a parsed file: its title, messages and (for a saved session) settings. */
export interface OpenedConversation {
  title: string;
  messages: ChatMessageData[];
  /** A saved session's own settings; JSONL files have none. */
  config?: Partial<EngineConfigData>;
  /** The saved session it was opened from (its dates; a save of it unchanged writes the same bytes). */
  session?: Session;
  /** Another tool's chat: its format and the conversations the file holds (the client offers the others). */
  imported?: ImportSummary;
}

/** A reader error as a command error: limits are `too-large`, unreadable files `io`, the rest `bad-session`. */
export function openError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const code = err instanceof TooLargeError ? 'too-large' : err instanceof FileAccessError ? 'io' : 'bad-session';
  return new CommandError(code, (err as Error).message);
}

/**
 * A parsed file (JSONL, saved session, another tool's chat) as the host opens it; a JSONL file is titled
 * by its name, an imported one by its conversation's title (or its name).
 */
export function openedConversation(parsed: ConversationText, name: string): OpenedConversation {
  const fileTitle = baseName(name).replace(/\.\w+$/, '');
  if (parsed.kind === 'jsonl') return { title: fileTitle, messages: parsed.messages };
  if (parsed.kind === 'import') return { title: parsed.imported.title || fileTitle, messages: parsed.messages, imported: parsed.imported };
  const { session } = parsed;
  return {
    title: session.metadata.title,
    session,
    messages: parsed.messages,
    config: savedSettings(session.config),
  };
}

const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;
