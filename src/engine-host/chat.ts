import type { EngineCommand, HostEvent } from '../shared/protocol.js';
import { BackendError, type Backend } from '../engine/backend.js';
import type { Engine } from '../engine/engine.js';
import { CommandError } from './host.js';

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

/**
 * One chat turn: append the user message (policy + build), stream the reply, then append it and
 * apply the policy again. A failed or cancelled reply is never appended as if it were complete;
 * the user's message stays.
 */
export async function runChat({ engine, backend, command, signal, emit, clock, onUserMessage }: ChatRun): Promise<void> {
  const t0 = clock();
  const { context } = engine.ingest({ role: 'user', content: command.content });
  if (!context) throw new CommandError('internal', 'no context was built for the user message');
  await onUserMessage?.();
  try {
    const result = await backend.generate({
      messages: engine.contextMessages(context),
      maxNewTokens: command.maxNewTokens ?? 512,
      temperature: command.temperature ?? 0,
      signal,
      onToken: (text) => emit({ type: 'chatToken', id: command.id, text }),
    });
    if (result.cache) emit({ type: 'cacheReport', turn: engine.turn, ...result.cache });
    let messageId: number | undefined;
    if (result.finishReason !== 'cancelled' && result.text.length > 0) {
      messageId = engine.ingest({ role: 'assistant', content: result.text }).message.id;
    }
    engine.finishTurn();
    emit({
      type: 'chatDone',
      id: command.id,
      finishReason: result.finishReason,
      messageId,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      ms: clock() - t0,
    });
  } catch (err) {
    engine.finishTurn();
    const message = err instanceof BackendError ? err.message : `the model failed: ${(err as Error).message}`;
    throw new CommandError('backend', message);
  }
}
