import { contextBridge, ipcRenderer } from 'electron';
import { ENGINE_PORT_MESSAGE, type FmsBridge, type MenuAction } from '../shared/bridge.js';
import { IPC } from '../shared/ipcChannels.js';

// MessagePorts cannot cross contextBridge: forward them to the page with window.postMessage.
ipcRenderer.on(ENGINE_PORT_MESSAGE, (event) => {
  window.postMessage({ type: ENGINE_PORT_MESSAGE }, '*', event.ports);
});

/** Subscribes to a main → renderer channel; the listener never sees the IPC event (or its sender). */
function listen<T>(channel: string, accept: (value: unknown) => value is T, listener: (value: T) => void): () => void {
  const l = (_event: unknown, value: unknown) => {
    if (accept(value)) listener(value);
  };
  ipcRenderer.on(channel, l);
  return () => void ipcRenderer.off(channel, l);
}

const isMenuAction = (v: unknown): v is MenuAction => typeof (v as { action?: unknown } | undefined)?.action === 'string';
const isString = (v: unknown): v is string => typeof v === 'string';

const api: FmsBridge = {
  platform: 'electron',
  requestEnginePort: () => ipcRenderer.send(IPC.requestEnginePort),
  openSessionDialog: () => ipcRenderer.invoke(IPC.openSessionDialog),
  saveSessionDialog: (defaultName) => ipcRenderer.invoke(IPC.saveSessionDialog, defaultName),
  saveTextFile: (defaultName, text) => ipcRenderer.invoke(IPC.saveTextFile, defaultName, text),
  recentSessions: () => ipcRenderer.invoke(IPC.recentSessions),
  appInfo: () => ipcRenderer.invoke(IPC.appInfo),
  setSecret: (name, value) => ipcRenderer.invoke(IPC.setSecret, name, value),
  secretStatus: (name) => ipcRenderer.invoke(IPC.secretStatus, name),
  restartEngine: () => ipcRenderer.invoke(IPC.restartEngine),
  openSpeedscope: (json, title) => ipcRenderer.invoke(IPC.openSpeedscope, json, title),
  onMenu: (listener) => listen(IPC.menu, isMenuAction, listener),
  onEngineStopped: (listener) => listen(IPC.engineStopped, isString, listener),
};

contextBridge.exposeInMainWorld('fms', api);
