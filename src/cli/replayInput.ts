import type { ChatMessageData } from '../shared/protocol.js';
import type { Limits } from '../shared/limits.js';
import { readConversationFile } from '../engine/node/conversationFile.js';

export type ReplayMessage = ChatMessageData;

/**
 * Reads a replay input: JSONL of {"role","content"} lines (streamed), or a saved session. Only regular
 * files within the limits; throws one-line errors.
 */
export async function readReplayInput(file: string, limits?: Limits): Promise<{ messages: ReplayMessage[]; kind: 'jsonl' | 'session' }> {
  const parsed = await readConversationFile(file, { limits });
  return { kind: parsed.kind, messages: parsed.messages };
}
