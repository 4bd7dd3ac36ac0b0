import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../shared/bridge.js';

export interface MenuHandlers {
  send: (action: MenuAction) => void;
  openDialog: () => Promise<string | undefined>;
  saveDialog: () => Promise<string | undefined>;
  recent: () => string[];
  quit: () => void;
  isMac: boolean;
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
        {
          label: 'Open Session…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const path = await h.openDialog();
            if (path) h.send({ action: 'open', path });
          },
        },
        {
          label: 'Open Recent',
          submenu: recent.length > 0 ? recent.map((path) => ({ label: path, click: () => h.send({ action: 'open', path }) })) : [{ label: 'No recent sessions', enabled: false }],
        },
        {
          label: 'Save Session As…',
          accelerator: 'CmdOrCtrl+Shift+S',
          click: async () => {
            const path = await h.saveDialog();
            if (path) h.send({ action: 'save', path });
          },
        },
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
