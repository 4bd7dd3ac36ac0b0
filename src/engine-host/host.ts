import {
  PROTOCOL_VERSION,
  assertNever,
  type BackendConfig,
  type ChatMessageData,
  type EngineCommand,
  type EngineConfigData,
  type HostErrorCode,
  type HostEvent,
  type MessageData,
  type SessionInfo,
} from '../shared/protocol.js';
import { COMMAND_TYPES, EngineCommandSchema, firstIssue } from '../shared/protocolSchemas.js';
import { configData, createEngine, DEFAULT_CONFIG, validateConfig, type Engine, type EngineConfig } from '../engine/engine.js';
import type { Tokenizer } from '../engine/tokenizer.js';
import type { Backend, DownloadProgress } from '../engine/backend.js';
import { EventBatcher } from './batcher.js';
import type { HostTransport } from './transport.js';
import { HostSessions } from './sessions.js';
import { runChat } from './chat.js';
import { whatIfSide } from './whatIf.js';

export interface HostOptions {
  transport: HostTransport;
  tokenizer: Tokenizer;
  /** Where the session is autosaved after every turn (atomic). */
  autosavePath?: string;
  /** Set when main restarted a crashed host: restore the autosave and say why. */
  restartReason?: string;
  /** Reopen the last session (the autosave) on a normal start too. */
  restoreLastSession?: boolean;
  createBackend?: (config: BackendConfig, tokenizer: Tokenizer, onProgress: (p: DownloadProgress) => void) => Promise<Backend>;
  clock?: () => number;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => () => void;
  /** Messages replayed between yields to the event loop (acks and cancels get through). */
  replayChunk?: number;
  title?: string;
  /** Events per batch at most (smaller batches commit faster in the UI). */
  maxBatchEvents?: number;
}

export class CommandError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Host = Awaited<ReturnType<typeof createHost>>;

/** The engine host: validates commands, drives the engine, batches its events to one client. */
export async function createHost(options: HostOptions) {
  const { transport } = options;
  /** The engine counts with the model's own tokenizer when a local model is connected. */
  let tokenizer = options.tokenizer;
  const clock = options.clock ?? (() => performance.now());
  const schedule =
    options.schedule ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    });
  const batcher = new EventBatcher({ send: (b, t) => transport.send(b, t), now: options.now ?? Date.now, schedule, ...(options.maxBatchEvents ? { maxEvents: options.maxBatchEvents } : {}) });
  const emit = (event: HostEvent): void => batcher.push(event);
  let config: EngineConfig = { ...DEFAULT_CONFIG };
  let engine: Engine = createEngine({ tokenizer, clock, ...config });
  let unsubscribe = engine.subscribe(emit);
  let title = options.title ?? 'Untitled session';
  let path: string | undefined;
  let backendConfig: BackendConfig = { kind: 'none' };
  let backend: Backend | undefined;
  let busy: { kind: 'replay' | 'chat'; id: string; abort: AbortController } | undefined;
  const sessions = new HostSessions({ autosavePath: options.autosavePath });

  function sessionInfo(): SessionInfo {
    return { title, path, messages: engine.conversation().length, config: publicConfig(config), tokenizer: tokenizer.name };
  }
  const messageData = (): MessageData[] => engine.messages().map((m) => ({ ...m }));

  /** Starts a fresh engine (all events of the old one stop). */
  function resetEngine(next: EngineConfig): void {
    unsubscribe();
    engine = createEngine({ tokenizer, clock, ...next });
    config = next;
    unsubscribe = engine.subscribe(emit);
  }

  const REPLAY_SLICE_MS = 25;
  const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  async function replay(messages: ChatMessageData[], next: EngineConfig, reason: 'replay' | 'open' | 'restore' | 'rerun', id = 'replay'): Promise<void> {
    if (busy) throw new CommandError('busy', `the engine is busy with a ${busy.kind}; cancel it first`);
    const abort = new AbortController();
    busy = { kind: 'replay', id, abort };
    try {
      resetEngine(next);
      emit({ type: 'sessionLoaded', session: sessionInfo(), messages: [], reason });
      const chunk = options.replayChunk ?? 64;
      // yield every `chunk` messages or ~25 ms of work, whichever comes first: a batch handed to the
      // transport only leaves the process when the event loop turns
      let sliceStart = performance.now();
      for (let i = 0; i < messages.length; i++) {
        engine.ingest(messages[i]);
        const now = performance.now();
        if ((i + 1) % chunk === 0 || i === messages.length - 1 || now - sliceStart > REPLAY_SLICE_MS) {
          emit({ type: 'replayProgress', done: i + 1, total: messages.length });
          await yieldNow();
          sliceStart = performance.now();
          if (abort.signal.aborted) break;
        }
      }
      engine.finishTurn();
      await sessions.autosave(engine, title);
    } finally {
      // configChanged says the replay is over: only once the engine takes commands again (a client
      // that starts the next replay on it was refused as busy while the autosave was running)
      busy = undefined;
      emit({ type: 'configChanged', config: publicConfig(config) });
    }
  }

  /** Switches tokenizers (a local model's own, or the default) and re-runs the session with it. */
  async function useTokenizer(next: Tokenizer): Promise<void> {
    if (next === tokenizer) return;
    tokenizer = next;
    const msgs = engine.conversation();
    await replay(msgs, config, 'rerun');
  }

  function mergedConfig(partial: Partial<EngineConfigData>): EngineConfig {
    const next = { ...config, ...partial };
    const bad = validateConfig(next);
    if (bad) throw new CommandError('bad-config', bad);
    return next;
  }

  async function handle(cmd: EngineCommand): Promise<void> {
    switch (cmd.type) {
      case 'hello':
        if (cmd.protocolVersion !== PROTOCOL_VERSION) {
          batcher.start();
          throw new CommandError('protocol-mismatch', `client speaks protocol ${cmd.protocolVersion}, host speaks ${PROTOCOL_VERSION}: restart the app`);
        }
        batcher.start();
        emit({ type: 'helloAck', protocolVersion: PROTOCOL_VERSION, host: 'finite-memory-studio engine-host', session: sessionInfo(), messages: messageData(), backend: publicBackend(backendConfig) });
        return;
      case 'ack':
        batcher.ack(cmd.seq);
        return;
      case 'setConfig': {
        const next = mergedConfig(cmd.config);
        if (cmd.rerun) {
          const msgs = engine.conversation();
          return replay(msgs, next, 'rerun');
        }
        if (busy) throw new CommandError('busy', `the engine is busy with a ${busy.kind}; cancel it first`);
        engine.setConfig(next);
        config = next;
        engine.applyPolicy();
        emit({ type: 'configChanged', config: publicConfig(config) });
        return;
      }
      case 'newSession':
        if (busy) throw new CommandError('busy', `the engine is busy with a ${busy.kind}; cancel it first`);
        resetEngine(config);
        title = 'Untitled session';
        path = undefined;
        if (cmd.systemPrompt) engine.ingest({ role: 'system', content: cmd.systemPrompt });
        emit({ type: 'sessionLoaded', session: sessionInfo(), messages: messageData(), reason: 'new' });
        await sessions.autosave(engine, title);
        return;
      case 'appendMessages':
        if (busy) throw new CommandError('busy', `the engine is busy with a ${busy.kind}; cancel it first`);
        for (const m of cmd.messages) engine.ingest(m);
        engine.finishTurn();
        await sessions.autosave(engine, title);
        return;
      case 'replay':
        title = cmd.title ?? title;
        path = undefined;
        return replay(cmd.messages, mergedConfig(cmd.config ?? {}), 'replay');
      case 'openSession':
      case 'openSessionText': {
        const opened = cmd.type === 'openSession' ? await sessions.readFile(cmd.path) : sessions.parseText(cmd.text, cmd.name);
        title = opened.title;
        path = cmd.type === 'openSession' ? cmd.path : undefined;
        return replay(opened.messages, opened.config ? mergedConfig(opened.config) : config, 'open');
      }
      case 'saveSession': {
        const saved = await sessions.save(engine, title, cmd.path);
        if (cmd.path) path = cmd.path;
        emit({ type: 'sessionSaved', ...saved });
        return;
      }
      case 'exportProfile':
        emit({ type: 'profileExport', format: cmd.format, json: sessions.exportProfile(engine, cmd.format, title) });
        return;
      case 'getMetrics':
        emit({ type: 'metrics', text: sessions.metrics(engine) });
        return;
      case 'setBackend':
        if (busy?.kind === 'chat') throw new CommandError('busy', 'a reply is streaming; stop it first');
        await backend?.dispose();
        backend = undefined;
        backendConfig = cmd.backend;
        if (cmd.backend.kind === 'none') {
          emit({ type: 'backendChanged', backend: cmd.backend, ready: false });
          await useTokenizer(options.tokenizer);
          return;
        }
        if (!options.createBackend) throw new CommandError('no-backend', 'this host cannot create model backends');
        try {
          backend = await options.createBackend(cmd.backend, options.tokenizer, (p) => emit({ type: 'modelProgress', ...p }));
          emit({ type: 'backendChanged', backend: publicBackend(cmd.backend), ready: true });
        } catch (err) {
          emit({ type: 'backendChanged', backend: publicBackend(cmd.backend), ready: false, message: (err as Error).message });
        }
        await useTokenizer(backend?.tokenizer ?? options.tokenizer);
        return;
      case 'chat': {
        if (busy) throw new CommandError('busy', `the engine is busy with a ${busy.kind}; wait or cancel it`);
        if (!backend) throw new CommandError('no-backend', 'no model is connected: choose a local model or an OpenAI-compatible server in Settings');
        const abort = new AbortController();
        busy = { kind: 'chat', id: cmd.id, abort };
        try {
          await runChat({ engine, backend, command: cmd, signal: abort.signal, emit, clock, onUserMessage: () => sessions.autosave(engine, title) });
        } finally {
          busy = undefined;
          await sessions.autosave(engine, title);
        }
        return;
      }
      case 'whatIf': {
        const a = mergedConfig(cmd.a);
        const b = mergedConfig(cmd.b);
        const msgs = engine.conversation();
        if (msgs.length === 0) throw new CommandError('bad-command', 'the session has no messages to compare');
        emit({ type: 'whatIfResult', messages: msgs.length, a: await whatIfSide(msgs, tokenizer, a), b: await whatIfSide(msgs, tokenizer, b) });
        return;
      }
      case 'cancel':
        if (busy && (busy.id === cmd.id || cmd.id === '*')) busy.abort.abort();
        return;
      default:
        assertNever(cmd, 'command');
    }
  }

  function onMessage(data: unknown): void {
    const parsed = EngineCommandSchema.safeParse(data);
    if (!parsed.success) {
      const type = typeof data === 'object' && data && 'type' in data ? String((data as { type: unknown }).type) : 'unknown';
      const command = COMMAND_TYPES.find((t) => t === type);
      emit({ type: 'error', code: 'bad-command', message: `malformed command "${type}": ${firstIssue(parsed.error)}`, command });
      batcher.start();
      return;
    }
    const cmd = parsed.data as EngineCommand;
    handle(cmd).catch((err: unknown) => {
      const code = err instanceof CommandError ? err.code : 'internal';
      const id = 'id' in cmd ? cmd.id : undefined;
      emit({ type: 'error', code, message: (err as Error).message ?? String(err), command: cmd.type, id });
    });
  }

  // Commands wait until a restore has finished, so a client never sees a half-restored session.
  let startup: Promise<void> = Promise.resolve();
  transport.onMessage((data) => {
    void startup.then(() => onMessage(data));
  });

  const reason = options.restartReason;
  if (reason !== undefined || options.restoreLastSession) {
    startup = (async () => {
      const restored = await sessions.readAutosave();
      if (restored) {
        title = restored.title;
        await replay(restored.messages, restored.config ? mergedConfig(restored.config) : config, 'restore');
      }
      if (reason !== undefined) emit({ type: 'hostRestarted', reason, restoredMessages: restored?.messages.length ?? 0 });
    })();
    await startup;
  }

  return {
    get engine() {
      return engine;
    },
    batcher,
    handle,
    dispose: async () => {
      busy?.abort.abort();
      batcher.dispose();
      await backend?.dispose();
    },
  };
}

/** The settings clients see and set (the protocol's shape). */
export const publicConfig = (c: EngineConfig): EngineConfigData => configData(c);

/** The backend config as shown to clients: the API key never leaves the host. */
function publicBackend(b: BackendConfig): BackendConfig {
  return b.kind === 'openai' ? { kind: 'openai', baseUrl: b.baseUrl, model: b.model } : b;
}
