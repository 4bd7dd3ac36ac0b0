import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, PickedFile } from '../shared/bridge.js';

export interface MenuHandlers {
  send: (action: MenuAction) => void;
  /** Each resolves once the engine host may use the file (see SessionFiles). */
  openDialog: () => Promise<PickedFile | undefined>;
  saveDialog: () => Promise<PickedFile | undefined>;
  openRecent: (path: string) => Promise<PickedFile | undefined>;
  /** The recent paths, for the Open Recent labels. */
  recent: () => string[];
  /** A file could not be handed to the engine (it is gone, the engine is not running). */
  fail: (err: Error) => void;
  quit: () => void;
  isMac: boolean;
}

/** Runs a dialog (or a recent file's grant) and sends `open`/`save` with the picked file; failures go to `h.fail`. */
function pick(h: MenuHandlers, action: 'open' | 'save', picked: () => Promise<PickedFile | undefined>): () => Promise<void> {
  return async () => {
    try {
      const file = await picked();
      if (file) h.send({ action, file });
    } catch (err) {
      h.fail(err instanceof Error ? err : new Error(String(err)));
    }
  };
}

/** The app menu: sessions, export, engine restart, with keyboard shortcuts. */
export function menuTemplate(h: MenuHandlers): MenuItemConstructorOptions[] {
  const recent = h.recent();
  return [
    ...(h.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Session', accelerator: 'CmdOrCtrl+N', click: () => h.send({ action: 'new' }) },
        { label: 'Open Session…', accelerator: 'CmdOrCtrl+O', click: pick(h, 'open', h.openDialog) },
        {
          label: 'Open Recent',
          submenu: recent.length > 0 ? recent.map((path) => ({ label: path, click: pick(h, 'open', () => h.openRecent(path)) })) : [{ label: 'No recent sessions', enabled: false }],
        },
        { label: 'Save Session As…', accelerator: 'CmdOrCtrl+Shift+S', click: pick(h, 'save', h.saveDialog) },
        { label: 'Export Profile…', accelerator: 'CmdOrCtrl+E', click: () => h.send({ action: 'exportProfile' }) },
        { type: 'separator' },
        { label: h.isMac ? 'Quit Finite Memory Studio' : 'Quit', accelerator: 'CmdOrCtrl+Q', click: h.quit },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { label: '&Engine', submenu: [{ label: 'Restart Engine', click: () => h.send({ action: 'restartEngine' }) }] },
  ];
}
