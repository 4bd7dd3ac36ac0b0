import { DEFAULT_MAX_SESSION_BYTES } from '../../shared/limits.js';
import { sessionConversation } from '../../shared/session.js';
import type { SessionTextParser } from './conversationReader.js';
import { parseSession } from './sessionCodec.js';

/** A saved session's whole text → the session and its conversation; one-line errors naming the file. */
export const parseSessionText: SessionTextParser = (text, name) => {
  const parsed = parseSession(text, { maxBytes: DEFAULT_MAX_SESSION_BYTES });
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  return { session: parsed.session, messages: sessionConversation(parsed.session) };
};
