/**
 * ShareGPT: the shape of shared ChatGPT chats that fine-tuning datasets kept (Vicuna, FastChat,
 * LLaMA-Factory, axolotl): `{conversations: [{from, value}]}`, and a dataset file is an array of them.
 */
import { z } from 'zod';
import type { ChatMessageData } from '../../../shared/protocol.js';
import { pushMessage, readWith, type ReadResult } from './common.js';

/** Every speaker name the datasets use, and the role it is. */
const FROM: Record<string, ChatMessageData['role']> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  model: 'assistant',
  system: 'system',
  function_call: 'assistant',
  observation: 'tool',
  tool: 'tool',
  function: 'tool',
  function_response: 'tool',
};

const ItemSchema = z.looseObject({
  conversations: z.array(z.looseObject({ from: z.enum(Object.keys(FROM) as [string, ...string[]]), value: z.string() })),
});

/** One conversation, or a dataset of them. */
export const ShareGPTSchema = z.union([z.array(ItemSchema).min(1), ItemSchema]);

function messages(item: z.infer<typeof ItemSchema>): ChatMessageData[] {
  const out: ChatMessageData[] = [];
  for (const turn of item.conversations) pushMessage(out, FROM[turn.from] ?? 'user', turn.value);
  return out;
}

/** The conversations in file order (they carry no titles). */
export function readShareGPT(value: unknown): ReadResult {
  return readWith(ShareGPTSchema, value, (data) => (Array.isArray(data) ? data : [data]).map((item) => ({ messages: messages(item) })));
}
