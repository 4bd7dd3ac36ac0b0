import { describe, expect, it } from 'vitest';
import { parseBudget, parseEvalArgs } from './evalArgs.js';

const POLICIES = ['sliding', 'importance'];

describe('parseEvalArgs', () => {
  it('defaults to 5 seeds, every policy, the standard budgets, both recall settings and both chat families', () => {
    const a = parseEvalArgs([], POLICIES);
    expect(a).toMatchObject({ seeds: 5, policies: POLICIES, recall: undefined, families: ['planted', 'updates'], targetTokens: 20_000, facts: 12, json: false });
    expect(a.budgets).toEqual([{ tokens: 512 }, { tokens: 1024 }, { tokens: 2048 }, { tokens: 4096 }, { percent: 5 }, { percent: 10 }]);
  });

  it('reads every flag', () => {
    const a = parseEvalArgs(['--seeds', '2', '--policies', 'importance', '--budgets', '300,7.5%', '--recall', 'off', '--json'], POLICIES);
    expect(a).toMatchObject({ seeds: 2, policies: ['importance'], budgets: [{ tokens: 300 }, { percent: 7.5 }], recall: ['off'], json: true });
    expect(parseEvalArgs(['--chats', 'updates'], POLICIES).families).toEqual(['updates']);
    expect(parseEvalArgs(['--chats', 'planted'], POLICIES).families).toEqual(['planted']);
    expect(parseEvalArgs(['--chats', 'both'], POLICIES).families).toEqual(['planted', 'updates']);
  });

  it('rejects bad input with one-line messages', () => {
    expect(() => parseEvalArgs(['--policies', 'lru'], POLICIES)).toThrow(/unknown policy "lru" \(available: sliding, importance\)/);
    expect(() => parseEvalArgs(['--seeds', '0'], POLICIES)).toThrow(/--seeds must be an integer/);
    expect(() => parseEvalArgs(['--recall', 'maybe'], POLICIES)).toThrow(/--recall takes on, off/);
    expect(() => parseEvalArgs(['--budgets', ''], POLICIES)).toThrow(/no budget/);
    expect(() => parseEvalArgs(['--chats', 'all'], POLICIES)).toThrow(/--chats takes planted, updates or both \(got "all"\)/);
    expect(() => parseEvalArgs(['--bogus'], POLICIES)).toThrow();
  });
});

describe('parseBudget', () => {
  it('takes token counts of at least 16 and shares up to 100%', () => {
    expect(parseBudget('16')).toEqual({ tokens: 16 });
    expect(parseBudget('5%')).toEqual({ percent: 5 });
    for (const bad of ['8', '0%', '150%', 'abc', '-5']) expect(() => parseBudget(bad)).toThrow();
  });
});
