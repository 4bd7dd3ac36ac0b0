import { knapsack } from '../knapsack.js';
import { salience } from '../salience.js';
import { FLAG_SENTENCE_START, type TokenRing } from '../tokenRing.js';
import { alignToSentence, evictOverflow } from './sliding.js';
import { PolicyTimeout, type Policy, type PolicyContext } from './types.js';

const MAX_SPAN = 64;
export const SALIENCE_WEIGHT = 1;
export const RECENCY_WEIGHT = 0.5;

interface Span {
  from: number;
  to: number;
}

/** Whole-sentence spans (split at message boundaries and at 64 tokens) of ring tokens [0, limit). */
export function sentenceSpans(ring: TokenRing, limit: number): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let i = 1; i <= limit; i++) {
    if (i === limit || ring.flags(i) & FLAG_SENTENCE_START || ring.msg(i) !== ring.msg(start) || i - start >= MAX_SPAN) {
      spans.push({ from: start, to: i });
      start = i;
    }
  }
  return spans;
}

/**
 * What a span policy may evict: whole sentences older than the recent window (the candidates end at
 * the last sentence start before it, so no sentence is cut), and how far over budget the context is.
 * Undefined when the context fits.
 */
export function olderSentences(ctx: PolicyContext): { over: number; spans: Span[] } | undefined {
  const over = ctx.ledger.used() - ctx.maxTokens;
  if (over <= 0) return undefined;
  const ring = ctx.ledger.window;
  let limit = ring.length - ctx.window;
  while (limit > 0 && !(ring.flags(limit) & FLAG_SENTENCE_START)) limit--;
  return { over, spans: limit > 0 ? sentenceSpans(ring, limit) : [] };
}

/**
 * Salience: keeps whole sentences, not scattered tokens. When the context is over budget, every
 * sentence older than the recent window gets a value — salience (numbers, dates, names, quoted
 * strings per token) plus recency — and a 0/1 knapsack keeps the most valuable ones that fit; the
 * rest are evicted, each with its score. Works without a model; it is the span value the model-based
 * policies build on. If pinned tokens and the recent window alone overflow, sliding takes over.
 */
export const saliencePolicy: Policy = {
  name: 'salience',
  apply(ctx: PolicyContext): void {
    const older = olderSentences(ctx);
    if (!older) return;
    const { over, spans } = older;
    const ring = ctx.ledger.window;
    if (spans.length > 0) {
      const scores = spans.map((sp, k) => {
        if (k % 32 === 31 && ctx.timeUp()) throw new PolicyTimeout('scoring spans');
        const key = ring.pos(sp.from);
        let sal = ctx.cache.get(key);
        if (sal === undefined) {
          sal = salience(ctx.decode(ring.ids(sp.from, sp.to)), sp.to - sp.from);
          ctx.cache.set(key, sal);
        }
        return { sal, recency: (k + 1) / spans.length };
      });
      const items = spans.map((sp, k) => ({ cost: sp.to - sp.from, value: (SALIENCE_WEIGHT * scores[k].sal + RECENCY_WEIGHT * scores[k].recency) * (sp.to - sp.from) }));
      const total = items.reduce((n, it) => n + it.cost, 0);
      if (ctx.timeUp()) throw new PolicyTimeout('before knapsack');
      const capacity = Math.max(0, total - over);
      const keep = new Set(knapsack(items, capacity, { maxCells: 2e6 }).chosen);
      const shown = Math.max(0, spans.length - 400);
      ctx.report({
        type: 'spanScores',
        turn: 0,
        policy: 'salience',
        capacity,
        spans: spans.slice(shown).map((sp, i) => ({ messageId: ring.msg(sp.from), startPos: ring.pos(sp.from), tokens: sp.to - sp.from, score: items[shown + i].value / (sp.to - sp.from), kept: keep.has(shown + i) })),
      });
      const evict: { from: number; to: number; detail: string; score: number }[] = [];
      spans.forEach((sp, k) => {
        if (keep.has(k)) return;
        const { sal, recency } = scores[k];
        const score = SALIENCE_WEIGHT * sal + RECENCY_WEIGHT * recency;
        ctx.cache.delete(ring.pos(sp.from));
        evict.push({ from: sp.from, to: sp.to, score, detail: `value ${score.toFixed(3)}/token (salience ${sal.toFixed(2)}, recency ${recency.toFixed(2)}) was among the lowest under the budget` });
      });
      ctx.evictSpans(evict, 'span-value');
    }
    // message overheads, or a recent window that alone overflows: the oldest tokens go
    evictOverflow(ctx);
    alignToSentence(ctx);
  },
};
