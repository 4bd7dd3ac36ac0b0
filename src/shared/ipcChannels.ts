/** The IPC channels between the preload bridge and Electron main (see bridge.ts for what each does). */
export const IPC = {
  /** renderer → main (send): hand me a MessagePort to the engine. */
  requestEnginePort: 'fms:request-engine-port',
  openSessionDialog: 'fms:open-session-dialog',
  saveSessionDialog: 'fms:save-session-dialog',
  saveTextFile: 'fms:save-text-file',
  recentSessions: 'fms:recent-sessions',
  appInfo: 'fms:app-info',
  setSecret: 'fms:set-secret',
  secretStatus: 'fms:secret-status',
  restartEngine: 'fms:restart-engine',
  openSpeedscope: 'fms:open-speedscope',
  /** main → renderer: a MenuAction. */
  menu: 'fms:menu',
  /** main → renderer: the engine crashed too often and was not restarted (the reason). */
  engineStopped: 'fms:engine-stopped',
} as const;

/** The only secret the bridge knows. */
export const SECRET_NAMES = ['openai-api-key'] as const;
