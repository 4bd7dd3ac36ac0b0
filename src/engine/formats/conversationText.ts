import type { ChatMessageData } from '../../shared/protocol.js';
import type { Limits } from '../../shared/limits.js';
import type { Session } from '../../shared/session.js';
import { ConversationReader } from './conversationReader.js';

export type ConversationText = { kind: 'jsonl'; messages: ChatMessageData[] } | { kind: 'session'; messages: ChatMessageData[]; session: Session };

/** Parses a conversation file's whole text: JSONL messages or a saved session. Throws one-line errors naming `name`. */
export function parseConversationText(text: string, name: string, limits?: Limits): ConversationText {
  const reader = new ConversationReader(name, limits);
  reader.push(text);
  return reader.end();
}
