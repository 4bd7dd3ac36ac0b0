/**
 * Which document format a parsed JSON value is, from its keys alone (no full parse): the format whose
 * schema then reads it, and the one an error names as the closest when it does not fit.
 */
import { isRecord, own } from './common.js';
import { ANTHROPIC_BLOCK_TYPES } from './anthropic.js';

/** The formats an import reads (index.ts names them ImportFormat). */
export type DocumentFormat = 'openai-request' | 'openai-response' | 'chatgpt-export' | 'anthropic' | 'sharegpt' | 'ollama' | 'jsonl-messages';

/**
 * The rules, in order:
 * - an array: a ChatGPT export when its first item has `mapping`, a ShareGPT dataset when it has `conversations`;
 * - an object with `choices` (or `object: "chat.completion"`): an OpenAI response;
 * - with `mapping`: one ChatGPT conversation; with `conversations`: one ShareGPT conversation;
 * - with `messages`: a request, told apart by messagesFormat;
 * - with `body.messages`: a Batch API input line on its own (JSONL with one line).
 */
export function detectDocument(value: unknown): DocumentFormat | undefined {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (own(first, 'mapping') !== undefined) return 'chatgpt-export';
    if (own(first, 'conversations') !== undefined) return 'sharegpt';
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (own(value, 'choices') !== undefined || own(value, 'object') === 'chat.completion') return 'openai-response';
  if (own(value, 'mapping') !== undefined) return 'chatgpt-export';
  if (own(value, 'conversations') !== undefined) return 'sharegpt';
  if (own(value, 'messages') !== undefined) return messagesFormat(value);
  if (own(own(value, 'body'), 'messages') !== undefined) return 'jsonl-messages';
  return undefined;
}

/**
 * A `{messages}` request is Anthropic's when it has a top-level `system` (OpenAI and Ollama put the
 * system prompt in `messages`), or a content block only Anthropic has (tool_use, tool_result,
 * server_tool_use, thinking, redacted_thinking, document, or an image with a `source`). Otherwise it is
 * Ollama's when anything only Ollama has is there: `options`, `keep_alive` or `think` at the top,
 * `format` as an object or "json", a message with `images` or `tool_name`, or a tool call whose
 * `arguments` is an object. Otherwise OpenAI's. A request of plain text messages fits all three and
 * reads the same in each, so calling it OpenAI's loses nothing.
 */
export function messagesFormat(value: Record<string, unknown>): 'openai-request' | 'anthropic' | 'ollama' {
  const messages = own(value, 'messages');
  const list: unknown[] = Array.isArray(messages) ? messages : [];
  if (Object.hasOwn(value, 'system') || list.some(hasAnthropicBlock)) return 'anthropic';
  const format = own(value, 'format');
  if (['options', 'keep_alive', 'think'].some((k) => Object.hasOwn(value, k)) || isRecord(format) || format === 'json') return 'ollama';
  if (list.some(hasOllamaMessage)) return 'ollama';
  return 'openai-request';
}

function hasAnthropicBlock(message: unknown): boolean {
  const content = own(message, 'content');
  if (!Array.isArray(content)) return false;
  return content.some((block) => {
    const type = own(block, 'type');
    return ANTHROPIC_BLOCK_TYPES.has(type) || (type === 'image' && own(block, 'source') !== undefined);
  });
}

function hasOllamaMessage(message: unknown): boolean {
  if (own(message, 'images') !== undefined || own(message, 'tool_name') !== undefined) return true;
  const calls = own(message, 'tool_calls');
  return Array.isArray(calls) && calls.some((call) => isRecord(own(own(call, 'function'), 'arguments')));
}
