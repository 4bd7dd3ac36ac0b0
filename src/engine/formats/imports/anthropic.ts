/**
 * Anthropic's Messages API request body: `system` at the top (a string or text blocks) and `messages`
 * of user and assistant turns whose content is a string or content blocks. Tool results travel inside
 * user messages; here each becomes its own `tool` message, before the rest of the user's message (the
 * order the model saw them in: results answer the previous assistant turn).
 */
import { z } from 'zod';
import type { ChatMessageData } from '../../../shared/protocol.js';
import { jsonText, joinLines, pushMessage, readWith, toolCallLine, type ReadResult } from './common.js';

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const ImageBlock = z.looseObject({ type: z.literal('image') });
const DocumentBlock = z.looseObject({ type: z.literal('document') });

/** What a tool result may hold: text, images and documents. */
const ResultBlockSchema = z.discriminatedUnion('type', [TextBlock, ImageBlock, DocumentBlock, z.looseObject({ type: z.literal('search_result') })]);

const BlockSchema = z.discriminatedUnion('type', [
  TextBlock,
  ImageBlock,
  DocumentBlock,
  z.looseObject({ type: z.literal('tool_use'), name: z.string(), input: z.unknown() }),
  z.looseObject({ type: z.literal('server_tool_use'), name: z.string(), input: z.unknown() }),
  z.looseObject({ type: z.literal('tool_result'), content: z.union([z.string(), z.array(ResultBlockSchema)]).optional(), is_error: z.boolean().optional() }),
  z.looseObject({ type: z.literal('thinking') }),
  z.looseObject({ type: z.literal('redacted_thinking') }),
]);
type Block = z.infer<typeof BlockSchema>;

export const AnthropicRequestSchema = z.looseObject({
  model: z.string().optional(),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(BlockSchema)]) })),
});

/** Block types only Anthropic's content has (or, for `image`, only with a `source`): how a request is told from OpenAI's. */
export const ANTHROPIC_BLOCK_TYPES: ReadonlySet<unknown> = new Set(['tool_use', 'tool_result', 'server_tool_use', 'thinking', 'redacted_thinking', 'document']);

function resultText(content: z.infer<typeof ResultBlockSchema>[] | string | undefined): string {
  if (content === undefined || typeof content === 'string') return content ?? '';
  return joinLines(content.map((b) => (b.type === 'text' ? b.text : b.type === 'image' ? '[image]' : b.type === 'document' ? '[document]' : '')));
}

/** A block's line in its message, or undefined for blocks left out (thinking, and tool results, emitted apart). */
function blockText(block: Block): string | undefined {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
      return '[image]';
    case 'document':
      return '[document]';
    case 'tool_use':
    case 'server_tool_use':
      return toolCallLine(block.name, jsonText(block.input));
    case 'tool_result':
    case 'thinking':
    case 'redacted_thinking':
      return undefined;
    default:
      return block satisfies never;
  }
}

function messages(data: z.infer<typeof AnthropicRequestSchema>): ChatMessageData[] {
  const out: ChatMessageData[] = [];
  if (data.system !== undefined) pushMessage(out, 'system', typeof data.system === 'string' ? data.system : joinLines(data.system.map((b) => b.text)));
  for (const message of data.messages) {
    if (typeof message.content === 'string') {
      pushMessage(out, message.role, message.content);
      continue;
    }
    for (const block of message.content) {
      if (block.type !== 'tool_result') continue;
      const text = resultText(block.content);
      pushMessage(out, 'tool', block.is_error ? (text === '' ? '[error]' : `[error] ${text}`) : text);
    }
    pushMessage(out, message.role, joinLines(message.content.map((b) => blockText(b) ?? '')));
  }
  return out;
}

/** A Messages request body: one conversation, the system prompt first. */
export function readAnthropic(value: unknown): ReadResult {
  return readWith(AnthropicRequestSchema, value, (data) => [{ messages: messages(data) }]);
}
