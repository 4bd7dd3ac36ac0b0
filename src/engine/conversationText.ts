import { z } from 'zod';
import { ROLES, type ChatMessageData } from '../shared/protocol.js';
import type { Session } from '../shared/session.js';
import { parseSession } from './sessionCodec.js';

const LineSchema = z.object({ role: z.enum(ROLES), content: z.string() });

export type ConversationText = { kind: 'jsonl'; messages: ChatMessageData[] } | { kind: 'session'; messages: ChatMessageData[]; session: Session };

/** Sessions are one pretty-printed JSON object that opens with its "format" key; JSONL lines open with {"role". */
export function looksLikeSession(text: string): boolean {
  const head = text.trimStart();
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0).trim();
  return firstLine === '{' || /^\{\s*"format"/.test(head.slice(0, 200));
}

/** Parses a conversation file's text: JSONL messages or a saved session. Throws one-line errors naming `name`. */
export function parseConversationText(text: string, name: string): ConversationText {
  if (looksLikeSession(text)) {
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
    return { kind: 'session', session: parsed.session, messages: parsed.session.messages.map((m) => ({ role: m.role, content: m.content })) };
  }
  return { kind: 'jsonl', messages: parseJsonl(text, name) };
}

/** Parses JSONL messages; blank lines are skipped; errors name the line. */
export function parseJsonl(text: string, name = 'input'): ChatMessageData[] {
  const out: ChatMessageData[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${name}:${i + 1}: not valid JSON`);
    }
    const parsed = LineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${name}:${i + 1}: ${issue.path.join('.') || 'message'}: ${issue.message}`);
    }
    out.push({ role: parsed.data.role, content: parsed.data.content });
  }
  if (out.length === 0) throw new Error(`${name}: no messages`);
  return out;
}
