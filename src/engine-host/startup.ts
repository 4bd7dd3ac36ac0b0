import type { HostContext } from './context.js';
import type { HostOptions } from './options.js';
import { replay } from './replay.js';

/**
 * Before the first command: removes temp files a killed autosave left, and reopens the autosaved
 * session after a crash (or on every start with `restoreLastSession`), saying why when it restarted.
 */
export async function restoreAtStart(ctx: HostContext, options: Pick<HostOptions, 'autosavePath' | 'restartReason' | 'restoreLastSession'>): Promise<void> {
  const reason = options.restartReason;
  await ctx.autosave?.cleanUp();
  if (reason === undefined && !options.restoreLastSession) return;
  const restored = options.autosavePath ? await ctx.files.readFile(options.autosavePath).catch(() => undefined) : undefined;
  if (restored) {
    ctx.state.title = restored.title;
    ctx.files.opened(restored);
    await replay(ctx, restored.messages, restored.config ? ctx.state.merged(restored.config) : ctx.state.config, 'restore').catch((err: Error) => {
      ctx.emit({ type: 'error', code: 'bad-session', message: `the autosave could not be restored: ${err.message}` });
    });
  }
  if (reason !== undefined) ctx.emit({ type: 'hostRestarted', reason, restoredMessages: restored?.messages.length ?? 0 });
}
