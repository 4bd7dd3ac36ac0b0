import type { ServerResponse } from 'node:http';

/** How long a /metrics scrape waits for the engine before it gets 504. */
const METRICS_TIMEOUT_MS = 5000;

/**
 * /metrics scrapes: the first waiting scrape asks the engine (`ask`), and the next `metrics` event
 * answers every scrape waiting for it; a scrape the engine does not answer in time gets 504.
 */
export class MetricsScrapes {
  readonly #ask: () => void;
  readonly #waiters: ((text: string) => void)[] = [];

  constructor(ask: () => void) {
    this.#ask = ask;
  }

  /** Answers waiting scrapes from a batch's metrics event, if it has one. */
  observe(batch: { metrics: readonly string[] }): void {
    for (const text of batch.metrics) this.#waiters.splice(0).forEach((w) => w(text));
  }

  /** A scrape: answered when the engine's metrics arrive, or 504 after a timeout. */
  answer(res: ServerResponse): void {
    const timer = setTimeout(() => {
      const i = this.#waiters.indexOf(answer);
      if (i >= 0) this.#waiters.splice(i, 1);
      res.writeHead(504, { 'Content-Type': 'text/plain' }).end('the engine did not answer\n');
    }, METRICS_TIMEOUT_MS);
    const answer = (text: string): void => {
      clearTimeout(timer);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
    };
    // one question answers every scrape waiting for it
    if (this.#waiters.push(answer) === 1) this.#ask();
  }
}
