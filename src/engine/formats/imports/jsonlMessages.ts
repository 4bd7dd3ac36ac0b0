/**
 * JSONL with a conversation per line: OpenAI fine-tuning files (`{"messages": [...]}`) and Batch API
 * input files (`{"custom_id", "method", "url", "body": {"messages": [...]}}`). The messages are Chat
 * Completions request messages (openai.ts).
 */
import { z } from 'zod';
import { misfit, own, type Conversation, type ReadResult } from './common.js';
import { fromOpenAIMessages, OpenAIMessageSchema } from './openai.js';

const Messages = z.array(OpenAIMessageSchema);
const FineTuningLineSchema = z.looseObject({ messages: Messages });
const BatchLineSchema = z.looseObject({ body: z.looseObject({ messages: Messages }) });

/** One line's value (`lineNumber` 1-based): a batch input line when it has `body`, else a fine-tuning line. */
export function readJsonlValue(value: unknown, lineNumber: number): ReadResult {
  const where = `line ${lineNumber}`;
  if (own(value, 'body') === undefined || own(value, 'messages') !== undefined) {
    const parsed = FineTuningLineSchema.safeParse(value);
    if (parsed.success) return { ok: true, conversations: [{ title: where, messages: fromOpenAIMessages(parsed.data.messages) }] };
    return lineMisfit(where, misfit(parsed.error.issues));
  }
  const parsed = BatchLineSchema.safeParse(value);
  if (parsed.success) return { ok: true, conversations: [{ title: where, messages: fromOpenAIMessages(parsed.data.body.messages) }] };
  return lineMisfit(where, misfit(parsed.error.issues));
}

/** A line's misfit named by its line; the depth counts the line, so it ranks deeper than a document's root misfit. */
function lineMisfit(where: string, { problem, depth }: { problem: string; depth: number }): ReadResult {
  return { ok: false, problem: `${where}: ${problem}`, depth: depth + 1 };
}

/** Each non-empty line is a conversation titled by its line number; a problem names its line (`line 3: messages[1].role: ...`). */
export function readJsonlMessages(text: string): ReadResult {
  const conversations: Conversation[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, problem: `line ${i + 1}: not valid JSON`, depth: 1 };
    }
    const read = readJsonlValue(value, i + 1);
    if (!read.ok) return read;
    conversations.push(...read.conversations);
  }
  if (conversations.length === 0) return { ok: false, problem: 'no lines', depth: 0 };
  return { ok: true, conversations };
}
