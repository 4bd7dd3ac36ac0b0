import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../backend.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import { testTokenizer } from '../../testing/testTokenizer.js';
import { parseModelList, probeModels, MAX_LISTED_MODELS } from './models.js';
import { connectOpenAIBackend } from './openaiBackend.js';
import { closedPortUrl, startTestServer, type TestServer } from './testServer.js';

let server: TestServer;
let tokenizer: Tokenizer;

beforeAll(async () => {
  [server, tokenizer] = await Promise.all([startTestServer(), testTokenizer()]);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const connect = (opts: { baseUrl?: string; model?: string; apiKey?: string; probeTimeoutMs?: number } = {}) =>
  connectOpenAIBackend({ baseUrl: server.baseUrl, model: 'qwen-test', tokenizer, timeoutMs: 5000, sleep: async () => {}, ...opts });

/** The BackendError a connect rejects with. */
async function refused(opts: Parameters<typeof connect>[0] = {}): Promise<BackendError> {
  const err = await connect(opts).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

describe('connectOpenAIBackend probes GET /v1/models', () => {
  it('lists the models the server serves, sending the API key', async () => {
    server.models = { type: 'models', ids: ['qwen-test', 'llama3.2:latest'] };
    const b = await connect({ baseUrl: `${server.baseUrl}/v1/`, apiKey: 'sk-probe' });
    expect(b.connection).toEqual({ models: ['qwen-test', 'llama3.2:latest'] });
    const [probe] = server.requests;
    expect(probe).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(probe.headers.authorization).toBe('Bearer sk-probe');
    expect((await b.generate({ messages: [{ role: 'user', content: 'hi' }], maxNewTokens: 8 })).text).toBe('Hello, world!');
  });

  it('says so when the typed model is not listed, or the list is empty, and still connects', async () => {
    server.models = { type: 'models', ids: ['a', 'b', 'c', 'd', 'e', 'f'] };
    const b = await connect({ model: 'llama3.2' });
    expect(b.connection?.models).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(b.connection?.note).toBe('the server does not list "llama3.2" (it lists "a", "b", "c", "d", "e", … (6 in all)); chats may fail until you pick a listed model');
    server.models = { type: 'models', ids: [] };
    expect((await connect()).connection).toEqual({ models: [], note: 'the server lists no models; using "qwen-test"' });
  });

  it('uses a server that answers 404 or 501 to the list with the typed model name, and says so', async () => {
    for (const status of [404, 501]) {
      server.reset();
      server.models = { type: 'status', status, body: { error: { message: 'not here' } } };
      const b = await connect();
      expect(b.connection).toEqual({ note: `the server does not list its models (GET ${server.baseUrl}/v1/models: HTTP ${status}); using "qwen-test"` });
      expect((await b.generate({ messages: [{ role: 'user', content: 'hi' }], maxNewTokens: 8 })).text).toBe('Hello, world!');
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    }
  });

  it('refuses a server that cannot be reached: connection refused, no answer in time, a dropped socket', async () => {
    const closed = await closedPortUrl();
    const noServer = await refused({ baseUrl: closed });
    expect(noServer.code).toBe('connection');
    expect(noServer.message).toMatch(new RegExp(`^cannot connect to ${closed}/v1/models: .*ECONNREFUSED`));
    server.models = { type: 'hang' };
    expect(await refused({ probeTimeoutMs: 100 })).toMatchObject({ code: 'timeout', message: `no answer from GET ${server.baseUrl}/v1/models within 100 ms` });
    server.models = { type: 'reset' };
    expect((await refused()).code).toBe('connection');
  });

  it('refuses a server that fails or turns the key down, quoting its reason', async () => {
    server.models = { type: 'status', status: 503, body: { error: { message: 'Loading model' } } };
    expect(await refused()).toMatchObject({ code: 'http', message: `GET ${server.baseUrl}/v1/models failed with HTTP 503 Service Unavailable: Loading model` });
    server.models = { type: 'status', status: 401, body: { error: { message: 'Missing bearer token' } } };
    expect((await refused()).message).toMatch(/rejected the request with HTTP 401 Unauthorized: Missing bearer token \(no API key is set\)$/);
    server.models = { type: 'status', status: 403, body: 'forbidden' };
    expect((await refused({ apiKey: 'sk-bad' })).message).toMatch(/rejected the request with HTTP 403 Forbidden: forbidden$/);
  });

  it('refuses a 200 that is not a model list (a web page at the base URL)', async () => {
    server.models = { type: 'raw', contentType: 'text/html', chunks: ['<!doctype html><html><body>Router admin</body></html>'] };
    const err = await refused();
    expect(err.code).toBe('http');
    expect(err.message).toBe(`GET ${server.baseUrl}/v1/models answered with something that is not a model list (text/html: <!doctype html><html><body>Router admin</body></html>); is the base URL an OpenAI-compatible server?`);
  });
});

describe('probeModels bounds what it reads', () => {
  const ids = Array.from({ length: 50 }, (_, i) => `model-${i}`);
  const listJson = JSON.stringify({ object: 'list', data: ids.map((id) => ({ id })) });

  it('does not read a list larger than its cap, declared or streamed, and still connects', async () => {
    server.models = { type: 'models', ids };
    expect(await probeModels({ baseUrl: server.baseUrl, model: 'm', maxBytes: 100 })).toEqual({ note: 'the server\'s model list is larger than 100 bytes and was not read; using "m"' });
    // chunked, without a content-length: cut off while reading
    server.models = { type: 'raw', contentType: 'application/json', chunks: [listJson.slice(0, 60), listJson.slice(60)] };
    expect((await probeModels({ baseUrl: server.baseUrl, model: 'm', maxBytes: 100 })).models).toBeUndefined();
    expect((await probeModels({ baseUrl: server.baseUrl, model: 'model-3', maxBytes: 10_000 })).models).toEqual(ids);
  });

  it('keeps the string ids of a list, skipping malformed entries and duplicates, up to MAX_LISTED_MODELS', () => {
    const body = JSON.stringify({ data: [{ id: 'ok' }, { id: 5 }, 'x', null, { id: '' }, { id: 'ok' }, { id: 'y'.repeat(201) }, { id: 'two', extra: true }] });
    expect(parseModelList(body, 'GET x')).toEqual(['ok', 'two']);
    const many = JSON.stringify({ data: Array.from({ length: MAX_LISTED_MODELS + 5 }, (_, i) => ({ id: `m${i}` })) });
    expect(parseModelList(many, 'GET x')).toHaveLength(MAX_LISTED_MODELS);
    expect(() => parseModelList('{"models":[]}', 'GET x', 'application/json')).toThrow(/GET x answered with something that is not a model list \(application\/json: \{"models":\[\]\}\)/);
    expect(() => parseModelList('', 'GET x')).toThrow(/no content-type: \(empty\)/);
  });
});
