import { keepMostValuable, NEAR_OPTIMAL, olderSentences, recencyOf, scoresFor } from './spanValue.js';
import type { Policy, PolicyContext } from './types.js';

export const SALIENCE_WEIGHT = 1;
export const RECENCY_WEIGHT = 0.5;

export { olderSentences, sentenceSpans } from './spanValue.js';

/**
 * Salience: keeps whole sentences, not scattered tokens. When the context is over budget, every
 * sentence older than the recent window gets a value — salience (numbers, dates, names, quoted
 * strings per token, stated facts, requests to remember) plus recency — and a 0/1 knapsack keeps the
 * most valuable ones that fit; the rest are evicted, each with its score. Works without a model; it
 * is the span value the model-based policies build on.
 */
export const saliencePolicy: Policy = {
  name: 'salience',
  apply(ctx: PolicyContext): void {
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans, track } = older;
    const n = spans.length;
    const score = scoresFor('salience', n);
    const { sal } = track;
    for (let k = 0; k < n; k++) score[k] = SALIENCE_WEIGHT * sal[k] + RECENCY_WEIGHT * recencyOf(k, n);
    keepMostValuable(ctx, 'salience', over, track, { score, slack: NEAR_OPTIMAL, why: (k) => `salience ${spans[k].sal.toFixed(2)}, recency ${recencyOf(k, n).toFixed(2)}` });
  },
};
