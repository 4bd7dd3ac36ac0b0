import type { ProfileSpan } from '../../shared/protocol';
import type { TimeRange } from './flameGeometry';

/** What the details panel shows for a selected span. */
export interface SpanDetails {
  span: ProfileSpan;
  /** Start in ms since the profile's origin. */
  start: number;
  duration: number;
  /** The enclosing span one level up (same turn), if it is still kept. */
  parent?: { span: ProfileSpan; share: number };
  /** Time of the turn's top-level spans, and the selected span's share of it. */
  turn: { time: number; share: number };
  /** Spans with the same name overlapping the visible range, and their summed durations. */
  sameName: { count: number; total: number };
}

const duration = (s: ProfileSpan) => s.end - s.start;

/** Whether `outer` is `inner`'s parent: one level up in the same turn, enclosing it. */
export function encloses(outer: ProfileSpan, inner: ProfileSpan): boolean {
  return outer.depth === inner.depth - 1 && outer.turn === inner.turn && outer.start <= inner.start && outer.end >= inner.end;
}

/** The selected span's parent (one pass over the kept spans). */
export function parentOf(spans: Iterable<ProfileSpan>, span: ProfileSpan): ProfileSpan | undefined {
  if (span.depth === 0) return undefined;
  for (const s of spans) if (encloses(s, span)) return s;
  return undefined;
}

/** The earliest-starting child of a span, for keyboard navigation down the stack. */
export function firstChildOf(spans: Iterable<ProfileSpan>, span: ProfileSpan): ProfileSpan | undefined {
  let first: ProfileSpan | undefined;
  for (const s of spans) if (encloses(span, s) && (!first || s.start < first.start)) first = s;
  return first;
}

/** A span's details, in one pass over the kept spans. */
export function spanDetails(spans: Iterable<ProfileSpan>, span: ProfileSpan, range: TimeRange, origin: number): SpanDetails {
  let parent: ProfileSpan | undefined;
  let turnTime = 0;
  let count = 0;
  let total = 0;
  for (const s of spans) {
    if (!parent && encloses(s, span)) parent = s;
    if (s.turn === span.turn && s.depth === 0) turnTime += duration(s);
    if (s.name === span.name && s.end >= range.t0 && s.start <= range.t1) {
      count++;
      total += duration(s);
    }
  }
  const d = duration(span);
  return {
    span,
    start: span.start - origin,
    duration: d,
    parent: parent && { span: parent, share: share(d, duration(parent)) },
    turn: { time: turnTime, share: share(d, turnTime) },
    sameName: { count, total },
  };
}

/** part / whole, 1 for a zero-length whole (a zero-length span is all of a zero-length parent). */
function share(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, part / whole) : 1;
}

/** Milliseconds with the precision a span time needs (profiler times have microsecond resolution). */
export function ms(value: number): string {
  const abs = Math.abs(value);
  return `${value.toFixed(abs >= 100 ? 1 : abs >= 1 ? 2 : 3)} ms`;
}

/** A share as a percentage with one decimal. */
export function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
