import { rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HostContext } from './context.js';
import type { HostOptions } from './options.js';
import { checkOpened, replay } from './replay.js';

/**
 * Before the first command: removes temp files a killed autosave left, and reopens the autosaved
 * session after a crash (or on every start with `restoreLastSession`), saying why when it restarted.
 */
export async function restoreAtStart(ctx: HostContext, options: Pick<HostOptions, 'autosavePath' | 'restartReason' | 'restoreLastSession'>): Promise<void> {
  const reason = options.restartReason;
  await ctx.autosave?.cleanUp();
  if (reason === undefined && !options.restoreLastSession) return;
  const restored = options.autosavePath ? await restoreAutosave(ctx, options.autosavePath) : 0;
  if (reason !== undefined) ctx.emit({ type: 'hostRestarted', reason, restoredMessages: restored });
}

/**
 * Replays the autosave; resolves with the messages restored. Never rejects: an autosave that cannot be
 * restored (unreadable, refused by the session schema, settings that do not validate, a failed replay)
 * is reported as a `bad-session` error and renamed aside, so the next autosave cannot overwrite it,
 * and the host starts with a fresh session. No autosave yet is not a problem.
 */
async function restoreAutosave(ctx: HostContext, file: string): Promise<number> {
  if (!(await stat(file).then(() => true, () => false))) return 0;
  const fresh = { config: ctx.state.config, title: ctx.state.title };
  try {
    const restored = await ctx.files.readFile(file);
    const next = restored.config ? ctx.state.merged(restored.config) : ctx.state.config;
    ctx.state.title = restored.title;
    ctx.files.opened(restored);
    await replay(ctx, restored.messages, next, 'restore');
    checkOpened(ctx, restored);
    return restored.messages.length;
  } catch (err) {
    ctx.state.reset(fresh.config);
    ctx.state.title = fresh.title;
    ctx.files.opened(undefined);
    const kept = await setAside(file);
    const message = `the autosave could not be restored: ${(err as Error).message ?? String(err)}; a new session was started, ${kept}`;
    ctx.emit({ type: 'error', code: 'bad-session', message });
    return 0;
  }
}

/** Renames an autosave that could not be restored to `<name>.unrestored-<time><ext>` beside it; says where it is. */
async function setAside(file: string): Promise<string> {
  const { dir, name, ext } = path.parse(file);
  const aside = path.join(dir, `${name}.unrestored-${new Date().toISOString().replace(/[:.]/g, '-')}${ext}`);
  try {
    await rename(file, aside);
    return `and the file was kept as ${aside}`;
  } catch (err) {
    return `and the file could not be set aside (${(err as Error).message}): the next autosave replaces it`;
  }
}
