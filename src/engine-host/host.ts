import { dirname, join } from 'node:path';
import {
  PROTOCOL_VERSION,
  assertNever,
  type BackendConfig,
  type ChatMessageData,
  type EngineCommand,
  type EngineConfigData,
  type HostEvent,
  type MessageData,
  type SessionInfo,
} from '../shared/protocol.js';
import { checkCommand } from '../shared/commandCheck.js';
import { DEFAULT_LIMITS, type Limits } from '../shared/limits.js';
import type { ParentMessage } from '../shared/hostControl.js';
import { configData, createEngine, DEFAULT_CONFIG, validateConfig, type Engine, type EngineConfig } from '../engine/engine.js';
import type { Tokenizer } from '../engine/tokenizer.js';
import type { Backend, DownloadProgress } from '../engine/backend.js';
import { serializeSession } from '../engine/sessionCodec.js';
import { EventBatcher } from './batcher.js';
import type { HostTransport, ParentChannel } from './transport.js';
import { HostSessions, type OpenedConversation } from './sessions.js';
import { runChat } from './chat.js';
import { whatIfSide } from './whatIf.js';
import { Autosave } from './autosave.js';
import { BackendMemory } from './backendMemory.js';
import { CommandQueue } from './commandQueue.js';
import { CommandError } from './errors.js';
import { FileGrants } from './grants.js';
import { Uploads } from './uploads.js';

export { CommandError } from './errors.js';

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
  /** The process that started the host (grants, secrets, shutdown; credits for browser mode's backpressure). */
  parent?: ParentChannel;
  limits?: Limits;
  /** Where the connected backend is remembered (no secrets), to reconnect after a restart. Default: beside the autosave. */
  backendPath?: string;
  /** Writes the autosave atomically (tests hold or fail writes). */
  autosaveWrite?: (file: string, text: string) => Promise<number>;
}

/** Commands that never wait in the queue: the connection itself, stopping work, and metrics scrapes. */
const IMMEDIATE = new Set<EngineCommand['type']>(['hello', 'ack', 'cancel', 'getMetrics']);

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
  /** The replay or chat that is running (commands run one at a time): what `cancel` stops. */
  let running: { id: string; abort: AbortController } | undefined;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const sessions = new HostSessions({ limits });
  const grants = new FileGrants();
  const uploads = new Uploads(limits);
  const secrets = new Map<string, string>();
  const backendMemory = new BackendMemory(options.backendPath ?? (options.autosavePath ? join(dirname(options.autosavePath), 'backend.json') : undefined));
  /** Chat ids cancelled while they waited in the queue (they start cancelled). */
  const cancelledEarly = new Set<string>();

  const autosave = options.autosavePath
    ? new Autosave({
        path: options.autosavePath,
        snapshot: () => {
          const session = sessions.session(engine, title);
          return { text: serializeSession(session), messages: session.messages.length };
        },
        onSaved: (saved) => emit({ type: 'autosaved', ...saved }),
        onError: (err) => emit({ type: 'error', code: 'io', message: `autosave failed: ${err.message}` }),
        ...(options.autosaveWrite ? { write: options.autosaveWrite } : {}),
      })
    : undefined;
  /** The session changed: the autosave writes it soon (coalesced; `autosaved` says when it is on disk). */
  const saveSoon = (): void => autosave?.request();

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
    const abort = new AbortController();
    running = { id, abort };
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
      saveSoon();
    } finally {
      // configChanged says the replay is over
      running = undefined;
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

  /** Opens a parsed file: its settings are checked before anything changes (a refused open renames nothing). */
  async function openConversation(opened: OpenedConversation, file: string | undefined): Promise<void> {
    const next = opened.config ? mergedConfig(opened.config) : config;
    title = opened.title;
    path = file;
    sessions.opened(opened);
    await replay(opened.messages, next, 'open');
  }

  async function connectBackend(requested: BackendConfig): Promise<void> {
    await backend?.dispose();
    backend = undefined;
    backendConfig = requested;
    if (requested.kind === 'none') {
      await backendMemory.remember(requested);
      emit({ type: 'backendChanged', backend: requested, ready: false });
      await useTokenizer(options.tokenizer);
      return;
    }
    if (!options.createBackend) throw new CommandError('no-backend', 'this host cannot create model backends');
    if (requested.kind === 'openai' && requested.apiKey) secrets.set('openai-api-key', requested.apiKey);
    const withKey = requested.kind === 'openai' && !requested.apiKey && secrets.has('openai-api-key') ? { ...requested, apiKey: secrets.get('openai-api-key') } : requested;
    try {
      backend = await options.createBackend(withKey, options.tokenizer, (p) => emit({ type: 'modelProgress', ...p }));
      await backendMemory.remember(requested);
      emit({ type: 'backendChanged', backend: publicBackend(requested), ready: true });
    } catch (err) {
      emit({ type: 'backendChanged', backend: publicBackend(requested), ready: false, message: (err as Error).message });
    }
    await useTokenizer(backend?.tokenizer ?? options.tokenizer);
  }

  async function handle(cmd: EngineCommand): Promise<void> {
    switch (cmd.type) {
      case 'hello':
        if (cmd.protocolVersion !== PROTOCOL_VERSION) {
          batcher.start();
          throw new CommandError('protocol-mismatch', `client speaks protocol ${cmd.protocolVersion}, host speaks ${PROTOCOL_VERSION}: restart the app`);
        }
        batcher.start();
        emit({ type: 'helloAck', protocolVersion: PROTOCOL_VERSION, host: 'finite-memory-studio engine-host', session: sessionInfo(), messages: messageData(), backend: publicBackend(backendConfig), limits });
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
        engine.setConfig(next);
        config = next;
        engine.applyPolicy();
        emit({ type: 'configChanged', config: publicConfig(config) });
        saveSoon();
        return;
      }
      case 'newSession':
        resetEngine(config);
        title = 'Untitled session';
        path = undefined;
        sessions.opened(undefined);
        if (cmd.systemPrompt) engine.ingest({ role: 'system', content: cmd.systemPrompt });
        emit({ type: 'sessionLoaded', session: sessionInfo(), messages: messageData(), reason: 'new' });
        saveSoon();
        return;
      case 'appendMessages':
        for (const m of cmd.messages) engine.ingest(m);
        engine.finishTurn();
        saveSoon();
        return;
      case 'replay':
        title = cmd.title ?? title;
        path = undefined;
        return replay(cmd.messages, mergedConfig(cmd.config ?? {}), 'replay');
      case 'openSession': {
        const file = grants.resolve(cmd.handle, 'read');
        return openConversation(await sessions.readFile(file), file);
      }
      case 'openSessionText':
        return openConversation(sessions.parseText(cmd.text, cmd.name), undefined);
      case 'openBegin':
        uploads.begin(cmd.id, cmd.name, cmd.bytes);
        emit({ type: 'openProgress', id: cmd.id, received: 0, total: cmd.bytes });
        return;
      case 'openChunk':
        emit({ type: 'openProgress', id: cmd.id, ...uploads.chunk(cmd.id, cmd.text) });
        return;
      case 'openEnd':
        return openConversation(uploads.end(cmd.id), undefined);
      case 'saveSession': {
        const file = cmd.handle ? grants.resolve(cmd.handle, 'write') : undefined;
        const saved = await sessions.save(engine, title, file);
        if (file) path = file;
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
        return connectBackend(cmd.backend);
      case 'chat': {
        if (!backend) throw new CommandError('no-backend', 'no model is connected: choose a local model or an OpenAI-compatible server in Settings');
        const abort = new AbortController();
        if (cancelledEarly.delete(cmd.id)) abort.abort();
        running = { id: cmd.id, abort };
        // the user's message is on disk before the reply starts: a crash mid-reply loses no message
        const durable = async (): Promise<void> => {
          saveSoon();
          await autosave?.flush().catch(() => undefined); // a failed autosave was reported; the chat goes on
        };
        try {
          await runChat({ engine, backend, command: cmd, signal: abort.signal, emit, clock, onUserMessage: durable });
        } finally {
          running = undefined;
          saveSoon();
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
        if (running && (running.id === cmd.id || cmd.id === '*')) running.abort.abort();
        else if (!uploads.cancel(cmd.id) && cancelledEarly.size < 64) cancelledEarly.add(cmd.id);
        return;
      default:
        assertNever(cmd, 'command');
    }
  }

  /** Credits for browser mode's server: how many client commands left the host's hands (coalesced per tick). */
  let credits = 0;
  const credit = (): void => {
    if (!options.parent) return;
    if (credits++ === 0) {
      setImmediate(() => {
        options.parent?.send({ type: 'credit', commands: credits });
        credits = 0;
      });
    }
  };
  const queue = new CommandQueue<EngineCommand>({ run: (cmd) => run(cmd), onTaken: credit });

  function run(cmd: EngineCommand): Promise<void> {
    return handle(cmd).catch((err: unknown) => {
      const code = err instanceof CommandError ? err.code : 'internal';
      const id = 'id' in cmd ? cmd.id : undefined;
      emit({ type: 'error', code, message: (err as Error).message ?? String(err), command: cmd.type, id });
    });
  }

  function onMessage(data: unknown): void {
    const checked = checkCommand(data, limits);
    if (!checked.ok) {
      emit({ type: 'error', ...checked.error });
      batcher.start();
      credit();
      return;
    }
    const cmd = checked.command as EngineCommand;
    if (IMMEDIATE.has(cmd.type)) {
      void run(cmd);
      credit();
      return;
    }
    if (!queue.push(cmd)) {
      emit({ type: 'error', code: 'overloaded', message: `the engine has ${queue.length} commands waiting; this one was refused`, command: cmd.type, id: 'id' in cmd ? cmd.id : undefined });
      credit();
    }
  }

  function onParent(message: ParentMessage): void {
    switch (message.type) {
      case 'grant':
        grants.grant(message.handle, message.path, message.mode);
        options.parent?.send({ type: 'granted', handle: message.handle });
        return;
      case 'secret':
        if (message.value) secrets.set(message.name, message.value);
        else secrets.delete(message.name);
        return;
      case 'shutdown':
        return; // the entry point disposes the host and exits
      default:
        assertNever(message, 'parent message');
    }
  }
  options.parent?.onMessage(onParent);

  const reason = options.restartReason;
  const startup = (async () => {
    await autosave?.cleanUp();
    if (reason === undefined && !options.restoreLastSession) return;
    const restored = options.autosavePath ? await sessions.readFile(options.autosavePath).catch(() => undefined) : undefined;
    if (restored) {
      title = restored.title;
      sessions.opened(restored);
      await replay(restored.messages, restored.config ? mergedConfig(restored.config) : config, 'restore').catch((err: Error) => {
        emit({ type: 'error', code: 'bad-session', message: `the autosave could not be restored: ${err.message}` });
      });
    }
    if (reason !== undefined) emit({ type: 'hostRestarted', reason, restoredMessages: restored?.messages.length ?? 0 });
  })();
  // Commands wait until a restore has finished, so a client never sees a half-restored session.
  transport.onMessage((data) => {
    void startup.then(() => onMessage(data));
  });
  await startup;
  // after a restart, the model connection comes back first in line (a download shows its progress)
  const remembered = reason !== undefined ? await backendMemory.recall() : undefined;
  if (remembered) queue.push({ type: 'setBackend', backend: remembered });

  return {
    get engine() {
      return engine;
    },
    batcher,
    /** Stops work, writes the pending autosave, and lets go of the backend. */
    dispose: async () => {
      running?.abort.abort();
      await autosave?.flush().catch(() => undefined);
      batcher.dispose();
      await backend?.dispose();
    },
    autosave,
  };
}

/** The settings clients see and set (the protocol's shape). */
export const publicConfig = (c: EngineConfig): EngineConfigData => configData(c);

/** The backend config as shown to clients: the API key never leaves the host. */
function publicBackend(b: BackendConfig): BackendConfig {
  return b.kind === 'openai' ? { kind: 'openai', baseUrl: b.baseUrl, model: b.model } : b;
}
