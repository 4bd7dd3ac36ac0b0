import { describe, expect, it } from 'vitest';
import { HELD_OUT_FACTS, heldOutReport } from './heldOutFacts.js';

describe('held-out phrasings', () => {
  it('the rules find most held-out facts with the right holder and value, and none in sentences that state none', () => {
    const r = heldOutReport();
    expect(r.total).toBe(HELD_OUT_FACTS.length);
    // a guard against regressions, not a target: the figure npm run eval prints is the measure
    expect(r.found).toBeGreaterThanOrEqual(20);
    expect(r.falsePositives).toBe(0);
  });
});
