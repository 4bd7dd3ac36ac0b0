import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, WebContents } from 'electron';
import type { PickedFile } from '../shared/bridge.js';
import { AppStateStore } from './appState.js';
import { SessionFiles } from './files.js';
import { createHostManager } from './hostManager.js';
import { registerIpc } from './ipc.js';
import { SecretStore } from './secrets.js';
import { dialog, FakeBrowserWindow, forked, ipcMain, resetFakes, safeStorage } from './testing/fakeElectron.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

let dir: string;
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(path.join(tmpdir(), 'fms-ipc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'sk-live-Zoë-0123456789abcdef';
const HANDLE = /^[A-Za-z0-9_-]{8,100}$/;

/** A file that exists, in the test folder. */
function file(name: string): string {
  const p = path.join(dir, 's', name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, '{}');
  return p;
}

async function setup() {
  const win = new FakeBrowserWindow({ width: 1000, height: 700 });
  await win.loadURL('app://bundle/index.html');
  const state = new AppStateStore(dir);
  const secrets = new SecretStore(dir, 'linux');
  const hosts = createHostManager({
    entry: '/app/out/main/engine-host.js',
    autosavePath: path.join(dir, 'autosave.json'),
    modelsDir: path.join(dir, 'models'),
    contents: () => win.webContents as unknown as WebContents,
    apiKey: () => secrets.get('openai-api-key'),
  });
  hosts.start();
  const window = () => win as unknown as BrowserWindow;
  const files = new SessionFiles({ window, state, grant: (f, mode) => hosts.grant(f, mode) });
  const engine = { requestPort: vi.fn(), sendApiKey: vi.fn((v: string | undefined) => hosts.sendApiKey(v)), restart: vi.fn() };
  registerIpc({ window, files, secrets, engine, warn: () => undefined });
  const host = forked[0];
  /** The grants the host got, as [handle, path, mode]. */
  const grants = () => host.control.filter((m) => m.type === 'grant').map((m) => [m.handle, m.path, m.mode]);
  return { win, state, secrets, hosts, host, engine, grants };
}

describe('registerIpc: files', () => {
  it('opens a session: the host is granted read access before the handle reaches the renderer', async () => {
    const { state, host, grants } = await setup();
    const a = file('a.json');
    host.answerGrants = false;
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [a] });
    let picked: PickedFile | undefined;
    const opening = ipcMain.invoke('fms:open-session-dialog').then((f) => (picked = f as PickedFile));
    await vi.waitFor(() => expect(grants()).toHaveLength(1));
    const [handle, granted, mode] = grants()[0];
    expect([granted, mode]).toEqual([a, 'read']);
    expect(picked).toBeUndefined();
    host.emit('message', { type: 'granted', handle });
    await opening;
    expect(picked).toEqual({ handle, name: 'a.json', path: a });
    expect(handle).toMatch(HANDLE);
    expect(state.state.recent).toEqual([a]);
    expect(await ipcMain.invoke('fms:open-session-dialog')).toBeUndefined(); // cancelled
  });

  it('saves through the dialog with a write grant, and writes exported text where the user chose', async () => {
    const { state, grants } = await setup();
    const b = path.join(dir, 's-b.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: b });
    const picked = (await ipcMain.invoke('fms:save-session-dialog', 'session.json')) as PickedFile;
    expect(grants()).toEqual([[picked.handle, b, 'write']]);
    expect(picked).toMatchObject({ name: 's-b.json', path: b });
    expect(state.state.recent).toEqual([b]);
    expect(await ipcMain.invoke('fms:save-session-dialog', 'session.json')).toBeUndefined();

    const out = path.join(dir, 'profile.speedscope.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: out });
    expect(await ipcMain.invoke('fms:save-text-file', 'profile.json', '{"x":1}')).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe('{"x":1}');
    expect(await ipcMain.invoke('fms:save-text-file', 'profile.json', 'nope')).toBeUndefined();
    expect(grants()).toHaveLength(1); // exports never reach the host
  });

  it('passes only a short file name as the dialog default', async () => {
    await setup();
    await ipcMain.invoke('fms:save-session-dialog', '../../etc/passwd');
    expect(dialog.showSaveDialog.mock.calls[0][1]).toMatchObject({ defaultPath: 'passwd' });
    await ipcMain.invoke('fms:save-text-file', `${'t'.repeat(500)}.speedscope.json`, '{}');
    expect(dialog.showSaveDialog.mock.calls[1][1]).toMatchObject({ defaultPath: `${'t'.repeat(195)}.json` });
  });

  it('lists the recent files that still exist, each granted for reading', async () => {
    const { state, grants } = await setup();
    const [a, c] = [file('a.json'), file('c.json')];
    state.addRecent(a);
    state.addRecent(path.join(dir, 's', 'gone.json'));
    state.addRecent(path.join(dir, 's')); // a folder
    state.addRecent(c);
    const recent = (await ipcMain.invoke('fms:recent-sessions')) as PickedFile[];
    expect(recent.map((f) => [f.name, f.path])).toEqual([
      ['c.json', c],
      ['a.json', a],
    ]);
    expect(grants()).toEqual(recent.map((f) => [f.handle, f.path, 'read']));
    expect(new Set(recent.map((f) => f.handle)).size).toBe(2);
  });

  it('rejects a dialog when the engine is not running, and says so', async () => {
    const { hosts } = await setup();
    await hosts.stop();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file('a.json')] });
    await expect(ipcMain.invoke('fms:open-session-dialog')).rejects.toThrow(/engine is not running/);
  });
});

describe('registerIpc: speedscope', () => {
  it("opens the profile in speedscope's viewer from the app's origin, in a window without a preload, and hands the profile to its loader", async () => {
    await setup();
    const json = JSON.stringify({ $schema: 'https://www.speedscope.app/file-format-schema.json', name: 'Zoë · demo', profiles: [] });
    await ipcMain.invoke('fms:open-speedscope', json, 'Demo - planted facts');
    const viewer = FakeBrowserWindow.all.at(-1)!;
    expect(viewer.url).toBe('app://bundle/speedscope/index.html#localProfilePath=Demo-planted-facts.speedscope.json&title=Demo%20-%20planted%20facts');
    const prefs = viewer.options.webPreferences as Record<string, unknown>;
    expect(prefs.preload).toBeUndefined();
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    const [script] = viewer.webContents.executed;
    const call = /^window\.speedscope\.loadFileFromBase64\(("[^"]*"), ("[^"]*")\)$/.exec(script)!;
    expect(JSON.parse(call[1])).toBe('Demo-planted-facts.speedscope.json');
    expect(Buffer.from(JSON.parse(call[2]) as string, 'base64').toString('utf8')).toBe(json);
  });

  it('refuses arguments that are not a profile and a short title', async () => {
    await setup();
    const before = FakeBrowserWindow.all.length;
    await expect(ipcMain.invoke('fms:open-speedscope', 42, 'x')).rejects.toThrow();
    await expect(ipcMain.invoke('fms:open-speedscope', '{}', 'x'.repeat(201))).rejects.toThrow();
    await expect(ipcMain.invoke('fms:open-speedscope', '{}', 'a\u0000b')).rejects.toThrow();
    expect(FakeBrowserWindow.all.length).toBe(before);
  });
});

describe('registerIpc: secrets and engine', () => {
  it('setSecret stores the key, forwards it to the host, and no handler ever returns it', async () => {
    const { host, engine } = await setup();
    const answers = [
      await ipcMain.invoke('fms:set-secret', 'openai-api-key', SECRET),
      await ipcMain.invoke('fms:secret-status', 'openai-api-key'),
      await ipcMain.invoke('fms:app-info'),
    ];
    expect(answers[0]).toEqual({ saved: true, storage: 'encrypted' });
    expect(answers[1]).toEqual({ saved: true, storage: 'encrypted' });
    expect(answers[2]).toMatchObject({ name: 'Finite Memory Studio', secretStorage: 'encrypted' });
    expect(JSON.stringify(answers)).not.toContain(SECRET);
    expect(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).not.toContain(SECRET);
    expect(host.control.filter((m) => m.type === 'secret')).toEqual([{ type: 'secret', name: 'openai-api-key', value: SECRET }]);
    expect(await ipcMain.invoke('fms:set-secret', 'openai-api-key', '')).toEqual({ saved: false, storage: 'encrypted' });
    expect(host.control.at(-1)).toEqual({ type: 'secret', name: 'openai-api-key' });
    expect(engine.sendApiKey).toHaveBeenCalledTimes(2);
  });

  it('Linux basic_text: the key is kept for this run only, nothing reaches secrets.json, and the status says so', async () => {
    const { host } = await setup();
    safeStorage.backend = 'basic_text';
    expect(await ipcMain.invoke('fms:app-info')).toMatchObject({ secretStorage: 'session-only' });
    expect(await ipcMain.invoke('fms:set-secret', 'openai-api-key', SECRET)).toEqual({ saved: true, storage: 'session-only' });
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    expect(host.control.at(-1)).toEqual({ type: 'secret', name: 'openai-api-key', value: SECRET });
    expect(await ipcMain.invoke('fms:secret-status', 'openai-api-key')).toEqual({ saved: true, storage: 'session-only' });
  });

  it('hands an engine port to the window that asks, and restarts the engine on request', async () => {
    const { win, engine } = await setup();
    ipcMain.emit('fms:request-engine-port', { sender: win.webContents, senderFrame: win.webContents.mainFrame });
    expect(engine.requestPort).toHaveBeenCalledExactlyOnceWith(win.webContents);
    expect(await ipcMain.invoke('fms:restart-engine')).toBeUndefined();
    expect(engine.restart).toHaveBeenCalledOnce();
  });
});
