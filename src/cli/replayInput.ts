import type { ChatMessageData } from '../shared/protocol.js';
import type { EngineConfig } from '../shared/config.js';
import type { Limits } from '../shared/limits.js';
import { readConversationFile } from '../engine/node/conversationFile.js';
import type { ImportSummary } from '../engine/formats/conversationReader.js';

export type ReplayMessage = ChatMessageData;

export interface ReplayInput {
  file: string;
  kind: 'jsonl' | 'session' | 'import';
  messages: ReplayMessage[];
  /** A saved session's own settings (a plain chat has none). */
  saved?: Partial<EngineConfig>;
  /** A saved session's title and creation date. */
  title?: string;
  createdAt?: string;
  /** Another tool's chat: its format and the conversations the file holds. */
  imported?: ImportSummary;
}

/**
 * Reads a replay input: JSONL of {"role","content"} lines (streamed), a saved session (its conversation
 * and the settings it was saved with), or another tool's chat (formats/imports; of a file holding
 * several, `conversation`; refused for a file that holds one chat). Only regular files within the limits;
 * throws one-line errors.
 */
export async function readReplayInput(file: string, limits?: Limits, conversation?: number | string): Promise<ReplayInput> {
  const parsed = await readConversationFile(file, { limits, conversation });
  if (parsed.kind !== 'import' && conversation !== undefined) throw new Error(`--conversation: ${file} holds one chat (${parsed.kind === 'session' ? 'a saved session' : 'JSONL of messages'})`);
  if (parsed.kind === 'jsonl') return { file, kind: 'jsonl', messages: parsed.messages };
  if (parsed.kind === 'import') return { file, kind: 'import', messages: parsed.messages, title: parsed.imported.title, imported: parsed.imported };
  const { config, metadata } = parsed.session;
  const { savedSettings } = await import('../shared/session.js');
  return { file, kind: 'session', messages: parsed.messages, saved: savedSettings(config), title: metadata.title, createdAt: metadata.createdAt };
}

/**
 * One stderr line for an imported file: its format and the conversation read, and when the file holds
 * others, them (the first few) and how to pick one.
 */
export function importNote(file: string, imported: ImportSummary): string {
  const { formatName, chosen, title, conversations } = imported;
  const head = `${file}: ${formatName}`;
  if (conversations.length <= 1) return `${head}, ${conversations[0]?.messages ?? 0} messages\n`;
  const others = conversations.filter((c) => c.index !== chosen);
  const listed = others.slice(0, 8).map((c) => `${c.index} ${JSON.stringify(c.title)} (${c.messages})`).join(', ');
  const more = others.length > 8 ? `, and ${others.length - 8} more` : '';
  return `${head}: conversation ${chosen} of ${conversations.length}, ${JSON.stringify(title)}; the others: ${listed}${more} (pick one with --conversation N|TITLE)\n`;
}
