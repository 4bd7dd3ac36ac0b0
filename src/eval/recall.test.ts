import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/engine.js';
import { checkRecallApplied, recallSupport } from './recall.js';

describe('recallSupport', () => {
  it('skips the dimension, and says so, when the engine config has no recall option', () => {
    const base = { policy: 'sliding', maxTokens: 2048, window: 256, pinSystem: true };
    const s = recallSupport(base);
    expect(s.supported).toBe(false);
    expect(s.note).toMatch(/skipped.*no `recall` option/);
    expect(s.config('on')).toEqual({});
    expect(() => checkRecallApplied(s, 'on', base)).not.toThrow();
  });

  it('passes a boolean recall when the engine default is a boolean', () => {
    const s = recallSupport({ ...DEFAULT_CONFIG, recall: false });
    expect(s.supported).toBe(true);
    expect(s.config('on')).toEqual({ recall: true });
    expect(s.config('off')).toEqual({ recall: false });
  });

  it('passes "on"/"off" when the engine default is such a string, and refuses other shapes', () => {
    expect(recallSupport({ recall: 'off' }).config('on')).toEqual({ recall: 'on' });
    const odd = recallSupport({ recall: { k: 3 } });
    expect(odd.supported).toBe(false);
    expect(odd.note).toMatch(/neither a boolean/);
  });

  it('throws when the engine did not keep the recall value it was given', () => {
    const s = recallSupport({ recall: false });
    expect(() => checkRecallApplied(s, 'on', { recall: true })).not.toThrow();
    expect(() => checkRecallApplied(s, 'on', { recall: false })).toThrow(/ignored recall=true/);
    expect(() => checkRecallApplied(s, 'off', { policy: 'sliding' })).toThrow(/ignored recall=false/);
  });
});
