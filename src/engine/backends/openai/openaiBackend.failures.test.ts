import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, type BackendErrorCode } from '../../backend.js';
import { testTokenizer } from '../../testing/testTokenizer.js';
import type { ChatMessage, Tokenizer } from '../../core/tokenizer.js';
import { createOpenAIBackend, type OpenAIBackendOptions } from './openaiBackend.js';
import { closedPortUrl, startTestServer, type TestServer } from './testServer.js';

let server: TestServer;
let tokenizer: Tokenizer;
let sleeps: number[];
const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
const url = () => `${server.baseUrl}/v1/chat/completions`;

beforeAll(async () => {
  [server, tokenizer] = await Promise.all([startTestServer(), testTokenizer()]);
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  sleeps = [];
});

const backend = (opts: Partial<OpenAIBackendOptions> = {}) =>
  createOpenAIBackend({
    baseUrl: server.baseUrl,
    model: 'qwen-test',
    tokenizer,
    timeoutMs: 5000,
    idleTimeoutMs: 5000,
    sleep: async (ms) => void sleeps.push(ms),
    ...opts,
  });

/** Runs a generation that must fail; returns the error and the pieces streamed before it. */
async function fail(code: BackendErrorCode, opts: Partial<OpenAIBackendOptions> = {}) {
  const tokens: string[] = [];
  const outcome = await backend(opts)
    .generate({ messages, maxNewTokens: 16, onToken: (t) => tokens.push(t) })
    .then((r) => r, (e: unknown) => e);
  expect(outcome).toBeInstanceOf(BackendError);
  const error = outcome as BackendError;
  expect(error.code, error.message).toBe(code);
  expect(error.message).not.toContain('\n');
  return { error, tokens };
}

const ok = (opts: Partial<OpenAIBackendOptions> = {}) => backend(opts).generate({ messages, maxNewTokens: 16 });

describe('OpenAI backend retries', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    server.queue({ type: 'status', status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'Rate limit reached' } } });
    const result = await ok();
    expect(result.text).toBe('Hello, world!');
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('gives up on 429 after maxRetries retries with backoff', async () => {
    server.fallback = { type: 'status', status: 429, body: { error: { message: 'Rate limit reached for requests' } } };
    const { error } = await fail('rate-limited', { retryBaseMs: 100 });
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(url());
    expect(error.message).toContain('qwen-test');
    expect(error.message).toContain('Rate limit reached for requests');
    expect(error.message).toContain('gave up after 3 retries');
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('does not wait when Retry-After asks for more than a minute', async () => {
    server.queue({ type: 'status', status: 429, headers: { 'retry-after': '120' } });
    const { error } = await fail('rate-limited');
    expect(error.message).toContain('retry after 120 s');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx and succeeds on the third request', async () => {
    const down = { type: 'status', status: 500, body: { error: { message: 'CUDA out of memory' } } } as const;
    server.queue(down, down);
    expect((await ok()).text).toBe('Hello, world!');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('reports the last 5xx after maxRetries', async () => {
    server.fallback = { type: 'status', status: 503, body: 'upstream overloaded' };
    const { error } = await fail('http', { maxRetries: 2 });
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/HTTP 503 .*upstream overloaded/);
    expect(error.message).toContain('gave up after 2 retries');
    expect(server.requests).toHaveLength(3);
  });

  it('retries a connection reset before any response', async () => {
    server.queue({ type: 'reset' });
    expect((await ok()).text).toBe('Hello, world!');
    expect(server.requests).toHaveLength(2);
    server.reset();
    server.fallback = { type: 'reset' };
    const { error } = await fail('connection', { maxRetries: 1 });
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a stream that drops before any text, never one that drops after', async () => {
    server.queue({ type: 'stream', pieces: ['lost'], destroyAfter: 0 });
    expect((await ok()).text).toBe('Hello, world!');
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    server.reset();
    sleeps = [];
    server.queue({ type: 'stream', pieces: ['kept', ' lost'], destroyAfter: 1 });
    const { error, tokens } = await fail('stream-dropped');
    expect(tokens).toEqual(['kept']);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(url());
    expect(error.message).toContain('after 4 characters');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('stops when cancelled during a retry wait', async () => {
    server.fallback = { type: 'status', status: 500 };
    const ctl = new AbortController();
    let entered!: () => void;
    const sleeping = new Promise<void>((resolve) => (entered = resolve));
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        entered();
        signal?.addEventListener('abort', () => resolve());
      });
    const pending = backend({ sleep }).generate({ messages, maxNewTokens: 8, signal: ctl.signal });
    await sleeping;
    ctl.abort();
    await expect(pending).resolves.toMatchObject({ text: '', finishReason: 'cancelled' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('OpenAI backend failures', () => {
  it('does not retry a 401 and quotes the OpenAI error message', async () => {
    server.queue({
      type: 'status',
      status: 401,
      body: { error: { message: 'Incorrect API key provided: sk-bad.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    });
    const { error } = await fail('http', { apiKey: 'sk-bad' });
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/HTTP 401 Unauthorized: Incorrect API key provided: sk-bad\./);
    expect(error.message).toContain(url());
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-bad');
  });

  it('names an unknown model from a 404', async () => {
    server.queue({ type: 'status', status: 404, body: { error: { message: 'The model `nope` does not exist', code: 'model_not_found' } } });
    const { error } = await fail('http', { model: 'nope' });
    expect(error.message).toContain('(model "nope")');
    expect(error.message).toContain('The model `nope` does not exist');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a server that never answers, without retrying', async () => {
    server.queue({ type: 'hang' });
    const { error } = await fail('timeout', { timeoutMs: 150 });
    expect(error.message).toContain(`no response from ${url()}`);
    expect(error.message).toContain('150 ms');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a stream that stalls mid-reply', async () => {
    server.queue({ type: 'stream', pieces: ['one', ' two', ' three'], stallAfter: 2 });
    const { error, tokens } = await fail('timeout', { idleTimeoutMs: 150 });
    expect(tokens).toEqual(['one', ' two']);
    expect(error.message).toContain('stalled');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a refused connection after retrying', async () => {
    const { error } = await fail('connection', { baseUrl: await closedPortUrl() });
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/cannot connect to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions .*ECONNREFUSED/);
    expect(sleeps).toHaveLength(3);
  });

  it('rejects a malformed event after the text before it', async () => {
    server.queue({ type: 'stream', pieces: ['ok', ' then'], malformedAfter: 1 });
    const { error, tokens } = await fail('bad-stream');
    expect(tokens).toEqual(['ok']);
    expect(error.message).toContain('{"choices": [oops');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a stream that ends without [DONE] or a finish_reason', async () => {
    server.queue({ type: 'stream', pieces: ['half'], finishReason: null, done: false });
    const { error, tokens } = await fail('stream-dropped');
    expect(tokens).toEqual(['half']);
    expect(error.message).toContain('without [DONE]');
    expect(server.requests).toHaveLength(1);
  });

  it('reports an error the server sends inside the stream', async () => {
    server.queue({ type: 'raw', chunks: ['data: {"error":{"message":"context length exceeded"}}\n\n'] });
    const { error } = await fail('http');
    expect(error.message).toContain('context length exceeded');
  });

  it('rejects a JSON reply that is not a chat completion, and reports an error sent as JSON', async () => {
    server.queue({ type: 'raw', contentType: 'application/json', chunks: ['{"choices":[]}'] });
    expect((await fail('bad-stream')).error.message).toContain('answered with JSON that is not a chat completion: {"choices":[]}');
    server.queue({ type: 'raw', contentType: 'application/json', chunks: ['{"choices":[{"mess'] });
    expect((await fail('bad-stream')).error.message).toContain('sent a malformed JSON reply: {"choices":[{"mess');
    server.queue({ type: 'raw', contentType: 'application/json', chunks: ['{"error":{"message":"model is loading"}}'] });
    expect((await fail('http')).error.message).toContain('reported an error: model is loading');
    expect(server.requests).toHaveLength(3);
  });
});
