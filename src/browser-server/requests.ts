import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { allowedHost, COOKIE, hasToken } from './auth.js';
import type { ServerContext } from './context.js';
import { serveStatic } from './static.js';
import { parseTarget } from './target.js';

/** Connections at most (a browser opens a few; each one costs a socket, never more). */
const MAX_CONNECTIONS = 64;

const deny = (res: ServerResponse, code: number, text: string): void => {
  res.writeHead(code, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${text}\n`);
};

/** One HTTP request: a checked target, our own host, GET, the token; then /metrics or a file of the renderer. */
function onRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): void {
  const { port, token } = ctx;
  const url = parseTarget(req.url, `http://127.0.0.1:${port}`);
  if (!url) return deny(res, 400, 'bad request target');
  if (!allowedHost(req, port)) return deny(res, 403, 'forbidden host');
  if (req.method !== 'GET') return deny(res, 405, 'method not allowed');
  if (!hasToken(req, url, token)) return deny(res, 401, 'missing or wrong token: open the URL that `fms serve` printed');
  if (url.pathname === '/metrics') return ctx.metrics.answer(res);
  const cookie = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
  const served = serveStatic(ctx.rendererDir, url.pathname, res, { 'Set-Cookie': cookie });
  if (served === 'bad') deny(res, 400, 'bad path');
  else if (!served) deny(res, 404, 'not found');
}

/** The HTTP server: every request guarded (a throw is logged and answered 500), unparsable HTTP answered and closed. */
export function createHttpServer(ctx: ServerContext): HttpServer {
  const http = createServer((req, res) => {
    try {
      onRequest(ctx, req, res);
    } catch (err) {
      // the guard for anything a single request can cause: log it, answer it, keep serving
      ctx.log(`request ${JSON.stringify(req.url?.slice(0, 200))} failed: ${(err as Error).stack ?? String(err)}`);
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
  return http;
}
