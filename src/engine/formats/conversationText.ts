import type { Limits } from '../../shared/limits.js';
import { ConversationReader, type ConversationText, type DocumentParsers } from './conversationReader.js';
import { importTextParser, type ConversationChoice } from './importText.js';
import { parseSessionText } from './sessionText.js';

export type { ConversationText } from './conversationReader.js';

/**
 * Parses a conversation file's whole text: JSONL messages, a saved session, or another tool's chat (of a
 * file holding several, `conversation`, default the first). Throws one-line errors naming `name`.
 */
export function parseConversationText(text: string, name: string, limits?: Limits, conversation?: ConversationChoice): ConversationText {
  const reader = new ConversationReader(name, limits);
  reader.push(text);
  return reader.end(documentParsers(conversation));
}

/** How a ConversationReader reads a file that is one JSON document: a saved session, or another tool's chat. */
export function documentParsers(conversation?: ConversationChoice): DocumentParsers {
  return { session: parseSessionText, import: importTextParser(conversation) };
}
