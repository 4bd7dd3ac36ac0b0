import type {
  ContextBuiltEvent,
  EngineEvent,
  MemoryStats,
  Role,
  TurnStats,
  WindowSnapshotEvent,
} from '../shared/protocol.js';
import type { Session } from '../shared/session.js';
import { sentenceFlags } from './boundaries.js';
import { measureTemplateOverhead } from './chatTemplate.js';
import { buildContext, segmentTokens, type BuiltContext } from './contextBuilder.js';
import { Ledger, type TemplateOverhead } from './ledger.js';
import { RecallController } from './recallController.js';
import { createEvictor } from './evictions.js';
import { getPolicy, POLICY_NAMES, PolicyTimeout, type Policy, type PolicyContext } from './policies/index.js';
import { slidingPolicy } from './policies/sliding.js';
import { createProfiler, type Profiler } from './profiler.js';
import type { ChatMessage, Tokenizer } from './tokenizer.js';
import { emptyStats, emptyTurn } from './turnStats.js';
import type { Backend } from './backend.js';
import { chatTurn, type ChatOptions, type ChatTurn } from './chat.js';

export interface EngineConfig {
  policy: string;
  maxTokens: number;
  /** Recent tokens kept verbatim; sentence alignment never cuts into them. */
  window: number;
  /** Pin system messages (never evicted). */
  pinSystem: boolean;
  /** Query-aware recall of evicted spans on each user message. */
  recall: boolean;
  /** Share of the budget recalled spans may take (0–0.5). */
  recallShare: number;
  /** Latency budget of one policy call; past it the turn falls back to sliding (0 = none). */
  maxPolicyMs: number;
}

export interface EngineOptions extends Partial<EngineConfig> {
  tokenizer: Tokenizer;
  /** Milliseconds; injected so replays and tests are deterministic. */
  clock?: () => number;
  /** Measured from the tokenizer when absent. */
  overhead?: TemplateOverhead;
  maxProfileSpans?: number;
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
}

export type EngineListener = (event: EngineEvent) => void;

export const DEFAULT_CONFIG: EngineConfig = { policy: 'sliding', maxTokens: 2048, window: 256, pinSystem: true, recall: false, recallShare: 0.25, maxPolicyMs: 25 };

/** Checks a config; returns a one-line problem or undefined. */
export function validateConfig(c: EngineConfig): string | undefined {
  if (!getPolicy(c.policy)) return `unknown policy "${c.policy}" (available: ${POLICY_NAMES.join(', ')})`;
  if (!Number.isInteger(c.maxTokens) || c.maxTokens < 16) return `max tokens must be an integer >= 16 (got ${c.maxTokens})`;
  if (!Number.isInteger(c.window) || c.window < 0) return `window must be a non-negative integer (got ${c.window})`;
  if (c.window >= c.maxTokens) return `window (${c.window}) must be smaller than max tokens (${c.maxTokens})`;
  if (!(c.recallShare > 0 && c.recallShare <= 0.5)) return `recall share must be between 0 and 0.5 (got ${c.recallShare})`;
  if (!(c.maxPolicyMs >= 0)) return `the policy latency budget must be >= 0 ms (got ${c.maxPolicyMs})`;
  return undefined;
}

export type Engine = ReturnType<typeof createEngine>;

/**
 * The engine: a token ledger under a budget, a policy that evicts with reasons, a context builder,
 * stats, a profiler, and a stream of events for every decision.
 */
export function createEngine(options: EngineOptions) {
  const tokenizer = options.tokenizer;
  const clock = options.clock ?? (() => performance.now());
  const config: EngineConfig = {
    policy: options.policy ?? DEFAULT_CONFIG.policy,
    maxTokens: options.maxTokens ?? DEFAULT_CONFIG.maxTokens,
    window: options.window ?? DEFAULT_CONFIG.window,
    pinSystem: options.pinSystem ?? DEFAULT_CONFIG.pinSystem,
    recall: options.recall ?? DEFAULT_CONFIG.recall,
    recallShare: options.recallShare ?? DEFAULT_CONFIG.recallShare,
    maxPolicyMs: options.maxPolicyMs ?? DEFAULT_CONFIG.maxPolicyMs,
  };
  const problem = validateConfig(config);
  if (problem) throw new Error(problem);
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
    expire: (span, detail) => evictor.expireRecalled(span, detail),
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

  const policyCache = new Map<number, number>();
  const policyState = new Map<string, unknown>();

  const policyContext: PolicyContext = {
    ledger,
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
    return profiler.measure(`ingest:${input.role}`, () => {
      const message = append(input);
      applyPolicy();
      if (input.role === 'user' && config.recall) {
        const t0 = clock();
        const admitted = profiler.measure('recall', () => recall.recallFor(input.content));
        current.policyMs += clock() - t0;
        if (admitted > 0) applyPolicy();
      }
      return { message, context: input.role === 'user' ? build() : undefined };
    });
  }

  function setConfig(next: Partial<EngineConfig>): void {
    const merged = { ...config, ...next };
    const bad = validateConfig(merged);
    if (bad) throw new Error(bad);
    Object.assign(config, merged);
    policy = getPolicy(config.policy) as Policy;
  }

  return {
    /** One chat turn through a backend: see chat.ts. */
    chat: (backend: Backend, content: string, chatOptions?: ChatOptions): Promise<ChatTurn> => chatTurn({ ingest, contextMessages, finishTurn }, backend, content, chatOptions),
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
    finishTurn,
    snapshot,
    stats: (): MemoryStats => (refreshStats(), { ...stats }),
    turns: (): readonly TurnStats[] => turns,
    messages: (): readonly MessageRecord[] => messages,
    get turn() {
      return turn;
    },
    get evictionSeq() {
      return evictionSeq;
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
