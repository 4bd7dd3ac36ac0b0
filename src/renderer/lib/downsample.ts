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
