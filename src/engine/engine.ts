import type { ChatMessageData, MemoryStats, TurnStats } from '../shared/protocol.js';
import type { EngineConfig } from '../shared/config.js';
import type { Backend } from './backend.js';
import { chatTurn, type ChatOptions, type ChatTurn } from './chatTurn.js';
import type { BuiltContext } from './core/contextBuilder.js';
import type { RecallState } from './recall/recallController.js';
import { buildStep, contextMessages } from './contextStep.js';
import { EngineParts } from './engineParts.js';
import type { EngineOptions, MessageInput, MessageRecord } from './engineTypes.js';
import { append, appendTokens, finishTurn, ingest, ingestAsync } from './ingest.js';
import { getPolicy, type Policy, type PolicyModel } from './policies/index.js';
import { policyModelOf } from './policies/policyModel.js';
import { createPolicyContext } from './policyContext.js';
import { applyPolicy, windowSnapshot } from './policyStep.js';
import { restoreParts, type EngineRestore } from './restore.js';
import { updateConfig } from './settings.js';
import { evictStatement, factsEvent } from './factsStep.js';
import type { FactLedgerState } from './facts/ledger.js';
import type { FactsEvent } from '../shared/protocol.js';

export type { EngineConfig } from '../shared/config.js';
export { DEFAULT_CONFIG } from '../shared/config.js';
export type { EngineListener, EngineOptions, Ingested, MessageInput, MessageRecord } from './engineTypes.js';
export type { EngineRestore, RestoredRun } from './restore.js';
export { assertValidConfig, configData } from './settings.js';

export type Engine = ReturnType<typeof createEngine>;

/**
 * The engine: a token ledger under a budget, a policy that evicts with reasons, a context builder,
 * stats, a profiler, and a stream of events for every decision. `restore` (a saved session's state,
 * see formats/sessionState.ts) starts it where the session left off.
 */
export function createEngine(options: EngineOptions, restore?: EngineRestore) {
  const p = new EngineParts(options, createPolicyContext);
  if (restore) restoreParts(p, restore);
  const { tokenizer, ledger, book, recall } = p;
  return {
    /** One chat turn through a backend: see chatTurn.ts. */
    chat: (backend: Backend, content: string, chatOptions?: ChatOptions): Promise<ChatTurn> => {
      const model = policyModelOf(backend);
      const turnEngine = {
        // facts by the model are not asked for in chat turns (two more completions a turn): the rules find them
        ingest: (input: MessageInput) => ingestAsync(p, input, model),
        contextMessages: (built: BuiltContext) => contextMessages(p, built),
        finishTurn: () => finishTurn(p),
      };
      return chatTurn(turnEngine, backend, content, chatOptions);
    },
    tokenizer,
    ledger,
    profiler: p.profiler,
    overhead: p.overhead,
    config: (): Readonly<EngineConfig> => ({ ...p.config }),
    setConfig(next: Partial<EngineConfig>): void {
      updateConfig(p.config, next);
      p.policy = getPolicy(p.config.policy) as Policy;
    },
    /** Whether `maxPolicyMs` guards the policy calls that follow: on for live turns, off for replays (EngineOptions.latencyBudget). */
    setLatencyBudget(on: boolean): void {
      p.latencyBudget = on;
    },
    get latencyBudget(): boolean {
      return p.latencyBudget;
    },
    subscribe: p.subscribe.bind(p),
    append: (input: MessageInput): MessageRecord => append(p, input),
    appendTokens: (input: MessageInput, ids: Int32Array): MessageRecord => appendTokens(p, input, ids),
    applyPolicy: (): void => applyPolicy(p),
    buildContext: (): BuiltContext => buildStep(p),
    contextMessages: (built: BuiltContext) => contextMessages(p, built),
    renderContext: (built: BuiltContext): string => tokenizer.renderChat(contextMessages(p, built), true),
    ingest: (input: MessageInput) => ingest(p, input),
    ingestAsync: (input: MessageInput, model: PolicyModel | undefined) => ingestAsync(p, input, model),
    finishTurn: (): TurnStats | undefined => finishTurn(p),
    snapshot: () => windowSnapshot(p),
    stats: (): MemoryStats => (book.refresh(ledger), { ...book.stats }),
    turns: (): readonly TurnStats[] => book.turns,
    messages: (): readonly MessageRecord[] => p.messages,
    /**
     * The conversation as written (rolling summaries left out): what a replay under other settings
     * replays. A message keeps its pin only where the pinSystem setting would not give it (as a saved
     * session's conversation does), so a re-run under another pinSystem follows that setting.
     */
    conversation: (): ChatMessageData[] =>
      p.messages
        .filter((m) => !m.summary)
        .map((m) => (m.pinned === (p.config.pinSystem && m.role === 'system') ? { role: m.role, content: m.content } : { role: m.role, content: m.content, pinned: m.pinned })),
    /** The recall index as a session saves it (undefined when nothing was ever indexed). */
    recallState: (): RecallState | undefined => (recall.indexed > 0 || ledger.recalled.length > 0 ? recall.exportState() : undefined),
    /** The fact ledger as the Facts view shows it. */
    facts: (maxRows?: number): FactsEvent => factsEvent(p, maxRows),
    /** Whether `id` is a statement of the fact ledger (what pinFact and forgetFact take). */
    hasFact: (id: number): boolean => Number.isInteger(id) && id >= 0 && id < p.facts.statements.length,
    /** Pins (always kept) or unpins the fact statement `id` belongs to. Throws for an unknown id. */
    pinFact: (id: number, pinned: boolean): void => {
      p.facts.setPinned(id, pinned);
      applyPolicy(p);
    },
    /** Forgets the fact statement `id` belongs to: evicted, never recalled. Throws for an unknown id. */
    forgetFact: (id: number): void => {
      for (const s of p.facts.forget(id)) evictStatement(p, s, `forgotten by the user: ${s.label} ${s.value}`);
      applyPolicy(p);
    },
    /** The fact ledger as a session saves it (undefined when it is empty). */
    factsState: (): FactLedgerState | undefined => (p.facts.statements.length > 0 ? p.facts.exportState() : undefined),
    get turn() {
      return book.turn;
    },
    get evictionSeq() {
      return book.evictionSeq;
    },
  };
}
