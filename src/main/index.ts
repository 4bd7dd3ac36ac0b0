/// <reference types="electron-vite/node" />
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
// eslint-disable-next-line import-x/no-restricted-paths -- the host's entry file path to fork (electron-vite ?modulePath), not its code
import hostEntry from '../engine-host/index?modulePath';
import type { MenuAction } from '../shared/bridge.js';
import { IPC } from '../shared/ipcChannels.js';
import { AppStateStore } from './appState.js';
import { APP_INDEX_URL, registerAppScheme, serveApp } from './appProtocol.js';
import { SessionFiles } from './files.js';
import { createHostManager } from './hostManager.js';
import { registerIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { SecretStore } from './secrets.js';
import { contentSecurityPolicy, lockDownContents, lockDownSession, secureWindowOptions } from './security.js';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  const userData = app.getPath('userData');
  const state = new AppStateStore(userData);
  const secrets = new SecretStore(userData);
  let win: BrowserWindow | undefined;
  // the built renderer comes from app://bundle/ (served from out/renderer); `npm run dev` uses the dev server
  const rendererUrl = (): string => process.env.ELECTRON_RENDERER_URL ?? APP_INDEX_URL;

  const hosts = createHostManager({
    entry: hostEntry,
    autosavePath: path.join(userData, 'autosave.json'),
    modelsDir: path.join(userData, 'models'),
    tokenizerCache: path.join(userData, 'tokenizers'),
    contents: () => win?.webContents,
    apiKey: () => secrets.get('openai-api-key'),
    // the window shows a banner with a Restart button; this is for the log
    onGiveUp: (reason) => console.error(`fms: the engine stopped: ${reason}. The last autosaved session is kept in ${userData}.`),
  });
  const files = new SessionFiles({ window: () => win, state, grant: (file, mode) => hosts.grant(file, mode) });

  const send = (action: MenuAction): void => {
    if (action.action === 'restartEngine') hosts.restart();
    else win?.webContents.send(IPC.menu, action);
  };

  const buildMenu = (): void => {
    const template = menuTemplate({
      send,
      isMac: process.platform === 'darwin',
      recent: () => state.state.recent,
      quit: () => app.quit(),
      openDialog: () => files.open(),
      saveDialog: () => files.save('session.json'),
      openRecent: (file) => files.openRecent(file),
      fail: (err) => {
        if (win) void dialog.showMessageBox(win, { type: 'error', message: 'The engine could not take the file', detail: err.message });
        else console.error(`fms: ${err.message}`);
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
    serveApp(path.join(__dirname, '../renderer'), contentSecurityPolicy(undefined));
    registerIpc({
      window: () => win,
      files,
      secrets,
      engine: { requestPort: (sender) => hosts.requestPort(sender), sendApiKey: (value) => hosts.sendApiKey(value), restart: () => hosts.restart() },
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

  // Quit waits for the host to finish its autosave (it is killed after a grace period), then quits again.
  let quit: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (quit === 'stopped') return;
    event.preventDefault();
    if (quit === 'stopping') return;
    quit = 'stopping';
    void hosts
      .stop()
      .catch((err: unknown) => console.error(`fms: stopping the engine failed: ${String(err)}`))
      .finally(() => {
        quit = 'stopped';
        app.quit();
      });
  });
}
