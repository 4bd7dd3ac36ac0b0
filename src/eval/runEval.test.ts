import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/engine.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { recallSupport } from './recall.js';
import { resolveBudget, runEval, type EvalReport, type EvalRow } from './runEval.js';

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

const row = (budget: string, recall = 'off', family = 'planted'): EvalRow => {
  const r = report.rows.find((x) => x.family === family && x.budget === budget && (x.recall === recall || x.recall === 'n/a'));
  if (!r) throw new Error(`no row for ${family} ${budget}`);
  return r;
};

describe('runEval', () => {
  it('has one row per chat family × policy × recall setting × budget, recall marked n/a when the engine lacks it', () => {
    const settings = recallSupport().supported ? 2 : 1;
    expect(report.rows).toHaveLength(2 * 4 * settings);
    expect(report.rows.filter((r) => r.family === 'updates')).toHaveLength(4 * settings);
    expect(report.seeds).toEqual([1, 2]);
    expect(report.chats.map((c) => [c.family, c.facts])).toEqual([['planted', 6], ['planted', 6], ['updates', 6], ['updates', 6]]);
    for (const c of report.chats) expect(c.updated).toBe(c.family === 'updates' ? 3 : 0);
    expect(report.chats.filter((c) => c.family === 'updates').map((c) => c.statements)).toEqual([10, 10]);
    if (!recallSupport().supported) expect(report.rows.every((r) => r.recall === 'n/a')).toBe(true);
    expect(report.rows.every((r) => (r.family === 'updates') === (r.updated !== undefined))).toBe(true);
  });

  it('keeps every fact, and every latest value, when the budget holds the whole chat', () => {
    for (const family of ['planted', 'updates']) {
      const r = row('65536', 'off', family);
      expect(r.retention).toEqual({ overall: 100, early: 100, mid: 100, late: 100, user: 100, person: 100 });
      expect(r.facts).toEqual({ kept: 100, sentence: 100, card: 0, stale: 0 });
      expect(r.askedFactKept).toBe(100);
      expect(r.compressionRatio).toBeCloseTo(1, 1);
    }
    expect(row('65536', 'off', 'updates').updated).toEqual({ kept: 100, sentence: 100, card: 0, stale: 0, count: 3 });
  });

  it('loses facts at a small budget, and keeps at least as many with more budget', () => {
    const small = row('512');
    expect(small.retention.overall).toBeLessThan(100);
    expect(small.retention.early + small.retention.mid).toBeLessThan(200);
    expect(small.compressionRatio).toBeGreaterThan(5);
    expect(row('2048').retention.overall).toBeGreaterThanOrEqual(small.retention.overall);
    expect(row('2048').retention.late).toBeGreaterThan(0);
  });

  it('splits kept into sentence and card, and never counts a fact both kept and stale', () => {
    for (const r of report.rows) {
      for (const k of [r.facts, r.asked, ...(r.updated ? [r.updated] : [])]) {
        expect(k.sentence + k.card).toBeCloseTo(k.kept, 9);
        expect(k.kept + k.stale).toBeLessThanOrEqual(100 + 1e-9);
      }
      expect(r.askedFactKept).toBe(r.asked.kept);
      expect(r.askedPerSeed.map((a) => a.seed)).toEqual([1, 2]);
      expect((100 * r.askedPerSeed.filter((a) => a.latest !== undefined).length) / 2).toBe(r.asked.kept);
      expect((100 * r.askedPerSeed.filter((a) => a.stale).length) / 2).toBe(r.asked.stale);
      if (r.family === 'planted') expect([r.facts.stale, r.asked.stale]).toEqual([0, 0]);
    }
  });

  it('at a small budget keeps the updated facts\' latest values (the facts share ranks revised facts first) but loses others, and counts stale ones only among updated facts', () => {
    const small = row('512', 'off', 'updates');
    expect(small.updated?.kept).toBe(100);
    expect(small.facts.kept).toBeLessThan(100);
    // facts never restated cannot be stale: the stale share of all facts is the updated facts' share scaled down
    expect(small.facts.stale).toBeCloseTo(((small.updated?.stale ?? 0) * 3) / 6, 9);
  });

  it('recall brings asked-about facts back that sliding alone loses', () => {
    expect(recallSupport().supported).toBe(true);
    expect(row('512', 'on').askedFactKept).toBeGreaterThan(row('512', 'off').askedFactKept);
    expect(row('512', 'on').retention.early + row('512', 'on').retention.mid).toBeGreaterThan(0);
  });

  it('--ask-all asks about every planted fact in turn, and about every updated fact in the updates family (recall on rows only)', async () => {
    const tokenizer = await testTokenizer();
    const all = runEval(tokenizer, { seeds: 1, policies: ['salience'], budgets: [{ tokens: 512 }], targetTokens: 6000, facts: 6, askAll: true });
    const on = all.rows.find((r) => r.recall === 'on' && r.family === 'planted')!;
    const off = all.rows.find((r) => r.recall === 'off' && r.family === 'planted')!;
    // recall finds the asked fact far more often than the policy keeps facts without a question
    expect(on.everyFactAsked).toBeGreaterThan(off.retention.overall);
    expect(on.everyFactAsked).toBeLessThanOrEqual(100);
    expect(off.everyFactAsked).toBeUndefined();
    const updates = all.rows.find((r) => r.recall === 'on' && r.family === 'updates')!;
    expect(updates.everyFactAsked).toBeDefined();
    expect(updates.everyFactAsked! + updates.everyFactAskedStale!).toBeLessThanOrEqual(100);
    // one replay per updated fact: 3 of them, so every figure is a multiple of a third
    expect((3 * updates.everyFactAsked!) / 100).toBeCloseTo(Math.round((3 * updates.everyFactAsked!) / 100), 9);
  });

  it('runs one family alone when asked', async () => {
    const tokenizer = await testTokenizer();
    const only = runEval(tokenizer, { seeds: 1, policies: ['sliding'], budgets: [{ tokens: 1024 }], recall: ['off'], families: ['updates'], targetTokens: 4000, facts: 6 });
    expect(only.rows.map((r) => r.family)).toEqual(['updates']);
    expect(only.chats.map((c) => c.family)).toEqual(['updates']);
  });

  it('resolves % budgets per chat from its rendered tokens', () => {
    const chats = report.chats.filter((c) => c.family === 'planted');
    const mean = chats.reduce((n, c) => n + c.tokens, 0) / chats.length;
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
