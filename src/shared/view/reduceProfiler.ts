import type { ProfileSpan, SpanColumns } from '../protocol.js';
import type { Ring } from './ring.js';

/** Adds a batch's profiler spans (columns: [start, end, depth, turn] per span) to the ring of the newest. */
export function pushSpanColumns(ring: Ring<ProfileSpan>, columns: SpanColumns): void {
  const { names, data } = columns;
  for (let i = 0; i < names.length; i++) {
    ring.push({ name: names[i], start: data[i * 4], end: data[i * 4 + 1], depth: data[i * 4 + 2], turn: data[i * 4 + 3] });
  }
}
