import { dirname, join } from 'node:path';
import type { HostEvent } from '../shared/protocol.js';
import { DEFAULT_LIMITS, type Limits } from '../shared/limits.js';
import { ViewModel } from '../shared/view/viewModel.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import type { TurnTelemetry } from '../engine/node/otel/index.js';
import { Autosave } from './autosave.js';
import { EventBatcher } from './batcher.js';
import { FileGrants } from './grants.js';
import { HostBackend } from './hostBackend.js';
import { HostEngine } from './hostEngine.js';
import type { HostOptions } from './options.js';
import { RunningWork } from './runningWork.js';
import { SessionFiles } from './sessionFiles.js';
import { HostTelemetry, observeForTelemetry } from './telemetry.js';
import { Uploads } from './uploads.js';

/** Everything a command handler works with: the engine and session, files, the backend, the event stream. */
export interface HostContext {
  readonly state: HostEngine;
  /** Queues an event for the client (batched). */
  readonly emit: (event: HostEvent) => void;
  readonly batcher: EventBatcher;
  /** Every store of the UI as the batches sent (or folded while no client is connected) built it: a hello's snapshot. */
  readonly view: ViewModel;
  readonly limits: Limits;
  readonly files: SessionFiles;
  readonly grants: FileGrants;
  readonly uploads: Uploads;
  readonly backend: HostBackend;
  readonly work: RunningWork;
  readonly autosave: Autosave | undefined;
  /** The session changed: the autosave writes it soon (coalesced; `autosaved` says when it is on disk). */
  saveSoon(): void;
  readonly clock: () => number;
  /** The tokenizer the host started with (used when no local model brings its own). */
  readonly defaultTokenizer: Tokenizer;
  /** Messages replayed between yields to the event loop. */
  readonly replayChunk: number;
  /** OpenTelemetry export of the engine's turns (telemetry.ts), set once the host has started; every event passes it. */
  telemetry: TurnTelemetry | undefined;
  /** Where that export goes (the environment's endpoint or the Settings'), and switching it (setTelemetry). */
  readonly telemetrySwitch: HostTelemetry;
}

const defaultSchedule = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** Builds the host's parts from its options; nothing runs until commands arrive. */
export function createContext(options: HostOptions): HostContext {
  const { transport } = options;
  const clock = options.clock ?? (() => performance.now());
  const schedule = options.schedule ?? defaultSchedule;
  const maxEvents = options.maxBatchEvents ? { maxEvents: options.maxBatchEvents } : {};
  const view = new ViewModel();
  const batcher = new EventBatcher({ send: (b, t) => transport.send(b, t), fold: (b) => view.apply(b), now: options.now ?? Date.now, hostClock: () => performance.now(), schedule, ...maxEvents });
  const emit = (event: HostEvent): void => {
    if (ctx.telemetry) observeForTelemetry(ctx.telemetry, event);
    batcher.push(event);
  };
  const limits = options.limits ?? DEFAULT_LIMITS;
  const state = new HostEngine({ tokenizer: options.tokenizer, clock, title: options.title, listener: emit });
  const files = new SessionFiles({ limits });
  const autosave = options.autosavePath ? createAutosave(options.autosavePath, options, files, state, emit) : undefined;
  const memoryFile = options.backendPath ?? (options.autosavePath ? join(dirname(options.autosavePath), 'backend.json') : undefined);
  const ctx: HostContext = {
    state,
    emit,
    batcher,
    view,
    limits,
    files,
    grants: new FileGrants(),
    uploads: new Uploads(limits),
    backend: new HostBackend({ memoryFile, create: options.createBackend }),
    work: new RunningWork(),
    autosave,
    saveSoon: () => autosave?.request(),
    clock,
    defaultTokenizer: options.tokenizer,
    replayChunk: options.replayChunk ?? 64,
    telemetry: undefined,
    telemetrySwitch: new HostTelemetry(options.otelEnv, options.autosavePath ? join(dirname(options.autosavePath), 'telemetry.json') : undefined),
  };
  return ctx;
}

function createAutosave(path: string, options: HostOptions, files: SessionFiles, state: HostEngine, emit: (event: HostEvent) => void): Autosave {
  return new Autosave({
    path,
    snapshot: () => {
      const { text, messages } = files.snapshot(state.engine, state.title);
      return { text, messages };
    },
    onSaved: (saved) => emit({ type: 'autosaved', ...saved }),
    onError: (err) => emit({ type: 'error', code: 'io', message: `autosave failed: ${err.message}` }),
    ...(options.autosaveWrite ? { write: options.autosaveWrite } : {}),
  });
}
