import type { ContextBuiltEvent, MessageData } from '../../shared/protocol';

/** Where the context starts mid-message (the sentence-boundary anchor), as an absolute position. */
export function anchorPosition(context: ContextBuiltEvent | undefined, messages: readonly MessageData[]): number | undefined {
  const first = context?.segments.find((s) => !s.pinned && !s.summary);
  if (!first) return undefined;
  const m = messages.find((x) => x.id === first.messageId);
  return m ? m.startPos + first.from : undefined;
}
