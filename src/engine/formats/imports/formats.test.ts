import { describe, expect, it } from 'vitest';
import { importChat } from './index.js';

const messagesOf = (value: unknown) => importChat(JSON.stringify(value), 'chat.json').messages;

describe('OpenAI', () => {
  it('reads custom tool calls, a refusal field, and a response whose reply is a refusal', () => {
    expect(messagesOf({ messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'shell', input: 'ls -la' } }] }] })).toEqual([
      { role: 'assistant', content: '[tool call shell(ls -la)]' },
    ]);
    expect(messagesOf({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: null, refusal: "I can't help with that." }, finish_reason: 'stop' }] })).toEqual([
      { role: 'assistant', content: "I can't help with that." },
    ]);
  });

  it('leaves out messages with no text (an empty system prompt, an assistant turn with nothing in it)', () => {
    expect(messagesOf({ messages: [{ role: 'system', content: '  ' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: null }] })).toEqual([{ role: 'user', content: 'hi' }]);
  });
});

describe('Anthropic', () => {
  it("puts a user message's tool results before its text, says an error with no text, and leaves thinking out", () => {
    expect(
      messagesOf({
        system: 'S',
        messages: [
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'x' }, { type: 'tool_use', id: 't', name: 'f', input: { q: 'a "b"' } }] },
          { role: 'user', content: [{ type: 'text', text: 'and?' }, { type: 'tool_result', tool_use_id: 't', is_error: true }, { type: 'tool_result', tool_use_id: 'u', content: [{ type: 'image', source: {} }] }] },
        ],
      }),
    ).toEqual([
      { role: 'system', content: 'S' },
      { role: 'assistant', content: '[tool call f({"q":"a \\"b\\""})]' },
      { role: 'tool', content: '[error]' },
      { role: 'tool', content: '[image]' },
      { role: 'user', content: 'and?' },
    ]);
  });
});

describe('ChatGPT export', () => {
  const conversation = (content: unknown, role = 'user') => ({ title: 'T', current_node: 'n', mapping: { n: { parent: null, message: { author: { role }, content } } } });

  it('reads multimodal parts: images, audio and its transcription', () => {
    const parts = [{ content_type: 'audio_transcription', text: 'hello there' }, { content_type: 'audio_asset_pointer', asset_pointer: 'sediment://x' }, { content_type: 'image_asset_pointer', asset_pointer: 'file-service://y' }, 'caption'];
    expect(messagesOf(conversation({ content_type: 'multimodal_text', parts }))).toEqual([{ role: 'user', content: 'hello there\n[audio]\n[image]\ncaption' }]);
  });

  it('reads other content types by their text, and execution output as a tool message', () => {
    expect(messagesOf(conversation({ content_type: 'tether_quote', text: 'quoted page', url: 'https://x' }, 'tool'))).toEqual([{ role: 'tool', content: 'quoted page' }]);
    expect(messagesOf(conversation({ content_type: 'execution_output', text: '42' }, 'assistant'))).toEqual([{ role: 'tool', content: '42' }]);
  });
});

describe('ShareGPT and Ollama', () => {
  it('maps every speaker name', () => {
    const from = ['human', 'user', 'gpt', 'assistant', 'chatgpt', 'bard', 'bing', 'model', 'system', 'function_call', 'observation', 'tool', 'function', 'function_response'];
    expect(messagesOf({ conversations: from.map((f) => ({ from: f, value: f })) }).map((m) => m.role)).toEqual([
      'user', 'user', 'assistant', 'assistant', 'assistant', 'assistant', 'assistant', 'assistant', 'system', 'assistant', 'tool', 'tool', 'tool', 'tool',
    ]);
  });

  it('keeps an Ollama tool call whose arguments are a string as given', () => {
    expect(messagesOf({ keep_alive: 0, messages: [{ role: 'assistant', content: 'ok', tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' } }] }] })).toEqual([
      { role: 'assistant', content: 'ok\n[tool call f({"a":1})]' },
    ]);
  });
});
