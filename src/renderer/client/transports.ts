import type { ClientCommand } from '../../shared/protocol.js';
import { ENGINE_PORT_MESSAGE, type FmsBridge } from '../../shared/bridge.js';
import { decodeWire, encodeWire } from '../../shared/wire.js';
import type { ClientTransport } from './engineClient.js';

declare global {
  interface Window {
    fms?: FmsBridge;
  }
}

/** Electron: main hands us a MessagePort (through the preload) whenever the host (re)starts. */
export function onElectronPort(listener: (transport: ClientTransport) => void): () => void {
  const onMessage = (event: MessageEvent) => {
    if (event.source !== window || (event.data as { type?: string })?.type !== ENGINE_PORT_MESSAGE) return;
    const port = event.ports[0];
    if (!port) return;
    listener({
      send: (cmd: ClientCommand) => port.postMessage(cmd),
      onMessage: (handler) => {
        port.onmessage = (e) => handler(e.data);
      },
      close: () => port.close(),
    });
  };
  window.addEventListener('message', onMessage);
  window.fms?.requestEnginePort();
  return () => window.removeEventListener('message', onMessage);
}

/** Browser mode: a WebSocket to `fms serve` on the same origin, carrying the page's token. */
export function webSocketTransport(onClose: (code: number, reason: string) => void): Promise<ClientTransport> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/engine?token=${encodeURIComponent(token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let handler: ((data: unknown) => void) | undefined;
    let open = false;
    // batches come as binary frames (wire.ts), the server's notices as JSON text
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => handler?.(decodeWire(e.data));
    ws.onopen = () => {
      open = true;
      resolve({
        send: (cmd) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeWire(cmd));
        },
        onMessage: (h) => {
          handler = h;
        },
        close: () => ws.close(),
      });
    };
    ws.onclose = (e) => {
      if (!open) reject(new Error(`cannot connect to the engine (${e.code})`));
      else onClose(e.code, e.reason);
    };
  });
}
