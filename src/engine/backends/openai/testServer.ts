// A fake OpenAI-compatible server for tests: real HTTP on 127.0.0.1, real SSE bytes, scripted failures.
// Test-only module (never imported by engine code), so it may use node:http.
// eslint-disable-next-line no-restricted-imports
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
// eslint-disable-next-line no-restricted-imports
import type { AddressInfo } from 'node:net';
import { cutBytes, scriptEvents, type StreamScript } from './testSse.js';

export type { StreamScript } from './testSse.js';
export { completionChunk } from './testSse.js';

/** What the server does with one request. */
export type Behaviour =
  /** Streams the script; `chunkBytes` re-cuts the bytes anywhere; `stallAfter` / `destroyAfter` pieces stops writing / kills the socket. */
  | ({ type: 'stream'; chunkBytes?: number; stallAfter?: number; destroyAfter?: number } & StreamScript)
  /** A plain response: an object body is sent as JSON. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Exact body chunks with status 200. */
  | { type: 'raw'; chunks: string[]; contentType?: string }
  /** Reads the request and never answers. */
  | { type: 'hang' }
  /** Reads the request and destroys the socket before any response. */
  | { type: 'reset' }
  /** A `GET /v1/models` list: `{"object":"list","data":[{"id":...}]}`. */
  | { type: 'models'; ids: string[] };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else the raw text. */
  body: unknown;
  /** Set when the client went away before the response was complete. */
  clientAborted: boolean;
  /** Resolves when the response has closed, finished or not (clientAborted is final by then). */
  closed: Promise<void>;
}

export interface TestServer {
  /** "http://127.0.0.1:PORT" */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Behaviours for the next requests, in order; after them every request gets `fallback`. */
  queue(...behaviours: Behaviour[]): void;
  fallback: Behaviour;
  /** What every `GET .../models` gets (outside the queue). Default: DEFAULT_MODELS. */
  models: Behaviour;
  /** Forgets queued behaviours and recorded requests, and restores the default fallback and models. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_BEHAVIOUR: Behaviour = { type: 'stream', pieces: ['Hello', ',', ' world', '!'] };
export const DEFAULT_MODELS: Behaviour = { type: 'models', ids: ['test-model'] };

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function startTestServer(): Promise<TestServer> {
  const pending: Behaviour[] = [];
  const server = createServer((req, res) => {
    const behaviour = req.method === 'GET' && /\/models(\?|$)/.test(req.url ?? '') ? api.models : (pending.shift() ?? api.fallback);
    handle(req, res, behaviour, api.requests).catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api: TestServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    requests: [],
    fallback: DEFAULT_BEHAVIOUR,
    models: DEFAULT_MODELS,
    queue: (...behaviours) => void pending.push(...behaviours),
    reset() {
      pending.length = 0;
      api.requests.length = 0;
      api.fallback = DEFAULT_BEHAVIOUR;
      api.models = DEFAULT_MODELS;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return api;
}

/** A base URL where nothing listens (a port we bound and released), for connection-refused tests. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function handle(req: IncomingMessage, res: ServerResponse, behaviour: Behaviour, log: RecordedRequest[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  let closed!: () => void;
  const record: RecordedRequest = {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: req.headers,
    body,
    clientAborted: false,
    closed: new Promise<void>((resolve) => (closed = resolve)),
  };
  log.push(record);
  res.on('close', () => {
    if (!res.writableFinished) record.clientAborted = true;
    closed();
  });
  res.socket?.setNoDelay(true);
  const model = (body as { model?: unknown })?.model;
  await respond(res, behaviour, typeof model === 'string' ? model : 'test-model');
}

async function respond(res: ServerResponse, b: Behaviour, model: string): Promise<void> {
  switch (b.type) {
    case 'hang':
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'status': {
      const isText = typeof b.body === 'string' || b.body === undefined;
      res.writeHead(b.status, { 'content-type': isText ? 'text/plain' : 'application/json', ...b.headers });
      res.end(isText ? (b.body ?? '') : JSON.stringify(b.body));
      return;
    }
    case 'models':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: b.ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'test' })) }));
      return;
    case 'raw':
      res.writeHead(200, { 'content-type': b.contentType ?? 'text/event-stream' });
      await writeAll(res, b.chunks.map((c) => Buffer.from(c, 'utf8')));
      res.end();
      return;
    case 'stream': {
      const stopAfter = b.stallAfter ?? b.destroyAfter;
      const bytes = Buffer.from(scriptEvents(b, model, stopAfter).join(''), 'utf8');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      const parts = b.chunkBytes ? cutBytes(bytes, b.chunkBytes) : [bytes];
      if (!(await writeAll(res, parts))) return;
      if (b.destroyAfter !== undefined) res.socket?.destroy();
      else if (b.stallAfter === undefined) res.end();
      return;
    }
    default: {
      const never: never = b;
      throw new Error(`unknown behaviour ${JSON.stringify(never)}`);
    }
  }
}

/** Writes each part as its own socket write; false if the client went away. */
async function writeAll(res: ServerResponse, parts: Uint8Array[]): Promise<boolean> {
  for (const part of parts) {
    if (res.destroyed) return false;
    await new Promise<void>((resolve) => res.write(part, () => resolve()));
    await tick();
  }
  return !res.destroyed;
}
