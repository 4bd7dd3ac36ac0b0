import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, PickedFile } from '../shared/bridge.js';
import { menuTemplate, type MenuHandlers } from './menu.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

const picked = (path: string): PickedFile => ({ handle: `h-${path.replace(/\W/g, '')}`, name: path.split('/').at(-1) ?? path, path });

function setup(over: Partial<MenuHandlers> = {}) {
  const sent: MenuAction[] = [];
  const handlers: MenuHandlers = {
    send: (a) => sent.push(a),
    openDialog: vi.fn(async () => picked('/s/opened.json')),
    saveDialog: vi.fn(async () => picked('/s/saved.json')),
    openRecent: vi.fn(async (path: string) => picked(path)),
    recent: () => ['/s/one.json', '/s/two.json'],
    fail: vi.fn(),
    quit: vi.fn(),
    isMac: false,
    ...over,
  };
  const template = menuTemplate(handlers);
  const submenu = (label: string) => {
    const items = template.find((m) => m.label === label)?.submenu;
    if (!Array.isArray(items)) throw new Error(`no menu ${label}`);
    return items as MenuItemConstructorOptions[];
  };
  const item = (menu: string, label: string) => {
    const found = submenu(menu).find((i) => i.label === label);
    if (!found) throw new Error(`no item ${label} in ${menu}`);
    return found;
  };
  /** Clicks an item the way Electron does, and waits for an async handler. */
  const click = async (i: MenuItemConstructorOptions) => {
    await (i.click as unknown as () => unknown)();
  };
  return { template, handlers, sent, submenu, item, click };
}

describe('menuTemplate', () => {
  it('has the File items with their shortcuts', () => {
    const m = setup();
    const file = m.submenu('&File').filter((i) => i.type !== 'separator');
    expect(file.map((i) => [i.label, i.accelerator])).toEqual([
      ['New Session', 'CmdOrCtrl+N'],
      ['Open Session…', 'CmdOrCtrl+O'],
      ['Open Recent', undefined],
      ['Save Session As…', 'CmdOrCtrl+Shift+S'],
      ['Export Profile…', 'CmdOrCtrl+E'],
      ['Quit', 'CmdOrCtrl+Q'],
    ]);
  });

  it('sends the matching action for each item', async () => {
    const m = setup();
    await m.click(m.item('&File', 'New Session'));
    await m.click(m.item('&File', 'Open Session…'));
    await m.click(m.item('&File', 'Save Session As…'));
    await m.click(m.item('&File', 'Export Profile…'));
    await m.click(m.item('&Engine', 'Restart Engine'));
    expect(m.sent).toEqual([
      { action: 'new' },
      { action: 'open', file: picked('/s/opened.json') },
      { action: 'save', file: picked('/s/saved.json') },
      { action: 'exportProfile' },
      { action: 'restartEngine' },
    ]);
    await m.click(m.item('&File', 'Quit'));
    expect(m.handlers.quit).toHaveBeenCalledOnce();
  });

  it('sends nothing when a dialog is cancelled', async () => {
    const m = setup({ openDialog: async () => undefined, saveDialog: async () => undefined });
    await m.click(m.item('&File', 'Open Session…'));
    await m.click(m.item('&File', 'Save Session As…'));
    expect(m.sent).toEqual([]);
  });

  it('lists the recent sessions, and opening one grants it first and sends the picked file', async () => {
    const m = setup();
    const recent = m.item('&File', 'Open Recent').submenu as MenuItemConstructorOptions[];
    expect(recent.map((i) => i.label)).toEqual(['/s/one.json', '/s/two.json']);
    expect(m.handlers.openRecent).not.toHaveBeenCalled();
    await m.click(recent[1]);
    expect(m.handlers.openRecent).toHaveBeenCalledExactlyOnceWith('/s/two.json');
    expect(m.sent).toEqual([{ action: 'open', file: picked('/s/two.json') }]);
  });

  it('reports a file the engine could not take instead of throwing from the click', async () => {
    const gone = new Error('/s/one.json is no longer there');
    const m = setup({ openRecent: async () => Promise.reject(gone), saveDialog: async () => Promise.reject(new Error('the engine is not running')) });
    await m.click((m.item('&File', 'Open Recent').submenu as MenuItemConstructorOptions[])[0]);
    await m.click(m.item('&File', 'Save Session As…'));
    expect(m.sent).toEqual([]);
    expect(m.handlers.fail).toHaveBeenCalledTimes(2);
    expect(vi.mocked(m.handlers.fail).mock.calls[0][0]).toBe(gone);
  });

  it('shows a disabled placeholder when there are no recent sessions', () => {
    const m = setup({ recent: () => [] });
    const recent = m.item('&File', 'Open Recent').submenu as MenuItemConstructorOptions[];
    expect(recent).toEqual([{ label: 'No recent sessions', enabled: false }]);
  });

  it('adds the app menu and names Quit after the app on macOS', () => {
    const m = setup({ isMac: true });
    expect(m.template[0]).toEqual({ role: 'appMenu' });
    expect(m.item('&File', 'Quit Finite Memory Studio').accelerator).toBe('CmdOrCtrl+Q');
    const plain = setup();
    expect(plain.template.some((i) => i.role === 'appMenu')).toBe(false);
  });
});
