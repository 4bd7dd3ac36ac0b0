import type { ChatMessageData } from '../shared/protocol.js';
import type { EngineConfig } from '../shared/config.js';
import type { Limits } from '../shared/limits.js';
import { savedSettings } from '../shared/session.js';
import { readConversationFile } from '../engine/node/conversationFile.js';

export type ReplayMessage = ChatMessageData;

export interface ReplayInput {
  kind: 'jsonl' | 'session';
  messages: ReplayMessage[];
  /** A saved session's own settings (a plain chat has none). */
  saved?: Partial<EngineConfig>;
  /** A saved session's title. */
  title?: string;
}

/**
 * Reads a replay input: JSONL of {"role","content"} lines (streamed), or a saved session (its
 * conversation and the settings it was saved with). Only regular files within the limits; throws
 * one-line errors.
 */
export async function readReplayInput(file: string, limits?: Limits): Promise<ReplayInput> {
  const parsed = await readConversationFile(file, { limits });
  if (parsed.kind === 'jsonl') return { kind: 'jsonl', messages: parsed.messages };
  return { kind: 'session', messages: parsed.messages, saved: savedSettings(parsed.session.config), title: parsed.session.metadata.title };
}
