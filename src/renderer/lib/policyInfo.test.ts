import { describe, expect, it } from 'vitest';
import { POLICY_NAMES } from '../../shared/config';
import { POLICY_INFO, policyExplanation } from './policyInfo';

describe('policy info', () => {
  it('describes every engine policy, and only those', () => {
    expect(Object.keys(POLICY_INFO).sort()).toEqual([...POLICY_NAMES].sort());
  });

  it('says what the connected model changes', () => {
    expect(policyExplanation('importance', 'none')).toMatch(/recency fallback, labelled/);
    expect(policyExplanation('importance', 'local')).toMatch(/probe the local model/);
    expect(policyExplanation('rolling_summary', 'none')).toMatch(/extractive/);
    expect(policyExplanation('rolling_summary', 'server')).toMatch(/server write the summary/);
    expect(policyExplanation('sliding', 'local')).not.toMatch(/model/);
  });
});
