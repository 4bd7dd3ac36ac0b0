import type { EventBatch } from '../protocol.js';
import type { ViewStores } from './viewState.js';

/** The last autosave on disk after a batch: its `autosaved` event (stamped with the batch's time), or a hello's snapshot. */
export function reduceAutosaved(last: ViewStores['autosaved'], batch: EventBatch): ViewStores['autosaved'] {
  let next = last;
  for (const e of batch.events) {
    if (e.type === 'autosaved') next = { messages: e.messages, bytes: e.bytes, at: batch.sentAt };
    else if (e.type === 'helloAck') next = e.snapshot.autosaved;
  }
  return next;
}
