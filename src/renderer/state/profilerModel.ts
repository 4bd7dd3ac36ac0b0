import type { ProfileSpan, SpanColumns } from '../../shared/protocol.js';
import { Ring } from './ring.js';

/** How many profiler spans the live flamechart keeps: the newest. */
export const PROFILER_SPANS_CAP = 60_000;

/**
 * Profiler spans for the live flamechart: a mutable model outside React. The canvas subscribes and
 * redraws once per animation frame; nothing here goes through React state. The spans are a ring of
 * the newest PROFILER_SPANS_CAP, so a batch costs its own spans (no trim copies the rest).
 */
export class ProfilerModel {
  /** Replaced only by clear(); pushed to in place. */
  spans = new Ring<ProfileSpan>(PROFILER_SPANS_CAP);
  version = 0;
  #listeners = new Set<() => void>();

  addColumns(columns: SpanColumns): void {
    const { names, data } = columns;
    for (let i = 0; i < names.length; i++) {
      this.spans.push({ name: names[i], start: data[i * 4], end: data[i * 4 + 1], depth: data[i * 4 + 2], turn: data[i * 4 + 3] });
    }
    this.#changed();
  }

  clear(): void {
    this.spans = new Ring<ProfileSpan>(PROFILER_SPANS_CAP);
    this.#changed();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.version++;
    for (const l of this.#listeners) l();
  }
}

export const profilerModel = new ProfilerModel();
