import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../shared/roles.js';
import { FORMAT_NAMES, ImportError, importChat, looksLikeImport } from './index.js';

const shareGPT = (...titles: string[]) => JSON.stringify({ conversations: titles.map((value, i) => ({ from: i % 2 ? 'gpt' : 'human', value })) });
/** A two-conversation ChatGPT export with titles. */
const exportOf = (...titles: string[]) =>
  JSON.stringify(titles.map((title, i) => ({ title, current_node: 'n', mapping: { n: { id: 'n', parent: null, children: [], message: { author: { role: 'user' }, content: { content_type: 'text', parts: [`hello ${i + 1}`] } } } } })));

/** importChat's error message, or '' when it returned. */
function failure(text: string, name = 'chat.json', conversation?: number | string): string {
  try {
    importChat(text, name, conversation === undefined ? {} : { conversation });
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
}

describe('importChat errors', () => {
  it('names every format tried and the first field that did not fit for the closest one', () => {
    const text = JSON.stringify({ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }, { from: 'robot', value: '?' }] });
    const message = failure(text);
    expect(message).toMatch(/^chat\.json: not a chat format this app reads \(tried /);
    for (const name of Object.values(FORMAT_NAMES)) expect(message).toContain(name);
    expect(message).toContain('; closest, ShareGPT: conversations[2].from: Invalid option: expected one of "human"|"user"|"gpt"');
    expect(message).not.toContain('\n');
  });

  it('picks the closest format by keys, or by how far into the value it fit', () => {
    expect(failure(JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'video' }] }] }))).toContain(
      'closest, OpenAI Chat Completions request: messages[0].content[0].type: Invalid discriminator value',
    );
    expect(failure(JSON.stringify({ system: 'Be brief.', messages: [{ role: 'user', content: 5 }] }))).toContain(
      'closest, Anthropic Messages request: messages[0].content: Invalid input: expected string or array, received number',
    );
    expect(failure(JSON.stringify({ choices: [] }))).toContain('closest, OpenAI Chat Completions response: choices: Too small');
    expect(failure(JSON.stringify({ model: 'x' }))).toContain('closest, OpenAI Chat Completions request: messages: Invalid input: expected array, received undefined');
    expect(failure('{"messages":[{"role":"user","content":"hi"}]}\n\n{"messages":[{"role":"pirate","content":"arr"}]}', 'ft.jsonl')).toContain(
      'closest, JSONL with a messages array per line: line 3: messages[0].role: Invalid option',
    );
  });

  it('says a file is neither JSON nor JSONL', () => {
    expect(failure('hello there', 'notes.txt')).toMatch(/^notes\.txt: not valid JSON \(.*\), nor JSONL with a messages array per line$/);
    expect(failure('', 'empty.json')).toMatch(/^empty\.json: not valid JSON/);
  });

  it('stops at a loop in ChatGPT parent links, and at a link to a missing node', () => {
    const node = (parent: string) => ({ parent, message: { author: { role: 'user' }, content: { content_type: 'text', parts: ['x'] } } });
    expect(failure(JSON.stringify({ title: 't', current_node: 'a', mapping: { a: node('b'), b: node('c'), c: node('a') } }))).toBe(
      'chat.json: ChatGPT data export (conversations.json): conversation 1: the parent links loop (node "a" is its own ancestor)',
    );
    expect(failure(JSON.stringify({ title: 't', current_node: 'a', mapping: { a: node('gone') } }))).toBe('chat.json: ChatGPT data export (conversations.json): conversation 1: node "gone" is not in the mapping');
  });

  it('says a conversation is empty', () => {
    expect(failure(JSON.stringify({ messages: [{ role: 'assistant', content: '' }, { role: 'user', content: [] }] }))).toBe(
      'chat.json: the chat has no messages with text in it (read as OpenAI Chat Completions request)',
    );
  });
});

describe('choosing a conversation', () => {
  const text = exportOf('Lisbon trip', 'Sales chart', 'Haiku');

  it('by 1-based index, by exact title, then by title in any case, then by digits', () => {
    expect(importChat(text, 'c.json').chosen).toBe(1);
    expect(importChat(text, 'c.json', { conversation: 3 })).toMatchObject({ chosen: 3, title: 'Haiku', messages: [{ role: 'user', content: 'hello 3' }] });
    expect(importChat(text, 'c.json', { conversation: 'Sales chart' }).chosen).toBe(2);
    expect(importChat(text, 'c.json', { conversation: 'sales CHART' }).chosen).toBe(2);
    expect(importChat(text, 'c.json', { conversation: '3' }).chosen).toBe(3);
    const both = exportOf('haiku', 'Haiku');
    expect(importChat(both, 'c.json', { conversation: 'Haiku' }).chosen).toBe(2);
  });

  it('says how many there are when the choice is out of range or unknown', () => {
    expect(failure(text, 'c.json', 4)).toBe('c.json: no conversation 4: the file holds 3 conversations (1 to 3); pick one by number or title (importing the file without a choice opens the first and lists them all)');
    expect(failure(text, 'c.json', 0)).toContain('no conversation 0: the file holds 3 conversations');
    expect(failure(text, 'c.json', 1.5)).toContain('no conversation 1.5');
    expect(failure(text, 'c.json', 'Paris')).toContain('no conversation "Paris": the file holds 3 conversations');
    expect(failure(shareGPT('hi', 'hello'), 's.json', 2)).toContain('the file holds one conversation');
  });

  it('lists every conversation with its message count', () => {
    expect(importChat(text, 'c.json').conversations).toEqual([
      { index: 1, title: 'Lisbon trip', messages: 1 },
      { index: 2, title: 'Sales chart', messages: 1 },
      { index: 3, title: 'Haiku', messages: 1 },
    ]);
  });
});

describe('detection', () => {
  it('tells the three request shapes apart by the documented rule', () => {
    const plain = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    expect(importChat(JSON.stringify(plain), 'r.json').format).toBe('openai-request');
    expect(importChat(JSON.stringify({ ...plain, system: 'Be brief.' }), 'r.json')).toMatchObject({ format: 'anthropic', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] });
    expect(importChat(JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }] }), 'r.json').format).toBe('anthropic');
    for (const extra of [{ options: {} }, { keep_alive: '5m' }, { think: true }, { format: 'json' }, { format: { type: 'object' } }]) {
      expect(importChat(JSON.stringify({ ...plain, ...extra }), 'r.json').format).toBe('ollama');
    }
    expect(importChat(JSON.stringify({ ...plain, format: 'text' }), 'r.json').format).toBe('openai-request');
    const call = { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] };
    expect(importChat(JSON.stringify({ messages: [call] }), 'r.json')).toMatchObject({ format: 'ollama', messages: [{ role: 'assistant', content: '[tool call f({"a":1})]' }] });
    expect(importChat(JSON.stringify({ messages: [{ role: 'tool', tool_name: 'f', content: 'ok' }] }), 'r.json').format).toBe('ollama');
  });

  it('looksLikeImport answers from the keys alone', () => {
    expect(looksLikeImport({ messages: 'not even an array' })).toBe(true);
    expect(looksLikeImport([{ mapping: {} }])).toBe(true);
    expect(looksLikeImport({ body: { messages: [] } })).toBe(true);
    for (const value of [null, 1, 'x', [], [1], {}, { role: 'user', content: 'hi' }, { format: 'finite-memory-studio.session' }]) expect(looksLikeImport(value)).toBe(false);
  });

  it('reads a Batch API line on its own, and a single ChatGPT conversation', () => {
    const line = { custom_id: 'r1', body: { messages: [{ role: 'user', content: 'hi' }] } };
    expect(importChat(JSON.stringify(line, null, 2), 'b.json')).toMatchObject({ format: 'jsonl-messages', title: 'line 1', messages: [{ role: 'user', content: 'hi' }] });
    const one = JSON.stringify(JSON.parse(exportOf('Only'))[0]);
    expect(importChat(one, 'c.json')).toMatchObject({ format: 'chatgpt-export', title: 'Only' });
  });

  it('ignores a byte order mark', () => {
    expect(importChat(`\uFEFF${shareGPT('hi')}`, 's.json').messages).toEqual([{ role: 'user', content: 'hi' }]);
  });
});

/** Files near the formats' shapes: each field its documented shape, or (with `noise`) now and then any JSON value. */
function fileShapes(noise: boolean) {
  const json = fc.jsonValue({ maxDepth: 3 });
  const mostly = <T,>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => (noise ? fc.oneof({ arbitrary: arb, weight: 15 }, { arbitrary: json, weight: 1 }) : arb);
  const str = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('data:x', 'https://x', ''));
  const part = mostly(
    fc.record(
      {
        type: mostly(fc.constantFrom('text', 'image_url', 'input_audio', 'file', 'refusal', 'image', 'document', 'tool_use', 'server_tool_use', 'tool_result', 'thinking', 'search_result')),
        text: mostly(str),
        image_url: mostly(fc.record({ url: str })),
        file: mostly(fc.record({ filename: str }, { requiredKeys: [] })),
        refusal: mostly(str),
        name: mostly(str),
        input: json,
        content: fc.oneof(str, fc.array(fc.record({ type: fc.constantFrom('text', 'image', 'document'), text: str }), { maxLength: 2 }), json),
        is_error: mostly(fc.boolean()),
        source: json,
      },
      { requiredKeys: ['type', 'text', 'image_url', 'file', 'refusal', 'name'] },
    ),
  );
  const call = fc.record({ type: fc.constantFrom('function', 'custom'), function: fc.record({ name: str, arguments: fc.oneof(str, json) }), custom: fc.record({ name: str, input: str }) }, { requiredKeys: ['function'] });
  const message = fc.record(
    {
      role: mostly(fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function')),
      content: mostly(fc.oneof(str, fc.constant(null), fc.array(part, { maxLength: 3 }))),
      tool_calls: mostly(fc.array(call, { maxLength: 2 })),
      function_call: mostly(fc.record({ name: str, arguments: str })),
      refusal: mostly(str),
      images: mostly(fc.array(str, { maxLength: 2 })),
      tool_name: str,
    },
    { requiredKeys: ['role', 'content'] },
  );
  const ids = ['a', 'b', 'c', 'd', 'toString', '__proto__'];
  const gptMessage = fc.record({
    author: fc.record({ role: mostly(fc.constantFrom('user', 'assistant', 'system', 'tool')) }),
    content: fc.record({ content_type: fc.constantFrom('text', 'multimodal_text', 'code', 'execution_output', 'thoughts'), parts: mostly(fc.array(fc.oneof(str, json), { maxLength: 3 })), text: mostly(str) }, { requiredKeys: ['content_type'] }),
    metadata: mostly(fc.record({ is_visually_hidden_from_conversation: fc.boolean() }, { requiredKeys: [] })),
  });
  /** ChatGPT conversations whose parent links often loop or point nowhere. */
  const conversation = fc.record({
    title: fc.oneof(str, fc.constant(null)),
    current_node: fc.constantFrom(...ids),
    mapping: fc.dictionary(fc.constantFrom(...ids), fc.record({ parent: fc.oneof(fc.constantFrom(...ids), fc.constant(null)), message: fc.oneof(fc.constant(null), gptMessage) })),
  });
  const turn = fc.record({ from: mostly(fc.constantFrom('human', 'gpt', 'observation', 'function_call')), value: mostly(str) });
  const documents = fc.oneof(
    json,
    fc.record({ messages: fc.array(message, { maxLength: 4 }), system: mostly(str), options: json, model: str }, { requiredKeys: ['messages'] }),
    fc.record({ object: fc.constant('chat.completion'), choices: fc.array(fc.record({ message }), { maxLength: 2 }) }),
    fc.oneof(conversation, fc.array(conversation, { maxLength: 3 })),
    fc.oneof(fc.record({ conversations: fc.array(turn, { maxLength: 3 }) }), fc.array(fc.record({ conversations: fc.array(turn, { maxLength: 3 }) }), { maxLength: 3 })),
  );
  const line = fc.oneof(fc.record({ messages: fc.array(message, { maxLength: 3 }) }), fc.record({ body: fc.record({ messages: fc.array(message, { maxLength: 3 }) }) }), json);
  /** Whole files: one document, or lines of documents (JSONL), or text cut out of one. */
  const files = fc.oneof(
    documents.map((d) => JSON.stringify(d)),
    fc.array(line, { minLength: 2, maxLength: 3 }).map((lines) => lines.map((l) => JSON.stringify(l)).join('\n')),
    fc.tuple(documents, fc.nat(), fc.nat()).map(([d, a, b]) => JSON.stringify(d).slice(Math.min(a, b) % 50, Math.max(a, b))),
  );
  return files;
}

describe('malformed input', () => {
  const choices = fc.option(fc.oneof(fc.integer({ min: -1, max: 4 }), fc.string({ maxLength: 4 })), { nil: undefined });

  it('never throws anything but ImportError, and what it returns is our messages', () => {
    fc.assert(
      fc.property(fc.oneof(fileShapes(true), fileShapes(false)), choices, (text, conversation) => {
        let result;
        try {
          result = importChat(text, 'f.json', conversation === undefined ? {} : { conversation });
        } catch (error) {
          if (!(error instanceof ImportError)) throw error;
          expect(error.message.startsWith('f.json: ')).toBe(true);
          expect(error.message).not.toContain('\n');
          return;
        }
        expect(result.messages.length).toBeGreaterThan(0);
        for (const m of result.messages) {
          expect(ROLES).toContain(m.role);
          expect(typeof m.content).toBe('string');
          expect(Object.keys(m).sort()).toEqual(['content', 'role']);
        }
        expect(result.conversations[result.chosen - 1]?.messages).toBe(result.messages.length);
      }),
      { numRuns: 600 },
    );
  });
});

describe('well-formed input', () => {
  const text = fc.string({ maxLength: 10 });
  const said = fc.string({ minLength: 1, maxLength: 10 }).filter((t) => t.trim() !== '');
  const part = fc.oneof(
    fc.record({ type: fc.constant('text'), text }),
    fc.record({ type: fc.constant('image_url'), image_url: fc.record({ url: fc.oneof(said, fc.constant('data:image/png;base64,AA')) }) }),
    fc.record({ type: fc.constant('input_audio') }),
    fc.record({ type: fc.constant('file'), file: fc.record({ filename: said }, { requiredKeys: [] }) }),
    fc.record({ type: fc.constant('refusal'), refusal: text }),
  );
  const call = fc.record({ id: text, type: fc.constant('function'), function: fc.record({ name: text, arguments: text }) });
  const roles = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool', function: 'tool' } as const;
  const role = fc.constantFrom(...(Object.keys(roles) as (keyof typeof roles)[]));

  it('an OpenAI request of text messages imports to exactly those messages, tool calls as lines after the text', () => {
    const message = fc.record({ role, content: said, tool_calls: fc.array(call, { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), (messages) => {
        const result = importChat(JSON.stringify({ model: 'm', messages }), 'r.json');
        expect(result.format).toBe('openai-request');
        expect(result.messages).toEqual(
          messages.map((m) => ({ role: roles[m.role], content: [m.content, ...m.tool_calls.map((c) => `[tool call ${c.function.name}(${c.function.arguments})]`)].join('\n') })),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('an OpenAI request with content parts imports, or says it has no text', () => {
    const message = fc.record({ role, content: fc.oneof(text, fc.constant(null), fc.array(part, { maxLength: 3 })), tool_calls: fc.array(call, { maxLength: 2 }) }, { requiredKeys: ['role', 'content'] });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), (messages) => {
        try {
          const result = importChat(JSON.stringify({ messages }), 'r.json');
          expect(result.messages.length).toBeLessThanOrEqual(messages.length);
          for (const m of result.messages) expect(m.content.trim()).not.toBe('');
        } catch (error) {
          expect((error as Error).message).toBe('r.json: the chat has no messages with text in it (read as OpenAI Chat Completions request)');
        }
      }),
      { numRuns: 150 },
    );
  });
});
