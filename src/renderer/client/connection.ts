import type { EngineCommand, EventBatch, HostEvent } from '../../shared/protocol.js';
import { onViewClock } from '../lib/viewClock';
import { viewProfileEffect } from '../lib/speedscope';
import { applyBatch, type BatchEffects } from '../state/applyBatch.js';
import { notify, sessionStore } from '../state/stores.js';
import { EngineClient, type ClientTransport } from './engineClient.js';
import { onElectronPort, webSocketTransport } from './transports.js';

let client: EngineClient | undefined;
const helloListeners = new Set<() => void>();
const eventListeners = new Set<(event: HostEvent) => void>();

/** Raw events, after the stores have committed their batch (for panels that wait on one answer). */
export function subscribeEvents(listener: (event: HostEvent) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

/** Sends a command to the engine (dropped with a notice while disconnected). */
export function send(command: EngineCommand): void {
  if (!client) {
    notify('error', 'The engine is not connected yet; try again in a moment.');
    return;
  }
  client.send(command);
}

/** Called after every successful (re)connection. */
export function onConnected(listener: () => void): () => void {
  helloListeners.add(listener);
  return () => helloListeners.delete(listener);
}

export function saveTextEffect(name: string, text: string): void {
  if (window.fms) {
    void window.fms.saveTextFile(name, text);
    return;
  }
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const effects: BatchEffects = { saveText: saveTextEffect, viewProfile: viewProfileEffect };

interface PerfProbe {
  batches: { sentAt: number; receivedAt: number; renderedAt: number; shownAt: number; evictions: number }[];
}

/**
 * Benchmark hook (bench/ui.bench.ts sets window.__FMS_PERF__): when each batch reached the page, when
 * the eviction log rendered it (on the views' clock) and when that frame was on screen.
 */
function probe(batch: EventBatch): void {
  const perf = (window as unknown as { __FMS_PERF__?: PerfProbe }).__FMS_PERF__;
  if (!perf) return;
  const evictions = batch.events.filter((e) => e.type === 'eviction').length;
  // only the batches that evicted: a listener in the log's group for every batch made the log take a
  // turn for each (a render with nothing new, in the bench alone), which put off the next one's
  if (evictions === 0) return;
  // the eviction log renders the batch in an animation frame of the views' clock (lib/viewClock), this
  // listener with it (its group): that frame is painted by the start of the next one. Views render at
  // different rates (a costly one less often), so the probe follows the view that shows evictions
  const receivedAt = Date.now();
  onViewClock(() => {
    const renderedAt = Date.now();
    requestAnimationFrame(() => perf.batches.push({ sentAt: batch.sentAt, receivedAt, renderedAt, shownAt: Date.now(), evictions }));
  }, 'evictionLog');
}

/** Runs `fn` after the next frame is drawn, or after 50 ms when frames are paused (a hidden window). */
function afterFrame(fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 50);
}

/** Restarts the engine (the banner's button after it crashed too often; also when it runs). */
export function restartEngine(): void {
  if (window.fms) void window.fms.restartEngine();
  else if (client) client.send({ type: 'restartEngine' });
  else notify('error', 'Not connected to `fms serve`: restart it from the terminal.');
}

function attach(transport: ClientTransport): void {
  client?.close();
  client = new EngineClient(transport, {
    onBatch: (batch) => {
      applyBatch(batch, effects);
      probe(batch);
      if (eventListeners.size > 0) for (const e of batch.events) eventListeners.forEach((l) => l(e));
      if (batch.events.some((e) => e.type === 'helloAck')) helloListeners.forEach((l) => l());
    },
    // the server's own events (refused commands, the engine stopped): applied like a batch, never acked
    onNotice: (events) => {
      applyBatch({ type: 'batch', seq: -1, events, merged: 0, sentAt: Date.now() }, effects);
      if (eventListeners.size > 0) for (const e of events) eventListeners.forEach((l) => l(e));
    },
    onProtocolError: (m) => notify('error', m),
    deferAck: afterFrame,
  });
  client.hello();
}

/** Connects over the Electron MessagePort, or over a WebSocket in browser mode (reconnecting). */
export function connectEngine(): void {
  if (window.fms) {
    onElectronPort((transport) => attach(transport));
    window.fms.onEngineStopped((reason) => sessionStore.setState({ engineStopped: reason, connection: 'failed' }));
    return;
  }
  let attempt = 0;
  const open = (): void => {
    webSocketTransport((code, reason) => {
      client = undefined;
      if (code === 1009) notify('error', 'The engine refused a command over its size limit and closed the connection; reconnecting…');
      if (code === 4000) {
        sessionStore.setState({ connection: 'failed' });
        notify('error', 'Another window connected to this engine; this one is now disconnected. Reload to take over.');
        return;
      }
      sessionStore.setState({ connection: 'reconnecting' });
      if (code === 4001) notify('info', 'The engine restarted; reconnecting…');
      else if (reason) notify('info', `Connection closed (${reason}); reconnecting…`);
      setTimeout(open, 200);
    }).then(
      (t) => {
        attempt = 0;
        attach(t);
      },
      () => {
        attempt++;
        sessionStore.setState({ connection: attempt > 20 ? 'failed' : 'reconnecting' });
        if (attempt <= 20) setTimeout(open, Math.min(5000, 200 * 2 ** Math.min(attempt, 5)));
        else notify('error', 'Cannot reach the engine. Is `fms serve` still running?');
      },
    );
  };
  open();
}
