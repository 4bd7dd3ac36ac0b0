import { MAX_LISTED_CONVERSATIONS, type ChatMessageData, type ImportedSource } from '../shared/protocol.js';
import type { ImportSummary } from '../engine/formats/conversationReader.js';
import { configData, type EngineConfig } from '../engine/engine.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import type { HostContext } from './context.js';
import type { OpenedConversation } from './openedConversation.js';

/** Work between yields at most: a batch handed to the transport only leaves the process when the event loop turns. */
const REPLAY_SLICE_MS = 25;
/** Hands the event loop back once (acks, cancels and the batches get through). */
export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export type ReplayReason = 'replay' | 'open' | 'restore' | 'rerun';

export interface ReplayOptions {
  /** The work id (cancel). */
  id?: string;
  /**
   * Run the replay under the latency budget (`maxPolicyMs`), as live turns do: its fallbacks are
   * `policy-fallback` warnings with their turns. Off by default, so the same settings give the same
   * session on every run; live turns after the replay are guarded either way.
   */
  latencyBudget?: boolean;
}

/** Runs messages through a fresh engine with these settings, yielding often so acks and cancels get through. */
export async function replay(ctx: HostContext, messages: ChatMessageData[], next: EngineConfig, reason: ReplayReason, options: ReplayOptions = {}): Promise<void> {
  const signal = ctx.work.start(options.id ?? 'replay');
  try {
    ctx.state.reset(next, options.latencyBudget ?? false);
    ctx.emit({ type: 'sessionLoaded', session: ctx.state.info(), messages: [], reason });
    await ingest(ctx, messages, signal);
    ctx.state.engine.finishTurn();
    ctx.saveSoon();
  } finally {
    // the session is live again: its turns run under the latency budget
    ctx.state.engine.setLatencyBudget(true);
    // configChanged says the replay is over
    ctx.work.finish();
    ctx.emit({ type: 'configChanged', config: configData(ctx.state.config) });
  }
}

/** Ingests messages, reporting progress and yielding every `replayChunk` messages or ~25 ms, whichever comes first. */
async function ingest(ctx: HostContext, messages: ChatMessageData[], signal: AbortSignal): Promise<void> {
  const engine = ctx.state.engine;
  let sliceStart = performance.now();
  for (let i = 0; i < messages.length; i++) {
    engine.ingest(messages[i]);
    const now = performance.now();
    if ((i + 1) % ctx.replayChunk === 0 || i === messages.length - 1 || now - sliceStart > REPLAY_SLICE_MS) {
      ctx.emit({ type: 'replayProgress', done: i + 1, total: messages.length });
      await yieldNow();
      sliceStart = performance.now();
      if (signal.aborted) break;
    }
  }
}

/** Switches tokenizers (a local model's own, or the default) and re-runs the session with it. */
export async function useTokenizer(ctx: HostContext, next: Tokenizer): Promise<void> {
  if (!ctx.state.useTokenizer(next)) return;
  await replay(ctx, ctx.state.engine.conversation(), ctx.state.config, 'rerun');
}

/** Opens a parsed file: its settings are checked before anything changes (a refused open renames nothing). */
export async function openConversation(ctx: HostContext, opened: OpenedConversation, file: string | undefined): Promise<void> {
  const next = opened.config ? ctx.state.merged(opened.config) : ctx.state.config;
  ctx.state.title = opened.title;
  ctx.state.path = file;
  ctx.state.imported = opened.imported ? importedSource(opened.imported) : undefined;
  ctx.files.opened(opened);
  await replay(ctx, opened.messages, next, 'open');
  checkOpened(ctx, opened);
}

/**
 * After the replay of an opened (or restored) saved session: a warning when the replay did not make
 * the saved session again. A replay cancelled before its end says nothing (it stopped early).
 */
export function checkOpened(ctx: HostContext, opened: OpenedConversation): void {
  const { engine } = ctx.state;
  if (engine.conversation().length !== opened.messages.length) return;
  const differs = ctx.files.replayDiffers(engine);
  if (differs) ctx.emit({ type: 'warning', turn: engine.turn, code: 'session-differs', message: `${opened.title}: ${differs}` });
}

/** What the session info says of an imported file: the list bounded (a ChatGPT export may hold thousands of chats). */
function importedSource(i: ImportSummary): ImportedSource {
  return { format: i.format, formatName: i.formatName, chosen: i.chosen, title: i.title, conversations: i.conversations.slice(0, MAX_LISTED_CONVERSATIONS), total: i.conversations.length };
}
