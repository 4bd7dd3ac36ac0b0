/**
 * A view model as data and back: what the host sends with helloAck so that a client that connects
 * late (a reload, a second window, a restarted engine) holds exactly what a client that saw every
 * batch holds. Rings travel as their newest items plus their totals, the per-message token ranges
 * as flat [messageId, from, to, seq] quads, the profiler's spans as span columns.
 */
import type { MessageData, ProfileSpan, SpanColumns, ViewSnapshot } from '../protocol.js';
import { MessageList } from './appendList.js';
import { EvictionRing } from './evictionRing.js';
import { Ring } from './ring.js';
import { emptyServerTotals } from './serverUsage.js';
import {
  CACHE_REPORTS_CAP,
  EMBEDDING_POINTS_CAP,
  WINDOW_SERIES_CAP,
  type CacheState,
  type ChatState,
  type EvictionState,
  type FactsState,
  type SpansState,
  type TuneViewState,
  type ViewStores,
  type WhatIfViewState,
  type WindowState,
} from './viewState.js';

const seriesOf = <T>(ring: Ring<T>) => ({ items: ring.toArray(), total: ring.total });

/**
 * Every store of the model as data, its profiler spans as columns (to travel in the batch's `spans`),
 * and the buffers a port may transfer instead of copying.
 */
export function toSnapshot(model: ViewStores): { snapshot: ViewSnapshot; spans: SpanColumns; transfer: ArrayBuffer[] } {
  const { chat, window: w, evictions: x, cache, spans } = model;
  const snapshot: ViewSnapshot = {
    messages: [...chat.messages.items],
    ...(chat.streaming ? { streaming: { ...chat.streaming } } : {}),
    interrupted: chat.interrupted.map((r) => ({ ...r })),
    replyUsage: Object.entries(chat.replyUsage).map(([id, u]) => ({ messageId: Number(id), ...u })),
    window: {
      ...defined({ config: w.config, snapshot: w.snapshot, context: w.context, stats: w.stats }),
      history: seriesOf(w.history),
      turns: seriesOf(w.turns),
      anchorHistory: seriesOf(w.anchorHistory),
    },
    evictions: {
      rows: { items: x.log.toArray(), total: x.log.total },
      times: x.log.timesToArray(),
      counts: { ...x.counts },
      evictedTokens: x.evictedTokens,
      evicted: quads(x.byMessage),
      summarized: quads(x.summarized),
      summaries: Object.values(x.summaries),
    },
    cache: {
      reports: seriesOf(cache.reports),
      kvTotals: { ...cache.kvTotals },
      embeddings: seriesOf(cache.embeddings),
      serverTurns: seriesOf(cache.serverTurns),
      serverTotals: { ...cache.serverTotals },
    },
    spans: defined({ scores: spans.scores, recall: spans.recall, projection: spans.projection }),
    ...(model.facts.ledger ? { facts: model.facts.ledger } : {}),
    profilerTotal: model.profiler.total,
    ...(model.autosaved ? { autosaved: { ...model.autosaved } } : {}),
    ...(model.tune.grid ? { tune: model.tune.grid } : {}),
    ...(model.whatIf.result ? { whatIf: model.whatIf.result } : {}),
  };
  const columns = spanColumns(model.profiler);
  return { snapshot, spans: columns, transfer: [columns.data.buffer, snapshot.evictions.evicted.buffer, snapshot.evictions.summarized.buffer] };
}

/** The object without its undefined fields (the snapshot's schema is strict: absent, not undefined). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Ranges per message id ([from, to, seq] triples) as flat [messageId, from, to, seq] quads, by message id. */
function quads(byMessage: Record<number, number[]>): Int32Array<ArrayBuffer> {
  let n = 0;
  for (const triples of Object.values(byMessage)) n += triples.length / 3;
  const out = new Int32Array(n * 4);
  let at = 0;
  for (const [id, triples] of Object.entries(byMessage)) {
    for (let i = 0; i < triples.length; i += 3, at += 4) out.set([Number(id), triples[i], triples[i + 1], triples[i + 2]], at);
  }
  return out;
}

function fromQuads(flat: ArrayLike<number>): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (let i = 0; i + 3 < flat.length; i += 4) (out[flat[i]] ??= []).push(flat[i + 1], flat[i + 2], flat[i + 3]);
  return out;
}

function spanColumns(ring: Ring<ProfileSpan>): SpanColumns {
  const names: string[] = [];
  const data = new Float64Array(ring.size * 4);
  let i = 0;
  for (const s of ring) {
    names.push(s.name);
    data.set([s.start, s.end, s.depth, s.turn], i * 4);
    i++;
  }
  return { names, data };
}

/** The chat store from a snapshot (the version is the caller's: it only ever grows). */
export function chatFromSnapshot(s: ViewSnapshot): Omit<ChatState, 'messagesVersion'> {
  const replyUsage: ChatState['replyUsage'] = {};
  for (const { messageId, ...u } of s.replyUsage) replyUsage[messageId] = u;
  return { messages: new MessageList(s.messages), streaming: s.streaming, interrupted: s.interrupted, replyUsage };
}

export function windowFromSnapshot(s: ViewSnapshot): Omit<WindowState, 'seriesVersion'> {
  const w = s.window;
  return {
    config: w.config,
    snapshot: w.snapshot,
    context: w.context,
    stats: w.stats,
    history: Ring.from(WINDOW_SERIES_CAP, w.history.items, w.history.total),
    turns: Ring.from(WINDOW_SERIES_CAP, w.turns.items, w.turns.total),
    anchorHistory: Ring.from(WINDOW_SERIES_CAP, w.anchorHistory.items, w.anchorHistory.total),
  };
}

export function evictionsFromSnapshot(s: ViewSnapshot): Omit<EvictionState, 'version'> {
  const x = s.evictions;
  const log = EvictionRing.from(x.rows.items, x.times, x.rows.total);
  const summaries: EvictionState['summaries'] = {};
  for (const e of x.summaries) summaries[e.messageId] = e;
  return { log, byMessage: fromQuads(x.evicted), summarized: fromQuads(x.summarized), summaries, evictedTokens: x.evictedTokens, counts: { ...x.counts } };
}

export function cacheFromSnapshot(s: ViewSnapshot): Omit<CacheState, 'version'> {
  const c = s.cache;
  return {
    reports: Ring.from(CACHE_REPORTS_CAP, c.reports.items, c.reports.total),
    kvTotals: { ...c.kvTotals },
    embeddings: Ring.from(EMBEDDING_POINTS_CAP, c.embeddings.items, c.embeddings.total),
    serverTurns: Ring.from(CACHE_REPORTS_CAP, c.serverTurns.items, c.serverTurns.total),
    serverTotals: { ...c.serverTotals },
  };
}

export function spansFromSnapshot(s: ViewSnapshot): SpansState {
  return { scores: s.spans.scores, recall: s.spans.recall, projection: s.spans.projection };
}

export function factsFromSnapshot(s: ViewSnapshot): FactsState {
  return { ledger: s.facts };
}

export function tuneFromSnapshot(s: ViewSnapshot): TuneViewState {
  return { grid: s.tune };
}

export function whatIfFromSnapshot(s: ViewSnapshot): WhatIfViewState {
  return { result: s.whatIf };
}

/** The snapshot of a session with these messages and nothing else yet (a new session; tests). */
export function emptySnapshot(messages: readonly MessageData[] = []): ViewSnapshot {
  const none = { items: [], total: 0 };
  return {
    messages: [...messages],
    interrupted: [],
    replyUsage: [],
    window: { history: none, turns: none, anchorHistory: none },
    evictions: { rows: none, times: [], counts: { evictions: 0, recalls: 0, summaries: 0 }, evictedTokens: 0, evicted: new Int32Array(0), summarized: new Int32Array(0), summaries: [] },
    cache: { reports: none, kvTotals: { turns: 0, reusedTokens: 0, recomputedTokens: 0 }, embeddings: none, serverTurns: none, serverTotals: emptyServerTotals() },
    spans: {},
    profilerTotal: 0,
  };
}
