import type { ChatMessageData } from '../shared/protocol.js';
import type { EngineConfig } from '../shared/config.js';
import type { Limits } from '../shared/limits.js';
import { readConversationFile } from '../engine/node/conversationFile.js';

export type ReplayMessage = ChatMessageData;

export interface ReplayInput {
  file: string;
  kind: 'jsonl' | 'session';
  messages: ReplayMessage[];
  /** A saved session's own settings (a plain chat has none). */
  saved?: Partial<EngineConfig>;
  /** A saved session's title and creation date. */
  title?: string;
  createdAt?: string;
}

/**
 * Reads a replay input: JSONL of {"role","content"} lines (streamed), or a saved session (its
 * conversation and the settings it was saved with). Only regular files within the limits; throws
 * one-line errors.
 */
export async function readReplayInput(file: string, limits?: Limits): Promise<ReplayInput> {
  const parsed = await readConversationFile(file, { limits });
  if (parsed.kind === 'jsonl') return { file, kind: 'jsonl', messages: parsed.messages };
  const { config, metadata } = parsed.session;
  const { savedSettings } = await import('../shared/session.js');
  return { file, kind: 'session', messages: parsed.messages, saved: savedSettings(config), title: metadata.title, createdAt: metadata.createdAt };
}
