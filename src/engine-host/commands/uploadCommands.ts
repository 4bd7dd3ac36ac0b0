import { openConversation } from '../replay.js';
import type { CommandHandlers } from './types.js';

/** A file streamed from the client in chunks (browser mode's Open), parsed as it arrives, then opened. */
export const uploadCommands: CommandHandlers<'openBegin' | 'openChunk' | 'openEnd'> = {
  openBegin: (cmd, ctx) => {
    ctx.uploads.begin(cmd.id, cmd.name, cmd.bytes, cmd.conversation);
    ctx.emit({ type: 'openProgress', id: cmd.id, received: 0, total: cmd.bytes });
  },
  openChunk: (cmd, ctx) => {
    ctx.emit({ type: 'openProgress', id: cmd.id, ...ctx.uploads.chunk(cmd.id, cmd.text) });
  },
  openEnd: (cmd, ctx) => openConversation(ctx, ctx.uploads.end(cmd.id), undefined),
};
