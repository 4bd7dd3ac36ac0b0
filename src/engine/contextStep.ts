import type { ContextBuiltEvent } from '../shared/protocol.js';
import { buildContext, segmentTokens, type BuiltContext } from './core/contextBuilder.js';
import type { ChatMessage } from './core/tokenizer.js';
import type { EngineParts } from './engineParts.js';

/** Builds the context (timed, counted in the turn) and emits it. */
export function buildStep(p: EngineParts): BuiltContext {
  const { clock, config, book } = p;
  const t0 = clock();
  const built = p.profiler.measure('build', () => buildContext(p.ledger, config.maxTokens));
  const ms = clock() - t0;
  book.stats.contextBuilds++;
  book.current.buildMs += ms;
  book.current.contextTokens = built.tokens;
  const event: ContextBuiltEvent = {
    type: 'contextBuilt',
    turn: book.turn,
    tokens: built.tokens,
    maxTokens: config.maxTokens,
    segments: built.segments,
    startsAtSentence: built.startsAtSentence,
    ms,
  };
  p.emit(event);
  return built;
}

/**
 * The chat messages of a built context: whole messages as written, partial ones decoded from their
 * retained tokens. Consecutive segments of one message (a recalled sentence next to the message's
 * retained tail) become one message, so the template overhead is paid once, as the ledger counts it.
 */
export function contextMessages(p: EngineParts, built: BuiltContext): ChatMessage[] {
  const out: ChatMessage[] = [];
  let last = -1;
  built.segments.forEach((seg, i) => {
    const m = p.messages[seg.messageId];
    const text = seg.from === 0 && seg.to === m.tokens ? m.content : p.tokenizer.decode(segmentTokens(p.ledger, built, i).ids);
    if (seg.messageId === last) out[out.length - 1].content += text;
    else out.push({ role: m.role, content: text });
    last = seg.messageId;
  });
  return out;
}
