import { assertNever, type HostEvent } from '../protocol.js';
import { eventsOf, RESETS } from './draft.js';
import { whatIfFromSnapshot } from './snapshot.js';
import type { WhatIfViewState } from './viewState.js';

export const WHAT_IF_EVENTS = [...RESETS, 'whatIfResult'] as const;

/**
 * The what-if store: the session's last comparison, as the host answered it (every client gets it, and a
 * reload gets it in the snapshot). A re-run under other settings keeps it (it compares two settings of
 * its own on the same chat); another session clears it. Undefined when the batch changes nothing.
 */
export function reduceWhatIf(state: WhatIfViewState, events: readonly HostEvent[]): WhatIfViewState | undefined {
  let result = state.result;
  for (const e of eventsOf(events, WHAT_IF_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        result = whatIfFromSnapshot(e.snapshot).result;
        break;
      case 'sessionLoaded':
        if (e.reason !== 'rerun') result = undefined;
        break;
      case 'whatIfResult':
        result = e;
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return result === state.result ? undefined : { result };
}
