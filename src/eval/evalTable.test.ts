import { describe, expect, it } from 'vitest';
import { familyTable, pct, targetBudget, targetTable } from './evalTable.js';
import type { EvalReport, EvalRow, KeptFigures } from './runEval.js';

const figures = (kept: number, stale = 0): KeptFigures => ({ kept, sentence: kept, card: 0, stale });
const row = (policy: string, family: 'planted' | 'updates', recall: 'on' | 'off', budget: string, kept: number, latest = kept, stale = 0): EvalRow => ({
  family,
  policy,
  recall,
  budget,
  budgetTokens: 1000,
  window: 256,
  retention: { overall: kept, early: kept, mid: kept, late: kept, user: kept, person: kept },
  facts: figures(kept),
  ...(family === 'updates' ? { updated: { ...figures(latest, stale), count: 6 } } : {}),
  askedFactKept: recall === 'on' ? 100 : 20,
  asked: figures(recall === 'on' ? 100 : 20),
  askedPerSeed: [],
  compressionRatio: 20,
  engineMsPerTurn: 0.1,
  contextTokens: 990,
  runs: 5,
});
const report = (rows: EvalRow[]): EvalReport => ({
  seeds: [1, 2, 3, 4, 5],
  chats: [
    { family: 'planted', seed: 1, tokens: 20_000, messages: 300, facts: 12, updated: 0, statements: 12 },
    { family: 'updates', seed: 1, tokens: 20_400, messages: 300, facts: 12, updated: 6, statements: 20 },
  ],
  recall: { supported: true, note: '' },
  rows,
});

const ROWS = [
  row('sliding', 'planted', 'off', '5%', 30),
  row('sliding', 'planted', 'on', '5%', 35),
  row('salience', 'planted', 'off', '5%', 85),
  row('salience', 'planted', 'on', '5%', 90),
  row('sliding', 'updates', 'off', '5%', 40, 75, 1),
  row('sliding', 'updates', 'on', '5%', 40, 99, 0),
  row('salience', 'updates', 'off', '5%', 40, 75, 5),
  row('salience', 'updates', 'on', '5%', 40, 99, 2),
  row('sliding', 'planted', 'off', '10%', 50),
];

describe('familyTable', () => {
  it('prints one row per run of the family, the columns the header names', () => {
    const planted = familyTable(report(ROWS), 'planted', false)!;
    expect(planted.rows).toHaveLength(5);
    for (const r of planted.rows) expect(r).toHaveLength(planted.header.length);
    expect(planted.rows[0].slice(0, 4)).toEqual(['sliding', 'off', '5% of chat (≈1,000)', '30.0%']);
    const updates = familyTable(report(ROWS), 'updates', true)!;
    expect(updates.title).toMatch(/6 restated with new values/);
    expect(updates.rows).toHaveLength(4);
    expect(updates.rows[0].slice(3, 5)).toEqual(['75.0%', '1.0%']);
    expect(updates.header).toContain('each updated fact, when asked: latest');
    for (const r of updates.rows) expect(r).toHaveLength(updates.header.length);
    expect(familyTable(report(ROWS.filter((r) => r.family === 'planted')), 'updates', false)).toBeUndefined();
  });
});

describe('targetTable', () => {
  it('reads the targets at 5% and marks each figure against its target', () => {
    const t = targetTable(report(ROWS), 'sliding', false)!;
    expect(t.title).toMatch(/at 5% of the chat.*85\.0% ✓, target ≥ 80%/);
    const [sliding, salience] = t.rows;
    expect(sliding[0]).toBe('sliding (default)');
    expect(sliding[1]).toBe('30.0% ✗ (default ≥ 70%)');
    expect(salience[1]).toBe('85.0% (best)');
    expect(sliding[2]).toBe('99.0% / 0.0% ✓');
    expect(salience[2]).toBe('99.0% / 2.0% ✗'); // recall on: 0% stale
    expect(sliding[3]).toBe('75.0% / 1.0% ✓');
    expect(salience[3]).toBe('75.0% / 5.0% ✗'); // recall off: ≤ 2% stale
    expect(sliding[4]).toBe('100.0% ✓');
    expect(sliding[5]).toBe('100.0% / 0.0% ✓');
  });

  it('shows — for runs it lacks, and falls back to another budget when 5% was not run', () => {
    const only10 = report([row('sliding', 'planted', 'off', '10%', 50)]);
    expect(targetBudget(only10)).toBe('10%');
    const t = targetTable(only10, 'sliding', false)!;
    expect(t.rows).toEqual([['sliding (default)', '50.0% (best) ✗ (default ≥ 70%)', '—', '—', '—', '—']]);
    expect(targetBudget(report([row('sliding', 'planted', 'off', '512', 50)]))).toBe('512');
    expect(targetTable(report([]), 'sliding', false)).toBeUndefined();
  });

  it('reads every fact asked in turn with --ask-all', () => {
    const rows = ROWS.map((r) => (r.recall === 'on' ? { ...r, everyFactAsked: 91.5, everyFactAskedStale: 3 } : r));
    const t = targetTable(report(rows), 'sliding', true)!;
    expect(t.rows[0][4]).toBe('91.5% ✗');
    expect(t.rows[0][5]).toBe('91.5% / 3.0% ✗');
    expect(pct(undefined)).toBe('—');
  });
});
