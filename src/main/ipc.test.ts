import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { AppStateStore } from './appState.js';
import { registerIpc, SecretStore } from './ipc.js';
import { dialog, FakeBrowserWindow, ipcMain, resetFakes, safeStorage } from './testing/fakeElectron.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

let dir: string;
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(path.join(tmpdir(), 'fms-ipc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'sk-live-Zoë-0123456789abcdef';
const secretsFile = () => path.join(dir, 'secrets.json');

describe('SecretStore', () => {
  it('stores only encrypted data and reads it back, across instances', () => {
    new SecretStore(dir).set('openai', SECRET);
    const text = readFileSync(secretsFile(), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(text).not.toContain(Buffer.from(SECRET).toString('hex'));
    const stored = (JSON.parse(text) as Record<string, string>).openai;
    expect(safeStorage.decryptString(Buffer.from(stored, 'base64'))).toBe(SECRET);
    expect(new SecretStore(dir).get('openai')).toBe(SECRET);
    expect(new SecretStore(dir).get('other')).toBeUndefined();
  });

  it('forgets a secret set to the empty string', () => {
    const store = new SecretStore(dir);
    store.set('openai', SECRET);
    store.set('openai', '');
    expect(store.get('openai')).toBeUndefined();
    expect(readFileSync(secretsFile(), 'utf8')).toBe('{}');
  });

  it('refuses to save when OS encryption is unavailable, and writes nothing', () => {
    safeStorage.available = false;
    const store = new SecretStore(dir);
    expect(() => store.set('openai', SECRET)).toThrow(/encryption is not available/);
    expect(existsSync(secretsFile())).toBe(false);
    expect(store.get('openai')).toBeUndefined();
  });

  it('answers undefined for a corrupt file or a value it cannot decrypt', () => {
    const store = new SecretStore(dir);
    writeFileSync(secretsFile(), '{"openai": ');
    expect(store.get('openai')).toBeUndefined();
    writeFileSync(secretsFile(), JSON.stringify({ openai: Buffer.from('plain text').toString('base64') }));
    expect(store.get('openai')).toBeUndefined();
  });
});

describe('registerIpc', () => {
  function setup() {
    const win = new FakeBrowserWindow({ width: 1000, height: 700 });
    const state = new AppStateStore(dir);
    const secrets = new SecretStore(dir);
    const requestPort = vi.fn();
    registerIpc({ window: () => win as unknown as BrowserWindow, state, secrets, requestPort });
    return { win, state, requestPort };
  }

  it('opens a session through the dialog and remembers it', async () => {
    const { state } = setup();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/s/a.json'] });
    expect(await ipcMain.invoke('fms:open-session-dialog')).toBe('/s/a.json');
    expect(await ipcMain.invoke('fms:open-session-dialog')).toBeUndefined();
    expect(state.state.recent).toEqual(['/s/a.json']);
    expect(await ipcMain.invoke('fms:recent-sessions')).toEqual(['/s/a.json']);
  });

  it('saves through the dialog and writes exported text where the user chose', async () => {
    const { state } = setup();
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/s/b.json' });
    expect(await ipcMain.invoke('fms:save-session-dialog', 'session.json')).toBe('/s/b.json');
    expect(state.state.recent).toEqual(['/s/b.json']);
    const out = path.join(dir, 'profile.speedscope.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: out });
    expect(await ipcMain.invoke('fms:save-text-file', 'profile.json', '{"x":1}')).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe('{"x":1}');
    expect(await ipcMain.invoke('fms:save-text-file', 'profile.json', 'nope')).toBeUndefined();
  });

  it('routes secrets through the encrypted store and reports whether encryption works', async () => {
    setup();
    await ipcMain.invoke('fms:set-secret', 'openai', SECRET);
    expect(readFileSync(secretsFile(), 'utf8')).not.toContain(SECRET);
    expect(await ipcMain.invoke('fms:get-secret', 'openai')).toBe(SECRET);
    expect(await ipcMain.invoke('fms:app-info')).toMatchObject({ name: 'Finite Memory Studio', secretsEncrypted: true });
    safeStorage.available = false;
    expect(await ipcMain.invoke('fms:app-info')).toMatchObject({ secretsEncrypted: false });
    await expect(ipcMain.invoke('fms:set-secret', 'openai', 'other')).rejects.toThrow(/not available/);
  });

  it('hands an engine port to the window that asks for one', () => {
    const { win, requestPort } = setup();
    ipcMain.emit('fms:request-engine-port', { sender: win.webContents });
    expect(requestPort).toHaveBeenCalledExactlyOnceWith(win.webContents);
  });
});
