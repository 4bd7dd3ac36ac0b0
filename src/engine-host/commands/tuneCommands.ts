import { MAX_TUNE_RUNS } from '../../shared/protocol.js';
import { runFigures, settingsGrid, sweepReplayYielding } from '../../engine/sweep/runFigures.js';
import { CommandError } from '../errors.js';
import { yieldNow } from '../replay.js';
import type { CommandHandlers } from './types.js';

/**
 * The Tune view's grid: the session replayed under every combination of the settings given, each in a
 * scratch engine and measured as `fms sweep` measures a run (engine/sweep/runFigures.ts: the same numbers
 * as `fms sweep` and `fms replay --json` for the same chat and settings). Every combination is checked
 * before the first run (one bad one refuses the grid, naming it); the grid's start, each run as it ends and
 * its end are reported to every client (the host's view model keeps them for a reload's snapshot). A run
 * hands the event loop back every few messages (acks and the batches go out), and `cancel` stops the grid
 * there, mid-run.
 */
export const tuneCommands: CommandHandlers<'tune'> = {
  tune: async (cmd, ctx) => {
    const messages = ctx.state.engine.conversation();
    if (!messages.some((m) => m.role === 'user')) throw new CommandError('bad-command', 'the session has no user message to replay: open or start a chat first');
    const grid = settingsGrid(cmd.axes);
    if (grid.length > MAX_TUNE_RUNS) throw new CommandError('bad-command', `the grid has ${grid.length} combinations; at most ${MAX_TUNE_RUNS}`);
    const configs = grid.map((settings) => {
      try {
        return ctx.state.merged(settings);
      } catch (err) {
        throw new CommandError('bad-config', `the combination ${JSON.stringify(settings)}: ${(err as Error).message}`);
      }
    });
    const { tokenizer } = ctx.state;
    const signal = ctx.work.start(cmd.id);
    let done = 0;
    ctx.emit({ type: 'tuneStarted', id: cmd.id, total: configs.length, axes: cmd.axes });
    try {
      for (const [index, config] of configs.entries()) {
        await yieldNow(); // acks, cancels and the previous run's event get through
        if (signal.aborted) break;
        const result = await sweepReplayYielding(messages, tokenizer, config, ctx.replayChunk, signal, yieldNow);
        if (!result) break;
        const figures = runFigures(result);
        done++;
        const { contextTokens, factsKept, factsTotal, evictions, engineMsTotal } = figures;
        ctx.emit({ type: 'tuneProgress', id: cmd.id, done, total: configs.length, run: { index, settings: grid[index], contextTokens, factsKept, factsTotal, evictions, engineMsTotal } });
      }
    } finally {
      ctx.work.finish();
      // also when a run failed (its error follows): no client is left showing a grid that will never end
      ctx.emit({ type: 'tuneDone', id: cmd.id, done, total: configs.length, cancelled: done < configs.length });
    }
  },
};
