import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { allowedHost, allowedOrigin, hasToken } from './auth.js';
import { onClientCommand } from './clientCommands.js';
import { ClientConnection } from './connection.js';
import type { ServerContext } from './context.js';
import { parseTarget } from './target.js';

/** A browser connected: it takes the client slot, paused while the engine is behind, told if the engine stopped. */
function attach(ctx: ServerContext, conn: ClientConnection): void {
  ctx.client.attach(conn);
  ctx.flow.admit(conn);
  const stopped = ctx.host.stopped;
  if (stopped) conn.notice({ type: 'engineStopped', reason: stopped });
}

/** A browser left: the batch it did not ack is acked for it, so the host goes on. */
function detach(ctx: ServerContext, conn: ClientConnection): void {
  const unacked = ctx.client.detach(conn);
  if (unacked !== undefined) ctx.host.send({ type: 'ack', seq: unacked }, 0);
}

/**
 * The engine's WebSocket at /engine: an upgrade needs our host, our origin (or none) and the token,
 * else 401 and close; frames are capped at the command limit. Each connection is a ClientConnection.
 */
export function acceptUpgrades(ctx: ServerContext, http: HttpServer): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.limits.commandBytes });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const { port } = ctx;
      const url = parseTarget(req.url, `http://127.0.0.1:${port}`);
      const ok = url?.pathname === '/engine' && allowedHost(req, port) && allowedOrigin(req, port) && hasToken(req, url, ctx.token);
      if (!ok) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const conn: ClientConnection = new ClientConnection(ws, {
          limits: ctx.limits,
          log: ctx.log,
          onCommand: (command, bytes) => onClientCommand(ctx, conn, command, bytes),
          onClose: () => detach(ctx, conn),
        });
        attach(ctx, conn);
      });
    } catch (err) {
      ctx.log(`upgrade failed: ${(err as Error).message}`);
      socket.destroy();
    }
  });
  return wss;
}
