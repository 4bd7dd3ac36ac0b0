import { mkdirSync } from 'node:fs';
import { createContext } from './context.js';
import type { ServeOptions } from './options.js';
import { createHttpServer } from './requests.js';
import { acceptUpgrades } from './upgrade.js';

export type { ServeOptions } from './options.js';

export type Server = Awaited<ReturnType<typeof startServer>>;

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
  const ctx = createContext(options);
  const { supervisor } = ctx.host;
  const http = createHttpServer(ctx);
  const wss = acceptUpgrades(ctx, http);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  http.on('error', (err) => ctx.log(`server error: ${err.message}`));
  const port = (ctx.port = (http.address() as { port: number }).port);
  supervisor.start();
  return {
    url: `http://127.0.0.1:${port}/?token=${ctx.token}`,
    port,
    token: ctx.token,
    supervisor,
    limits: ctx.limits,
    /** How often the socket stopped being read because the engine was behind. */
    get pauses(): number {
      return ctx.flow.pauses;
    },
    close: async () => {
      ctx.client.close(1001, 'server stopping');
      await supervisor.stop();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
