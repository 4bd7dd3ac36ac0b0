/**
 * Which planted facts survived into a rendered context: a fact counts when its latest statement is
 * there, as the whole sentence verbatim or as a fact card (see factMatch.ts), and is stale when only
 * an older statement is.
 */
import { factState, hasSentence, type FactState, type MatchFact } from './factMatch.js';
import { FACT_POSITIONS, type FactPosition } from './plantedChat.js';

export interface FactLike extends MatchFact {
  position: FactPosition;
}

/**
 * The facts whose whole sentence appears verbatim in `context`. The value alone, a cut sentence or a
 * look-alike about someone else does not count.
 */
export function retainedFacts<F extends { sentence: string }>(context: string, facts: readonly F[]): F[] {
  return facts.filter((f) => hasSentence(context, f.sentence));
}

export interface RetentionCount {
  /** Latest statement kept, as its sentence or as a card. */
  kept: number;
  /** Of `kept`, those kept only as a card. */
  card: number;
  /** Latest statement not kept, an older one kept. */
  stale: number;
  total: number;
}

/** Every fact, per third of the chat, the user's own or a third person's, and those restated with a new value. */
export const RETENTION_KEYS = ['overall', ...FACT_POSITIONS, 'user', 'person', 'updated'] as const;
export type RetentionKey = (typeof RETENTION_KEYS)[number];
export type Retention = Record<RetentionKey, RetentionCount>;

export function emptyRetention(): Retention {
  return Object.fromEntries(RETENTION_KEYS.map((k) => [k, { kept: 0, card: 0, stale: 0, total: 0 }])) as Retention;
}

/** Counts one fact's state into `c`. */
export function countState(c: RetentionCount, state: FactState): void {
  c.total++;
  if (state.latest) c.kept++;
  if (state.latest === 'card') c.card++;
  if (state.stale) c.stale++;
}

/** Counts each fact's state in `context` under every key it belongs to; `people`: the chat's names (for the card rule). */
export function retention(context: string, facts: readonly FactLike[], people: readonly string[]): Retention {
  const out = emptyRetention();
  for (const f of facts) {
    const state = factState(context, f, people);
    const keys: RetentionKey[] = ['overall', f.position, f.person === undefined ? 'user' : 'person', ...(f.updates.length > 0 ? (['updated'] as const) : [])];
    for (const key of keys) countState(out[key], state);
  }
  return out;
}

/** Adds `b` into `a`. */
export function addRetention(a: Retention, b: Retention): void {
  for (const key of RETENTION_KEYS) {
    a[key].kept += b[key].kept;
    a[key].card += b[key].card;
    a[key].stale += b[key].stale;
    a[key].total += b[key].total;
  }
}

/** Percent of `total`; undefined when there is nothing to count. */
export const percent = (part: number, total: number): number | undefined => (total > 0 ? (100 * part) / total : undefined);
