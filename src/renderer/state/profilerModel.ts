import type { ProfileSpan, SpanColumns } from '../../shared/protocol.js';

const MAX_SPANS = 60_000;

/**
 * Profiler spans for the live flamechart: a mutable model outside React. The canvas subscribes and
 * redraws once per animation frame; nothing here goes through React state.
 */
export class ProfilerModel {
  spans: ProfileSpan[] = [];
  version = 0;
  #listeners = new Set<() => void>();

  addColumns(columns: SpanColumns): void {
    const { names, data } = columns;
    for (let i = 0; i < names.length; i++) {
      this.spans.push({ name: names[i], start: data[i * 4], end: data[i * 4 + 1], depth: data[i * 4 + 2], turn: data[i * 4 + 3] });
    }
    if (this.spans.length > MAX_SPANS) this.spans = this.spans.slice(this.spans.length - MAX_SPANS);
    this.#changed();
  }

  clear(): void {
    this.spans = [];
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
