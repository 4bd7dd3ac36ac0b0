import { assertNever, type EngineCommand, type EngineCommandType } from '../../shared/protocol.js';
import type { HostContext } from '../context.js';
import { chatCommands } from './chatCommands.js';
import { configCommands } from './configCommands.js';
import { factCommands } from './factCommands.js';
import { connectionCommands } from './connectionCommands.js';
import { profileCommands } from './profileCommands.js';
import { sessionCommands } from './sessionCommands.js';
import { tuneCommands } from './tuneCommands.js';
import { uploadCommands } from './uploadCommands.js';
import type { CommandHandler, CommandHandlers } from './types.js';

/** Every command type's handler: the type checker refuses a table that misses one. */
export const COMMANDS: CommandHandlers<EngineCommandType> = {
  ...connectionCommands,
  ...sessionCommands,
  ...uploadCommands,
  ...configCommands,
  ...profileCommands,
  ...chatCommands,
  ...factCommands,
  ...tuneCommands,
};

/** Runs one (checked) command; a handler's error, thrown or rejected, rejects the returned promise. */
export async function runCommand(ctx: HostContext, cmd: EngineCommand): Promise<void> {
  const handler = Object.hasOwn(COMMANDS, cmd.type) ? (COMMANDS[cmd.type] as CommandHandler<EngineCommandType>) : undefined;
  if (!handler) return assertNever(cmd as never, 'command');
  await handler(cmd, ctx);
}
