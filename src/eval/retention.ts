/** Which planted facts survived into a rendered context: whole sentences only, matched verbatim. */
import { FACT_POSITIONS, type FactPosition } from './plantedChat.js';

export interface FactLike {
  sentence: string;
  position: FactPosition;
}

/**
 * The facts whose whole sentence appears verbatim in `context`. The value alone, a cut sentence or a
 * look-alike about someone else does not count.
 */
export function retainedFacts<F extends { sentence: string }>(context: string, facts: readonly F[]): F[] {
  return facts.filter((f) => f.sentence.length > 0 && context.includes(f.sentence));
}

export interface RetentionCount {
  kept: number;
  total: number;
}

export type RetentionByPosition = Record<FactPosition | 'overall', RetentionCount>;

export function emptyRetention(): RetentionByPosition {
  const out = { overall: { kept: 0, total: 0 } } as RetentionByPosition;
  for (const p of FACT_POSITIONS) out[p] = { kept: 0, total: 0 };
  return out;
}

/** Kept / total, overall and per position third. */
export function retentionByPosition(context: string, facts: readonly FactLike[]): RetentionByPosition {
  const kept = new Set(retainedFacts(context, facts));
  const out = emptyRetention();
  for (const f of facts) {
    for (const key of ['overall', f.position] as const) {
      out[key].total++;
      if (kept.has(f)) out[key].kept++;
    }
  }
  return out;
}

/** Adds `b` into `a`. */
export function addRetention(a: RetentionByPosition, b: RetentionByPosition): void {
  for (const key of Object.keys(b) as (keyof RetentionByPosition)[]) {
    a[key].kept += b[key].kept;
    a[key].total += b[key].total;
  }
}

export const percent = (c: RetentionCount): number | undefined => (c.total > 0 ? (100 * c.kept) / c.total : undefined);
