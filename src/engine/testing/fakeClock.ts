/** A fake clock that advances 1 ms per reading: an engine's timings are deterministic in tests. */
export function fakeClock(): () => number {
  let t = 0;
  return () => t++;
}
