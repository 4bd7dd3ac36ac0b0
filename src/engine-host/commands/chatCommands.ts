import type { EngineCommand, HostEvent } from '../../shared/protocol.js';
import { BackendError, type Backend, type GenerateResult } from '../../engine/backend.js';
import type { Engine } from '../../engine/engine.js';
import { CommandError } from '../errors.js';
import type { CommandHandlers } from './types.js';

/** One chat turn with the connected model, cancellable; the user's message is on disk before the reply starts. */
export const chatCommands: CommandHandlers<'chat'> = {
  chat: async (cmd, ctx) => {
    const backend = ctx.backend.current;
    if (!backend) throw new CommandError('no-backend', 'no model is connected: choose a local model or an OpenAI-compatible server in Settings');
    const signal = ctx.work.start(cmd.id, true);
    let turn: number | undefined;
    // a crash mid-reply loses no message
    const durable = async (): Promise<void> => {
      turn = ctx.state.engine.turn;
      ctx.telemetry?.awaitReply(turn); // the turn's span waits for the reply's outcome (chatDone)
      ctx.saveSoon();
      await ctx.autosave?.flush().catch(() => undefined); // a failed autosave was reported; the chat goes on
    };
    try {
      await runChat({ engine: ctx.state.engine, backend, command: cmd, signal, emit: ctx.emit, clock: ctx.clock, onUserMessage: durable });
    } catch (err) {
      if (turn !== undefined) ctx.telemetry?.reply(turn, { error: (err as Error).message, errorType: err instanceof CommandError ? err.code : 'internal' });
      throw err;
    } finally {
      ctx.work.finish();
      ctx.saveSoon();
    }
  },
};

export interface ChatRun {
  engine: Engine;
  backend: Backend;
  command: Extract<EngineCommand, { type: 'chat' }>;
  signal: AbortSignal;
  emit: (event: HostEvent) => void;
  clock: () => number;
  /** Called once the user's message is in the ledger, before generation (the host autosaves it). */
  onUserMessage?: () => Promise<void>;
}

/** One chat turn from a client command: engine.chat, with tokens and the cache report as events. */
export async function runChat({ engine, backend, command, signal, emit, clock, onUserMessage }: ChatRun): Promise<void> {
  const t0 = clock();
  try {
    const { reply, result, context } = await engine.chat(backend, command.content, {
      maxNewTokens: command.maxNewTokens,
      temperature: command.temperature,
      signal,
      onToken: (text) => emit({ type: 'chatToken', id: command.id, text }),
      onUserMessage,
    });
    if (result.cache) emit({ type: 'cacheReport', turn: engine.turn, ...result.cache });
    emit({
      type: 'chatDone',
      id: command.id,
      finishReason: result.finishReason,
      messageId: reply?.id,
      turn: engine.turn,
      backend: backend.kind,
      enginePromptTokens: context.tokens,
      ...backendUsage(result),
      ms: clock() - t0,
    });
  } catch (err) {
    const message = err instanceof BackendError ? err.message : `the model failed: ${(err as Error).message}`;
    throw new CommandError('backend', message);
  }
}

/** The backend's own token counts for chatDone: a server's usage or a local model's counts, never the tokenizer's estimate. */
function backendUsage(result: GenerateResult): Pick<Extract<HostEvent, { type: 'chatDone' }>, 'backendUsage'> {
  if (result.usageSource === 'tokenizer') return {};
  const { promptTokens, completionTokens, cachedPromptTokens } = result;
  return { backendUsage: { promptTokens, completionTokens, ...(cachedPromptTokens !== undefined ? { cachedPromptTokens } : {}) } };
}
