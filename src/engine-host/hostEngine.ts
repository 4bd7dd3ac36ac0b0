import type { EngineConfigData, HostEvent, ImportedSource, MessageData, SessionInfo } from '../shared/protocol.js';
import { DEFAULT_CONFIG, problemsText, validateConfig, type EngineConfig } from '../shared/config.js';
import { configData, createEngine, type Engine } from '../engine/engine.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { CommandError } from './errors.js';

/** The settings clients see and set (the protocol's shape). */

export interface HostEngineOptions {
  tokenizer: Tokenizer;
  clock: () => number;
  title?: string;
  /** Receives every event of the current engine (the batcher). */
  listener: (event: HostEvent) => void;
}

/**
 * The engine the host drives and the session around it: its settings, the tokenizer it counts with
 * (a local model's own, or the default), the session's title and the file it came from.
 */
export class HostEngine {
  title: string;
  path: string | undefined;
  /** The other tool's chat file the session was opened from, if it was (an import). */
  imported: ImportedSource | undefined;
  #tokenizer: Tokenizer;
  #config: EngineConfig = { ...DEFAULT_CONFIG };
  #engine: Engine;
  #unsubscribe: () => void;
  readonly #clock: () => number;
  readonly #listener: (event: HostEvent) => void;

  constructor(options: HostEngineOptions) {
    this.#tokenizer = options.tokenizer;
    this.#clock = options.clock;
    this.#listener = options.listener;
    this.title = options.title ?? 'Untitled session';
    this.#engine = createEngine({ tokenizer: this.#tokenizer, clock: this.#clock, ...this.#config, latencyBudget: true });
    this.#unsubscribe = this.#engine.subscribe(this.#listener);
  }

  get engine(): Engine {
    return this.#engine;
  }

  get config(): EngineConfig {
    return this.#config;
  }

  get tokenizer(): Tokenizer {
    return this.#tokenizer;
  }

  /** Switches tokenizers; true when it changed (the caller re-runs the session with it). */
  useTokenizer(next: Tokenizer): boolean {
    if (next === this.#tokenizer) return false;
    this.#tokenizer = next;
    return true;
  }

  /**
   * Starts a fresh engine with these settings (all events of the old one stop). A live session's turns
   * run under the latency budget; a replay starts without it (deterministic) and turns it on when done.
   */
  reset(next: EngineConfig, latencyBudget = true): void {
    this.#unsubscribe();
    this.#engine = createEngine({ tokenizer: this.#tokenizer, clock: this.#clock, ...next, latencyBudget });
    this.#config = next;
    this.#unsubscribe = this.#engine.subscribe(this.#listener);
  }

  /** New settings for the running engine, applied to its window at once (no re-run). */
  apply(next: EngineConfig): void {
    this.#engine.setConfig(next);
    this.#config = next;
    this.#engine.applyPolicy();
  }

  /** The current settings with some changed; a `bad-config` CommandError when they do not validate. */
  merged(partial: Partial<EngineConfigData>): EngineConfig {
    const next = { ...this.#config, ...partial };
    const problems = validateConfig(next);
    if (problems.length > 0) throw new CommandError('bad-config', problemsText(problems));
    return next;
  }

  info(): SessionInfo {
    const info: SessionInfo = { title: this.title, path: this.path, messages: this.#engine.conversation().length, config: configData(this.#config), tokenizer: this.#tokenizer.name };
    if (this.imported) info.imported = this.imported;
    return info;
  }

  messages(): MessageData[] {
    return this.#engine.messages().map((m) => ({ ...m }));
  }
}
