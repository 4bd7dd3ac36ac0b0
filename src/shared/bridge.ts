/** The preload's bridge, as the renderer sees it on `window.fms` (Electron only). */
export type MenuAction =
  | { action: 'new' }
  | { action: 'open'; path: string }
  | { action: 'save'; path: string }
  | { action: 'exportProfile' }
  | { action: 'restartEngine' };

export interface AppInfo {
  name: string;
  version: string;
  electron: string;
  platform: string;
  /** Whether OS-level encryption (safeStorage) is available for secrets. */
  secretsEncrypted: boolean;
}

export interface FmsBridge {
  readonly platform: 'electron';
  /** Asks main for a MessagePort to the engine; it arrives as a window message { type: 'fms:engine-port' }. */
  requestEnginePort(): void;
  openSessionDialog(): Promise<string | undefined>;
  saveSessionDialog(defaultName: string): Promise<string | undefined>;
  /** Save dialog + write, for exports (profiles). Resolves with the path, or undefined if cancelled. */
  saveTextFile(defaultName: string, text: string): Promise<string | undefined>;
  recentSessions(): Promise<string[]>;
  addRecentSession(path: string): Promise<void>;
  appInfo(): Promise<AppInfo>;
  /** Secrets (API keys) are encrypted with Electron safeStorage, never stored in plain text. */
  setSecret(name: string, value: string): Promise<void>;
  getSecret(name: string): Promise<string | undefined>;
  onMenu(listener: (action: MenuAction) => void): () => void;
}

export const ENGINE_PORT_MESSAGE = 'fms:engine-port';
