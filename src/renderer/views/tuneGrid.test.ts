import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { TuneRun } from '../../shared/protocol';
import { defaultDraft, draftFromAxes, paretoFront, parseTuneDraft } from './tuneGrid';

const run = (index: number, contextTokens: number, factsKept: number): TuneRun => ({ index, settings: {}, contextTokens, factsKept, factsTotal: 10, evictions: 0, engineMsTotal: 1 });

describe('tuneGrid', () => {
  it('reads the form into a grid, or says what is wrong with it', () => {
    const draft = defaultDraft(DEFAULT_CONFIG);
    expect(parseTuneDraft(draft)).toEqual({ axes: { policy: ['sliding', 'salience', 'hybrid'], maxTokens: [1024, 2048, 4096], window: [256], recall: [true, false] }, runs: 18 });
    expect(parseTuneDraft({ ...draft, maxTokens: '512, abc' })).toEqual({ error: 'max tokens: "abc" is not a whole number' });
    expect(parseTuneDraft({ ...draft, maxTokens: '8' })).toEqual({ error: 'max tokens: 8 is below 16' });
    expect(parseTuneDraft({ ...draft, policies: [] })).toEqual({ error: 'tick at least one policy' });
    expect(parseTuneDraft({ ...draft, recall: { on: false, off: false } })).toEqual({ error: 'tick recall on, off or both' });
    expect(parseTuneDraft({ ...draft, maxTokens: '100,200,300,400,500,600', window: '0,16' })).toEqual({ error: '72 combinations; at most 64' });
  });

  it('gives back the form that asked for a grid, with the session’s setting where an axis was not varied', () => {
    const axes = { policy: ['sliding', 'hybrid'] as ('sliding' | 'hybrid')[], maxTokens: [512, 2048], window: [64, 128], recall: [false] };
    expect(parseTuneDraft(draftFromAxes(axes, DEFAULT_CONFIG))).toEqual({ axes, runs: 8 });
    expect(draftFromAxes({ maxTokens: [512] }, DEFAULT_CONFIG)).toEqual({ policies: [DEFAULT_CONFIG.policy], maxTokens: '512', window: String(DEFAULT_CONFIG.window), recall: { on: DEFAULT_CONFIG.recall, off: !DEFAULT_CONFIG.recall } });
  });

  it('marks the Pareto front: no run beats a front run on both tokens (fewer) and facts kept (more), and every other run is beaten', () => {
    expect(paretoFront([run(0, 500, 3), run(1, 400, 3), run(2, 900, 8), run(3, 900, 5), run(4, 300, 1)]).map((r) => r.index)).toEqual([4, 1, 2]);
    const runs = fc.array(fc.record({ t: fc.integer({ min: 1, max: 50 }), f: fc.integer({ min: 0, max: 10 }) }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(runs, (xs) => {
        const all = xs.map((x, i) => run(i, x.t, x.f));
        const front = new Set(paretoFront(all).map((r) => r.index));
        const beats = (a: TuneRun, b: TuneRun) => a.contextTokens <= b.contextTokens && a.factsKept >= b.factsKept && (a.contextTokens < b.contextTokens || a.factsKept > b.factsKept);
        for (const r of all) {
          const beaten = all.some((o) => beats(o, r));
          if (front.has(r.index)) expect(beaten).toBe(false);
          else expect(beaten || all.some((o) => front.has(o.index) && o.contextTokens === r.contextTokens && o.factsKept === r.factsKept)).toBe(true);
        }
      }),
    );
  });
});
