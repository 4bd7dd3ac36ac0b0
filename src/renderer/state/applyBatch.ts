import type { EventBatch, HostEvent } from '../../shared/protocol.js';
import { profilerModel } from './profilerModel.js';
import { reduceProfiler } from '../../shared/view/reduceProfiler.js';
import { CACHE_EVENTS, reduceCache } from '../../shared/view/reduceCache.js';
import { CHAT_EVENTS, reduceChat } from '../../shared/view/reduceChat.js';
import { EVICTION_EVENTS, reduceEvictions } from '../../shared/view/reduceEvictions.js';
import { FACTS_EVENTS, reduceFacts } from '../../shared/view/reduceFacts.js';
import { reduceSession, SESSION_EVENTS, type BatchEffects } from './reduceSession.js';
import { reduceSpans, SPANS_EVENTS } from '../../shared/view/reduceSpans.js';
import { reduceTune, TUNE_EVENTS } from '../../shared/view/reduceTune.js';
import { reduceWhatIf, WHAT_IF_EVENTS } from '../../shared/view/reduceWhatIf.js';
import { reduceWindow, WINDOW_EVENTS } from '../../shared/view/reduceWindow.js';
import { cacheStore, evictionStore, factsStore, sessionStore, spansStore, tuneStore, whatIfStore, windowStore, type SessionState } from './stores.js';

export type { BatchEffects } from './reduceSession.js';

/** Events no store keeps: spans travel as the batch's columns, metrics are answered to whoever asked. */
type Unstored = 'profileSpan' | 'metrics';
type Routed = (typeof CHAT_EVENTS | typeof SESSION_EVENTS | typeof WINDOW_EVENTS | typeof EVICTION_EVENTS | typeof SPANS_EVENTS | typeof CACHE_EVENTS | typeof FACTS_EVENTS | typeof TUNE_EVENTS | typeof WHAT_IF_EVENTS)[number] | Unstored;
/** Compiles only while every event type is read by some reducer or listed in Unstored. */
const _everyEventRouted: Record<Exclude<HostEvent['type'], Routed>, never> = {};

/**
 * Commits one batch: each store's reducer collects its changes from the whole batch, then each store
 * gets one `set`, so React renders once per batch (batches arrive at most once per ~16 ms).
 */
export function applyBatch(batch: EventBatch, effects: BatchEffects): void {
  const session = sessionPatch(batch, effects);
  const win = reduceWindow(windowStore.getState(), batch.events);
  const evictions = reduceEvictions(evictionStore.getState(), batch.events, batch.sentAt);
  const cache = reduceCache(cacheStore.getState(), batch.events);
  const spans = reduceSpans(spansStore.getState(), batch.events);
  const facts = reduceFacts(factsStore.getState(), batch.events);
  const tune = reduceTune(tuneStore.getState(), batch.events);
  const whatIf = reduceWhatIf(whatIfStore.getState(), batch.events);
  applyProfiler(batch);
  if (Object.keys(session).length > 0) sessionStore.setState(session);
  if (Object.keys(win).length > 0) windowStore.setState(win);
  if (evictions) evictionStore.setState(evictions);
  if (cache) cacheStore.setState(cache);
  if (spans) spansStore.setState(spans);
  if (facts) factsStore.setState(facts);
  if (tune) tuneStore.setState(tune);
  if (whatIf) whatIfStore.setState(whatIf);
}

/** The conversation and the rest of the session store in one patch; the header counts the conversation. */
function sessionPatch(batch: EventBatch, effects: BatchEffects): Partial<SessionState> {
  const state = sessionStore.getState();
  const chat = reduceChat(state, batch.events);
  const patch = { ...reduceSession(state, batch, effects), ...chat };
  const info = 'info' in patch ? patch.info : state.info;
  // rolling summaries are messages of the engine, not of the chat (the list counts the others as they come)
  if (chat.messagesVersion !== undefined && info) patch.info = { ...info, messages: (chat.messages ?? state.messages).conversationLength };
  return patch;
}

function applyProfiler(batch: EventBatch): void {
  const next = reduceProfiler(profilerModel.spans, batch);
  if (next !== profilerModel.spans) profilerModel.replace(next);
  else if (batch.spans) profilerModel.changed();
}
