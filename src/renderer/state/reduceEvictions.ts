import { assertNever, type HostEvent } from '../../shared/protocol.js';
import { eventsOf, RESETS, type EventOf } from './draft.js';
import { emptyEvictions, type EvictionState } from './stores.js';

export const EVICTION_EVENTS = [...RESETS, 'eviction', 'recall', 'summary'] as const;

/** The eviction store: the log's rows, evicted and summarized ranges per message, summary events, evicted tokens. */
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
        addRow(draft(), e, sentAt);
        break;
      case 'summary':
        addRow(draft(), e, sentAt);
        draft().summaries[e.messageId] = e;
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return next;
}

function addRow(x: EvictionState, e: EvictionState['rows'][number], sentAt: number): void {
  x.rows.push(e);
  x.times[e.seq] = sentAt;
}

function addEviction(x: EvictionState, e: EventOf<'eviction'>, sentAt: number): void {
  addRow(x, e, sentAt);
  x.evictedTokens += e.tokens;
  for (const r of e.ranges) x.byMessage[r.messageId] = [...(x.byMessage[r.messageId] ?? []), r.from, r.to, e.seq];
  if (e.reason.kind === 'summarized') for (const r of e.ranges) x.summarized[r.messageId] = [...(x.summarized[r.messageId] ?? []), r.from, r.to, e.seq];
}

function copyOf(cur: EvictionState): EvictionState {
  return { ...cur, rows: [...cur.rows], byMessage: { ...cur.byMessage }, summarized: { ...cur.summarized }, summaries: { ...cur.summaries }, times: { ...cur.times } };
}
