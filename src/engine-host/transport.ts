import type { WireBatch } from '../shared/protocol.js';
import { framedBatch } from '../shared/wire.js';
import { isParentMessage, type HostMessage, type IpcEnvelope, type ParentMessage } from '../shared/hostControl.js';

/** How the host talks to one client: a MessagePort (Electron, tests) or process IPC (browser mode). */
export interface HostTransport {
  send(batch: WireBatch, transfer: ArrayBuffer[]): void;
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
    // MessagePortMain can only transfer ports: the batch's few typed arrays (its columns) are copied by structured clone.
    send: (batch) => port.postMessage(batch),
    onMessage: (handler) => port.on('message', (e) => handler(e.data)),
  };
}

/** The trusted channel to the process that started the host (grants, secrets, shutdown; credits back). */
export interface ParentChannel {
  onMessage(handler: (message: ParentMessage) => void): void;
  send(message: HostMessage): void;
}

/**
 * Delivers messages to handlers registered later: messages that arrive while the host is still
 * loading (its tokenizer takes a second) are kept until `seal()` and replayed to each new handler.
 */
export class Inbox<T> {
  #handlers: ((message: T) => void)[] = [];
  #early: T[] | undefined = [];

  on(handler: (message: T) => void): void {
    this.#handlers.push(handler);
    this.#early?.forEach(handler);
  }

  deliver(message: T): void {
    this.#early?.push(message);
    for (const h of this.#handlers) h(message);
  }

  /** The host is up and listening: stop keeping messages for later handlers. */
  seal(): void {
    this.#early = undefined;
  }
}

/**
 * A Node child process with an 'advanced' (structured clone) IPC channel (browser mode). Client
 * commands and parent messages share the pipe, each in an envelope naming its channel. Batches go out
 * already encoded as the browser's binary frame (FramedBatch), which the server forwards as they are.
 */
export function ipcChannels(proc: NodeJS.Process): { transport: HostTransport; parent: ParentChannel; seal: () => void } {
  if (!proc.send) throw new Error('engine-host: no IPC channel');
  const send = (message: unknown): void => {
    if (proc.connected) proc.send?.(message, undefined, {}, () => undefined);
  };
  const client = new Inbox<unknown>();
  const parent = new Inbox<ParentMessage>();
  proc.on('message', (m: IpcEnvelope) => {
    if (m?.ch === 'client') client.deliver(m.data);
    else if (m?.ch === 'parent' && isParentMessage(m.data)) parent.deliver(m.data);
  });
  return {
    transport: { send: (batch) => send(framedBatch(batch)), onMessage: (handler) => client.on(handler) },
    parent: { onMessage: (handler) => parent.on(handler), send: (message) => send({ ch: 'parent', data: message }) },
    seal: () => {
      client.seal();
      parent.seal();
    },
  };
}

/**
 * A transport whose port can be replaced (Electron hands the host a new port when the window
 * reloads). Messages from old ports are ignored; batches go to the newest port.
 */
export class SwitchableTransport implements HostTransport {
  #current: HostTransport | undefined;
  /** Commands that arrive before the host listens (it is loading its tokenizer) wait here. */
  readonly #inbox = new Inbox<unknown>();

  attach(next: HostTransport): void {
    this.#current = next;
    next.onMessage((data) => {
      if (this.#current === next) this.#inbox.deliver(data);
    });
  }

  send(batch: WireBatch, transfer: ArrayBuffer[]): void {
    this.#current?.send(batch, transfer);
  }

  onMessage(handler: (data: unknown) => void): void {
    this.#inbox.on(handler);
    this.#inbox.seal();
  }
}
