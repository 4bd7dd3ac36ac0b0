import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/engine';
import { paramsOf, parseDraft, toDraft, type Draft } from './policyDraft';

const draft = (patch: Partial<Draft> = {}): Draft => ({ ...toDraft({ ...DEFAULT_CONFIG, policy: 'hybrid' }), ...patch });

describe('policy draft', () => {
  it("sends a policy's own parameters only for the policies that read them", () => {
    expect(parseDraft(draft({ policy: 'sliding' })).config).not.toHaveProperty('weights');
    expect(parseDraft(draft({ policy: 'importance', probes: '16' })).config).toMatchObject({ policy: 'importance', probes: 16 });
    expect(parseDraft(draft({ policy: 'importance' })).config).not.toHaveProperty('summaryInterval');
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryInterval: '128', summaryGate: '0.8' })).config).toMatchObject({ summaryInterval: 128, summaryGate: 0.8 });
    expect(parseDraft(draft({ weights: { importance: '1', uniqueness: '0', recency: '.5' } })).config).toMatchObject({ policy: 'hybrid', probes: 8, weights: { importance: 1, uniqueness: 0, recency: 0.5 } });
  });

  it("checks the parameters as the engine does, and puts each problem on its field", () => {
    expect(parseDraft(draft({ policy: 'importance', probes: '300' })).errors.probes).toMatch(/probes must be an integer from 0 to 256/);
    expect(parseDraft(draft({ policy: 'importance', probes: '2.5' })).errors.probes).toBe('a whole number');
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryInterval: '32' })).errors.summaryInterval).toMatch(/at least|>= 64/);
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryGate: '1.5' })).errors.summaryGate).toMatch(/summary gate must be between 0 and 1/);
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryGate: '-1' })).errors.summaryGate).toMatch(/a number/);
    expect(parseDraft(draft({ weights: { importance: '0', uniqueness: '0', recency: '0' } })).errors.weights).toMatch(/not all 0/);
    expect(parseDraft(draft({ weights: { importance: 'x', uniqueness: '0', recency: '1' } })).errors.weights).toMatch(/a number/);
    // a bad hidden parameter does not block another policy
    expect(parseDraft(draft({ policy: 'salience', probes: '999' })).config?.policy).toBe('salience');
    expect(parseDraft(draft({ window: '5000' })).errors.window).toMatch(/must be smaller than max tokens/);
  });

  it('describes the parameters a config uses', () => {
    expect(paramsOf({ ...DEFAULT_CONFIG, policy: 'sliding' })).toBe('–');
    expect(paramsOf({ ...DEFAULT_CONFIG, policy: 'rolling_summary', summaryInterval: 128 })).toBe('summary every 128 tok, gate 1');
    expect(paramsOf({ ...DEFAULT_CONFIG, policy: 'hybrid' })).toBe('8 probes, weights 0.5/0.3/0.2');
  });
});
