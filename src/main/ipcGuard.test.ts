import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { AppStateStore } from './appState.js';
import { SessionFiles } from './files.js';
import { registerIpc } from './ipc.js';
import { SecretStore } from './secrets.js';
import { dialog, FakeBrowserWindow, FakeWebFrameMain, fromWindow, ipcMain, resetFakes, type FakeIpcEvent } from './testing/fakeElectron.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

let dir: string;
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(path.join(tmpdir(), 'fms-guard-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(url = 'app://bundle/index.html') {
  const win = new FakeBrowserWindow({ width: 1000, height: 700 });
  await win.loadURL(url);
  const window = () => win as unknown as BrowserWindow;
  const grant = vi.fn(async () => 'handle-0123456789');
  const files = new SessionFiles({ window, state: new AppStateStore(dir), grant });
  const engine = { requestPort: vi.fn(), sendApiKey: vi.fn(), restart: vi.fn() };
  const warn = vi.fn();
  const secrets = new SecretStore(dir, 'linux');
  registerIpc({ window, files, secrets, engine, warn });
  return { win, engine, warn, secrets };
}

const CHANNELS: [string, unknown[]][] = [
  ['fms:open-session-dialog', []],
  ['fms:save-session-dialog', ['session.json']],
  ['fms:save-text-file', ['profile.json', '{}']],
  ['fms:recent-sessions', []],
  ['fms:app-info', []],
  ['fms:set-secret', ['openai-api-key', 'sk-x']],
  ['fms:secret-status', ['openai-api-key']],
  ['fms:restart-engine', []],
];

describe('IPC sender checks', () => {
  it('answers our window’s main frame on the app origin', async () => {
    await setup();
    for (const [channel, args] of CHANNELS) await ipcMain.invoke(channel, ...args); // a refusal would reject
  });

  it.each<[string, (win: FakeBrowserWindow) => FakeIpcEvent]>([
    ['an iframe of our page', (win) => fromWindow(win, new FakeWebFrameMain('app://bundle/index.html', win.webContents.mainFrame))],
    ['another top frame in our contents', (win) => fromWindow(win, new FakeWebFrameMain('app://bundle/index.html'))],
    ['a frame that is gone', (win) => ({ sender: win.webContents, senderFrame: null })],
    ['another window', () => fromWindow(new FakeBrowserWindow({ width: 1, height: 1 }))],
    ['no window at all', () => ({ sender: undefined, senderFrame: null })],
  ])('refuses every handler invoked from %s, and logs it once per channel', async (_name, event) => {
    const { win, engine, warn } = await setup();
    for (const [channel, args] of CHANNELS) {
      await expect(ipcMain.invokeFrom(event(win), channel, ...args)).rejects.toThrow(/refused: not from the (app window|main frame)/);
      await expect(ipcMain.invokeFrom(event(win), channel, ...args)).rejects.toThrow(/refused/);
    }
    expect(warn).toHaveBeenCalledTimes(CHANNELS.length);
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
    expect(engine.restart).not.toHaveBeenCalled();
    ipcMain.emit('fms:request-engine-port', event(win));
    expect(engine.requestPort).not.toHaveBeenCalled();
  });

  it.each(['https://evil.example/', 'file:///app/out/renderer/index.html', 'app://other/index.html', 'http://localhost:5173/', 'about:blank', ''])(
    'refuses our main frame showing %j',
    async (url) => {
      const { engine, secrets } = await setup(url);
      await expect(ipcMain.invoke('fms:set-secret', 'openai-api-key', 'sk-x')).rejects.toThrow(/refused: not from an app page/);
      expect(secrets.get('openai-api-key')).toBeUndefined();
      ipcMain.emit('fms:request-engine-port', fromWindow());
      expect(engine.requestPort).not.toHaveBeenCalled();
    },
  );

  it("accepts electron-vite's dev server page only in dev", async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    await setup('http://localhost:5173/');
    await expect(ipcMain.invoke('fms:app-info')).resolves.toMatchObject({ name: 'Finite Memory Studio' });
    resetFakes();
    vi.unstubAllEnvs();
    await setup('http://localhost:5173/');
    await expect(ipcMain.invoke('fms:app-info')).rejects.toThrow(/not from an app page/);
  });
});

describe('IPC argument checks', () => {
  it.each<[string, unknown[]]>([
    ['fms:open-session-dialog', ['extra']],
    ['fms:save-session-dialog', []],
    ['fms:save-session-dialog', [42]],
    ['fms:save-session-dialog', ['']],
    ['fms:save-session-dialog', ['a'.repeat(1025)]],
    ['fms:save-session-dialog', ['a\nb.json']],
    ['fms:save-session-dialog', [{ toString: () => 'x' }]],
    ['fms:save-text-file', ['p.json']],
    ['fms:save-text-file', ['p.json', 7]],
    ['fms:save-text-file', ['p.json', 'x', 'y']],
    ['fms:set-secret', ['other-secret', 'x']],
    ['fms:set-secret', ['openai-api-key', 'sk\r\nX-Evil: 1']],
    ['fms:set-secret', ['openai-api-key', 'k'.repeat(4097)]],
    ['fms:set-secret', ['openai-api-key']],
    ['fms:secret-status', ['__proto__']],
    ['fms:recent-sessions', [null]],
    ['fms:restart-engine', [true]],
  ])('%s refuses the arguments %j', async (channel, args) => {
    const { engine, secrets } = await setup();
    await expect(ipcMain.invoke(channel, ...args)).rejects.toThrow(`${channel} refused: invalid arguments`);
    expect(dialog.showSaveDialog).not.toHaveBeenCalled();
    expect(engine.sendApiKey).not.toHaveBeenCalled();
    expect(engine.restart).not.toHaveBeenCalled();
    expect(secrets.get('openai-api-key')).toBeUndefined();
  });

  it('does not echo what was sent', async () => {
    await setup();
    await expect(ipcMain.invoke('fms:set-secret', 'openai-api-key', 'sk-private\n')).rejects.not.toThrow(/sk-private/);
  });

  it('drops a port request that carries arguments', async () => {
    const { engine } = await setup();
    ipcMain.emit('fms:request-engine-port', fromWindow(), 'x');
    expect(engine.requestPort).not.toHaveBeenCalled();
  });
});
