import { CommandError } from '../errors.js';
import type { CommandHandlers } from './types.js';

/** The user's say over the fact ledger: pin a fact (always kept) or forget it (evicted, never recalled). Saved with the session. */
export const factCommands: CommandHandlers<'pinFact' | 'forgetFact'> = {
  pinFact: (cmd, ctx) => {
    const { engine } = ctx.state;
    if (!engine.hasFact(cmd.factId)) throw unknownFact(cmd.factId, engine.facts().total);
    engine.pinFact(cmd.factId, cmd.pinned);
    ctx.saveSoon();
  },
  forgetFact: (cmd, ctx) => {
    const { engine } = ctx.state;
    if (!engine.hasFact(cmd.factId)) throw unknownFact(cmd.factId, engine.facts().total);
    engine.forgetFact(cmd.factId);
    ctx.saveSoon();
  },
};

const unknownFact = (id: number, total: number): CommandError => new CommandError('bad-command', `no fact #${id} in this session (its ledger has ${total} facts)`);
