/**
 * Ollama's `/api/chat` request body: OpenAI-like messages, but images are base64 strings on the message,
 * tool calls carry their arguments as an object, and a tool's reply names the tool (`tool_name`).
 */
import { z } from 'zod';
import type { ChatMessageData } from '../../../shared/protocol.js';
import { joinLines, jsonText, pushMessage, readWith, toolCallLine, type ReadResult } from './common.js';

const OllamaMessageSchema = z.looseObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().optional(),
  images: z.array(z.string()).nullish(),
  tool_calls: z.array(z.looseObject({ function: z.looseObject({ name: z.string(), arguments: z.unknown() }) })).nullish(),
});

export const OllamaRequestSchema = z.looseObject({ model: z.string().optional(), messages: z.array(OllamaMessageSchema) });

function messageText(message: z.infer<typeof OllamaMessageSchema>): string {
  const images = (message.images ?? []).map(() => '[image]');
  const calls = (message.tool_calls ?? []).map(({ function: f }) => toolCallLine(f.name, typeof f.arguments === 'string' ? f.arguments : jsonText(f.arguments)));
  return joinLines([message.content ?? '', ...images, ...calls]);
}

/** A chat request body: one conversation (the model's `thinking` is left out, as a replay would not send it). */
export function readOllama(value: unknown): ReadResult {
  return readWith(OllamaRequestSchema, value, (data) => {
    const out: ChatMessageData[] = [];
    for (const m of data.messages) pushMessage(out, m.role, messageText(m));
    return [{ messages: out }];
  });
}
