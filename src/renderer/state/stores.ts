import { createStore } from 'zustand/vanilla';
import type { BackendConfig, SessionInfo, TelemetryStatus } from '../../shared/protocol.js';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.js';
import { emptyCache, emptyChat, emptyEvictions, emptyFacts, emptySpans, emptyTune, emptyWhatIf, emptyWindow, type CacheState, type ChatState, type EvictionState, type FactsState, type SpansState, type TuneViewState, type WhatIfViewState, type WindowState } from '../../shared/view/viewState.js';
import type { DownloadShown } from './downloadProgress.js';

export * from '../../shared/view/viewState.js';

export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface SessionState extends ChatState {
  connection: Connection;
  info: SessionInfo | undefined;
  backend: BackendConfig;
  backendReady: boolean;
  /** Why the backend could not be connected. */
  backendMessage: string | undefined;
  /** The models the connected server lists (Settings offers them); undefined when it does not list them. */
  backendModels: string[] | undefined;
  /** What to know about a connection that works (the server lists no models, the typed one is not listed). */
  backendNote: string | undefined;
  /** A Connect was sent and its backendChanged has not come yet (the server is being probed, a model loaded). */
  backendConnecting: boolean;
  /** The model file being downloaded (see nextDownload). */
  download: DownloadShown | undefined;
  replay: { done: number; total: number } | undefined;
  /** A file being uploaded to the engine (browser mode and drag-and-drop). */
  upload: { id: string; name: string; received: number; total: number } | undefined;
  /** The last autosave that is on disk. */
  autosaved: { messages: number; bytes: number; at: number } | undefined;
  /** The engine crashed too often and is not restarted until the user asks: why. */
  engineStopped: string | undefined;
  /** The engine's size limits (from its hello). */
  limits: Limits;
  /** Where the engine's turn export goes (OpenTelemetry; from its hello, then telemetryChanged). */
  telemetry: TelemetryStatus;
  notices: Notice[];
}

export interface UiState {
  theme: 'dark' | 'light';
  selectedMessageId: number | undefined;
  /** Bumped to ask the chat to scroll to the selected message. */
  jump: number;
}

export const sessionStore = createStore<SessionState>(() => ({
  connection: 'connecting',
  info: undefined,
  ...emptyChat(),
  messagesVersion: 0,
  backend: { kind: 'none' },
  backendReady: false,
  backendMessage: undefined,
  backendModels: undefined,
  backendNote: undefined,
  backendConnecting: false,
  download: undefined,
  replay: undefined,
  upload: undefined,
  autosaved: undefined,
  engineStopped: undefined,
  limits: DEFAULT_LIMITS,
  telemetry: { source: 'off' },
  notices: [],
}));

export const windowStore = createStore<WindowState>(() => ({ ...emptyWindow(), seriesVersion: 0 }));

export const evictionStore = createStore<EvictionState>(() => emptyEvictions());

export const cacheStore = createStore<CacheState>(() => emptyCache());

export const spansStore = createStore<SpansState>(() => emptySpans());

export const factsStore = createStore<FactsState>(() => emptyFacts());

export const tuneStore = createStore<TuneViewState>(() => emptyTune());

export const whatIfStore = createStore<WhatIfViewState>(() => emptyWhatIf());

// read through globalThis: the stores also run in Node (tests, bench/stores.bench.ts), which has no localStorage
const savedTheme = (globalThis as { localStorage?: { getItem(key: string): string | null } }).localStorage?.getItem('fms-theme');
export const uiStore = createStore<UiState>(() => ({ theme: savedTheme === 'light' ? 'light' : 'dark', selectedMessageId: undefined, jump: 0 }));

let noticeId = 0;
export function notify(kind: Notice['kind'], text: string): void {
  const notice = { id: ++noticeId, kind, text };
  sessionStore.setState((s) => ({ notices: [...s.notices.slice(-4), notice] }));
}

export function dismissNotice(id: number): void {
  sessionStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
