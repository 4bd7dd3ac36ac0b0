import type {
  ContextBuiltEvent,
  EngineConfigData,
  SummaryGate,
  EngineEvent,
  MemoryStats,
  Role,
  TurnStats,
  WindowSnapshotEvent,
} from '../shared/protocol.js';
import type { Session } from '../shared/session.js';
import { DEFAULT_CONFIG, problemsText, SETTINGS, validateConfig, type EngineConfig } from '../shared/config.js';
import { sentenceFlags } from './core/boundaries.js';
import { FLAG_MESSAGE_START, FLAG_SENTENCE_START, FLAG_SUMMARY } from './core/tokenRing.js';
import { measureTemplateOverhead } from './core/chatTemplate.js';
import { buildContext, segmentTokens, type BuiltContext } from './core/contextBuilder.js';
import { Ledger, type TemplateOverhead } from './core/ledger.js';
import { RecallController, type RecallState } from './recall/recallController.js';
import { createEvictor } from './core/evictions.js';
import { getPolicy, PolicyTimeout, type Policy, type PolicyContext, type PolicyModel, type PolicyParams } from './policies/index.js';
import { slidingPolicy } from './policies/sliding.js';
import { createProfiler, type Profiler } from './core/profiler.js';
import type { ChatMessage, Tokenizer } from './core/tokenizer.js';
import { emptyStats, emptyTurn } from './turnStats.js';
import type { Backend } from './backend.js';
import { chatTurn, type ChatOptions, type ChatTurn } from './chatTurn.js';
import { policyModelOf } from './policies/policyModel.js';

export type { EngineConfig } from '../shared/config.js';
export { DEFAULT_CONFIG } from '../shared/config.js';

export interface EngineOptions extends Partial<EngineConfig> {
  tokenizer: Tokenizer;
  /** Milliseconds; injected so replays and tests are deterministic. */
  clock?: () => number;
  /** Measured from the tokenizer when absent. */
  overhead?: TemplateOverhead;
  maxProfileSpans?: number;
  /** Most evicted spans the recall index keeps (tests; default 4,096). */
  recallIndexMax?: number;
}

export interface MessageInput {
  role: Role;
  content: string;
  /** Defaults to true for system messages when pinSystem is on. */
  pinned?: boolean;
}

export interface MessageRecord {
  id: number;
  role: Role;
  turn: number;
  content: string;
  pinned: boolean;
  tokens: number;
  startPos: number;
  /** A rolling summary (not part of the conversation's token stream). */
  summary?: boolean;
}

export type EngineListener = (event: EngineEvent) => void;

/** The settings clients see and set (the protocol's shape): a copy. */
export function configData(c: EngineConfig): EngineConfigData {
  return { ...c, weights: { ...c.weights } };
}

/** Checks a config against the catalog; throws one line naming every problem. */
export function assertValidConfig(c: EngineConfig): void {
  const problems = validateConfig(c);
  if (problems.length > 0) throw new Error(problemsText(problems));
}

export type Engine = ReturnType<typeof createEngine>;

/**
 * The engine: a token ledger under a budget, a policy that evicts with reasons, a context builder,
 * stats, a profiler, and a stream of events for every decision.
 */
export function createEngine(options: EngineOptions) {
  const tokenizer = options.tokenizer;
  const clock = options.clock ?? (() => performance.now());
  const config: EngineConfig = { ...DEFAULT_CONFIG };
  for (const s of SETTINGS) if (options[s.name] !== undefined) Object.assign(config, { [s.name]: options[s.name] });
  config.weights = { ...config.weights };
  assertValidConfig(config);
  let policy = getPolicy(config.policy) as Policy;
  const overhead = options.overhead ?? measureTemplateOverhead(tokenizer);
  const ledger = new Ledger(overhead, Math.min(1 << 20, Math.max(1024, config.maxTokens * 2)));
  const listeners = new Set<EngineListener>();
  const messages: MessageRecord[] = [];
  const stats: MemoryStats = emptyStats();
  const turns: TurnStats[] = [];
  let turn = 0;
  let current: TurnStats = emptyTurn(0);
  let evictionSeq = 0;
  const profiler: Profiler = createProfiler({
    clock,
    maxSpans: options.maxProfileSpans,
    onSpan: (span) => emit({ type: 'profileSpan', span }),
  });

  function emit(event: EngineEvent): void {
    for (const l of listeners) l(event);
  }

  const recall: RecallController = new RecallController({
    ledger,
    tokenizer,
    maxTokens: () => config.maxTokens,
    window: () => config.window,
    share: () => config.recallShare,
    turn: () => turn,
    nextSeq: () => evictionSeq++,
    emit,
    expire: (spans, detail, usedBefore) => evictor.expireRecalled(spans, detail, usedBefore),
    maxIndexed: options.recallIndexMax,
  });

  const evictor = createEvictor({
    ledger,
    tokenizer,
    recall,
    recallOn: () => config.recall,
    maxTokens: () => config.maxTokens,
    policyName: () => policy.name,
    turn: () => turn,
    nextSeq: () => evictionSeq++,
    counted: (tokens) => {
      stats.tokensEvicted += tokens;
      stats.evictions++;
      current.evictedTokens += tokens;
      current.evictionEvents++;
    },
    emit,
  });
  const { evictFront, evictRange, evictSpans } = evictor;

  function summarize(spans: readonly { from: number; to: number }[], text: string, info: { method: 'model' | 'extractive'; fallback?: string; gate: SummaryGate; sourceTokens: number }): void {
    const ring = ledger.window;
    const previous = ledger.summary;
    const startPos = previous ? previous.startPos : spans.length > 0 ? ring.pos(spans[0].from) : ledger.nextPos;
    const endPos = spans.length > 0 ? ring.pos(spans[spans.length - 1].to - 1) + 1 : (previous?.startPos ?? startPos);
    const usedBefore = ledger.used();
    const content = `Summary of the earlier conversation: ${text}`;
    const ids = tokenizer.encode(content);
    const id = ledger.addDetachedMessage('system', turn, startPos, ids.length);
    const record: MessageRecord = { id, role: 'system', turn, content, pinned: false, tokens: ids.length, startPos, summary: true };
    messages.push(record);
    emit({ type: 'messageAppended', turn, messageId: id, role: 'system', pinned: false, startPos, tokens: ids.length, content, summary: true });
    const label = `summary #${id} (${info.method}${info.fallback ? ', fallback' : ''}; gate ${info.gate.found}/${info.gate.checked} facts found in the source)`;
    if (previous) {
      ledger.removeSummary();
      evictor.expireSummary(previous, `the previous summary was folded into ${label}`);
    }
    evictSpans(spans.map((sp) => ({ ...sp, detail: `summarized into ${label}` })), 'summarized');
    const flags = new Uint8Array(ids.length).fill(FLAG_SUMMARY);
    if (flags.length > 0) flags[0] |= FLAG_SENTENCE_START | FLAG_MESSAGE_START;
    ledger.setSummary({ messageId: id, startPos, ids, flags });
    emit({ type: 'summary', turn, seq: evictionSeq++, messageId: id, startPos, endPos, sourceTokens: info.sourceTokens, tokens: ids.length, method: info.method, ...(info.fallback ? { fallback: info.fallback } : {}), gate: info.gate, text: content, budget: { maxTokens: config.maxTokens, usedBefore, usedAfter: ledger.used() } });
  }

  const policyCache = new Map<number, number>();
  const policyState = new Map<string, unknown>();

  const policyContext: PolicyContext = {
    ledger,
    get params(): PolicyParams {
      return { probes: config.probes, summaryInterval: config.summaryInterval, summaryGate: config.summaryGate, weights: config.weights };
    },
    get maxTokens() {
      return config.maxTokens;
    },
    get window() {
      return config.window;
    },
    evictFront,
    evictRange,
    evictSpans,
    decode: (ids) => tokenizer.decode(ids),
    encode: (text) => tokenizer.encode(text),
    summaryText: () => (ledger.summary ? messages[ledger.summary.messageId].content : undefined),
    summarize,
    cache: policyCache,
    state: policyState,
    warn: (code, message) => emit({ type: 'warning', turn, code, message }),
    timeUp: () => clock() > deadline,
    report: (event) => emit({ ...event, turn }),
  };

  function refreshStats(): void {
    stats.tokensRetained = ledger.retainedTokens;
    stats.tokensPinned = ledger.pinnedTokens;
    stats.compressionRatio = stats.tokensRetained > 0 ? stats.tokensSeen / stats.tokensRetained : 1;
  }

  function finishTurn(): TurnStats | undefined {
    if (current.tokensIn === 0 && current.policyMs === 0 && current.buildMs === 0) return undefined;
    current.engineMs = current.policyMs + current.buildMs;
    current.used = ledger.used();
    const done = current;
    turns.push(done);
    stats.turns = turns.length;
    refreshStats();
    current = emptyTurn(turn);
    emit({ type: 'stats', stats: { ...stats }, turn: done, byRole: ledger.byRole() });
    return done;
  }

  function snapshot(): WindowSnapshotEvent {
    return {
      type: 'windowSnapshot',
      turn,
      maxTokens: config.maxTokens,
      used: ledger.used(),
      pinned: ledger.pinnedTokens,
      retained: ledger.retainedTokens,
      recalled: ledger.recalledTokens,
      byRole: ledger.byRole(),
      windowStartPos: ledger.window.length > 0 ? ledger.window.pos(0) : -1,
      endPos: ledger.nextPos,
    };
  }

  /** Appends a message whose tokens are already known (tokenization is not timed here). */
  function appendTokens(input: MessageInput, ids: Int32Array): MessageRecord {
    if (input.role === 'user') {
      finishTurn();
      turn++;
      current = emptyTurn(turn);
    }
    profiler.setTurn(turn);
    const pinned = input.pinned ?? (config.pinSystem && input.role === 'system');
    const { hits, misses } = tokenizer.decodeCache;
    const flags = sentenceFlags(ids, (id) => tokenizer.decodeToken(id));
    stats.anchorCacheHits += tokenizer.decodeCache.hits - hits;
    stats.anchorCacheMisses += tokenizer.decodeCache.misses - misses;
    const startPos = ledger.nextPos;
    const id = ledger.addMessage(input.role, turn, pinned, ids, flags);
    const record: MessageRecord = { id, role: input.role, turn, content: input.content, pinned, tokens: ids.length, startPos };
    messages.push(record);
    stats.tokensSeen += ids.length;
    current.tokensIn += ids.length;
    emit({ type: 'messageAppended', turn, messageId: id, role: input.role, pinned, startPos, tokens: ids.length, content: input.content });
    return record;
  }

  function append(input: MessageInput): MessageRecord {
    const t0 = clock();
    const ids = profiler.measure('tokenize', () => tokenizer.encode(input.content));
    const ms = clock() - t0;
    const record = appendTokens(input, ids);
    current.tokenizeMs += ms;
    return record;
  }

  let deadline = Infinity;

  function applyPolicy(): void {
    const t0 = clock();
    deadline = config.maxPolicyMs > 0 ? t0 + config.maxPolicyMs : Infinity;
    try {
      profiler.measure(`policy:${policy.name}`, () => policy.apply(policyContext));
    } catch (err) {
      if (!(err instanceof PolicyTimeout)) throw err;
      // the latency budget holds: what the policy did stands, sliding finishes the turn
      deadline = Infinity;
      profiler.measure('policy:sliding (fallback)', () => slidingPolicy.apply(policyContext));
      stats.fallbackCount++;
      emit({ type: 'warning', turn, code: 'policy-fallback', message: `${policy.name} overran its ${config.maxPolicyMs} ms latency budget (${err.step}); this turn fell back to sliding` });
    }
    // a rolling summary is outside the window: when pinned messages and the summary alone overflow
    // (or the policy changed to one that does not summarize), the summary itself gives way
    const summary = ledger.summary;
    if (summary && ledger.used() > config.maxTokens) {
      ledger.removeSummary();
      evictor.expireSummary(summary, `over budget with nothing else to evict: summary #${summary.messageId} left the context`, 'budget');
    }
    const ms = clock() - t0;
    stats.policyCalls++;
    stats.policyLatencyMs = ms;
    stats.policyLatencyMsTotal += ms;
    current.policyMs += ms;
    refreshStats();
    emit(snapshot());
  }

  function build(): BuiltContext {
    const t0 = clock();
    const built = profiler.measure('build', () => buildContext(ledger, config.maxTokens));
    const ms = clock() - t0;
    stats.contextBuilds++;
    current.buildMs += ms;
    current.contextTokens = built.tokens;
    const event: ContextBuiltEvent = {
      type: 'contextBuilt',
      turn,
      tokens: built.tokens,
      maxTokens: config.maxTokens,
      segments: built.segments,
      startsAtSentence: built.startsAtSentence,
      ms,
    };
    emit(event);
    return built;
  }

  /**
   * The chat messages of a built context: whole messages as written, partial ones decoded from their
   * retained tokens. Consecutive segments of one message (a recalled sentence next to the message's
   * retained tail) become one message, so the template overhead is paid once, as the ledger counts it.
   */
  function contextMessages(built: BuiltContext): ChatMessage[] {
    const out: ChatMessage[] = [];
    let last = -1;
    built.segments.forEach((seg, i) => {
      const m = messages[seg.messageId];
      const text = seg.from === 0 && seg.to === m.tokens ? m.content : tokenizer.decode(segmentTokens(ledger, built, i).ids);
      if (seg.messageId === last) out[out.length - 1].content += text;
      else out.push({ role: m.role, content: text });
      last = seg.messageId;
    });
    return out;
  }

  /** One step of a replay or chat: append, apply the policy, and build the context for user messages. */
  function ingest(input: MessageInput): { message: MessageRecord; context?: BuiltContext } {
    return profiler.measure(`ingest:${input.role}`, () => afterAppend(input, append(input)));
  }

  function afterAppend(input: MessageInput, message: MessageRecord): { message: MessageRecord; context?: BuiltContext } {
    applyPolicy();
    if (input.role === 'user' && config.recall) {
      const t0 = clock();
      const admitted = profiler.measure('recall', () => recall.recallFor(input.content));
      current.policyMs += clock() - t0;
      // recalled tokens are back in the context: tokensEvicted counts what is out of it now
      stats.tokensEvicted -= admitted;
      if (admitted > 0) applyPolicy();
    }
    return { message, context: input.role === 'user' ? build() : undefined };
  }

  /**
   * `ingest` with the policy's async model step first (logit probes, embeddings, a summary), when
   * the policy has one and a model is given. A failing model step is reported as a warning and the
   * policy runs on what it has (its labelled fallbacks), so a model error never loses the message.
   */
  async function ingestAsync(input: MessageInput, model: PolicyModel | undefined): Promise<{ message: MessageRecord; context?: BuiltContext }> {
    profiler.begin(`ingest:${input.role}`);
    try {
      const message = append(input);
      if (model && policy.prepare) {
        const name = policy.name;
        profiler.begin(`prepare:${name}`);
        const t0 = clock();
        try {
          await policy.prepare(policyContext, model);
        } catch (err) {
          emit({ type: 'warning', turn, code: 'model-step-failed', message: `${name}: the model step failed (${err instanceof Error ? err.message : String(err)}); this turn used the policy's fallback` });
        } finally {
          current.modelMs = (current.modelMs ?? 0) + (clock() - t0);
          profiler.end();
        }
      }
      return afterAppend(input, message);
    } finally {
      profiler.end();
    }
  }

  function setConfig(next: Partial<EngineConfig>): void {
    const merged = { ...config, ...next };
    assertValidConfig(merged);
    Object.assign(config, merged, { weights: { ...merged.weights } });
    policy = getPolicy(config.policy) as Policy;
  }

  return {
    /** One chat turn through a backend: see chatTurn.ts. */
    chat: (backend: Backend, content: string, chatOptions?: ChatOptions): Promise<ChatTurn> => {
      const model = policyModelOf(backend);
      return chatTurn({ ingest: (input) => ingestAsync(input, model), contextMessages, finishTurn }, backend, content, chatOptions);
    },
    tokenizer,
    ledger,
    profiler,
    overhead,
    config: (): Readonly<EngineConfig> => ({ ...config }),
    setConfig,
    subscribe(listener: EngineListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    append,
    appendTokens,
    applyPolicy,
    buildContext: build,
    contextMessages,
    renderContext: (built: BuiltContext): string => tokenizer.renderChat(contextMessages(built), true),
    ingest,
    ingestAsync,
    finishTurn,
    snapshot,
    stats: (): MemoryStats => (refreshStats(), { ...stats }),
    turns: (): readonly TurnStats[] => turns,
    messages: (): readonly MessageRecord[] => messages,
    /** The conversation as written (rolling summaries left out): what a replay under other settings replays. */
    conversation: (): { role: Role; content: string; pinned: boolean }[] => messages.filter((m) => !m.summary).map((m) => ({ role: m.role, content: m.content, pinned: m.pinned })),
    get turn() {
      return turn;
    },
    get evictionSeq() {
      return evictionSeq;
    },
    /** Internal: the recall index for a session (undefined when nothing was ever indexed). */
    _recallState: (): RecallState | undefined => (recall.indexed > 0 || ledger.recalled.length > 0 ? recall.exportState() : undefined),
    /** Internal: restores the recall index from a session (messages must be restored first). */
    _restoreRecall(state: RecallState): void {
      recall.importState(state, (id) => {
        const m = messages[id];
        if (!m || m.summary) throw new Error(`session recall span refers to message ${id}, which is not a conversation message`);
        const ids = tokenizer.encode(m.content);
        if (ids.length !== m.tokens) throw new Error(`message ${id} encodes to ${ids.length} tokens, the session says ${m.tokens}`);
        return { ids, flags: sentenceFlags(ids, (t) => tokenizer.decodeToken(t)) };
      });
    },
    /** Internal: restores counters from a saved session. */
    _restore(state: { stats: MemoryStats; turns: TurnStats[]; turn: number; evictionSeq: number; messages: MessageRecord[] }): void {
      Object.assign(stats, state.stats);
      turns.push(...state.turns);
      messages.push(...state.messages);
      turn = state.turn;
      evictionSeq = state.evictionSeq;
      current = emptyTurn(turn);
    },
  };
}

export type { Session };
