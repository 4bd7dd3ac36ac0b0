import type { ContextBuiltEvent, MessageData } from '../../shared/protocol';
import type { Run } from '../../shared/view/tokenStates.js';

/** Where the context starts mid-message (the sentence-boundary anchor), as an absolute position. */
export function anchorPosition(context: ContextBuiltEvent | undefined, messages: readonly MessageData[]): number | undefined {
  const first = context?.segments.find((s) => !s.pinned && !s.summary);
  if (!first) return undefined;
  const m = messages.find((x) => x.id === first.messageId);
  return m ? m.startPos + first.from : undefined;
}

/** The run containing a token position (binary search). */
export function runAt(runs: readonly Run[], pos: number): Run | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid];
    if (pos < r.start) hi = mid - 1;
    else if (pos >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}
