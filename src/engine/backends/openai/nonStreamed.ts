import { z } from 'zod';
import { formatBytes } from '../../../shared/limits.js';
import { BackendError } from '../../backend.js';
import { readCappedText } from './body.js';
import { oneLine, serverErrorText } from './http.js';
import { usageOf, type Completion, type StreamHooks } from './stream.js';

/** A whole JSON reply larger than this is refused (a stream's events have the same bound). */
export const MAX_JSON_REPLY_BYTES = 16 * 2 ** 20;

/** A `chat.completion` object: the first choice's message and finish_reason, and `usage`. */
const ReplySchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }).nullish(), finish_reason: z.string().nullish() })).min(1),
  usage: z.unknown().optional(),
});

/**
 * Reads a non-streamed `chat.completion` (the reply of a server that ignores `stream: true`) into `c`
 * through the same hooks as a stream: the whole text is one piece (cut to the reply limit like any
 * other), the server's usage and finish_reason are kept. Throws BackendError for a body over `maxBytes`,
 * one that is not a chat completion, or an error the server reports in it; read errors propagate.
 */
export async function consumeJson(body: ReadableStream<Uint8Array>, c: Completion, hooks: StreamHooks, maxBytes = MAX_JSON_REPLY_BYTES): Promise<void> {
  const text = await readCappedText(body, maxBytes, () => hooks.onBytes());
  if (hooks.stopped()) return;
  if (text === undefined) throw new BackendError('bad-stream', `${hooks.where} sent a JSON reply larger than ${formatBytes(maxBytes)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BackendError('bad-stream', `${hooks.where} sent a malformed JSON reply: ${oneLine(text, 120)}`, { cause: err });
  }
  if (json && typeof json === 'object' && 'error' in json && (json as { error: unknown }).error) {
    throw new BackendError('http', `${hooks.where} reported an error: ${serverErrorText(text)}`);
  }
  const reply = ReplySchema.safeParse(json);
  if (!reply.success) throw new BackendError('bad-stream', `${hooks.where} answered with JSON that is not a chat completion: ${oneLine(text, 120)}`);
  const [choice] = reply.data.choices;
  const content = choice.message?.content ?? '';
  const kept = content === '' ? '' : hooks.admit(content);
  if (kept !== '') {
    c.text += kept;
    hooks.onPiece(kept);
  }
  c.sawDone = true;
  if (kept !== content) {
    c.finishReason = 'length';
    c.cutOff = true;
    return;
  }
  c.finishReason = choice.finish_reason ?? 'stop';
  const usage = usageOf(reply.data.usage);
  if (usage) c.usage = usage;
}
