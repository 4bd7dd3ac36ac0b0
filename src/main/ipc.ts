import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, ipcMain, safeStorage, type BrowserWindow } from 'electron';
import type { AppInfo } from '../shared/bridge.js';
import type { AppStateStore } from './appState.js';

export const SESSION_FILTERS = [
  { name: 'Sessions and chats', extensions: ['json', 'jsonl'] },
  { name: 'All files', extensions: ['*'] },
];

/** Secrets encrypted with safeStorage, base64 in userData/secrets.json. Never plain text. */
export class SecretStore {
  readonly #file: string;
  constructor(dir: string) {
    this.#file = path.join(dir, 'secrets.json');
  }
  #read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
  set(name: string, value: string): void {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption is not available: the API key was not saved');
    const all = this.#read();
    if (value === '') delete all[name];
    else all[name] = safeStorage.encryptString(value).toString('base64');
    mkdirSync(path.dirname(this.#file), { recursive: true });
    writeFileSync(this.#file, JSON.stringify(all), { mode: 0o600 });
  }
  get(name: string): string | undefined {
    const enc = this.#read()[name];
    if (!enc || !safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(enc, 'base64'));
    } catch {
      return undefined;
    }
  }
}

/** The handlers behind the preload bridge: dialogs, recent files, app info, secrets. */
export function registerIpc(options: { window: () => BrowserWindow | undefined; state: AppStateStore; secrets: SecretStore; requestPort: (sender: Electron.WebContents) => void }): void {
  const { state, secrets } = options;
  ipcMain.on('fms:request-engine-port', (event) => options.requestPort(event.sender));
  ipcMain.handle('fms:open-session-dialog', async () => {
    const win = options.window();
    const r = win ? await dialog.showOpenDialog(win, { properties: ['openFile'], filters: SESSION_FILTERS }) : undefined;
    const file = r && !r.canceled ? r.filePaths[0] : undefined;
    if (file) state.addRecent(file);
    return file;
  });
  ipcMain.handle('fms:save-session-dialog', async (_e, defaultName: string) => {
    const win = options.window();
    const r = win ? await dialog.showSaveDialog(win, { defaultPath: defaultName, filters: [{ name: 'Session', extensions: ['json'] }] }) : undefined;
    if (r && !r.canceled && r.filePath) {
      state.addRecent(r.filePath);
      return r.filePath;
    }
    return undefined;
  });
  ipcMain.handle('fms:save-text-file', async (_e, defaultName: string, text: string) => {
    const win = options.window();
    const r = win ? await dialog.showSaveDialog(win, { defaultPath: defaultName }) : undefined;
    if (!r || r.canceled || !r.filePath) return undefined;
    await writeFile(r.filePath, text);
    return r.filePath;
  });
  ipcMain.handle('fms:recent-sessions', () => state.state.recent);
  ipcMain.handle('fms:add-recent-session', (_e, file: string) => state.addRecent(file));
  ipcMain.handle(
    'fms:app-info',
    (): AppInfo => ({ name: app.getName(), version: app.getVersion(), electron: process.versions.electron ?? '', platform: process.platform, secretsEncrypted: safeStorage.isEncryptionAvailable() }),
  );
  ipcMain.handle('fms:set-secret', (_e, name: string, value: string) => secrets.set(name, value));
  ipcMain.handle('fms:get-secret', (_e, name: string) => secrets.get(name));
}
