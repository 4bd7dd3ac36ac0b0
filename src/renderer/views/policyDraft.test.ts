import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import { paramsOf, parseDraft, toDraft, type Draft } from './policyDraft';

const draft = (patch: Partial<Draft> = {}): Draft => ({ ...toDraft({ ...DEFAULT_CONFIG, policy: 'hybrid' }), ...patch });

describe('policy draft', () => {
  it("sends a policy's own parameters only for the policies that read them", () => {
    expect(parseDraft(draft({ policy: 'sliding' })).config).not.toHaveProperty('weights');
    expect(parseDraft(draft({ policy: 'importance', probes: '16' })).config).toMatchObject({ policy: 'importance', probes: 16 });
    expect(parseDraft(draft({ policy: 'importance' })).config).not.toHaveProperty('summaryInterval');
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryInterval: '128', summaryGate: '0.8' })).config).toMatchObject({ summaryInterval: 128, summaryGate: 0.8 });
    expect(parseDraft(draft({ weights: { importance: '1', uniqueness: '0', recency: '.5' } })).config).toMatchObject({ policy: 'hybrid', probes: 8, weights: { importance: 1, uniqueness: 0, recency: 0.5 } });
    expect(parseDraft(draft({ recallShare: '0.3' })).config).toMatchObject({ recallShare: 0.3 });
  });

  it('checks the parameters with the catalog the engine uses, and puts each problem on its field', () => {
    expect(parseDraft(draft({ policy: 'importance', probes: '300' })).errors.probes).toBe('probes must be a whole number from 0 to 256 (got 300)');
    expect(parseDraft(draft({ policy: 'importance', probes: '2.5' })).errors.probes).toBe('probes must be a whole number from 0 to 256 (got "2.5")');
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryInterval: '32' })).errors.summaryInterval).toMatch(/>= 64/);
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryGate: '1.5' })).errors.summaryGate).toMatch(/summary gate must be a number from 0 to 1/);
    expect(parseDraft(draft({ policy: 'rolling_summary', summaryGate: '-1' })).errors.summaryGate).toMatch(/a number/);
    expect(parseDraft(draft({ weights: { importance: '0', uniqueness: '0', recency: '0' } })).errors.weights).toMatch(/not all 0/);
    expect(parseDraft(draft({ weights: { importance: 'x', uniqueness: '0', recency: '1' } })).errors.weights).toMatch(/three non-negative numbers/);
    expect(parseDraft(draft({ recallShare: '0.9' })).errors.recallShare).toMatch(/recall share must be a number above 0 and at most 0.5/);
    // a bad hidden parameter does not block another policy
    expect(parseDraft(draft({ policy: 'salience', probes: '999' })).config?.policy).toBe('salience');
    expect(parseDraft(draft({ window: '5000' })).errors.window).toMatch(/must be smaller than max tokens/);
    expect(parseDraft(draft({ maxTokens: '8' })).errors).toEqual({ maxTokens: 'max tokens must be a whole number >= 16 (got 8)' });
  });

  it('describes the parameters only its policy reads', () => {
    expect(paramsOf({ ...DEFAULT_CONFIG, policy: 'sliding' })).toBe('–');
    expect(paramsOf({ ...DEFAULT_CONFIG, policy: 'rolling_summary', summaryInterval: 128 })).toBe('summary interval 128 tokens, summary gate 1');
    expect(paramsOf({ ...DEFAULT_CONFIG, policy: 'hybrid' })).toBe('probes 8, weights 0.5/0.3/0.2');
  });
});
