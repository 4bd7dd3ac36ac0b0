import { MessageChannel } from 'node:worker_threads';
import type { EngineCommand, EventBatch, HostEvent } from '../../shared/protocol.js';
import { EngineClient } from '../../renderer/client/engineClient.js';
import { testTokenizer } from '../../engine/testing/testTokenizer.js';
import type { HostMessage, ParentMessage } from '../../shared/hostControl.js';
import { createHost, type HostOptions } from '../host.js';
import { nodePortTransport, type ParentChannel } from '../transport.js';

/** A host and a real EngineClient joined by a Node MessageChannel, recording everything received. */
export async function hostPair(options: Partial<Omit<HostOptions, 'transport' | 'tokenizer'>> & { ackDelayMs?: number; parentMessages?: ParentMessage[] } = {}) {
  const { port1, port2 } = new MessageChannel();
  const tokenizer = await testTokenizer();
  // the trusted parent (Electron main / the server): grants, secrets; receives credits
  const parentHandlers: ((m: ParentMessage) => void)[] = [];
  const fromHost: HostMessage[] = [];
  const parent: ParentChannel = {
    onMessage: (h) => {
      parentHandlers.push(h);
      options.parentMessages?.forEach(h); // what the parent sends before the host listens (the API key)
    },
    send: (m) => fromHost.push(m),
  };
  const toHost = (m: ParentMessage) => parentHandlers.forEach((h) => h(m));
  let handles = 0;
  /** Grants a file as a native dialog would; returns the handle a client may use. */
  const grant = (file: string, mode: 'read' | 'write' = 'read'): string => {
    const handle = `handle-${++handles}-test`;
    toHost({ type: 'grant', handle, path: file, mode });
    return handle;
  };
  const host = await createHost({ transport: nodePortTransport(port1), tokenizer, parent, ...options });
  const batches: EventBatch[] = [];
  const events: HostEvent[] = [];
  const errors: string[] = [];
  let waiters: (() => void)[] = [];
  const client = new EngineClient(
    {
      send: (cmd: EngineCommand) => port2.postMessage(cmd),
      onMessage: (handler) =>
        port2.on('message', (data) => {
          if (options.ackDelayMs) setTimeout(() => handler(data), options.ackDelayMs);
          else handler(data);
        }),
      close: () => port2.close(),
    },
    {
      onBatch: (batch) => {
        batches.push(batch);
        events.push(...batch.events);
        const w = waiters;
        waiters = [];
        w.forEach((f) => f());
      },
      onProtocolError: (m) => errors.push(m),
    },
  );
  /** Resolves when a received event matches (or rejects after timeoutMs). */
  function waitFor<T extends HostEvent['type']>(type: T, pred: (e: Extract<HostEvent, { type: T }>) => boolean = () => true, timeoutMs = 15_000) {
    return new Promise<Extract<HostEvent, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
      const check = () => {
        const hit = events.find((e) => e.type === type && pred(e as Extract<HostEvent, { type: T }>));
        if (hit) {
          clearTimeout(timer);
          resolve(hit as Extract<HostEvent, { type: T }>);
        } else waiters.push(check);
      };
      check();
    });
  }
  const close = async () => {
    await host.dispose();
    client.close();
    port1.close();
  };
  return { host, client, batches, events, errors, waitFor, close, grant, toHost, fromHost, of: <T extends HostEvent['type']>(type: T) => events.filter((e) => e.type === type) as Extract<HostEvent, { type: T }>[] };
}
