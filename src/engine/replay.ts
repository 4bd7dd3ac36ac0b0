import type { ChatMessageData as ReplayMessage, EngineEvent, EvictionEvent, FactState, MemoryStats, ProfileSpan, TurnStats } from '../shared/protocol.js';
import { createEngine, type Engine, type EngineConfig } from './engine.js';
import type { BuiltContext } from './core/contextBuilder.js';
import type { Tokenizer } from './core/tokenizer.js';
import { decisionsFromEvictions, type TurnDumpRecord } from './formats/telemetry.js';
import { keptSpans } from './formats/maskExport.js';
import type { PolicyModel } from './policies/types.js';
import type { KeptSpans } from './formats/masks.js';

export interface ReplayResult {
  policy: string;
  config: EngineConfig;
  tokenizer: string;
  messages: number;
  /** Messages after the last user message: not replayed (the last user message is the query). */
  ignoredMessages: number;
  /** The exact prompt for the last user message, chat template applied. */
  context: string;
  /** Tokens of `context`, counted by encoding it. */
  contextTokens: number;
  /** The engine's own count for the same context (template overhead included). */
  contextTokensEngine: number;
  startsAtSentence: boolean;
  stats: MemoryStats;
  turns: TurnStats[];
  /** Policy + context-build time over all turns, tokenization excluded. */
  engineMsTotal: number;
  /** Eviction events emitted (counted whether or not they are kept). */
  evictionCount: number;
  /** The eviction events themselves (empty when ReplayOptions.keep.evictions is false). */
  evictions: EvictionEvent[];
  /** One record per turn for the turn dump (empty when ReplayOptions.keep.dump is false). */
  dump: TurnDumpRecord[];
  spans: ProfileSpan[];
  /** The final context's kept tokens over the conversation's positions, and its size. */
  kept: KeptSpans;
  conversationTokens: number;
  pinnedPositions: Int32Array;
  /** The engine after the replay (formats/sessionState.ts saves it as a session). */
  engine: Engine;
  /** Whether the replay ran under the latency budget (ReplayOptions.latencyBudget). */
  latencyBudget: boolean;
  /** The turns on which the latency budget made a policy call fall back to sliding, ascending (empty without the budget). */
  fallbacks: number[];
  /** The fact ledger at the end, as the Facts view's header counts it: facts, superseded statements, facts per state, the share. */
  facts: ReplayFacts;
}

export interface ReplayFacts {
  total: number;
  superseded: number;
  byState: Partial<Record<FactState, number>>;
  heldTokens: number;
  shareTokens: number;
}

/** The Facts view's figures of an engine's ledger (counted over every fact, not only the rows an event carries). */
export function replayFacts(engine: Engine): ReplayFacts {
  const f = engine.facts(Number.MAX_SAFE_INTEGER);
  const byState: Partial<Record<FactState, number>> = {};
  for (const r of f.rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
  return { total: f.total, superseded: f.superseded, byState, heldTokens: f.heldTokens, shareTokens: f.shareTokens };
}

export interface ReplayOptions {
  /**
   * Run under the latency budget (`maxPolicyMs`) as a live turn does: a policy call that overruns it,
   * stalls included, finishes the turn with sliding, so results may differ run to run. Off by default.
   */
  latencyBudget?: boolean;
  /** The engine's clock in ms (tests make policies slow with it). */
  clock?: () => number;
  /**
   * What to collect beyond the result's figures (default: all). A long replay's eviction events (each
   * with its preview) and turn records are most of what it allocates; `fms replay` keeps only what the
   * output asked for.
   */
  keep?: { evictions?: boolean; dump?: boolean; profile?: boolean };
  /** Every event the engine emits, as it emits it (turn export follows a replay with it). */
  onEvent?: (event: EngineEvent) => void;
}

/**
 * Replays messages through a fresh engine; the last user message is the query. Deterministic: the same
 * messages and settings give the same result (the latency budget only applies with `options.latencyBudget`).
 */
export function replayMessages(messages: readonly ReplayMessage[], tokenizer: Tokenizer, config: Partial<EngineConfig>, options: ReplayOptions = {}): ReplayResult {
  const run = startReplay(messages, tokenizer, config, options);
  for (let i = 0; i <= run.last; i++) run.step(messages[i], run.engine.ingest(messages[i]));
  return run.finish();
}

/**
 * The same replay, handing the event loop back every `yieldEvery` messages (a host that replays for a view
 * stays responsive, and `signal` stops it between messages: undefined then). Same result as replayMessages.
 */
export async function replayMessagesYielding(messages: readonly ReplayMessage[], tokenizer: Tokenizer, config: Partial<EngineConfig>, options: ReplayOptions & { yieldEvery: number; signal?: AbortSignal; yieldNow?: () => Promise<void> }): Promise<ReplayResult | undefined> {
  const run = startReplay(messages, tokenizer, config, options);
  // a Node host passes its setImmediate yield: setTimeout(0) waits at least 1 ms each time
  const yieldNow = options.yieldNow ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  for (let i = 0; i <= run.last; i++) {
    if (i % options.yieldEvery === options.yieldEvery - 1) {
      await yieldNow();
      if (options.signal?.aborted) return undefined;
    }
    run.step(messages[i], run.engine.ingest(messages[i]));
  }
  return run.finish();
}

/**
 * The same replay with a model for the policies' async step (logit probes, embeddings, summaries),
 * e.g. `fms replay --model PATH`.
 */
export async function replayMessagesWithModel(messages: readonly ReplayMessage[], tokenizer: Tokenizer, config: Partial<EngineConfig>, model: PolicyModel, options: ReplayOptions = {}): Promise<ReplayResult> {
  const run = startReplay(messages, tokenizer, config, options);
  for (let i = 0; i <= run.last; i++) run.step(messages[i], await run.engine.ingestAsync(messages[i], model));
  return run.finish();
}

function startReplay(messages: readonly ReplayMessage[], tokenizer: Tokenizer, config: Partial<EngineConfig>, options: ReplayOptions) {
  let last = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') last = i;
  });
  if (last < 0) throw new Error('no user message to use as the query');
  // the profiler's spans are kept for the result's `spans` unless keep.profile is false (each span still
  // reaches onEvent): kept, every turn's spans outlive the young generation, and most of a replay's garbage
  // collection is copying what survives it
  const keepProfile = options.keep?.profile ?? true;
  const engine = createEngine({ tokenizer, ...config, latencyBudget: options.latencyBudget ?? false, ...(options.clock ? { clock: options.clock } : {}), ...(keepProfile ? {} : { maxProfileSpans: 0 }) });
  const keepEvictions = options.keep?.evictions ?? true;
  const keepDump = options.keep?.dump ?? true;
  const evictions: EvictionEvent[] = [];
  let evictionCount = 0;
  const fallbacks = new Set<number>();
  const dump: TurnDumpRecord[] = [];
  let pending: EvictionEvent[] = [];
  let input = '';
  let output: string | undefined;
  let tokens = { input: 0, output: 0, context: 0 };
  const flush = (turn?: TurnStats): void => {
    if (!turn || turn.turn === 0 || !keepDump) return;
    dump.push({ turn: turn.turn, input, output, tokens: { ...tokens, context: turn.contextTokens }, stats: engine.stats(), turnStats: turn, decisions: decisionsFromEvictions(pending) });
    pending = [];
  };
  if (options.onEvent) engine.subscribe(options.onEvent);
  engine.subscribe((e: EngineEvent) => {
    if (e.type === 'eviction') {
      evictionCount++;
      if (keepEvictions) evictions.push(e);
      if (keepDump) pending.push(e);
    } else if (e.type === 'stats' && e.turn) flush(e.turn);
    else if (e.type === 'warning' && e.code === 'policy-fallback') fallbacks.add(e.turn);
  });
  let built: BuiltContext | undefined;
  /** Records what one ingested message contributes to the turn dump (call after each ingest). */
  const step = (m: ReplayMessage, out: { message: { tokens: number }; context?: BuiltContext }): void => {
    if (m.role === 'user') {
      input = m.content;
      output = undefined;
      tokens = { input: out.message.tokens, output: 0, context: 0 };
    } else if (m.role === 'assistant') {
      output = output === undefined ? m.content : `${output}\n${m.content}`;
      tokens.output += out.message.tokens;
    }
    if (out.context) built = out.context;
  };
  const finish = (): ReplayResult => {
    const trailing = messages.slice(last + 1).filter((m) => m.role === 'assistant');
    if (trailing.length > 0) output = trailing.map((m) => m.content).join('\n');
    engine.finishTurn();
    if (!built) throw new Error('no context was built');
    const context = engine.renderContext(built);
    const turns = [...engine.turns()];
    return {
      policy: engine.config().policy,
      config: engine.config(),
      tokenizer: tokenizer.name,
      messages: last + 1,
      ignoredMessages: messages.length - last - 1,
      context,
      contextTokens: tokenizer.countTokens(context),
      contextTokensEngine: built.tokens,
      startsAtSentence: built.startsAtSentence,
      stats: engine.stats(),
      turns,
      engineMsTotal: turns.reduce((s, t) => s + t.engineMs, 0),
      evictionCount,
      evictions,
      dump,
      spans: [...engine.profiler.spans()],
      kept: keptSpans(built.segments.filter((seg) => !seg.summary), (id) => engine.messages()[id].startPos),
      conversationTokens: engine.ledger.nextPos,
      pinnedPositions: Int32Array.from({ length: engine.ledger.pinned.length }, (_, i) => engine.ledger.pinned.pos(i)),
      engine,
      latencyBudget: engine.latencyBudget,
      fallbacks: [...fallbacks].sort((a, b) => a - b),
      facts: replayFacts(engine),
    };
  };
  return { engine, last, step, finish };
}
