import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { PROTOCOL_VERSION, type ClientCommand, type EventBatch } from '../shared/protocol.js';
import { DEFAULT_LIMITS, limitsToEnv, type Limits } from '../shared/limits.js';
import { encodeWire } from '../shared/wire.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { allowedHost, allowedOrigin, COOKIE, hasToken } from './auth.js';
import { ClientConnection } from './connection.js';
import { CommandFlow } from './flow.js';
import { HostChild, isHostMessage } from './hostChild.js';
import { serveStatic } from './static.js';
import { parseTarget } from './target.js';

export interface ServeOptions {
  port: number;
  /** Built renderer (index.html + assets). */
  rendererDir: string;
  /** Built engine-host entry for Node. */
  hostEntry: string;
  dataDir: string;
  token?: string;
  log?: (line: string) => void;
  limits?: Limits;
  /** Commands forwarded and not yet taken by the host before the socket stops being read. */
  maxInFlightCommands?: number;
  /** Restart backoff and give-up threshold (tests shorten them). */
  restart?: { baseDelayMs?: number; maxCrashes?: number };
}

export type Server = Awaited<ReturnType<typeof startServer>>;

/** Connections at most (a browser opens a few; each one costs a socket, never more). */
const MAX_CONNECTIONS = 64;

/**
 * Browser mode: the engine host in a Node child process (restarted when it crashes), the built
 * renderer over HTTP, and the engine protocol over a WebSocket, all on 127.0.0.1 behind a random
 * token. Every request and frame is hostile until checked: malformed targets get 400, malformed
 * frames close their connection, refused commands get an error notice, and valid commands flow with
 * backpressure (the socket stops being read while the engine is behind). The server is the host's
 * client when no browser is connected, so /metrics always works.
 */
export async function startServer(options: ServeOptions) {
  mkdirSync(options.dataDir, { recursive: true });
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => undefined);
  const limits = options.limits ?? DEFAULT_LIMITS;
  let client: ClientConnection | undefined;
  let unacked: number | undefined;
  let stopped: string | undefined;
  /** The OpenAI API key the browser sent, kept in this process's memory so a restarted host reconnects. */
  let apiKey: string | undefined;
  const metricsWaiters: ((text: string) => void)[] = [];
  let port = options.port;
  const flow = new CommandFlow({ maxCommands: options.maxInFlightCommands ?? 256, maxBytes: 2 * limits.commandBytes });

  let pauses = 0;
  const supervisor = new Supervisor<HostChild>({
    ...options.restart,
    spawn: (reason) =>
      new HostChild(options.hostEntry, {
        FMS_AUTOSAVE: path.join(options.dataDir, 'autosave.json'),
        FMS_RESTART_REASON: reason,
        FMS_MODELS_DIR: path.join(options.dataDir, 'models'),
        ...limitsToEnv(limits),
      }),
    onStart: (proc, reason) => {
      if (reason) log(`engine host restarted: ${reason}`);
      stopped = undefined;
      flow.reset();
      client?.setPaused(false);
      proc.onMessage((message) => {
        if (isHostMessage(message)) {
          if (message.data.type === 'credit') onCredit(message.data.commands);
        } else onBatch(message as EventBatch);
      });
      if (apiKey) proc.sendParent({ type: 'secret', name: 'openai-api-key', value: apiKey });
      toHost({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'fms serve' }, 0);
      // the browser re-says hello on reconnect and then receives hostRestarted
      client?.close(4001, 'engine restarted');
    },
    onGiveUp: (reason) => {
      stopped = reason;
      log(`the engine stopped and was not restarted: ${reason}. Press "Restart engine" in the browser, or restart fms serve.`);
      client?.notice({ type: 'engineStopped', reason });
    },
  });

  function toHost(command: ClientCommand, bytes: number): void {
    const host = supervisor.current;
    if (!host) return;
    host.sendClient(command);
    flow.sent(bytes);
    if (flow.full && client && !client.paused) {
      pauses++;
      client.setPaused(true);
    }
  }

  function onCredit(commands: number): void {
    flow.credit(commands);
    if (!flow.full) client?.setPaused(false);
  }

  function onBatch(batch: EventBatch): void {
    for (const e of batch.events) if (e.type === 'metrics') metricsWaiters.splice(0).forEach((w) => w(e.text));
    if (client?.open) {
      unacked = batch.seq;
      client.send(encodeWire(batch));
    } else toHost({ type: 'ack', seq: batch.seq }, 0);
  }

  /** A checked command from the browser. */
  function onCommand(from: ClientConnection, command: ClientCommand, bytes: number): void {
    if (command.type === 'restartEngine') {
      if (supervisor.current) supervisor.restart();
      else supervisor.resume('restarted from the browser');
      return;
    }
    if (!supervisor.current) {
      from.notice(
        stopped
          ? { type: 'engineStopped', reason: stopped }
          : { type: 'error', code: 'internal', message: 'the engine is restarting; try again in a moment', command: command.type },
      );
      return;
    }
    if (command.type === 'ack') unacked = undefined;
    // remembered for the next host after a restart (this one keeps the key the command carries)
    if (command.type === 'setBackend' && command.backend.kind === 'openai' && command.backend.apiKey) apiKey = command.backend.apiKey;
    toHost(command, bytes);
  }

  function metrics(res: ServerResponse): void {
    const timer = setTimeout(() => {
      const i = metricsWaiters.indexOf(answer);
      if (i >= 0) metricsWaiters.splice(i, 1);
      res.writeHead(504, { 'Content-Type': 'text/plain' }).end('the engine did not answer\n');
    }, 5000);
    const answer = (text: string): void => {
      clearTimeout(timer);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
    };
    // one question answers every scrape waiting for it
    if (metricsWaiters.push(answer) === 1) toHost({ type: 'getMetrics' }, 0);
  }

  const deny = (res: ServerResponse, code: number, text: string): void => {
    res.writeHead(code, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${text}\n`);
  };

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = parseTarget(req.url, `http://127.0.0.1:${port}`);
    if (!url) return deny(res, 400, 'bad request target');
    if (!allowedHost(req, port)) return deny(res, 403, 'forbidden host');
    if (req.method !== 'GET') return deny(res, 405, 'method not allowed');
    if (!hasToken(req, url, token)) return deny(res, 401, 'missing or wrong token: open the URL that `fms serve` printed');
    if (url.pathname === '/metrics') return metrics(res);
    const cookie = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    const served = serveStatic(options.rendererDir, url.pathname, res, { 'Set-Cookie': cookie });
    if (served === 'bad') deny(res, 400, 'bad path');
    else if (!served) deny(res, 404, 'not found');
  }

  const http = createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch (err) {
      // the guard for anything a single request can cause: log it, answer it, keep serving
      log(`request ${JSON.stringify(req.url?.slice(0, 200))} failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) deny(res, 500, 'internal error');
      else res.destroy();
    }
  });
  http.maxConnections = MAX_CONNECTIONS;
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // unparsable HTTP (bad request line, oversized headers): answer and close, as Node would, but never throw
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.commandBytes });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = parseTarget(req.url, `http://127.0.0.1:${port}`);
      const ok = url?.pathname === '/engine' && allowedHost(req, port) && allowedOrigin(req, port) && hasToken(req, url, token);
      if (!ok) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const conn: ClientConnection = new ClientConnection(ws, { limits, log, onCommand: (c, n) => onCommand(conn, c, n), onClose: () => detach(conn) });
        attach(conn);
      });
    } catch (err) {
      log(`upgrade failed: ${(err as Error).message}`);
      socket.destroy();
    }
  });

  function attach(conn: ClientConnection): void {
    client?.close(4000, 'another window connected');
    client = conn;
    if (flow.full) conn.setPaused(true);
    if (stopped) conn.notice({ type: 'engineStopped', reason: stopped });
  }

  function detach(conn: ClientConnection): void {
    if (client !== conn) return;
    client = undefined;
    if (unacked !== undefined) toHost({ type: 'ack', seq: unacked }, 0);
    unacked = undefined;
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  http.on('error', (err) => log(`server error: ${err.message}`));
  port = (http.address() as { port: number }).port;
  supervisor.start();
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    supervisor,
    limits,
    /** How often the socket stopped being read because the engine was behind. */
    get pauses(): number {
      return pauses;
    },
    close: async () => {
      client?.close(1001, 'server stopping');
      await supervisor.stop();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
