import { assertNever, type HostEvent } from '../../shared/protocol.js';
import { eventsOf, RESETS, type EventOf } from './draft.js';
import { emptyEvictions, type EvictionState } from './stores.js';

export const EVICTION_EVENTS = [...RESETS, 'eviction', 'recall', 'summary'] as const;

/**
 * The eviction store: the log (a ring of its newest rows, pushed to in place: a batch never copies
 * it), evicted and summarized ranges per message, summary events, and the exact evicted tokens.
 */
export function reduceEvictions(state: EvictionState, events: readonly HostEvent[], sentAt: number): EvictionState | undefined {
  let next: EvictionState | undefined;
  const draft = () => (next ??= copyOf(state));
  for (const e of eventsOf(events, EVICTION_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
      case 'sessionLoaded':
        next = emptyEvictions();
        break;
      case 'eviction':
        addEviction(draft(), e, sentAt);
        break;
      case 'recall':
        draft().log.push(e, sentAt);
        break;
      case 'summary':
        draft().log.push(e, sentAt);
        draft().summaries[e.messageId] = e;
        break;
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
  for (const r of e.ranges) x.byMessage[r.messageId] = [...(x.byMessage[r.messageId] ?? []), r.from, r.to, e.seq];
  if (e.reason.kind === 'summarized') for (const r of e.ranges) x.summarized[r.messageId] = [...(x.summarized[r.messageId] ?? []), r.from, r.to, e.seq];
}

/** The same log (the ring is shared, not copied); the per-message maps copied, so their selectors see changes. */
function copyOf(cur: EvictionState): EvictionState {
  return { ...cur, byMessage: { ...cur.byMessage }, summarized: { ...cur.summarized }, summaries: { ...cur.summaries } };
}
