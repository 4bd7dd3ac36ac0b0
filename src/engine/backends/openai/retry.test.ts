import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, sleep } from './retry.js';

describe('backoffMs', () => {
  it('doubles per attempt, with jitter between half and all of the step', () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a, 500, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffMs(a, 500, () => 0.999999))).toEqual([500, 1000, 2000, 4000]);
    for (let i = 0; i < 100; i++) {
      const ms = backoffMs(2, 100);
      expect(ms).toBeGreaterThanOrEqual(200);
      expect(ms).toBeLessThanOrEqual(400);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(' 0.5 ')).toBe(500);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('sleep', () => {
  it('resolves early when its signal aborts, and at once when already aborted', async () => {
    const ctl = new AbortController();
    const waiting = sleep(60_000, ctl.signal);
    ctl.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(sleep(60_000, ctl.signal)).resolves.toBeUndefined();
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});
