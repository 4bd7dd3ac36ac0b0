import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, type EventBatch } from '../../shared/protocol.js';
import { decodeWire, encodeWire } from '../../shared/wire.js';
import { Supervisor } from '../../engine-host/supervisor.js';
import { allowedHost, allowedOrigin, COOKIE, hasToken } from './auth.js';
import { HostChild } from './hostChild.js';
import { serveStatic } from './static.js';

export interface ServeOptions {
  port: number;
  /** Built renderer (index.html + assets). */
  rendererDir: string;
  /** Built engine-host entry for Node. */
  hostEntry: string;
  dataDir: string;
  token?: string;
  log?: (line: string) => void;
}

export type Server = Awaited<ReturnType<typeof startServer>>;

/**
 * Browser mode: the engine host in a Node child process (restarted when it crashes), the built
 * renderer over HTTP, and the engine protocol over a WebSocket, all on 127.0.0.1 behind a random
 * token. The server is the host's client when no browser is connected, so /metrics always works.
 */
export async function startServer(options: ServeOptions) {
  mkdirSync(options.dataDir, { recursive: true });
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => undefined);
  let client: WebSocket | undefined;
  let unacked: number | undefined;
  const metricsWaiters: ((text: string) => void)[] = [];
  let port = options.port;

  const supervisor = new Supervisor<HostChild>({
    spawn: (reason) => new HostChild(options.hostEntry, { FMS_AUTOSAVE: path.join(options.dataDir, 'autosave.json'), FMS_RESTART_REASON: reason, FMS_MODELS_DIR: path.join(options.dataDir, 'models') }),
    onStart: (proc, reason) => {
      if (reason) log(`engine host restarted: ${reason}`);
      proc.child.on('message', (batch: EventBatch) => onBatch(batch));
      proc.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'fms serve' });
      // the browser re-says hello on reconnect and then receives hostRestarted
      client?.close(4001, 'engine restarted');
    },
    onGiveUp: (reason) => {
      log(`engine host not restarted: ${reason}`);
      client?.close(4002, 'engine stopped');
    },
  });

  function onBatch(batch: EventBatch): void {
    for (const e of batch.events) if (e.type === 'metrics') metricsWaiters.splice(0).forEach((w) => w(e.text));
    if (client && client.readyState === client.OPEN) {
      unacked = batch.seq;
      client.send(encodeWire(batch));
    } else supervisor.current?.send({ type: 'ack', seq: batch.seq });
  }

  function metrics(res: ServerResponse): void {
    const timer = setTimeout(() => {
      res.writeHead(504, { 'Content-Type': 'text/plain' }).end('the engine did not answer\n');
    }, 5000);
    metricsWaiters.push((text) => {
      clearTimeout(timer);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
    });
    supervisor.current?.send({ type: 'getMetrics' });
  }

  const deny = (res: ServerResponse, code: number, text: string) => res.writeHead(code, { 'Content-Type': 'text/plain' }).end(`${text}\n`);

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!allowedHost(req, port)) return deny(res, 403, 'forbidden host');
    if (req.method !== 'GET') return deny(res, 405, 'method not allowed');
    if (!hasToken(req, url, token)) return deny(res, 401, 'missing or wrong token: open the URL that `fms serve` printed');
    if (url.pathname === '/metrics') return metrics(res);
    const cookie = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    if (!serveStatic(options.rendererDir, url.pathname, res, { 'Set-Cookie': cookie })) deny(res, 404, 'not found');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 300 * 2 ** 20 });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const ok = url.pathname === '/engine' && allowedHost(req, port) && allowedOrigin(req, port) && hasToken(req, url, token);
    if (!ok) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    client?.close(4000, 'another window connected');
    client = ws;
    ws.on('message', (data) => {
      let cmd: unknown;
      try {
        cmd = decodeWire(String(data));
      } catch {
        return; // not JSON: the host never sees it
      }
      if ((cmd as { type?: unknown }).type === 'ack') unacked = undefined;
      supervisor.current?.send(cmd);
    });
    ws.on('close', () => {
      if (client !== ws) return;
      client = undefined;
      if (unacked !== undefined) supervisor.current?.send({ type: 'ack', seq: unacked });
      unacked = undefined;
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (http.address() as { port: number }).port;
  supervisor.start();
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    supervisor,
    close: async () => {
      supervisor.stop();
      client?.close(1001, 'server stopping');
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
