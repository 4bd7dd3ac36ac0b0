import type { EngineEvent } from '../shared/protocol.js';
import type { EngineConfig } from '../shared/config.js';
import { measureTemplateOverhead } from './core/chatTemplate.js';
import { createEvictor } from './core/evictions.js';
import { Ledger, type TemplateOverhead } from './core/ledger.js';
import { createProfiler, type Profiler } from './core/profiler.js';
import type { Tokenizer } from './core/tokenizer.js';
import { TurnBook } from './core/turnBook.js';
import type { EngineListener, EngineOptions, MessageRecord } from './engineTypes.js';
import { getPolicy, type Policy, type PolicyContext } from './policies/index.js';
import { FactLedger } from './facts/ledger.js';
import { RecallController } from './recall/recallController.js';
import type { RecallIndexOptions } from './recall/recallIndex.js';
import { configFrom } from './settings.js';

export type Evictor = ReturnType<typeof createEvictor>;

/**
 * One small engine's parts, kept for the life of the process. V8 drops an object shape (hidden
 * class) once no object has it, and with it the optimized code compiled for that shape: a process
 * that lets its only engine go (a replay under new settings, a benchmark's next round) and collects
 * it starts the next engine on fresh shapes, in the interpreter, and compiles every step, ledger,
 * ring and run method again (~150 ms of compiler threads per 1,600-turn sliding run at 32k, every
 * run). The keeper holds one object of each of those shapes, so the next engine runs on the code
 * already compiled. It never sees a message (a ledger of 1,024 tokens, no profile spans).
 */
let keeper: EngineParts | undefined;
let keeping = false;

/** Whether this process holds its engine-shape keeper (made with its first engine). */
export const holdsShapeKeeper = (): boolean => keeper !== undefined;

/**
 * What one engine is made of, wired together: the steps (ingest, policy, summary, context build)
 * are functions over it, and the public engine object is assembled from them (engine.ts).
 */
export class EngineParts {
  readonly tokenizer: Tokenizer;
  readonly clock: () => number;
  /** Changed in place by `setConfig`. */
  readonly config: EngineConfig;
  policy: Policy;
  readonly overhead: TemplateOverhead;
  readonly ledger: Ledger;
  /** Every message appended, rolling summaries included; a message's id is its index. */
  readonly messages: MessageRecord[] = [];
  readonly book = new TurnBook();
  readonly profiler: Profiler;
  readonly recall: RecallController;
  /** Every statement of a durable fact, with supersession (facts/ledger.ts; the engine's side is factsStep.ts). */
  readonly facts = new FactLedger();
  readonly evictor: Evictor;
  /** What the policies see; made over these parts by policyContext.ts. */
  readonly policyContext: PolicyContext;
  /** Whether `maxPolicyMs` guards policy calls (EngineOptions.latencyBudget); changed by `setLatencyBudget`. */
  latencyBudget: boolean;
  /** When the policy call in progress runs out of its latency budget (clock ms). */
  deadline = Infinity;
  readonly #listeners = new Set<EngineListener>();

  constructor(options: EngineOptions, policyContext: (parts: EngineParts) => PolicyContext) {
    this.tokenizer = options.tokenizer;
    this.clock = options.clock ?? (() => performance.now());
    this.latencyBudget = options.latencyBudget ?? false;
    this.config = configFrom(options);
    this.policy = getPolicy(this.config.policy) as Policy;
    this.overhead = options.overhead ?? measureTemplateOverhead(this.tokenizer);
    this.ledger = new Ledger(this.overhead, Math.min(1 << 20, Math.max(1024, this.config.maxTokens * 2)));
    this.profiler = createProfiler({ clock: this.clock, maxSpans: options.maxProfileSpans, onSpan: (span) => this.emit({ type: 'profileSpan', span }) });
    this.recall = this.#createRecall(options.recallIndexMax, options.recallIndex);
    this.evictor = this.#createEvictor();
    this.policyContext = policyContext(this);
    if (!keeping) {
      // made beside the first engine (see `keeper`); it never sees a message, so it needs no tokenizer
      keeping = true;
      keeper = new EngineParts({ tokenizer: {} as Tokenizer, overhead: this.overhead, maxTokens: 1024, maxProfileSpans: 0 }, policyContext);
    }
  }

  emit(event: EngineEvent): void {
    for (const l of this.#listeners) l(event);
  }

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #createRecall(maxIndexed: number | undefined, indexOptions: RecallIndexOptions | undefined): RecallController {
    const { config, book } = this;
    return new RecallController({
      ledger: this.ledger,
      tokenizer: this.tokenizer,
      maxTokens: () => config.maxTokens,
      window: () => config.window,
      share: () => config.recallShare,
      turn: () => book.turn,
      nextSeq: () => book.nextSeq(),
      emit: (event) => this.emit(event),
      expire: (spans, detail, usedBefore) => this.evictor.expireRecalled(spans, detail, usedBefore),
      blocked: (startPos, endPos) => this.facts.blocks(startPos, endPos) || this.ledger.heldIn(startPos, endPos),
      statesFact: (startPos, endPos) => this.facts.liveIn(startPos, endPos),
      maxIndexed,
      indexOptions,
    });
  }

  #createEvictor(): Evictor {
    const { config, book } = this;
    return createEvictor({
      ledger: this.ledger,
      tokenizer: this.tokenizer,
      recall: this.recall,
      recallOn: () => config.recall,
      maxTokens: () => config.maxTokens,
      policyName: () => this.policy.name,
      turn: () => book.turn,
      nextSeq: () => book.nextSeq(),
      counted: (tokens) => book.counted(tokens),
      emit: (event) => this.emit(event),
      factNote: (startPos, endPos) => this.facts.note(startPos, endPos),
    });
  }
}
