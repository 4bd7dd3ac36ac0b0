import { openConversation, replay } from '../replay.js';
import type { CommandHandlers } from './types.js';

/** The session's messages and files: start, append, replay, open (granted file or whole text), save. */
export const sessionCommands: CommandHandlers<'newSession' | 'appendMessages' | 'replay' | 'openSession' | 'openSessionText' | 'saveSession'> = {
  newSession: (cmd, ctx) => {
    const { state } = ctx;
    state.reset(state.config);
    state.title = 'Untitled session';
    state.path = undefined;
    state.imported = undefined;
    ctx.files.opened(undefined);
    if (cmd.systemPrompt) state.engine.ingest({ role: 'system', content: cmd.systemPrompt });
    ctx.emit({ type: 'sessionLoaded', session: state.info(), messages: state.messages(), reason: 'new' });
    ctx.saveSoon();
  },
  appendMessages: (cmd, ctx) => {
    const { engine } = ctx.state;
    for (const m of cmd.messages) engine.ingest(m);
    engine.finishTurn();
    ctx.saveSoon();
  },
  replay: (cmd, ctx) => {
    ctx.state.title = cmd.title ?? ctx.state.title;
    ctx.state.path = undefined;
    ctx.state.imported = undefined;
    return replay(ctx, cmd.messages, ctx.state.merged(cmd.config ?? {}), 'replay');
  },
  openSession: async (cmd, ctx) => {
    const file = ctx.grants.resolve(cmd.handle, 'read');
    await openConversation(ctx, await ctx.files.readFile(file, cmd.conversation), file);
  },
  openSessionText: (cmd, ctx) => openConversation(ctx, ctx.files.parseText(cmd.text, cmd.name, cmd.conversation), undefined),
  /** Saves to a granted file, or sends the text back for a download (browser mode). */
  saveSession: async (cmd, ctx) => {
    const file = cmd.handle ? ctx.grants.resolve(cmd.handle, 'write') : undefined;
    const saved = await ctx.files.save(ctx.state.engine, ctx.state.title, file);
    if (file) ctx.state.path = file;
    ctx.emit({ type: 'sessionSaved', ...saved });
  },
};
