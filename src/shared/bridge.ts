/** The preload's bridge, as the renderer sees it on `window.fms` (Electron only). */

/**
 * A file the user picked in a native dialog. The renderer never sends paths to the engine: main
 * granted the engine host this opaque `handle` for exactly this file (and this kind of access)
 * before the promise resolved. `path` is for display only.
 */
export interface PickedFile {
  handle: string;
  name: string;
  path: string;
}

export type MenuAction =
  | { action: 'new' }
  | { action: 'open'; file: PickedFile }
  | { action: 'save'; file: PickedFile }
  | { action: 'exportProfile' }
  | { action: 'restartEngine' };

/** Where an API key is kept: encrypted by the OS keyring, only in memory for this run (no keyring: Linux `basic_text`), or nowhere. */
export type SecretStorage = 'encrypted' | 'session-only';

export interface AppInfo {
  name: string;
  version: string;
  electron: string;
  platform: string;
  /** How secrets are kept on this machine. */
  secretStorage: SecretStorage;
}

export interface SecretStatus {
  /** A key is set (the renderer never sees it). */
  saved: boolean;
  storage: SecretStorage;
}

export interface FmsBridge {
  readonly platform: 'electron';
  /** Asks main for a MessagePort to the engine; it arrives as a window message { type: 'fms:engine-port' }. */
  requestEnginePort(): void;
  /** Native open dialog; resolves once the engine may read the file, or undefined if cancelled. */
  openSessionDialog(): Promise<PickedFile | undefined>;
  /** Native save dialog; resolves once the engine may write the file, or undefined if cancelled. */
  saveSessionDialog(defaultName: string): Promise<PickedFile | undefined>;
  /** Save dialog + write, for exports (profiles). Resolves with the path, or undefined if cancelled. */
  saveTextFile(defaultName: string, text: string): Promise<string | undefined>;
  /** Recent sessions, each already granted to the engine for reading. */
  recentSessions(): Promise<PickedFile[]>;
  appInfo(): Promise<AppInfo>;
  /**
   * Stores a secret (the OpenAI-compatible server's API key) in main and hands it to the engine host;
   * '' forgets it. Encrypted with safeStorage where the OS has a keyring; otherwise kept for this run only.
   */
  setSecret(name: 'openai-api-key', value: string): Promise<SecretStatus>;
  /** Whether a secret is set, never its value. */
  secretStatus(name: 'openai-api-key'): Promise<SecretStatus>;
  /** Restarts the engine host (also after it crashed too often and was not restarted). */
  restartEngine(): Promise<void>;
  /** Shows a speedscope profile (JSON) in speedscope's viewer, served with the app, in a window of its own. */
  openSpeedscope(json: string, title: string): Promise<void>;
  onMenu(listener: (action: MenuAction) => void): () => void;
  /** The engine crashed too often and main stopped restarting it: the reason, for the UI's banner. */
  onEngineStopped(listener: (reason: string) => void): () => void;
}

export const ENGINE_PORT_MESSAGE = 'fms:engine-port';
