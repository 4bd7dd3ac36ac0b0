import type { EventBatch, ProfileSpan } from '../protocol.js';
import { reduceCache } from './reduceCache.js';
import { reduceChat } from './reduceChat.js';
import { reduceEvictions } from './reduceEvictions.js';
import { reduceFacts } from './reduceFacts.js';
import { reduceProfiler } from './reduceProfiler.js';
import { reduceAutosaved } from './reduceAutosaved.js';
import { reduceSpans } from './reduceSpans.js';
import { reduceTune } from './reduceTune.js';
import { reduceWhatIf } from './reduceWhatIf.js';
import { reduceWindow } from './reduceWindow.js';
import type { Ring } from './ring.js';
import { emptyCache, emptyChat, emptyEvictions, emptyFacts, emptyProfilerSpans, emptySpans, emptyTune, emptyWhatIf, emptyWindow, type CacheState, type ChatState, type EvictionState, type FactsState, type SpansState, type TuneViewState, type ViewStores, type WhatIfViewState, type WindowState } from './viewState.js';

/**
 * Every store of the UI, folded from batches by the same reducers the renderer's stores use. The
 * engine host keeps one, fed with every batch it sends (or would send, while no client is connected),
 * and sends it as a snapshot when a client says hello; tests keep one per simulated client.
 */
export class ViewModel implements ViewStores {
  chat: ChatState = { ...emptyChat(), messagesVersion: 0 };
  window: WindowState = { ...emptyWindow(), seriesVersion: 0 };
  evictions: EvictionState = emptyEvictions();
  cache: CacheState = emptyCache();
  spans: SpansState = emptySpans();
  facts: FactsState = emptyFacts();
  tune: TuneViewState = emptyTune();
  whatIf: WhatIfViewState = emptyWhatIf();
  profiler: Ring<ProfileSpan> = emptyProfilerSpans();
  autosaved: ViewStores['autosaved'];

  apply(batch: EventBatch): void {
    this.chat = { ...this.chat, ...reduceChat(this.chat, batch.events) };
    this.window = { ...this.window, ...reduceWindow(this.window, batch.events) };
    this.evictions = reduceEvictions(this.evictions, batch.events, batch.sentAt) ?? this.evictions;
    this.cache = reduceCache(this.cache, batch.events) ?? this.cache;
    this.spans = reduceSpans(this.spans, batch.events) ?? this.spans;
    this.facts = reduceFacts(this.facts, batch.events) ?? this.facts;
    this.tune = reduceTune(this.tune, batch.events) ?? this.tune;
    this.whatIf = reduceWhatIf(this.whatIf, batch.events) ?? this.whatIf;
    this.profiler = reduceProfiler(this.profiler, batch);
    this.autosaved = reduceAutosaved(this.autosaved, batch);
  }
}
