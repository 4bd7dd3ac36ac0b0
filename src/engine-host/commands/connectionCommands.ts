import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { CommandError } from '../errors.js';
import type { CommandHandlers } from './types.js';

/** The connection itself (these never wait in the queue): hello, acks, and stopping work. */
export const connectionCommands: CommandHandlers<'hello' | 'ack' | 'cancel'> = {
  hello: (cmd, ctx) => {
    ctx.batcher.start();
    if (cmd.protocolVersion !== PROTOCOL_VERSION) {
      throw new CommandError('protocol-mismatch', `client speaks protocol ${cmd.protocolVersion}, host speaks ${PROTOCOL_VERSION}: restart the app`);
    }
    const { state } = ctx;
    ctx.emit({ type: 'helloAck', protocolVersion: PROTOCOL_VERSION, host: 'finite-memory-studio engine-host', session: state.info(), messages: state.messages(), backend: ctx.backend.publicConfig, backendStatus: ctx.backend.status, limits: ctx.limits });
  },
  ack: (cmd, ctx) => ctx.batcher.ack(cmd.seq),
  /** Stops the running replay or chat, or an upload; a chat still waiting in the queue will start cancelled. */
  cancel: (cmd, ctx) => {
    if (!ctx.work.cancel(cmd.id) && !ctx.uploads.cancel(cmd.id)) ctx.work.cancelLater(cmd.id);
  },
};
