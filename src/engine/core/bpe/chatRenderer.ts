import type { ChatRenderer } from './bpeTokenizer.js';
import { QWEN3_CHAT_TEMPLATE, renderQwen3 } from './qwen3Template.js';

/** The special-token attributes transformers.js passes to a chat template (its SPECIAL_TOKEN_ATTRIBUTES). */
const SPECIAL_TOKENS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

/** A token named in tokenizer_config.json: a string or an AddedToken object. */
function tokenOf(value: unknown): string | undefined {
  if (!value) return undefined;
  if (typeof value === 'string') return value;
  const t = value as { __type?: string; content?: string };
  if (t.__type === 'AddedToken' && typeof t.content === 'string') return t.content;
  throw new Error(`unknown token in tokenizer_config.json: ${JSON.stringify(value)}`);
}

/**
 * The chat template of a tokenizer_config.json rendered as transformers.js's apply_chat_template
 * renders it, without loading transformers.js: Qwen3's own template natively (renderQwen3, no Jinja
 * to load and parse), any other through the same Jinja engine with the same variables. Undefined
 * without a template; a config with several named templates is not handled here (see loadTokenizer).
 */
export async function chatRenderer(config: Record<string, unknown>): Promise<ChatRenderer | undefined> {
  const source = config.chat_template;
  if (typeof source !== 'string' || source === '') return undefined;
  if (source === QWEN3_CHAT_TEMPLATE) return renderQwen3;
  return jinjaChatRenderer(source, config);
}

/** A Jinja chat template, rendered with the variables transformers.js passes. */
export async function jinjaChatRenderer(source: string, config: Record<string, unknown>): Promise<ChatRenderer> {
  const { Template } = await import('@huggingface/jinja');
  const template = new Template(source);
  const specials: Record<string, string> = {};
  for (const key of SPECIAL_TOKENS) {
    const value = Object.hasOwn(config, key) ? tokenOf(config[key]) : undefined;
    if (value) specials[key] = value;
  }
  return (messages, addGenerationPrompt) =>
    template.render({
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: addGenerationPrompt,
      tools: null,
      documents: null,
      ...specials,
    });
}
