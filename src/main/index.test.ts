import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { ENGINE_PORT_MESSAGE } from '../shared/bridge.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));
vi.mock('../engine-host/index?modulePath', () => ({ default: '/app/out/main/engine-host.js' }));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fms-main-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Loads the main entry afresh against a fresh fake electron and lets `app.whenReady()` resolve. */
async function boot(options: { singleInstance?: boolean } = {}) {
  vi.resetModules();
  // whatever instance the mocked 'electron' is now, main will get the same one
  const fake = (await import('electron')) as unknown as typeof import('./testing/fakeElectron.js');
  fake.resetFakes();
  fake.app.userData = dir;
  fake.app.singleInstance = options.singleInstance ?? true;
  await import('./index.js');
  fake.app.ready();
  await new Promise((resolve) => setImmediate(resolve));
  const win = () => fake.BrowserWindow.all[0];
  const menu = () => fake.Menu.buildFromTemplate.mock.calls.at(-1)?.[0] as MenuItemConstructorOptions[];
  const item = (label: string) => {
    const all = menu().flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
    const found = all.find((i) => i.label === label);
    if (!found) throw new Error(`no menu item ${label}`);
    return found;
  };
  const click = async (label: string) => (item(label).click as unknown as () => unknown)();
  return { ...fake, win, menu, item, click };
}

describe('main entry', () => {
  it('quits at once when another instance is running', async () => {
    const m = await boot({ singleInstance: false });
    expect(m.app.quit).toHaveBeenCalled();
    expect(m.forked).toHaveLength(0);
    expect(m.BrowserWindow.all).toHaveLength(0);
  });

  it('locks down the session, serves the renderer from app://, opens one secure window, forks the host and sets the menu', async () => {
    const m = await boot();
    expect(m.session.defaultSession.permissionRequest).toBeDefined();
    expect(m.session.defaultSession.onHeadersReceived).toBeDefined();
    expect(m.session.defaultSession.onBeforeRequest).toBeDefined();
    expect(m.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(m.BrowserWindow.all).toHaveLength(1);
    expect(m.win().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((m.win().options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(m.win().url).toBe('app://bundle/index.html');
    expect(m.forked).toHaveLength(1);
    expect(m.forked[0].modulePath).toBe('/app/out/main/engine-host.js');
    expect(m.forked[0].options.env).toMatchObject({ FMS_AUTOSAVE: path.join(dir, 'autosave.json'), FMS_MODELS_DIR: path.join(dir, 'models'), FMS_TOKENIZER_CACHE: path.join(dir, 'tokenizers') });
    expect(m.forked[0].control).toEqual([]);
    expect(m.Menu.setApplicationMenu).toHaveBeenCalledOnce();
  });

  it('serves app://bundle/ from the renderer folder beside main', async () => {
    const m = await boot();
    const serve = m.protocol.handlers.get('app');
    // under vitest main runs from src/main, so the folder is src/renderer (the built app: out/renderer)
    const page = await serve!(new Request('app://bundle/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Finite Memory Studio</title>');
    expect((await serve!({ url: 'app://bundle/../main/index.ts', method: 'GET' } as Request)).status).toBe(404);
    expect((await serve!({ url: 'app://bundle/%2e%2e/main/index.ts', method: 'GET' } as Request)).status).toBe(404);
  });

  it('hands the window an engine port when it asks, and locks down every new web contents', async () => {
    const m = await boot();
    m.ipcMain.emit('fms:request-engine-port', m.fromWindow());
    expect(m.forked[0].messages).toHaveLength(1);
    expect(m.win().webContents.posted.map((p) => p.channel)).toEqual([ENGINE_PORT_MESSAGE]);
    const contents = new m.FakeWebContents();
    m.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.cancellable('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.cancellable('will-navigate', 'app://bundle/index.html')).toBe(false);
  });

  it('hands the saved API key to each host it starts, and a new one to the running host', async () => {
    const fake = (await import('electron')) as unknown as typeof import('./testing/fakeElectron.js');
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ 'openai-api-key': fake.safeStorage.encryptString('sk-saved').toString('base64') }));
    const m = await boot();
    expect(m.forked[0].control).toEqual([{ type: 'secret', name: 'openai-api-key', value: 'sk-saved' }]);
    expect(await m.ipcMain.invoke('fms:set-secret', 'openai-api-key', 'sk-new')).toEqual({ saved: true, storage: 'encrypted' });
    expect(m.forked[0].control.at(-1)).toEqual({ type: 'secret', name: 'openai-api-key', value: 'sk-new' });
    await m.click('Restart Engine');
    expect(m.forked[1].control).toEqual([{ type: 'secret', name: 'openai-api-key', value: 'sk-new' }]);
  });

  it('sends menu actions to the window; Restart Engine restarts the host and reconnects the window', async () => {
    const m = await boot();
    await m.click('New Session');
    expect(m.win().webContents.sent).toEqual([{ channel: 'fms:menu', args: [{ action: 'new' }] }]);
    await m.click('Restart Engine');
    // graceful: the host is asked to finish its autosave and exit, then replaced (not counted as a crash)
    expect(m.forked[0].control.at(-1)).toEqual({ type: 'shutdown' });
    await vi.waitFor(() => expect(m.forked).toHaveLength(2));
    expect(m.forked[1].options.env?.FMS_RESTART_REASON).toBe('the engine was restarted on request');
    expect(m.win().webContents.posted.map((p) => p.channel)).toEqual([ENGINE_PORT_MESSAGE]);
  });

  it('Open Session… grants the file to the host, sends its handle, and rebuilds Open Recent', async () => {
    const m = await boot();
    expect(m.item('Open Recent').submenu).toEqual([{ label: 'No recent sessions', enabled: false }]);
    m.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/s/a.json'] });
    await m.click('Open Session…');
    const sent = m.win().webContents.sent.at(-1);
    const file = (sent?.args[0] as { file: { handle: string } }).file;
    expect(sent).toEqual({ channel: 'fms:menu', args: [{ action: 'open', file: { handle: file.handle, name: 'a.json', path: '/s/a.json' } }] });
    expect(m.forked[0].control).toEqual([{ type: 'grant', handle: file.handle, path: '/s/a.json', mode: 'read' }]);
    expect((m.item('Open Recent').submenu as MenuItemConstructorOptions[]).map((i) => i.label)).toEqual(['/s/a.json']);
    m.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/s/b.json'] });
    await m.ipcMain.invoke('fms:open-session-dialog');
    expect((m.item('Open Recent').submenu as MenuItemConstructorOptions[]).map((i) => i.label)).toEqual(['/s/b.json', '/s/a.json']);
  });

  it('Save Session As… grants write access first; a recent file that is gone is reported, not sent', async () => {
    const m = await boot();
    m.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/s/c.json' });
    await m.click('Save Session As…');
    const file = (m.win().webContents.sent.at(-1)?.args[0] as { action: string; file: { handle: string } }).file;
    expect(m.forked[0].control).toEqual([{ type: 'grant', handle: file.handle, path: '/s/c.json', mode: 'write' }]);
    const recent = (m.item('Open Recent').submenu as MenuItemConstructorOptions[])[0];
    await (recent.click as unknown as () => Promise<void>)();
    expect(m.win().webContents.sent).toHaveLength(1);
    expect(m.dialog.showMessageBox.mock.calls[0][1]).toMatchObject({ type: 'error', detail: '/s/c.json is no longer there' });
  });

  it('tells the window when the engine stopped for good, without a blocking dialog; Restart brings it back', async () => {
    const m = await boot();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (let i = 0; i < 6; i++) {
      m.forked[m.forked.length - 1].exit(1);
      vi.advanceTimersByTime(10_000);
    }
    expect(m.forked).toHaveLength(6);
    const stopped = m.win().webContents.sent.filter((s) => s.channel === 'fms:engine-stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0].args[0]).toMatch(/crashed 6 times in a minute/);
    expect(m.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledOnce();
    await m.ipcMain.invoke('fms:restart-engine');
    expect(m.forked).toHaveLength(7);
    expect(m.forked[6].options.env?.FMS_RESTART_REASON).toBe('restarted by the user');
    expect(m.win().webContents.posted.at(-1)?.channel).toBe(ENGINE_PORT_MESSAGE);
    error.mockRestore();
  });

  it('on quit, waits for the host to finish its autosave and exit, then quits (once)', async () => {
    const m = await boot();
    m.win().emit('close');
    expect(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')).bounds).toMatchObject({ width: 1400, height: 900 });
    const host = m.forked[0];
    host.exitOnShutdown = false;
    expect(m.app.cancellableEmit('before-quit')).toBe(true);
    expect(host.control).toEqual([{ type: 'shutdown' }]);
    expect(m.app.cancellableEmit('before-quit')).toBe(true); // a second Quit while the host saves
    expect(host.control).toEqual([{ type: 'shutdown' }]);
    expect(m.app.quit).not.toHaveBeenCalled();
    host.exit(0); // the autosave is on disk
    await vi.waitFor(() => expect(m.app.quit).toHaveBeenCalledOnce());
    expect(host.killed).toBe(false);
    expect(m.app.cancellableEmit('before-quit')).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(m.forked).toHaveLength(1);
  });

  it('kills a host that does not finish within the grace period, and still quits', async () => {
    const m = await boot();
    m.forked[0].exitOnShutdown = false;
    m.app.cancellableEmit('before-quit');
    vi.advanceTimersByTime(5000);
    expect(m.forked[0].killed).toBe(true);
    await vi.waitFor(() => expect(m.app.quit).toHaveBeenCalledOnce());
  });
});
