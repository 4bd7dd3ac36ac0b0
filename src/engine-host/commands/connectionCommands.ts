import { PROTOCOL_VERSION, type HostEvent } from '../../shared/protocol.js';
import { toSnapshot } from '../../shared/view/snapshot.js';
import { CommandError } from '../errors.js';
import type { CommandHandlers } from './types.js';

/** The connection itself (these never wait in the queue): hello, acks, and stopping work. */
export const connectionCommands: CommandHandlers<'hello' | 'ack' | 'cancel'> = {
  /**
   * A client (re)connected: it gets the whole view (every store as the host's view model has it) in
   * one batch, and the batches after it in sequence.
   */
  hello: (cmd, ctx) => {
    if (cmd.protocolVersion !== PROTOCOL_VERSION) {
      ctx.batcher.start();
      throw new CommandError('protocol-mismatch', `client speaks protocol ${cmd.protocolVersion}, host speaks ${PROTOCOL_VERSION}: restart the app`);
    }
    ctx.batcher.restart(() => {
      const { snapshot, spans, transfer } = toSnapshot(ctx.view);
      const session = ctx.state.info();
      const hello: HostEvent = { type: 'helloAck', protocolVersion: PROTOCOL_VERSION, host: 'finite-memory-studio engine-host', session, snapshot, backend: ctx.backend.publicConfig, backendStatus: ctx.backend.status, limits: ctx.limits, telemetry: ctx.telemetrySwitch.status };
      return { events: [hello], spans, transfer };
    });
  },
  ack: (cmd, ctx) => ctx.batcher.ack(cmd.seq, cmd.ms),
  /** Stops the running replay or chat, or an upload; a chat still waiting in the queue will start cancelled. */
  cancel: (cmd, ctx) => {
    if (!ctx.work.cancel(cmd.id) && !ctx.uploads.cancel(cmd.id)) ctx.work.cancelLater(cmd.id);
  },
};
