import { assertNever, type EventBatch, type HostEvent, type MessageData } from '../../shared/protocol.js';
import { profilerModel } from './profilerModel.js';
import {
  cacheStore,
  emptyEvictions,
  evictionStore,
  notify,
  sessionStore,
  spansStore,
  windowStore,
  type CacheState,
  type EvictionState,
  type SessionState,
  type SpansState,
  type WindowState,
} from './stores.js';

const MAX_HISTORY = 5000;
const MAX_TURNS = 5000;

/** Side effects a batch can ask for (downloads differ between Electron and the browser). */
export interface BatchEffects {
  saveText: (name: string, text: string) => void;
}

/**
 * Commits one batch: collects every change first, then makes one `set` per store, so React
 * renders once per batch (batches arrive at most once per ~16 ms).
 */
export function applyBatch(batch: EventBatch, effects: BatchEffects): void {
  const s: Partial<SessionState> = {};
  const w: Partial<WindowState> = {};
  let ev: EvictionState | undefined;
  let cache: CacheState | undefined;
  let spans: SpansState | undefined;
  const session = () => ({ ...sessionStore.getState(), ...s });
  const win = () => ({ ...windowStore.getState(), ...w });
  let messages: MessageData[] | undefined;
  const msgs = () => (messages ??= [...session().messages]);
  const evictions = () => {
    if (ev) return ev;
    const cur = evictionStore.getState();
    return (ev = { ...cur, rows: [...cur.rows], byMessage: { ...cur.byMessage }, summarized: { ...cur.summarized }, summaries: { ...cur.summaries }, times: { ...cur.times } });
  };
  let history: WindowState['history'] | undefined;
  let turns: WindowState['turns'] | undefined;
  let anchors: WindowState['anchorHistory'] | undefined;

  const reset = () => {
    messages = [];
    ev = emptyEvictions();
    cache = { reports: [], embeddings: [] };
    spans = { scores: undefined, recall: undefined, projection: undefined };
    history = [];
    turns = [];
    anchors = [];
    Object.assign(w, { snapshot: undefined, context: undefined, stats: undefined });
    Object.assign(s, { streaming: undefined, interrupted: [], replay: undefined });
    profilerModel.clear();
  };

  for (const e of batch.events) handle(e);
  if (batch.spans) profilerModel.addColumns(batch.spans);

  function handle(e: HostEvent): void {
    switch (e.type) {
      case 'helloAck':
        reset();
        messages = [...e.messages];
        Object.assign(s, { info: e.session, backend: e.backend, connection: 'connected', engineStopped: undefined, ...(e.limits ? { limits: e.limits } : {}) });
        w.config = e.session.config;
        return;
      case 'sessionLoaded':
        reset();
        messages = [...e.messages];
        s.info = e.session;
        w.config = e.session.config;
        // every reason but 'new' replays the conversation next: the first progress comes a chunk later,
        // and until the replay ends the stats are partial (total unknown until then)
        if (e.reason !== 'new') s.replay = { done: 0, total: 0 };
        if (e.reason === 'open') s.upload = undefined;
        return;
      case 'messageAppended':
        msgs().push({ id: e.messageId, role: e.role, content: e.content, turn: e.turn, pinned: e.pinned, tokens: e.tokens, startPos: e.startPos, ...(e.summary ? { summary: true } : {}) });
        return;
      case 'windowSnapshot':
        w.snapshot = e;
        return;
      case 'eviction': {
        const x = evictions();
        x.rows.push(e);
        x.times[e.seq] = batch.sentAt;
        x.evictedTokens += e.tokens;
        for (const r of e.ranges) x.byMessage[r.messageId] = [...(x.byMessage[r.messageId] ?? []), r.from, r.to, e.seq];
        if (e.reason.kind === 'summarized') for (const r of e.ranges) x.summarized[r.messageId] = [...(x.summarized[r.messageId] ?? []), r.from, r.to, e.seq];
        return;
      }
      case 'contextBuilt':
        w.context = e;
        return;
      case 'stats':
        w.stats = e.stats;
        if (e.turn) {
          history ??= [...windowStore.getState().history];
          turns ??= [...windowStore.getState().turns];
          turns.push(e.turn);
          history.push({ turn: e.turn.turn, used: e.turn.used, maxTokens: win().config?.maxTokens ?? 0, ...(e.byRole ?? { system: 0, user: 0, assistant: 0, tool: 0 }) });
          anchors ??= [...windowStore.getState().anchorHistory];
          const prev = anchors[anchors.length - 1];
          const dh = e.stats.anchorCacheHits - (prev?.hits ?? 0);
          const dm = e.stats.anchorCacheMisses - (prev?.misses ?? 0);
          anchors.push({ turn: e.turn.turn, hits: e.stats.anchorCacheHits, misses: e.stats.anchorCacheMisses, hitRate: dh + dm > 0 ? (100 * dh) / (dh + dm) : 100 });
        }
        return;
      case 'profileSpan':
        return; // spans travel as columns
      case 'warning':
        if (!session().notices.some((n) => n.text === e.message)) notify('info', e.message);
        return;
      case 'error':
        if (e.code !== 'busy' && session().replay) s.replay = undefined; // a failed replay ends without progress
        if (e.command?.startsWith('open') && session().upload) s.upload = undefined; // a refused upload ends
        if (e.id && session().streaming?.id === e.id) {
          const st = session().streaming!;
          s.interrupted = [...session().interrupted, { id: e.id, text: st.text, reason: e.message, afterMessageId: msgs().at(-1)?.id ?? -1 }];
          s.streaming = undefined;
        }
        notify('error', e.repeated ? `${e.message} (and ${e.repeated.toLocaleString('en-US')} more like it)` : e.message);
        return;
      case 'replayProgress':
        s.replay = { done: e.done, total: e.total }; // until the replay's closing configChanged (its stats come first)
        return;
      case 'configChanged':
        // a replay ends with the config it ran under (also when it had no messages to report progress on)
        if (session().replay) s.replay = undefined;
        w.config = e.config;
        if (session().info) s.info = { ...session().info!, config: e.config };
        return;
      case 'backendChanged':
        Object.assign(s, { backend: e.backend, backendReady: e.ready, backendMessage: e.message, download: undefined });
        if (e.message) notify('error', e.message);
        return;
      case 'modelProgress':
        s.download = e.percent >= 100 && e.status === 'ready' ? undefined : { file: e.file, percent: e.percent };
        return;
      case 'chatToken': {
        const st = session().streaming;
        s.streaming = { id: e.id, text: (st?.id === e.id ? st.text : '') + e.text };
        return;
      }
      case 'chatDone': {
        const st = session().streaming;
        if (e.finishReason === 'cancelled' && st) {
          s.interrupted = [...session().interrupted, { id: e.id, text: st.text, reason: 'stopped', afterMessageId: msgs().at(-1)?.id ?? -1 }];
        }
        s.streaming = undefined;
        return;
      }
      case 'cacheReport':
        cache ??= { ...cacheStore.getState(), reports: [...cacheStore.getState().reports] };
        cache.reports.push({ turn: e.turn, hit: e.hit, reusedTokens: e.reusedTokens, recomputedTokens: e.recomputedTokens });
        return;
      case 'sessionSaved':
        if (e.text !== undefined) effects.saveText(`${(session().info?.title ?? 'session').replace(/[^\w.-]+/g, '-')}.json`, e.text);
        notify('info', e.path ? `Saved ${e.path} (${(e.bytes / 1024).toFixed(1)} KB)` : `Session downloaded (${(e.bytes / 1024).toFixed(1)} KB)`);
        if (e.path && session().info) s.info = { ...session().info!, path: e.path };
        return;
      case 'profileExport':
        effects.saveText(e.format === 'speedscope' ? 'profile.speedscope.json' : 'profile.trace.json', e.json);
        return;
      case 'metrics':
        return;
      case 'autosaved':
        s.autosaved = { messages: e.messages, bytes: e.bytes, at: batch.sentAt };
        return;
      case 'openProgress': {
        const up = session().upload;
        if (up?.id === e.id) s.upload = { ...up, received: e.received, total: e.total };
        return;
      }
      case 'engineStopped':
        Object.assign(s, { engineStopped: e.reason, connection: 'failed' });
        return;
      case 'hostRestarted':
        notify('info', `The engine restarted: ${e.reason}. ${e.restoredMessages} messages were restored from the autosave.`);
        return;
      case 'recall': {
        const x = evictions();
        x.rows.push(e);
        x.times[e.seq] = batch.sentAt;
        spans = { ...(spans ?? spansStore.getState()), recall: e };
        return;
      }
      case 'spanScores': {
        const projected = e.spans.some((s) => s.x !== undefined);
        spans = { ...(spans ?? spansStore.getState()), scores: e, ...(projected ? { projection: e } : {}) };
        return;
      }
      case 'embeddingCache': {
        cache ??= { ...cacheStore.getState() };
        const list = [...cache.embeddings];
        const prev = list[list.length - 1];
        const dh = e.hits - (prev?.hits ?? 0);
        const dm = e.misses - (prev?.misses ?? 0);
        list.push({ turn: e.turn, hits: e.hits, misses: e.misses, hitRate: dh + dm > 0 ? (100 * dh) / (dh + dm) : 100, embedder: e.embedder });
        cache.embeddings = list.length > 2000 ? list.slice(-2000) : list;
        return;
      }
      case 'summary': {
        const x = evictions();
        x.rows.push(e);
        x.times[e.seq] = batch.sentAt;
        x.summaries[e.messageId] = e;
        return;
      }
      case 'whatIfResult':
        return; // handled by the what-if panel's own subscription
      default:
        assertNever(e, 'event');
    }
  }

  if (messages) {
    s.messages = messages;
    // the header counts the conversation: rolling summaries are messages of the engine, not of the chat
    const info = session().info;
    if (info) s.info = { ...info, messages: conversationLength(messages) };
  }
  if (history) w.history = history.length > MAX_HISTORY ? history.slice(-MAX_HISTORY) : history;
  if (anchors) w.anchorHistory = anchors.length > MAX_HISTORY ? anchors.slice(-MAX_HISTORY) : anchors;
  if (turns) w.turns = turns.length > MAX_TURNS ? turns.slice(-MAX_TURNS) : turns;
  if (Object.keys(s).length > 0) sessionStore.setState(s);
  if (Object.keys(w).length > 0) windowStore.setState(w);
  if (ev) evictionStore.setState(ev);
  if (cache) cacheStore.setState(cache);
  if (spans) spansStore.setState(spans);
}

/** Messages of the conversation itself (rolling summaries left out). */
export function conversationLength(messages: readonly MessageData[]): number {
  let n = 0;
  for (const m of messages) if (!m.summary) n++;
  return n;
}
