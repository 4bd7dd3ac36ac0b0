import { assertNever, type HostEvent } from '../protocol.js';
import { eventsOf, RESETS } from './draft.js';
import type { SpansState } from './viewState.js';
import { spansFromSnapshot } from './snapshot.js';
import { emptySpans } from './viewState.js';

export const SPANS_EVENTS = [...RESETS, 'recall', 'spanScores'] as const;

/** The spans store: the latest knapsack choice, recall and 2D projection. */
export function reduceSpans(state: SpansState, events: readonly HostEvent[]): SpansState | undefined {
  let next: SpansState | undefined;
  for (const e of eventsOf(events, SPANS_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        next = spansFromSnapshot(e.snapshot);
        break;
      case 'sessionLoaded':
        next = emptySpans();
        break;
      case 'recall':
        next = { ...(next ?? state), recall: e };
        break;
      case 'spanScores': {
        const projected = e.spans.some((s) => s.x !== undefined);
        next = { ...(next ?? state), scores: e, ...(projected ? { projection: e } : {}) };
        break;
      }
      default:
        assertNever(e, 'event');
    }
  }
  return next;
}
