import type { Limits } from '../../shared/limits.js';
import { ConversationReader, type ConversationText } from './conversationReader.js';
import { parseSessionText } from './sessionText.js';

export type { ConversationText } from './conversationReader.js';

/** Parses a conversation file's whole text: JSONL messages or a saved session. Throws one-line errors naming `name`. */
export function parseConversationText(text: string, name: string, limits?: Limits): ConversationText {
  const reader = new ConversationReader(name, limits);
  reader.push(text);
  return reader.end(parseSessionText);
}
