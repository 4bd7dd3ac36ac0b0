import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../backend.js';
import { testTokenizer } from '../../testing/testTokenizer.js';
import type { ChatMessage, Tokenizer } from '../../core/tokenizer.js';
import { createOpenAIBackend } from './openaiBackend.js';
import { startTestServer, type TestServer } from './testServer.js';

let server: TestServer;
let tokenizer: Tokenizer;
const messages: ChatMessage[] = [{ role: 'user', content: 'Count.' }];

beforeAll(async () => {
  [server, tokenizer] = await Promise.all([startTestServer(), testTokenizer()]);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const backend = () => createOpenAIBackend({ baseUrl: server.baseUrl, model: 'qwen-test', tokenizer, timeoutMs: 5000, idleTimeoutMs: 5000, sleep: async () => {} });

describe('OpenAI backend reply limits', () => {
  it('stops a server that ignores max_tokens at maxNewTokens, keeps a prefix and closes the connection', async () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => ` piece number ${i} of a reply that goes on`);
    server.queue({ type: 'stream', pieces, chunkBytes: 256 });
    const tokens: string[] = [];
    const result = await backend().generate({ messages, maxNewTokens: 16, onToken: (t) => tokens.push(t) });
    expect(result.finishReason).toBe('length');
    expect(result.completionTokens).toBeGreaterThan(0);
    expect(result.completionTokens).toBeLessThanOrEqual(16);
    expect(result.usageSource).toBe('tokenizer');
    expect(result.text.length).toBeGreaterThan(pieces[0].length);
    expect(pieces.join('').startsWith(result.text)).toBe(true);
    expect(tokens.join('')).toBe(result.text);
    expect(server.requests).toHaveLength(1);
    await server.requests[0].closed;
    expect(server.requests[0].clientAborted).toBe(true);
  });

  it('still reads the finish_reason and usage of a server that stops exactly at max_tokens', async () => {
    const text = ' one two three four five six seven eight';
    const pieces = [...tokenizer.encode(text)].map((id) => tokenizer.decode([id]));
    server.queue({ type: 'stream', pieces, finishReason: 'length', usage: { prompt_tokens: 9, completion_tokens: pieces.length } });
    const result = await backend().generate({ messages, maxNewTokens: pieces.length });
    expect(result).toMatchObject({ text, finishReason: 'length', promptTokens: 9, completionTokens: pieces.length, usageSource: 'server' });
    await server.requests[0].closed;
    expect(server.requests[0].clientAborted).toBe(false);
  });

  it('rejects a stream line longer than 16 MiB, naming the server', async () => {
    server.queue({ type: 'raw', chunks: [`data: {"choices":[{"delta":{"content":"${'x'.repeat(2 ** 24)}`, '"}}]}\n\n'] });
    const outcome = await backend()
      .generate({ messages, maxNewTokens: 16 })
      .then((r) => r, (e: unknown) => e);
    expect(outcome).toBeInstanceOf(BackendError);
    const error = outcome as BackendError;
    expect(error.code).toBe('bad-stream');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`${server.baseUrl}/v1/chat/completions (model "qwen-test")`);
    expect(error.message).toContain('a stream line exceeded 16 MiB without a line break');
    expect(error.message).not.toContain('\n');
    expect(server.requests).toHaveLength(1);
  });
});
