import type { EventBatch, ProfileSpan, SpanColumns, ViewSnapshot } from '../protocol.js';
import { RESETS } from './draft.js';
import { Ring } from './ring.js';
import { emptyProfilerSpans, PROFILER_SPANS_CAP } from './viewState.js';

/**
 * The profiler's spans after a batch: a hello's batch carries the snapshot's newest spans as its
 * columns and they replace the ring; a loaded session starts a new ring; otherwise the batch's spans
 * are pushed in place (the same ring comes back).
 */
export function reduceProfiler(ring: Ring<ProfileSpan>, batch: EventBatch): Ring<ProfileSpan> {
  const hello = batch.events.find((e) => e.type === 'helloAck');
  if (hello) return profilerFromSnapshot(hello.snapshot, batch.spans);
  const next = batch.events.some((e) => (RESETS as readonly string[]).includes(e.type)) ? emptyProfilerSpans() : ring;
  if (batch.spans) pushSpanColumns(next, batch.spans);
  return next;
}

/** Adds a batch's profiler spans (columns: [start, end, depth, turn] per span) to the ring of the newest. */
export function pushSpanColumns(ring: Ring<ProfileSpan>, columns: SpanColumns): void {
  const { names, data } = columns;
  for (let i = 0; i < names.length; i++) {
    ring.push({ name: names[i], start: data[i * 4], end: data[i * 4 + 1], depth: data[i * 4 + 2], turn: data[i * 4 + 3] });
  }
}

/** A profiler ring from a snapshot's total and the hello batch's span columns. */
export function profilerFromSnapshot(s: ViewSnapshot, columns: SpanColumns | undefined): Ring<ProfileSpan> {
  const n = columns?.names.length ?? 0;
  const ring = new Ring<ProfileSpan>(PROFILER_SPANS_CAP, Math.max(0, s.profilerTotal - n));
  if (columns) pushSpanColumns(ring, columns);
  return ring;
}
