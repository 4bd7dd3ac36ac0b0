/**
 * ChatGPT's data export (`conversations.json` in the zip from Settings → Data controls → Export): an
 * array of conversations, each a tree of message nodes (`mapping`) because an edited prompt or a
 * regenerated reply starts a new branch. The conversation shown is the branch that ends at `current_node`.
 */
import { z } from 'zod';
import type { ChatMessageData } from '../../../shared/protocol.js';
import { FormatProblem, isRecord, joinLines, pushMessage, readWith, type Conversation, type ReadResult } from './common.js';

const ContentSchema = z.looseObject({
  content_type: z.string(),
  parts: z.array(z.unknown()).nullish(),
  text: z.string().nullish(),
});
type Content = z.infer<typeof ContentSchema>;

const MessageSchema = z.looseObject({
  author: z.looseObject({ role: z.enum(['user', 'assistant', 'system', 'tool']) }),
  content: ContentSchema,
  metadata: z.looseObject({ is_visually_hidden_from_conversation: z.boolean().nullish() }).nullish(),
});
type Message = z.infer<typeof MessageSchema>;

const NodeSchema = z.looseObject({
  message: MessageSchema.nullish(),
  parent: z.string().nullish(),
});

export const ChatGPTConversationSchema = z.looseObject({
  title: z.string().nullish(),
  mapping: z.record(z.string(), NodeSchema),
  current_node: z.string(),
});
type ChatGPTConversation = z.infer<typeof ChatGPTConversationSchema>;

/** The export itself, or a single conversation object taken out of it. */
export const ChatGPTExportSchema = z.union([z.array(ChatGPTConversationSchema).min(1), ChatGPTConversationSchema]);

/** A multimodal part: text as is, an image (asset pointer) as `[image]`, an audio transcription as its text. */
function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (!isRecord(part)) return '';
  const type = part.content_type;
  if (type === 'audio_transcription') return typeof part.text === 'string' ? part.text : '';
  if (type === 'audio_asset_pointer') return '[audio]';
  if (type === undefined || type === 'image_asset_pointer') return '[image]';
  return `[${String(type)}]`;
}

/** A node's role and text, or undefined for a node the conversation does not show. */
function nodeMessage(message: Message): ChatMessageData | undefined {
  if (message.metadata?.is_visually_hidden_from_conversation === true) return undefined;
  const content: Content = message.content;
  const strings = (content.parts ?? []).filter((p): p is string => typeof p === 'string');
  let text: string;
  let role: ChatMessageData['role'] = message.author.role;
  switch (content.content_type) {
    case 'text':
      text = strings.join('\n');
      break;
    case 'multimodal_text':
      text = joinLines((content.parts ?? []).map(partText));
      break;
    case 'code':
      text = content.text ?? '';
      break;
    case 'execution_output':
      text = content.text ?? '';
      role = 'tool';
      break;
    default:
      text = content.text ?? strings.join('\n');
  }
  return text.trim() === '' ? undefined : { role, content: text };
}

/**
 * The messages on the branch that ends at `current_node`, root first. Parent links are followed at most
 * once per node: a loop or a link to a missing node is a malformed file, said as such (never a hang).
 */
function branch(conversation: ChatGPTConversation, index: number): ChatMessageData[] {
  const nodes = new Map(Object.entries(conversation.mapping));
  const seen = new Set<string>();
  const path: Message[] = [];
  const where = `conversation ${index + 1}`;
  for (let id: string | null | undefined = conversation.current_node; id !== null && id !== undefined; ) {
    if (seen.has(id)) throw new FormatProblem(`${where}: the parent links loop (node ${JSON.stringify(id)} is its own ancestor)`);
    seen.add(id);
    const node = nodes.get(id);
    if (!node) throw new FormatProblem(`${where}: node ${JSON.stringify(id)} is not in the mapping`);
    if (node.message) path.push(node.message);
    id = node.parent;
  }
  const out: ChatMessageData[] = [];
  for (const message of path.reverse()) {
    const m = nodeMessage(message);
    if (m) pushMessage(out, m.role, m.content);
  }
  return out;
}

function conversations(data: z.infer<typeof ChatGPTExportSchema>): Conversation[] {
  const list = Array.isArray(data) ? data : [data];
  return list.map((c, i) => ({ ...(c.title ? { title: c.title } : {}), messages: branch(c, i) }));
}

/** The export's conversations, in file order (the export lists the newest first), each its shown branch. */
export function readChatGPTExport(value: unknown): ReadResult {
  return readWith(ChatGPTExportSchema, value, conversations);
}
