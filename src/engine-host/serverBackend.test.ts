import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPortUrl, startTestServer, type TestServer } from '../engine/backends/openai/testServer.js';
import { createBackend } from './backendFactory.js';
import { hostPair } from './testing/harness.js';

// The host with the real backend factory against a fake OpenAI-compatible server on 127.0.0.1:
// what Settings' Connect and a chat turn report.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const pair = () => hostPair({ createBackend: (config, tokenizer, onProgress) => createBackend(config, tokenizer, { onProgress }) });

describe('connecting an OpenAI-compatible server', () => {
  it('probes GET /v1/models and reports the listed models with the connection', async () => {
    server.models = { type: 'models', ids: ['qwen-test', 'other'] };
    const h = await pair();
    h.client.hello();
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: server.baseUrl, model: 'qwen-test' } });
    const changed = await h.waitFor('backendChanged');
    expect(changed).toEqual({ type: 'backendChanged', backend: { kind: 'openai', baseUrl: server.baseUrl, model: 'qwen-test' }, ready: true, models: ['qwen-test', 'other'] });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
    // a reloaded page (a new hello) learns the backend is connected, with the same list
    h.client.hello();
    await h.waitFor('helloAck', () => h.of('helloAck').length === 2);
    expect(h.of('helloAck')[1].backendStatus).toEqual({ ready: true, models: ['qwen-test', 'other'] });
    await h.close();
  });

  it('uses a server that does not list its models (404) with the typed name, and says so', async () => {
    server.models = { type: 'status', status: 404, body: '404 page not found' };
    const h = await pair();
    h.client.hello();
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: server.baseUrl, model: 'llama3.2' } });
    const changed = await h.waitFor('backendChanged');
    expect(changed).toMatchObject({ ready: true, note: `the server does not list its models (GET ${server.baseUrl}/v1/models: HTTP 404); using "llama3.2"` });
    expect(changed).not.toHaveProperty('models');
    expect(changed).not.toHaveProperty('message');
    await h.close();
  });

  it('reports an unreachable server as an error, not ready, and refuses to chat through it', async () => {
    const closed = await closedPortUrl();
    const h = await pair();
    h.client.hello();
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: closed, model: 'm' } });
    const changed = await h.waitFor('backendChanged');
    expect(changed.ready).toBe(false);
    expect(changed.message).toMatch(new RegExp(`^cannot connect to ${closed}/v1/models: .*ECONNREFUSED`));
    h.client.hello();
    await h.waitFor('helloAck', () => h.of('helloAck').length === 2);
    expect(h.of('helloAck')[1].backendStatus).toEqual({ ready: false, message: changed.message });
    h.client.send({ type: 'chat', id: 'c1', content: 'Anyone there?' });
    expect(await h.waitFor('error', (e) => e.id === 'c1')).toMatchObject({ code: 'no-backend' });
    await h.close();
  });

  it("reports each turn's server usage, cached prompt tokens included, beside the engine's count of the prompt", async () => {
    const h = await pair();
    h.client.hello();
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: server.baseUrl, model: 'test-model' } });
    await h.waitFor('backendChanged', (e) => e.ready);
    server.queue(
      { type: 'stream', pieces: ['Hi', ' there.'], usage: { prompt_tokens: 31, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 16 } } },
      { type: 'stream', pieces: ['Again.'], usage: { prompt_tokens: 44, completion_tokens: 2 } },
      { type: 'stream', pieces: ['No usage.'] },
    );
    for (const id of ['c1', 'c2', 'c3']) {
      h.client.send({ type: 'chat', id, content: `Message ${id}.` });
      await h.waitFor('chatDone', (e) => e.id === id);
    }
    const [c1, c2, c3] = h.of('chatDone');
    const contexts = h.of('contextBuilt');
    expect(c1).toMatchObject({ backend: 'openai', turn: 1, finishReason: 'stop', backendUsage: { promptTokens: 31, completionTokens: 3, cachedPromptTokens: 16 } });
    expect(c2).toMatchObject({ backend: 'openai', turn: 2, backendUsage: { promptTokens: 44, completionTokens: 2 } });
    expect(c2.backendUsage).not.toHaveProperty('cachedPromptTokens');
    expect(c3).not.toHaveProperty('backendUsage');
    // the engine's count is the context it built for the user's message (chat template included)
    for (const done of [c1, c2, c3]) expect(done.enginePromptTokens).toBe(contexts.findLast((c) => c.turn === done.turn)?.tokens);
    expect(c1.enginePromptTokens).toBeGreaterThan(0);
    expect(h.of('cacheReport')).toEqual([]); // KV reuse is the local model's; a server reports its prompt cache in chatDone
    await h.close();
  });
});
