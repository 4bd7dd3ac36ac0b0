import { CommandError } from '../errors.js';
import { configData } from '../../engine/engine.js';
import { replay, useTokenizer } from '../replay.js';
import { whatIfSide } from '../whatIf.js';
import type { CommandHandlers } from './types.js';

/** Settings and the model: change the policy's settings, connect a backend, compare two settings. */
export const configCommands: CommandHandlers<'setConfig' | 'setBackend' | 'whatIf' | 'setTelemetry'> = {
  /** Turn export to the Settings' OpenTelemetry endpoint ('' for none), remembered beside the autosave. */
  setTelemetry: (cmd, ctx) => ctx.telemetrySwitch.set(ctx, cmd.endpoint),
  /** Applies to the current window at once, or re-runs the whole session with the new settings. */
  setConfig: (cmd, ctx) => {
    const next = ctx.state.merged(cmd.config);
    if (cmd.rerun) return replay(ctx, ctx.state.engine.conversation(), next, 'rerun', { latencyBudget: cmd.latencyBudget });
    ctx.state.apply(next);
    ctx.emit({ type: 'configChanged', config: configData(ctx.state.config) });
    ctx.saveSoon();
  },
  /** Connects the model; a local model brings its own tokenizer, and the session re-runs with it. */
  setBackend: async (cmd, ctx) => {
    const tokenizer = await ctx.backend.connect(cmd.backend, ctx.defaultTokenizer, ctx.emit);
    await useTokenizer(ctx, tokenizer ?? ctx.defaultTokenizer);
  },
  /** Replays the session under two settings in scratch engines and reports both final contexts. */
  whatIf: async (cmd, ctx) => {
    const a = ctx.state.merged(cmd.a);
    const b = ctx.state.merged(cmd.b);
    const msgs = ctx.state.engine.conversation();
    if (msgs.length === 0) throw new CommandError('bad-command', 'the session has no messages to compare');
    const { tokenizer } = ctx.state;
    ctx.emit({ type: 'whatIfResult', messages: msgs.length, a: await whatIfSide(msgs, tokenizer, a), b: await whatIfSide(msgs, tokenizer, b) });
  },
};
