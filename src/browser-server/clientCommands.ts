import type { ClientCommand } from '../shared/protocol.js';
import type { ClientConnection } from './connection.js';
import type { ServerContext } from './context.js';

/**
 * A checked command from the browser: "Restart engine" is the server's own; while no host runs the
 * browser is told why (stopped for good, or restarting); everything else goes to the host.
 */
export function onClientCommand(ctx: ServerContext, from: ClientConnection, command: ClientCommand, bytes: number): void {
  const { supervisor } = ctx.host;
  if (command.type === 'restartEngine') {
    if (supervisor.current) supervisor.restart();
    else supervisor.resume('restarted from the browser');
    return;
  }
  if (!supervisor.current) {
    const stopped = ctx.host.stopped;
    from.notice(
      stopped
        ? { type: 'engineStopped', reason: stopped }
        : { type: 'error', code: 'internal', message: 'the engine is restarting; try again in a moment', command: command.type },
    );
    return;
  }
  if (command.type === 'ack') ctx.client.acked(command.seq);
  ctx.host.remember(command);
  ctx.host.send(command, bytes);
}
