import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/engine.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { recallSupport } from './recall.js';
import { resolveBudget, runEval, type EvalReport } from './runEval.js';

let report: EvalReport;
beforeAll(async () => {
  const tokenizer = await testTokenizer();
  report = runEval(tokenizer, {
    seeds: 2,
    policies: ['sliding'],
    budgets: [{ tokens: 65_536 }, { tokens: 512 }, { tokens: 2048 }, { percent: 10 }],
    targetTokens: 6000,
    facts: 6,
  });
});

const row = (budget: string, recall = 'off') => {
  const r = report.rows.find((x) => x.budget === budget && (x.recall === recall || x.recall === 'n/a'));
  if (!r) throw new Error(`no row for ${budget}`);
  return r;
};

describe('runEval', () => {
  it('has one row per policy × recall setting × budget, recall marked n/a when the engine lacks it', () => {
    const settings = recallSupport().supported ? 2 : 1;
    expect(report.rows).toHaveLength(4 * settings);
    expect(report.seeds).toEqual([1, 2]);
    expect(report.chats.map((c) => c.facts)).toEqual([6, 6]);
    if (!recallSupport().supported) expect(report.rows.every((r) => r.recall === 'n/a')).toBe(true);
  });

  it('keeps every fact when the budget holds the whole chat', () => {
    const r = row('65536');
    expect(r.retention).toEqual({ overall: 100, early: 100, mid: 100, late: 100 });
    expect(r.askedFactKept).toBe(100);
    expect(r.compressionRatio).toBe(1);
  });

  it('loses the early and middle facts under sliding at a small budget, and keeps more with more budget', () => {
    const small = row('512');
    expect(small.retention.early).toBe(0);
    expect(small.retention.mid).toBe(0);
    expect(small.retention.overall).toBeLessThan(100);
    expect(small.compressionRatio).toBeGreaterThan(5);
    expect(row('2048').retention.overall).toBeGreaterThanOrEqual(small.retention.overall);
    expect(row('2048').retention.late).toBeGreaterThan(0);
  });

  it('recall brings asked-about facts back that sliding alone loses', () => {
    expect(recallSupport().supported).toBe(true);
    expect(row('512', 'on').askedFactKept).toBeGreaterThan(row('512', 'off').askedFactKept);
    expect(row('512', 'on').retention.early + row('512', 'on').retention.mid).toBeGreaterThan(0);
  });

  it('--ask-all asks about every planted fact in turn (recall on rows only)', async () => {
    const tokenizer = await testTokenizer();
    const all = runEval(tokenizer, { seeds: 1, policies: ['salience'], budgets: [{ tokens: 512 }], targetTokens: 6000, facts: 6, askAll: true });
    const on = all.rows.find((r) => r.recall === 'on')!;
    const off = all.rows.find((r) => r.recall === 'off')!;
    // recall finds the asked fact far more often than the policy keeps facts without a question
    expect(on.everyFactAsked).toBeGreaterThan(off.retention.overall);
    expect(on.everyFactAsked).toBeLessThanOrEqual(100);
    expect(off.everyFactAsked).toBeUndefined();
  });

  it('resolves % budgets per chat from its rendered tokens', () => {
    const mean = report.chats.reduce((n, c) => n + c.tokens, 0) / report.chats.length;
    expect(row('10%').budgetTokens).toBeCloseTo(mean / 10, 0);
    expect(row('10%').contextTokens).toBeLessThanOrEqual(row('10%').budgetTokens * 1.05);
  });
});

describe('resolveBudget', () => {
  it('turns shares into tokens and shrinks the window only for tiny budgets', () => {
    expect(resolveBudget({ percent: 5 }, 20_000)).toEqual({ maxTokens: 1000, window: DEFAULT_CONFIG.window });
    expect(resolveBudget({ tokens: 100 }, 20_000)).toEqual({ maxTokens: 100, window: Math.min(DEFAULT_CONFIG.window, 50) });
    expect(() => resolveBudget({ percent: 0.01 }, 20_000)).toThrow(/at least 16/);
  });
});
