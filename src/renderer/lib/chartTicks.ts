import { useEffect, useState, type RefObject } from 'react';
import { endTicks } from './downsample';

/** An 11 px label's width per character (digits and separators), and recharts' minTickGap. */
const CHAR_PX = 7;
const GAP_PX = 5;

/**
 * The x ticks of a chart over turns: as many evenly spaced labels, back from the newest turn, as fit
 * the plot's width (the box's width as its ResizeObserver saw it, less the y axis), so recharts need not
 * measure every category's label in the DOM (pass them with interval={0}).
 */
export function useTurnTicks<T>(box: RefObject<HTMLElement | null>, data: readonly T[], key: keyof T, axisWidth: number): T[keyof T][] {
  const width = useBoxWidth(box);
  const last = data.length > 0 ? String(data[data.length - 1][key]) : '';
  const fit = Math.max(2, Math.floor((width - axisWidth) / (last.length * CHAR_PX + GAP_PX)));
  return endTicks(data, key, fit);
}

/** An element's width, kept by a ResizeObserver (read in its callback, where layout is current). */
function useBoxWidth(box: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(480);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [box]);
  return width;
}

/**
 * Tick label props for recharts axes: labels drawn as they are, without recharts' word wrapping. An
 * axis hands its width to every tick label's <Text>, which then measures each word in the DOM to wrap
 * it (getWordsByLines -> getStringSize): our labels are single numbers, and that measuring was the
 * largest part of a chart update in a profiled replay (~280 of ~1,000 ms). A width of 0 turns it off;
 * the labels render the same.
 */
export const PLAIN_TICK = { width: 0 } as const;
