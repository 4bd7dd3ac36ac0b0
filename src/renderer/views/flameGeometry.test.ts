import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProfileSpan } from '../../shared/protocol';
import { DEPTHS, depthAt, MIN_RANGE, niceStep, ROW, RULER, rulerTicks, spanAt, stepDecimals, timeAt, xOf, zoomRange } from './flameGeometry';

const span = (name: string, start: number, end: number, depth: number, turn = 1): ProfileSpan => ({ name, start, end, depth, turn });
const isNice = (step: number) => {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
};

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 × 10^k', () => {
    expect([0.7, 1, 1.2, 3, 7, 45, 0.013, 0.0004, 2500].map(niceStep)).toEqual([1, 1, 2, 5, 10, 50, 0.02, 0.0005, 5000]);
  });

  it('is the smallest nice step at least as large as asked for', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e7, noNaN: true }), (raw) => {
        const step = niceStep(raw);
        expect(isNice(step)).toBe(true);
        expect(step).toBeGreaterThanOrEqual(raw * (1 - 1e-9));
        expect(step).toBeLessThan(raw * 2.5 + 1e-12); // the next nice step down (÷2 or ÷2.5) would be too small
      }),
    );
  });

  it('gives labels the decimals the step needs', () => {
    expect([100, 10, 1, 0.5, 0.2, 0.05, 0.001].map(stepDecimals)).toEqual([0, 0, 0, 1, 1, 2, 3]);
  });
});

describe('rulerTicks', () => {
  it('labels ms since the origin at nice steps over the range', () => {
    const { step, ticks } = rulerTicks({ t0: 1000, t1: 1100 }, 800, 1000);
    expect(step).toBe(10);
    expect(ticks.map((t) => t.label)).toEqual(['0 ms', '10 ms', '20 ms', '30 ms', '40 ms', '50 ms', '60 ms', '70 ms', '80 ms', '90 ms', '100 ms']);
    expect(ticks[3].t).toBe(1030);
  });

  it('adapts the step to the zoom and keeps decimals for fine steps', () => {
    const fine = rulerTicks({ t0: 1000.5, t1: 1000.6 }, 800, 1000);
    expect(fine.step).toBeCloseTo(0.01, 12);
    expect(fine.ticks[0].label).toBe('0.50 ms');
    expect(fine.ticks.at(-1)!.label).toBe('0.60 ms');
    const coarse = rulerTicks({ t0: 0, t1: 60_000 }, 600, 0);
    expect([coarse.step, coarse.ticks[1].label]).toEqual([10_000, '10000 ms']);
  });

  it('has no ticks for an empty range or width', () => {
    expect(rulerTicks({ t0: 5, t1: 5 }, 800, 0).ticks).toEqual([]);
    expect(rulerTicks({ t0: 0, t1: 5 }, 0, 0).ticks).toEqual([]);
  });

  it('puts at least one tick on a canvas 200 px wide or more, every tick inside the range, a whole step apart and at least minPx pixels apart on screen', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0.002, max: 1e5, noNaN: true }), fc.integer({ min: 200, max: 3000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (t0, span, width, origin) => {
        const range = { t0, t1: t0 + span };
        const { step, ticks } = rulerTicks(range, width, origin);
        expect(isNice(step)).toBe(true);
        expect(ticks.length).toBeGreaterThan(0);
        expect(ticks.length).toBeLessThanOrEqual(width / 80 + 2);
        for (const [i, tick] of ticks.entries()) {
          const x = xOf(tick.t, range, width);
          expect(x).toBeGreaterThanOrEqual(-1e-6 * width);
          expect(x).toBeLessThanOrEqual(width * (1 + 1e-6));
          const k = (tick.t - origin) / step;
          expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-6);
          if (i > 0) expect(x - xOf(ticks[i - 1].t, range, width)).toBeGreaterThanOrEqual(80 - 1e-6);
        }
      }),
    );
  });
});

describe('zoom and pan mapping', () => {
  it('maps times to x and back', () => {
    const range = { t0: 200, t1: 300 };
    expect(xOf(250, range, 1000)).toBe(500);
    expect(timeAt(500, range, 1000)).toBe(250);
  });

  it('keeps the time under the pointer in place while zooming, never below MIN_RANGE', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0.8, 1.25), (t0, span, where, factor) => {
        const range = { t0, t1: t0 + span };
        const at = timeAt(where * 800, range, 800);
        const zoomed = zoomRange(range, factor, at);
        expect(xOf(at, zoomed, 800)).toBeCloseTo(where * 800, 6);
        expect(zoomed.t1 - zoomed.t0).toBeCloseTo(span * factor, 9);
      }),
    );
    let range = { t0: 0, t1: 1 };
    for (let i = 0; i < 100; i++) range = zoomRange(range, 0.8, 0.3);
    expect(range.t1 - range.t0).toBeCloseTo(MIN_RANGE, 12);
  });
});

describe('hit testing', () => {
  const spans = [span('tokenize', 1, 4, 1), span('policy', 5, 9, 1), span('ingest', 0, 10, 0), span('deep', 0, 10, DEPTHS)];

  it('finds the row under y below the ruler', () => {
    expect([depthAt(0), depthAt(RULER - 1), depthAt(RULER), depthAt(RULER + ROW - 1), depthAt(RULER + ROW), depthAt(RULER + ROW * DEPTHS)]).toEqual([undefined, undefined, 0, 0, 1, undefined]);
  });

  it('finds the span containing a time in a row, or nothing in a gap', () => {
    expect(spanAt(spans, 2, 1)?.name).toBe('tokenize');
    expect(spanAt(spans, 9, 1)?.name).toBe('policy');
    expect(spanAt(spans, 2, 0)?.name).toBe('ingest');
    expect(spanAt(spans, 4.5, 1)).toBeUndefined();
    expect(spanAt(spans, 11, 0)).toBeUndefined();
    expect(spanAt(spans, 2, 2)).toBeUndefined();
  });

  it('takes the nearest span within the slack (a sub-pixel span is drawn a pixel wide)', () => {
    expect(spanAt(spans, 4.3, 1, 0.4)?.name).toBe('tokenize');
    expect(spanAt(spans, 4.8, 1, 0.4)?.name).toBe('policy');
    expect(spanAt(spans, 4.5, 1, 0.4)).toBeUndefined();
  });

  it('prefers the newest span containing the time (drawn on top)', () => {
    expect(spanAt([span('old', 0, 5, 0), span('new', 4, 8, 0)], 4.5, 0)?.name).toBe('new');
  });
});
