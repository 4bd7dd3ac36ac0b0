/**
 * OpenAI Chat Completions: the request body (`{model, messages}`) and the response (`{object:
 * 'chat.completion', choices}`), as the API reference documents them. The message shape is shared with
 * the JSONL reader (fine-tuning and batch files hold the same messages).
 */
import { z } from 'zod';
import type { ChatMessageData } from '../../../shared/protocol.js';
import { joinLines, pushMessage, readWith, toolCallLine, type ReadResult } from './common.js';

/** Content parts of a user (or system, tool) message; each becomes a line of text. */
const ContentPartSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('image_url'), image_url: z.looseObject({ url: z.string() }) }),
  z.looseObject({ type: z.literal('input_audio') }),
  z.looseObject({ type: z.literal('file'), file: z.looseObject({ filename: z.string().optional() }) }),
  z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
]);
type ContentPart = z.infer<typeof ContentPartSchema>;

/** `content`: a string, null (an assistant message that only calls tools), or content parts. */
const ContentSchema = z.union([z.string(), z.null(), z.array(ContentPartSchema)]).optional();

/** A tool call: a function with its arguments as a JSON string, or a custom tool with its input text. */
const ToolCallSchema = z.union([
  z.looseObject({ type: z.literal('function').optional(), function: z.looseObject({ name: z.string(), arguments: z.string() }) }),
  z.looseObject({ type: z.literal('custom'), custom: z.looseObject({ name: z.string(), input: z.string() }) }),
]);

/** One message of a request; `developer` is the newer name of `system`, `function` the legacy `tool`. */
export const OpenAIMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: ContentSchema,
  refusal: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  function_call: z.looseObject({ name: z.string(), arguments: z.string() }).nullish(),
});
export type OpenAIMessage = z.infer<typeof OpenAIMessageSchema>;

export const OpenAIRequestSchema = z.looseObject({ model: z.string().optional(), messages: z.array(OpenAIMessageSchema) });

export const OpenAIResponseSchema = z.looseObject({
  object: z.literal('chat.completion').optional(),
  choices: z.array(z.looseObject({ message: OpenAIMessageSchema })).min(1),
});

const ROLE: Record<OpenAIMessage['role'], ChatMessageData['role']> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool', function: 'tool' };

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'image_url':
      return part.image_url.url.startsWith('data:') ? '[image]' : `[image: ${part.image_url.url}]`;
    case 'input_audio':
      return '[audio]';
    case 'file':
      return part.file.filename ? `[file: ${part.file.filename}]` : '[file]';
    case 'refusal':
      return part.refusal;
    default:
      return part satisfies never;
  }
}

/** `[tool call NAME(ARGUMENTS)]`, the arguments as the message gives them (a JSON string; a custom tool's input text). */
function callLine(call: z.infer<typeof ToolCallSchema>): string {
  return call.type === 'custom' ? toolCallLine(call.custom.name, call.custom.input) : toolCallLine(call.function.name, call.function.arguments);
}

/** A message's text: its content (parts joined by newlines), a refusal, then one line per tool call. */
function messageText(message: OpenAIMessage): string {
  const content = message.content;
  const text = typeof content === 'string' ? content : (content ?? []).map(partText).join('\n');
  const calls = (message.tool_calls ?? []).map(callLine);
  if (message.function_call) calls.push(toolCallLine(message.function_call.name, message.function_call.arguments));
  return joinLines([text, message.refusal ?? '', ...calls]);
}

/** Our messages for OpenAI messages (empty ones left out). */
export function fromOpenAIMessages(messages: readonly OpenAIMessage[]): ChatMessageData[] {
  const out: ChatMessageData[] = [];
  for (const m of messages) pushMessage(out, ROLE[m.role], messageText(m));
  return out;
}

/** A Chat Completions request body: one conversation, its messages. */
export function readOpenAIRequest(value: unknown): ReadResult {
  return readWith(OpenAIRequestSchema, value, (data) => [{ messages: fromOpenAIMessages(data.messages) }]);
}

/** A Chat Completions response: one conversation, the first choice's message (the reply as the API returned it). */
export function readOpenAIResponse(value: unknown): ReadResult {
  return readWith(OpenAIResponseSchema, value, (data) => [{ messages: fromOpenAIMessages(data.choices.slice(0, 1).map((c) => c.message)) }]);
}
