import type { ProfileSpan, SpanColumns } from '../../shared/protocol.js';
import type { Ring } from '../../shared/view/ring.js';
import { pushSpanColumns } from '../../shared/view/reduceProfiler.js';
import { emptyProfilerSpans, PROFILER_SPANS_CAP } from '../../shared/view/viewState.js';

export { PROFILER_SPANS_CAP };

/**
 * Profiler spans for the live flamechart: a mutable model outside React. The canvas subscribes and
 * redraws once per animation frame; nothing here goes through React state. The spans are a ring of
 * the newest PROFILER_SPANS_CAP, so a batch costs its own spans (no trim copies the rest).
 */
export class ProfilerModel {
  /** Replaced only by clear() and replace(); pushed to in place. */
  spans: Ring<ProfileSpan> = emptyProfilerSpans();
  version = 0;
  #listeners = new Set<() => void>();

  addColumns(columns: SpanColumns): void {
    pushSpanColumns(this.spans, columns);
    this.changed();
  }

  clear(): void {
    this.replace(emptyProfilerSpans());
  }

  /** The spans start over from these (a new session: none; a hello: the snapshot's). */
  replace(spans: Ring<ProfileSpan>): void {
    this.spans = spans;
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The spans changed in place (a batch pushed to the ring): redraw. */
  changed(): void {
    this.version++;
    for (const l of this.#listeners) l();
  }
}

export const profilerModel = new ProfilerModel();
