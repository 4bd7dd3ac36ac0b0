/** Keeps at most `max` points, evenly spaced, always including the last one (charts stay bounded). */
export function downsample<T>(points: readonly T[], max: number): T[] {
  return pick(points.length, (i) => points[i], max);
}

/** The same over a ring's kept items, oldest first, read in place: costs `max`, not the ring's size. */
export function downsampleRing<T>(ring: { readonly size: number; oldest(i: number): T | undefined }, max: number): T[] {
  return pick(ring.size, (i) => ring.oldest(i)!, max);
}

function pick<T>(length: number, at: (i: number) => T, max: number): T[] {
  const out: T[] = [];
  if (length <= max) {
    for (let i = 0; i < length; i++) out.push(at(i));
    return out;
  }
  const step = length / max;
  for (let i = 0; i < max - 1; i++) out.push(at(Math.floor(i * step)));
  out.push(at(length - 1));
  return out;
}

/**
 * The category ticks a chart labels: at most `max` values evenly spaced back from the last one (the
 * newest turn is always labelled, as recharts' default 'preserveEnd' does). Given to an axis with
 * interval={0}, recharts draws them as they are instead of measuring every category's label in the
 * DOM to drop overlapping ones: with 120-200 points that measuring was most of a chart update.
 */
export function endTicks<T, K extends keyof T>(points: readonly T[], key: K, max: number): T[K][] {
  const out: T[K][] = [];
  if (points.length === 0) return out;
  const step = Math.max(1, Math.ceil(points.length / max));
  for (let i = points.length - 1; i >= 0; i -= step) out.push(points[i][key]);
  return out.reverse();
}
