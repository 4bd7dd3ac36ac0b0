import type { ImportTextParser } from './conversationReader.js';
import { FORMAT_NAMES, importChat } from './imports/index.js';

/** Which conversation of a file that holds several to open: 1-based, or a title. */
export type ConversationChoice = number | string | undefined;

/**
 * Another tool's chat file's whole text → the chosen conversation's messages and what the file held
 * (formats/imports); one-line errors naming the file.
 */
export function importTextParser(conversation?: ConversationChoice): ImportTextParser {
  return (text, name) => {
    const { messages, ...rest } = importChat(text, name, conversation === undefined ? {} : { conversation });
    return { messages, imported: { ...rest, formatName: FORMAT_NAMES[rest.format] } };
  };
}
