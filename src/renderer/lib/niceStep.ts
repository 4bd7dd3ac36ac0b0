/** The smallest step of m × 10^k (m from `multipliers`, ascending, ending at 10) that is at least `raw` (raw > 0). */
export function niceStepOf(raw: number, multipliers: readonly number[]): number {
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of multipliers) if (m * pow >= raw * (1 - 1e-9)) return m * pow;
  return 10 * pow;
}

/** The smallest step of 1, 2 or 5 × 10^k that is at least `raw` (raw > 0): the flamechart's ruler. */
export const niceStep = (raw: number): number => niceStepOf(raw, [1, 2, 5, 10]);
