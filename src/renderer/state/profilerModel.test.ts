import { describe, expect, it } from 'vitest';
import { PROFILER_SPANS_CAP, ProfilerModel } from './profilerModel.js';

const columns = (n: number, t0: number) => {
  const data = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) data.set([t0 + i, t0 + i + 0.5, 0, 1], i * 4);
  return { names: Array.from({ length: n }, () => 'policy'), data };
};

describe('ProfilerModel', () => {
  it('pushes each batch into the same ring, capped at its newest PROFILER_SPANS_CAP spans, and notifies', () => {
    const model = new ProfilerModel();
    const ring = model.spans;
    let calls = 0;
    model.subscribe(() => calls++);
    for (let b = 0; b < 7; b++) model.addColumns(columns(10_000, b * 10_000));
    expect(model.spans).toBe(ring); // no copy, no trim
    expect([ring.size, ring.total]).toEqual([PROFILER_SPANS_CAP, 70_000]);
    expect(ring.oldest(0)?.start).toBe(70_000 - PROFILER_SPANS_CAP);
    expect(ring.newest(0)).toEqual({ name: 'policy', start: 69_999, end: 69_999.5, depth: 0, turn: 1 });
    expect([calls, model.version]).toEqual([7, 7]);
  });

  it('starts a new ring when cleared (another session)', () => {
    const model = new ProfilerModel();
    const before = model.spans;
    model.addColumns(columns(3, 0));
    model.clear();
    expect(model.spans).not.toBe(before);
    expect(model.spans.total).toBe(0);
  });
});
