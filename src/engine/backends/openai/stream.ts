import { z } from 'zod';
import { BackendError } from '../../backend.js';
import { oneLine, serverErrorText } from './http.js';
import { SseParser, type SseEvent } from './sse.js';

/** What a chat-completions stream has said so far. */
export interface Completion {
  text: string;
  /** The last `finish_reason` seen ("stop", "length", ...). */
  finishReason?: string;
  /** From the usage chunk that `stream_options.include_usage` asks for. */
  usage?: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  sawDone: boolean;
  /** We stopped reading because the reply went over our own limit (finishReason is then 'length'). */
  cutOff: boolean;
}

export interface StreamHooks {
  /** Names the server in error messages. */
  where: string;
  /** Bytes arrived (re-arms the idle timer). */
  onBytes(): void;
  /** The part of a piece of content to keep: all of it, or a prefix when it goes over the reply limit. */
  admit(piece: string): string;
  /** A piece of content (as admitted), in order. */
  onPiece(piece: string): void;
  /** True once the caller wants no more events (cancelled). */
  stopped(): boolean;
}

/**
 * Reads an OpenAI chat-completions event stream into `c` until `[DONE]`, the end of the body,
 * `hooks.stopped()`, or a piece that `hooks.admit` cuts (then finishReason 'length' and `cutOff`).
 * Stopping early cancels the body, which closes the connection. Throws BackendError for malformed
 * events, oversized lines or events, and errors the server reports inside the stream; read errors
 * (socket closed, aborted) propagate unchanged for the caller to classify.
 */
export async function consumeStream(body: ReadableStream<Uint8Array>, c: Completion, hooks: StreamHooks): Promise<void> {
  const reader = body.getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (!done) hooks.onBytes();
      for (const event of parse(parser, done ? undefined : value, hooks.where)) {
        if (applyEvent(event, c, hooks)) return;
        if (hooks.stopped()) return;
      }
      if (done || hooks.stopped()) return;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** The events this chunk completes (all that are left when `chunk` is undefined: the body ended). */
function parse(parser: SseParser, chunk: Uint8Array | undefined, where: string): SseEvent[] {
  try {
    return chunk === undefined ? parser.end() : parser.push(chunk);
  } catch (err) {
    if (err instanceof BackendError) throw new BackendError(err.code, `${where} sent an unusable stream: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Applies one event; true when the stream should stop: it was the `[DONE]` sentinel, or the reply is cut off. */
function applyEvent(event: SseEvent, c: Completion, hooks: StreamHooks): boolean {
  const data = event.data.trim();
  if (data === '[DONE]') {
    c.sawDone = true;
    return true;
  }
  if (event.event === 'error') {
    throw new BackendError('http', `${hooks.where} reported an error mid-stream: ${serverErrorText(data)}`);
  }
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch (err) {
    throw new BackendError('bad-stream', `${hooks.where} sent a malformed stream event (not JSON): ${oneLine(data, 120)}`, { cause: err });
  }
  if (!chunk || typeof chunk !== 'object' || Array.isArray(chunk)) {
    throw new BackendError('bad-stream', `${hooks.where} sent a stream event that is not a JSON object: ${oneLine(data, 120)}`);
  }
  const o = chunk as { error?: unknown; choices?: unknown; usage?: unknown };
  if (o.error) throw new BackendError('http', `${hooks.where} reported an error mid-stream: ${serverErrorText(data)}`);
  const choice = Array.isArray(o.choices) ? (o.choices[0] as { delta?: { content?: unknown }; finish_reason?: unknown } | undefined) : undefined;
  const content = choice?.delta?.content;
  if (typeof content === 'string' && content !== '') {
    const kept = hooks.admit(content);
    if (kept !== '') {
      c.text += kept;
      hooks.onPiece(kept);
    }
    if (kept !== content) {
      c.finishReason = 'length';
      c.cutOff = true;
      return true;
    }
  }
  if (typeof choice?.finish_reason === 'string') c.finishReason = choice.finish_reason;
  const usage = usageOf(o.usage);
  if (usage) c.usage = usage;
  return false;
}

const count = z.int().min(0);
/** `usage` as OpenAI sends it; `prompt_tokens_details.cached_tokens` is optional (and null from some servers). */
const UsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  prompt_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
});

/** A chunk's (or a whole reply's) usage, when it has a readable one (a malformed usage is ignored: the tokenizer counts instead). */
export function usageOf(usage: unknown): Completion['usage'] {
  const parsed = UsageSchema.safeParse(usage);
  if (!parsed.success) return undefined;
  const { prompt_tokens, completion_tokens, prompt_tokens_details } = parsed.data;
  const cached = prompt_tokens_details?.cached_tokens;
  return { promptTokens: prompt_tokens, completionTokens: completion_tokens, ...(cached != null ? { cachedPromptTokens: Math.min(cached, prompt_tokens) } : {}) };
}
