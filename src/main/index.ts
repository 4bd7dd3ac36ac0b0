/// <reference types="electron-vite/node" />
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import hostEntry from '../engine-host/index?modulePath';
import type { MenuAction } from '../shared/bridge.js';
import { AppStateStore } from './appState.js';
import { createHostManager, handOffPorts } from './hostManager.js';
import { registerIpc, SecretStore, SESSION_FILTERS } from './ipc.js';
import { menuTemplate } from './menu.js';
import { lockDownContents, lockDownSession, secureWindowOptions } from './security.js';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const userData = app.getPath('userData');
  const state = new AppStateStore(userData);
  const secrets = new SecretStore(userData);
  let win: BrowserWindow | undefined;
  // a real file URL (Windows drive letters, spaces): lockDownContents compares it with what Chromium navigates to
  const rendererUrl = (): string => process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(__dirname, '../renderer/index.html')).href;

  const hosts = createHostManager({
    entry: hostEntry,
    autosavePath: path.join(userData, 'autosave.json'),
    modelsDir: path.join(userData, 'models'),
    contents: () => win?.webContents,
    onGiveUp: (reason) => dialog.showErrorBox('The engine stopped', `${reason}. Your last autosaved session is kept in ${userData}.`),
  });

  const send = (action: MenuAction): void => {
    if (action.action === 'restartEngine') hosts.restart();
    else win?.webContents.send('fms:menu', action);
  };

  const buildMenu = (): void => {
    const template = menuTemplate({
      send,
      isMac: process.platform === 'darwin',
      recent: () => state.state.recent,
      quit: () => app.quit(),
      openDialog: async () => {
        if (!win) return undefined;
        const r = await dialog.showOpenDialog(win, { properties: ['openFile'], filters: SESSION_FILTERS });
        const file = r.canceled ? undefined : r.filePaths[0];
        if (file) state.addRecent(file);
        return file;
      },
      saveDialog: async () => {
        if (!win) return undefined;
        const r = await dialog.showSaveDialog(win, { defaultPath: 'session.json', filters: [{ name: 'Session', extensions: ['json'] }] });
        if (!r.canceled && r.filePath) state.addRecent(r.filePath);
        return r.canceled ? undefined : r.filePath;
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  function createWindow(): void {
    win = new BrowserWindow(secureWindowOptions(path.join(__dirname, '../preload/index.cjs'), state.state.bounds));
    win.once('ready-to-show', () => win?.show());
    win.on('close', () => {
      if (win) state.setBounds(win.getBounds());
    });
    win.on('closed', () => {
      win = undefined;
    });
    void win.loadURL(rendererUrl());
  }

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.on('web-contents-created', (_e, contents) => lockDownContents(contents, rendererUrl));

  app.whenReady().then(() => {
    lockDownSession(session.defaultSession);
    registerIpc({
      window: () => win,
      state,
      secrets,
      requestPort: (sender) => {
        const host = hosts.current;
        if (host) handOffPorts(host, sender);
      },
    });
    buildMenu();
    state.onRecentChange(buildMenu);
    hosts.start();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => hosts.stop());
}
