import type { EventBatch } from '../shared/protocol.js';

/** How the host talks to one client: a MessagePort (Electron, tests) or process IPC (browser mode). */
export interface HostTransport {
  send(batch: EventBatch, transfer: ArrayBuffer[]): void;
  onMessage(handler: (data: unknown) => void): void;
}

/** A Node worker_threads MessagePort (tests, benchmarks). */
export function nodePortTransport(port: import('node:worker_threads').MessagePort): HostTransport {
  return {
    send: (batch, transfer) => port.postMessage(batch, transfer),
    onMessage: (handler) => port.on('message', handler),
  };
}

/** Electron's MessagePortMain in the utility process: messages arrive as { data }. */
export interface ElectronPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  start(): void;
}

export function electronPortTransport(port: ElectronPortLike): HostTransport {
  port.start();
  return {
    // MessagePortMain can only transfer ports: typed arrays are copied by structured clone.
    send: (batch) => port.postMessage(batch),
    onMessage: (handler) => port.on('message', (e) => handler(e.data)),
  };
}

/** A Node child process with an 'advanced' (structured clone) IPC channel. */
export function ipcTransport(proc: NodeJS.Process): HostTransport {
  if (!proc.send) throw new Error('engine-host: no IPC channel');
  return {
    send: (batch) => {
      proc.send?.(batch);
    },
    onMessage: (handler) => proc.on('message', handler),
  };
}

/**
 * A transport whose port can be replaced (Electron hands the host a new port when the window
 * reloads). Messages from old ports are ignored; batches go to the newest port.
 */
export class SwitchableTransport implements HostTransport {
  #current: HostTransport | undefined;
  #handler: ((data: unknown) => void) | undefined;

  attach(next: HostTransport): void {
    this.#current = next;
    next.onMessage((data) => {
      if (this.#current === next) this.#handler?.(data);
    });
  }

  send(batch: EventBatch, transfer: ArrayBuffer[]): void {
    this.#current?.send(batch, transfer);
  }

  onMessage(handler: (data: unknown) => void): void {
    this.#handler = handler;
  }
}
