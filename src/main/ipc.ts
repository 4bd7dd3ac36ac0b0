import { app, type WebContents } from 'electron';
import { z } from 'zod';
import type { AppInfo, SecretStatus } from '../shared/bridge.js';
import { IPC, SECRET_NAMES } from '../shared/ipcChannels.js';
import type { SessionFiles } from './files.js';
import { IpcGuard, type GuardOptions } from './ipcGuard.js';
import type { SecretStore } from './secrets.js';
import { openSpeedscopeWindow } from './speedscopeWindow.js';

/** The largest export `saveTextFile` writes (UTF-8 bytes). */
export const MAX_TEXT_FILE_BYTES = 256 * 2 ** 20;
/** API keys are short; this bounds what a renderer can make main keep. */
export const MAX_SECRET_LENGTH = 4096;

// no control characters: a file name for a dialog, a key for an HTTP header
const printable = (max: number) => z.string().max(max).regex(/^[^\p{Cc}]*$/u);
// a default for a save dialog (main keeps only a file name of at most 200 characters)
const fileName = printable(1024).min(1);
const text = z.string().refine((s) => s.length <= MAX_TEXT_FILE_BYTES && Buffer.byteLength(s, 'utf8') <= MAX_TEXT_FILE_BYTES, 'too large');
const secretName = z.enum(SECRET_NAMES);

export interface IpcOptions extends GuardOptions {
  files: SessionFiles;
  secrets: SecretStore;
  engine: {
    /** The window asks for a MessagePort to the engine. */
    requestPort: (sender: WebContents) => void;
    /** A new API key for the running host (undefined forgets it). */
    sendApiKey: (value: string | undefined) => void;
    /** Restart (also after a give-up). */
    restart: () => void;
  };
}

/** The handlers behind the preload bridge (see bridge.ts); each checks its sender and its arguments. */
export function registerIpc(options: IpcOptions): IpcGuard {
  const { files, secrets, engine } = options;
  const guard = new IpcGuard(options);
  const none = z.tuple([]);
  guard.on(IPC.requestEnginePort, (event) => engine.requestPort(event.sender));
  guard.handle(IPC.openSessionDialog, none, () => files.open());
  guard.handle(IPC.saveSessionDialog, z.tuple([fileName]), (_e, [defaultName]) => files.save(defaultName));
  guard.handle(IPC.saveTextFile, z.tuple([fileName, text]), (_e, [defaultName, body]) => files.saveText(defaultName, body));
  guard.handle(IPC.recentSessions, none, () => files.recent());
  guard.handle(
    IPC.appInfo,
    none,
    (): AppInfo => ({ name: app.getName(), version: app.getVersion(), electron: process.versions.electron ?? '', platform: process.platform, secretStorage: secrets.storage }),
  );
  guard.handle(IPC.setSecret, z.tuple([secretName, printable(MAX_SECRET_LENGTH)]), (_e, [name, value]): SecretStatus => {
    const status = secrets.set(name, value);
    engine.sendApiKey(value || undefined);
    return status;
  });
  guard.handle(IPC.secretStatus, z.tuple([secretName]), (_e, [name]): SecretStatus => secrets.status(name));
  guard.handle(IPC.restartEngine, none, () => engine.restart());
  guard.handle(IPC.openSpeedscope, z.tuple([text, printable(200)]), async (_e, [json, title]) => void (await openSpeedscopeWindow(json, title)));
  return guard;
}
