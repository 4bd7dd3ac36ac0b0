import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataMax, drawChart, indexAt, layoutChart, niceTicks, xAt, yAt, yLabel, type ChartSeries, type Ctx } from './turnChart';

const SERIES: ChartSeries[] = [
  { key: 'a', name: 'a', color: '--a', kind: 'area', curve: 'step' },
  { key: 'b', name: 'b', color: '--b', kind: 'area', curve: 'step' },
  { key: 'max', name: 'max', color: '--m', kind: 'line', curve: 'step' },
];
const FRAME = { width: 400, height: 170, axis: 48 };

/** A context that records the paths it is given: each stroke or fill with its points. */
function recorder() {
  const paths: { op: 'stroke' | 'fill'; style: string; points: [number, number][] }[] = [];
  const texts: string[] = [];
  let points: [number, number][] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
    beginPath: () => void (points = []),
    moveTo: (x: number, y: number) => void points.push([x, y]),
    lineTo: (x: number, y: number) => void points.push([x, y]),
    closePath: () => undefined,
    fill: () => void paths.push({ op: 'fill', style: String(ctx.fillStyle), points }),
    stroke: () => void paths.push({ op: 'stroke', style: String(ctx.strokeStyle), points }),
    fillText: (t: string) => void texts.push(t),
    setLineDash: () => undefined,
  };
  return { ctx: ctx as unknown as Ctx, paths, texts };
}

describe('turn chart', () => {
  it('puts y ticks at nice steps from 0 up to the first at or above the data', () => {
    expect(niceTicks(2048)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0, 1]);
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), (max) => {
        const t = niceTicks(max);
        expect(t[0]).toBe(0);
        expect(t.length).toBeLessThanOrEqual(6);
        expect(t[t.length - 1]).toBeGreaterThanOrEqual(max * (1 - 1e-9));
        expect(t[t.length - 2]).toBeLessThan(max);
      }),
    );
  });

  it('scales to the top of the stacked areas or a line, whichever is higher', () => {
    expect(dataMax([{ a: 100, b: 50, max: 120 }], SERIES)).toBe(150);
    expect(dataMax([{ a: 10, b: 5, max: 2048 }], SERIES)).toBe(2048);
    const l = layoutChart([{ turn: 1, a: 10, b: 5, max: 2048 }, { turn: 2, a: 10, b: 5, max: 2048 }], 'turn', SERIES, FRAME);
    expect(l.yMax).toBe(2500);
    expect(yAt(l, 0)).toBe(l.bottom);
    expect(yAt(l, l.yMax)).toBe(l.top);
    expect(layoutChart([], 'turn', SERIES, { ...FRAME, domain: [0, 100] }).yMax).toBe(100);
  });

  it('finds the point nearest to x, clamped to the data', () => {
    const points = Array.from({ length: 11 }, (_, i) => ({ turn: i * 3, a: i, b: 1, max: 20 }));
    const l = layoutChart(points, 'turn', SERIES, FRAME);
    for (let i = 0; i < points.length; i++) expect(indexAt(l, xAt(l, i) + 1)).toBe(i);
    expect(indexAt(l, -50)).toBe(0);
    expect(indexAt(l, 5000)).toBe(10);
    expect(indexAt(layoutChart([], 'turn', SERIES, FRAME), 100)).toBe(-1);
  });

  it('draws each area on the one below it, steps holding a value until the next point, the line unstacked, and labels the newest turn', () => {
    const points = [
      { turn: 5, a: 100, b: 50, max: 400 },
      { turn: 6, a: 200, b: 25, max: 400 },
    ];
    const l = layoutChart(points, 'turn', SERIES, FRAME);
    const { ctx, paths, texts } = recorder();
    drawChart(ctx, points, 'turn', SERIES, l, { grid: 'grid', axis: 'axis', cursor: 'cursor', series: ['ca', 'cb', 'cm'] });
    const strokes = (style: string) => paths.filter((p) => p.op === 'stroke' && p.style === style).map((p) => p.points);
    const [x0, x1] = [xAt(l, 0), xAt(l, 1)];
    // a's top: 100 held until turn 6, then 200
    expect(strokes('ca')).toEqual([[[x0, yAt(l, 100)], [x1, yAt(l, 100)], [x1, yAt(l, 200)]]]);
    // b stacked on a: 150, then 225
    expect(strokes('cb')).toEqual([[[x0, yAt(l, 150)], [x1, yAt(l, 150)], [x1, yAt(l, 225)]]]);
    expect(strokes('cm')).toEqual([[[x0, yAt(l, 400)], [x1, yAt(l, 400)], [x1, yAt(l, 400)]]]);
    // b's area closes along a's top
    const bArea = paths.find((p) => p.op === 'fill' && p.style === 'cb')!.points;
    expect(bArea.slice(3)).toEqual([[x1, yAt(l, 200)], [x1, yAt(l, 100)], [x0, yAt(l, 100)]]);
    expect(texts).toContain('6');
    expect(texts).toEqual(expect.arrayContaining(['0', '100', '400', '5', '6']));
  });

  it('labels y values with separators or one decimal and the unit', () => {
    expect(yLabel(2500)).toBe('2,500');
    expect(yLabel(37.5, '%')).toBe('37.5%');
    expect(yLabel(100, '%')).toBe('100%');
    for (const v of [0, 7, 999, 1000, 25000, 1234567, -4500]) expect(yLabel(v)).toBe(v.toLocaleString('en-US'));
  });
});
