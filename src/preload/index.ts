import { contextBridge, ipcRenderer } from 'electron';
import { ENGINE_PORT_MESSAGE, type FmsBridge, type MenuAction } from '../shared/bridge.js';

// MessagePorts cannot cross contextBridge: forward them to the page with window.postMessage.
ipcRenderer.on(ENGINE_PORT_MESSAGE, (event) => {
  window.postMessage({ type: ENGINE_PORT_MESSAGE }, '*', event.ports);
});

const api: FmsBridge = {
  platform: 'electron',
  requestEnginePort: () => ipcRenderer.send('fms:request-engine-port'),
  openSessionDialog: () => ipcRenderer.invoke('fms:open-session-dialog'),
  saveSessionDialog: (defaultName) => ipcRenderer.invoke('fms:save-session-dialog', defaultName),
  saveTextFile: (defaultName, text) => ipcRenderer.invoke('fms:save-text-file', defaultName, text),
  recentSessions: () => ipcRenderer.invoke('fms:recent-sessions'),
  addRecentSession: (path) => ipcRenderer.invoke('fms:add-recent-session', path),
  appInfo: () => ipcRenderer.invoke('fms:app-info'),
  setSecret: (name, value) => ipcRenderer.invoke('fms:set-secret', name, value),
  getSecret: (name) => ipcRenderer.invoke('fms:get-secret', name),
  onMenu: (listener) => {
    const l = (_event: unknown, action: MenuAction) => listener(action);
    ipcRenderer.on('fms:menu', l);
    return () => ipcRenderer.off('fms:menu', l);
  },
};

contextBridge.exposeInMainWorld('fms', api);
