import { assertNever, type HostEvent } from '../protocol.js';
import { eventsOf, RESETS } from './draft.js';
import { factsFromSnapshot } from './snapshot.js';
import { emptyFacts, type FactsState } from './viewState.js';

export const FACTS_EVENTS = [...RESETS, 'facts'] as const;

/**
 * The facts store: the fact ledger as the engine last reported it (its facts event is last-value-wins,
 * so a batch's newest one is the ledger). A hello rebuilds it from the snapshot; a loaded session starts
 * with none until the engine reports its ledger. Undefined when the batch changes nothing.
 */
export function reduceFacts(state: FactsState, events: readonly HostEvent[]): FactsState | undefined {
  let next: FactsState | undefined;
  for (const e of eventsOf(events, FACTS_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        next = factsFromSnapshot(e.snapshot);
        break;
      case 'sessionLoaded':
        next = emptyFacts();
        break;
      case 'facts':
        next = { ledger: e };
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return next !== undefined && next.ledger === state.ledger ? undefined : next;
}
