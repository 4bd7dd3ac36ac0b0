import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type GenerateRequest } from '../../backend.js';
import { testTokenizer } from '../../testing/testTokenizer.js';
import type { ChatMessage, Tokenizer } from '../../core/tokenizer.js';
import { createOpenAIBackend, type OpenAIBackendOptions } from './openaiBackend.js';
import { startTestServer, type TestServer } from './testServer.js';

let server: TestServer;
let tokenizer: Tokenizer;
const messages: ChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say hello.' },
];

beforeAll(async () => {
  [server, tokenizer] = await Promise.all([startTestServer(), testTokenizer()]);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const backend = (opts: Partial<OpenAIBackendOptions> = {}) =>
  createOpenAIBackend({ baseUrl: server.baseUrl, model: 'qwen-test', tokenizer, timeoutMs: 5000, idleTimeoutMs: 5000, sleep: async () => {}, ...opts });

async function run(opts: Partial<OpenAIBackendOptions> = {}, req: Partial<GenerateRequest> = {}) {
  const tokens: string[] = [];
  const result = await backend(opts).generate({ messages, maxNewTokens: 64, onToken: (t) => tokens.push(t), ...req });
  return { result, tokens };
}

describe('createOpenAIBackend', () => {
  it('describes itself', () => {
    const b = backend();
    expect(b.kind).toBe('openai');
    expect(b.model).toBe('qwen-test');
    expect(b.tokenizer).toBe(tokenizer);
    expect(b.capabilities).toEqual({ logits: false, embeddings: false, kvReuse: false });
    expect(() => createOpenAIBackend({ baseUrl: 'localhost:8080', model: 'm', tokenizer })).toThrow(/invalid OpenAI base URL/);
  });

  it('streams pieces in order, sends the expected request and reports server usage', async () => {
    const pieces = ['The', ' quick', ' brown', ' fox'];
    server.queue({ type: 'stream', pieces, usage: { prompt_tokens: 21, completion_tokens: 4 } });
    const { result, tokens } = await run({ apiKey: 'sk-test' }, { temperature: 0.7 });
    expect(tokens).toEqual(pieces);
    expect(result).toMatchObject({ text: 'The quick brown fox', finishReason: 'stop', promptTokens: 21, completionTokens: 4, usageSource: 'server' });
    expect(result.timings.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.firstTokenMs).toBeLessThanOrEqual(result.timings.totalMs);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ model: 'qwen-test', messages, stream: true, stream_options: { include_usage: true }, temperature: 0.7, max_tokens: 64 });
  });

  it("reports the server's prompt-cache hits (usage.prompt_tokens_details.cached_tokens) when it sends them", async () => {
    server.queue(
      { type: 'stream', pieces: ['a'], usage: { prompt_tokens: 40, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 32 } } },
      { type: 'stream', pieces: ['b'], usage: { prompt_tokens: 40, completion_tokens: 1, prompt_tokens_details: { cached_tokens: null } } },
      { type: 'stream', pieces: ['c'], usage: { prompt_tokens: 40, completion_tokens: 1 } },
      { type: 'stream', pieces: ['d'], usage: { prompt_tokens: 40, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 0 } } },
    );
    expect((await run()).result).toMatchObject({ promptTokens: 40, completionTokens: 1, usageSource: 'server', cachedPromptTokens: 32 });
    for (const pending of [run(), run()]) {
      const { result } = await pending;
      expect(result.usageSource).toBe('server');
      expect(result).not.toHaveProperty('cachedPromptTokens');
    }
    expect((await run()).result.cachedPromptTokens).toBe(0);
  });

  it('takes a non-streamed JSON reply from a server that ignores stream: true, with its usage, cut to the reply limit', async () => {
    const completion = (content: string, usage?: object) =>
      JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], ...(usage ? { usage } : {}) });
    const usage = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 8 } };
    server.queue({ type: 'raw', contentType: 'application/json; charset=utf-8', chunks: [completion('Hello whole', usage).slice(0, 20), completion('Hello whole', usage).slice(20)] });
    const { result, tokens } = await run();
    expect(tokens).toEqual(['Hello whole']);
    expect(result).toMatchObject({ text: 'Hello whole', finishReason: 'stop', promptTokens: 12, completionTokens: 3, usageSource: 'server', cachedPromptTokens: 8 });
    const long = 'one two three four five six seven eight nine ten';
    server.queue({ type: 'raw', contentType: 'application/json', chunks: [completion(long, usage)] });
    const cut = (await run({}, { maxNewTokens: 3 })).result;
    expect(cut.finishReason).toBe('length');
    expect(long.startsWith(cut.text) && cut.text.length < long.length).toBe(true);
    expect(cut.usageSource).toBe('tokenizer'); // the server's counts are of the text we did not keep
  });

  it('counts tokens with the tokenizer when the server sends no usage', async () => {
    const { result } = await run();
    expect(result.text).toBe('Hello, world!');
    expect(result.usageSource).toBe('tokenizer');
    const prompt = tokenizer.renderChat(messages, true);
    expect(prompt).toContain('<|im_start|>assistant');
    expect(result.promptTokens).toBe(tokenizer.countTokens(prompt));
    expect(result.completionTokens).toBe(tokenizer.encode('Hello, world!').length);
    expect(result.completionTokens).toBeGreaterThan(1);
    const [req] = server.requests;
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).not.toHaveProperty('temperature');
  });

  it("maps finish_reason 'length' and accepts a finish_reason without [DONE]", async () => {
    server.queue({ type: 'stream', pieces: ['a', 'b'], finishReason: 'length' }, { type: 'stream', pieces: ['c'], done: false });
    expect((await run()).result).toMatchObject({ text: 'ab', finishReason: 'length' });
    expect((await run()).result).toMatchObject({ text: 'c', finishReason: 'stop' });
  });

  it('accepts a base URL with a trailing slash or /v1', async () => {
    for (const suffix of ['/', '/v1', '/v1/']) await run({ baseUrl: server.baseUrl + suffix });
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions', '/v1/chat/completions']);
  });

  it('reassembles events cut at arbitrary byte boundaries, in every SSE dialect', async () => {
    const pieces = ['héllo', ' 世界', ' 🙂', '\n\n"quoted"', ' data: [DONE]', ' end'];
    const dialects = [{}, { crlf: true }, { noSpace: true, comments: true }, { multiLineData: true, crlf: true }, { comments: true, noSpace: true, multiLineData: true }];
    let n = 0;
    for (const chunkBytes of [1, 2, 5, 13, 64]) {
      for (const dialect of dialects) {
        server.queue({ type: 'stream', pieces, chunkBytes, usage: { prompt_tokens: 9, completion_tokens: 6 }, ...dialect });
        const { result, tokens } = await run();
        n++;
        expect(tokens, `chunkBytes ${chunkBytes} ${JSON.stringify(dialect)}`).toEqual(pieces);
        expect(result.text).toBe(pieces.join(''));
        expect(result.usageSource).toBe('server');
      }
    }
    expect(server.requests).toHaveLength(n);
  });

  it('resolves a cancelled request with the partial text and closes the connection', async () => {
    server.queue({ type: 'stream', pieces: ['one', ' two', ' three', ' four'], stallAfter: 2 });
    const ctl = new AbortController();
    const tokens: string[] = [];
    let secondToken!: () => void;
    const gotTwo = new Promise<void>((resolve) => (secondToken = resolve));
    const pending = backend().generate({
      messages,
      maxNewTokens: 64,
      signal: ctl.signal,
      onToken: (t) => {
        if (tokens.push(t) === 2) secondToken();
      },
    });
    await gotTwo;
    ctl.abort();
    const result = await pending;
    expect(result).toMatchObject({ text: 'one two', finishReason: 'cancelled', usageSource: 'tokenizer' });
    expect(result.completionTokens).toBe(tokenizer.encode('one two').length);
    expect(tokens).toEqual(['one', ' two']);
    await vi.waitFor(() => expect(server.requests[0].clientAborted).toBe(true));
  });

  it('stops emitting at once when onToken itself cancels', async () => {
    server.queue({ type: 'stream', pieces: ['a', 'b', 'c', 'd'] }); // all in one write: one chunk, many events
    const ctl = new AbortController();
    const tokens: string[] = [];
    const { result } = await run({}, { signal: ctl.signal, onToken: (t) => tokens.push(t) === 2 && ctl.abort() });
    expect(tokens).toEqual(['a', 'b']);
    expect(result).toMatchObject({ text: 'ab', finishReason: 'cancelled' });
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { result, tokens } = await run({}, { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ text: '', finishReason: 'cancelled' });
    expect(tokens).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('dispose() aborts in-flight requests and refuses new ones', async () => {
    server.queue({ type: 'stream', pieces: ['x', 'y'], stallAfter: 1 });
    const b = backend();
    let first!: () => void;
    const gotFirst = new Promise<void>((resolve) => (first = resolve));
    const pending = b.generate({ messages, maxNewTokens: 8, onToken: () => first() });
    await gotFirst;
    await b.dispose();
    const err = await pending.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ code: 'cancelled', message: expect.stringContaining('disposed') });
    await expect(b.generate({ messages, maxNewTokens: 8 })).rejects.toMatchObject({ code: 'cancelled' });
    await vi.waitFor(() => expect(server.requests[0].clientAborted).toBe(true));
    expect(server.requests).toHaveLength(1);
  });

  it('turns a throwing onToken into an internal error', async () => {
    const err = await run({}, { onToken: () => { throw new Error('ui exploded'); } }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'internal', message: expect.stringContaining('ui exploded') });
    expect(server.requests).toHaveLength(1);
  });
});
