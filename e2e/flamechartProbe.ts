import type { Locator } from 'playwright-core';
import { DEPTHS, ROW, RULER } from '../src/renderer/views/flameGeometry';

/** Pixels drawn (alpha above `minAlpha`) in a band of the flamechart canvas, y in CSS pixels. */
export function inkIn(chart: Locator, y0: number, y1: number, minAlpha = 0): Promise<number> {
  return chart.evaluate(
    (c: HTMLCanvasElement, [from, to, min]) => {
      const dpr = c.width / c.clientWidth;
      const data = c.getContext('2d')!.getImageData(0, Math.floor(from * dpr), c.width, Math.max(1, Math.ceil((to - from) * dpr))).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > min) n++;
      return n;
    },
    [y0, y1, minAlpha] as const,
  );
}

/** Inked pixels of the ruler band, and of the span rows (spans only: grid lines are faint). */
export const rulerInk = (chart: Locator) => inkIn(chart, 0, RULER - 1);
export const spanInk = (chart: Locator) => inkIn(chart, RULER, RULER + ROW * DEPTHS, 150);

/**
 * The middle of the widest span drawn in a depth row, in CSS pixels relative to the canvas, or
 * undefined when the row is empty. Spans are drawn opaque; grid lines faint.
 */
export function widestSpanIn(chart: Locator, depth: number): Promise<{ x: number; y: number } | undefined> {
  const y = RULER + depth * ROW + ROW / 2 - 1;
  return chart.evaluate(
    (c: HTMLCanvasElement, cssY) => {
      const dpr = c.width / c.clientWidth;
      const data = c.getContext('2d')!.getImageData(0, Math.floor(cssY * dpr), c.width, 1).data;
      let best: [number, number] | undefined;
      let runStart = -1;
      for (let x = 0; x <= c.width; x++) {
        const inked = x < c.width && data[x * 4 + 3] > 150;
        if (inked && runStart < 0) runStart = x;
        if (!inked && runStart >= 0) {
          if (!best || x - runStart > best[1] - best[0]) best = [runStart, x];
          runStart = -1;
        }
      }
      return best && { x: (best[0] + best[1]) / 2 / dpr, y: cssY };
    },
    y,
  );
}
