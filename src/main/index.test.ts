import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('locks down the session, opens one secure window, forks the host and sets the menu', async () => {
    const m = await boot();
    expect(m.session.defaultSession.permissionRequest).toBeDefined();
    expect(m.session.defaultSession.onHeadersReceived).toBeDefined();
    expect(m.session.defaultSession.onBeforeRequest).toBeDefined();
    expect(m.BrowserWindow.all).toHaveLength(1);
    expect(m.win().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((m.win().options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(m.win().url).toMatch(/^file:\/\/\/.*\/renderer\/index\.html$/);
    expect(m.forked).toHaveLength(1);
    expect(m.forked[0].modulePath).toBe('/app/out/main/engine-host.js');
    expect(m.forked[0].options.env).toMatchObject({ FMS_AUTOSAVE: path.join(dir, 'autosave.json'), FMS_MODELS_DIR: path.join(dir, 'models') });
    expect(m.Menu.setApplicationMenu).toHaveBeenCalledOnce();
  });

  it('hands the window an engine port when it asks, and locks down every new web contents', async () => {
    const m = await boot();
    m.ipcMain.emit('fms:request-engine-port', { sender: m.win().webContents });
    expect(m.forked[0].messages).toHaveLength(1);
    expect(m.win().webContents.posted.map((p) => p.channel)).toEqual([ENGINE_PORT_MESSAGE]);
    const contents = new m.FakeWebContents();
    m.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.cancellable('will-navigate', 'https://example.com/')).toBe(true);
  });

  it('sends menu actions to the window; Restart Engine restarts the host and reconnects the window', async () => {
    const m = await boot();
    await m.click('New Session');
    expect(m.win().webContents.sent).toEqual([{ channel: 'fms:menu', args: [{ action: 'new' }] }]);
    await m.click('Restart Engine');
    expect(m.forked[0].killed).toBe(true);
    // a requested restart is immediate and not counted as a crash
    expect(m.forked).toHaveLength(2);
    expect(m.forked[1].options.env?.FMS_RESTART_REASON).toBe('the engine was restarted on request');
    expect(m.win().webContents.posted.map((p) => p.channel)).toEqual([ENGINE_PORT_MESSAGE]);
  });

  it('rebuilds Open Recent when a session is opened', async () => {
    const m = await boot();
    expect(m.item('Open Recent').submenu).toEqual([{ label: 'No recent sessions', enabled: false }]);
    m.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/s/a.json'] });
    await m.click('Open Session…');
    expect(m.win().webContents.sent.at(-1)).toEqual({ channel: 'fms:menu', args: [{ action: 'open', path: '/s/a.json' }] });
    expect((m.item('Open Recent').submenu as MenuItemConstructorOptions[]).map((i) => i.label)).toEqual(['/s/a.json']);
    m.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/s/b.json'] });
    await m.ipcMain.invoke('fms:open-session-dialog');
    expect((m.item('Open Recent').submenu as MenuItemConstructorOptions[]).map((i) => i.label)).toEqual(['/s/b.json', '/s/a.json']);
  });

  it('remembers the window bounds, stops the host for good on quit', async () => {
    const m = await boot();
    m.win().emit('close');
    expect(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')).bounds).toMatchObject({ width: 1400, height: 900 });
    m.app.emit('before-quit');
    expect(m.forked[0].killed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(m.forked).toHaveLength(1);
  });
});
