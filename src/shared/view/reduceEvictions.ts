import { assertNever, type HostEvent } from '../protocol.js';
import { eventsOf, RESETS, type EventOf } from './draft.js';
import { emptyEvictions, type EvictionState } from './viewState.js';
import { evictionsFromSnapshot } from './snapshot.js';

export const EVICTION_EVENTS = [...RESETS, 'eviction', 'recall', 'summary'] as const;

/**
 * The eviction store: the log (a ring of its newest rows), evicted and summarized ranges per message,
 * summary events, and exact totals (rows by kind, evicted tokens); a hello rebuilds it from the snapshot. The ring and the maps are mutated in place (a batch
 * costs its own events, never a copy of the log or the maps); a loaded session starts new ones.
 */
export function reduceEvictions(state: EvictionState, events: readonly HostEvent[], sentAt: number): EvictionState | undefined {
  let next: EvictionState | undefined;
  // the same ring and maps: only the counters are new (counts a new object once a batch, then counted in place)
  const draft = () => (next ??= { ...state, counts: { ...state.counts } });
  for (const e of eventsOf(events, EVICTION_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        next = { ...evictionsFromSnapshot(e.snapshot), version: 0 };
        break;
      case 'sessionLoaded':
        next = emptyEvictions();
        break;
      case 'eviction':
        addEviction(draft(), e, sentAt);
        break;
      case 'recall': {
        const x = draft();
        x.log.push(e, sentAt);
        x.counts.recalls++;
        break;
      }
      case 'summary': {
        const x = draft();
        x.log.push(e, sentAt);
        x.summaries[e.messageId] = e;
        x.counts.summaries++;
        break;
      }
      default:
        assertNever(e, 'event');
    }
  }
  if (next) next.version = state.version + 1;
  return next;
}

function addEviction(x: EvictionState, e: EventOf<'eviction'>, sentAt: number): void {
  x.log.push(e, sentAt);
  x.evictedTokens += e.tokens;
  x.counts.evictions++;
  for (const r of e.ranges) (x.byMessage[r.messageId] ??= []).push(r.from, r.to, e.seq);
  if (e.reason.kind === 'summarized') for (const r of e.ranges) (x.summarized[r.messageId] ??= []).push(r.from, r.to, e.seq);
}
