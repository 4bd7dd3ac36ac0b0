import type { EngineCommand, EngineCommandType } from '../../shared/protocol.js';
import type { HostContext } from '../context.js';

export type CommandOf<T extends EngineCommandType> = Extract<EngineCommand, { type: T }>;

/** Runs one command; throws a CommandError to refuse it (it becomes an `error` event). */
export type CommandHandler<T extends EngineCommandType> = (command: CommandOf<T>, ctx: HostContext) => void | Promise<void>;

/** A handler for each of these command types (each domain's module exports one such table). */
export type CommandHandlers<T extends EngineCommandType> = { readonly [K in T]: CommandHandler<K> };
