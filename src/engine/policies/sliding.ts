import { FLAG_SENTENCE_START } from '../core/tokenRing.js';
import type { Policy, PolicyContext } from './types.js';

/**
 * Sliding window: drops the oldest unpinned tokens until the rendered context fits the budget,
 * then, if that left the window starting mid-sentence, drops up to the next sentence start, as
 * long as that start lies before the protected recent window. O(overflow): it walks message runs
 * from the front, never the whole buffer.
 */
export const slidingPolicy: Policy = {
  name: 'sliding',
  apply(ctx: PolicyContext): void {
    evictOverflow(ctx);
    alignToSentence(ctx);
  },
};

/** Evicts the fewest oldest unpinned tokens that bring `used()` under `maxTokens`. */
export function evictOverflow(ctx: PolicyContext): void {
  const { ledger } = ctx;
  const over = ledger.used() - ctx.maxTokens;
  if (over <= 0) return;
  const runs = ledger.windowRuns;
  let need = over;
  let n = 0;
  for (let r = 0; r < runs.length && need > 0; r++) {
    const count = runs.count(r);
    const msg = runs.msg(r);
    if (need >= count) {
      n += count;
      need -= count + (ledger.messageRetained(msg) === count ? ledger.overheadOf(msg) : 0);
    } else {
      n += need;
      need = 0;
    }
  }
  if (n > 0) {
    ctx.evictFront(n, 'budget', `over budget by ${over} tokens: dropped the oldest ${n} unpinned tokens`);
  }
  if (need > 0) {
    ctx.warn('pinned-over-budget', `pinned tokens alone need ${ledger.used()} of ${ctx.maxTokens}: raise the budget or unpin messages`);
  }
}

/** Drops the tail of a sentence cut by eviction, so the context starts at a sentence boundary. */
export function alignToSentence(ctx: PolicyContext): void {
  const ring = ctx.ledger.window;
  if (ring.length === 0 || ring.flags(0) & FLAG_SENTENCE_START) return;
  const limit = ring.length - ctx.window;
  if (limit < 1) return;
  const next = ring.findFlag(FLAG_SENTENCE_START, 1, limit + 1);
  if (next > 0) ctx.evictFront(next, 'sentence-align', `dropped ${next} tokens of a cut sentence so the context starts at a sentence boundary`);
}
