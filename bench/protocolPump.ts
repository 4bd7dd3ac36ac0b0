// The transport without the engine: the engine's events for a replay, recorded once, then pushed into a
// real host's batcher as fast as the host would emit them if the engine cost nothing (one chunk of
// messages, then a yield to the event loop, as the host's replay does), and a sentinel at the end. What
// reaches the client per second is then the transport's own ceiling: batcher, view-model fold, the
// port or IPC + WebSocket, the client's checks, expansion and store commits.
import { createEngine } from '../src/engine/engine.js';
import type { Tokenizer } from '../src/engine/core/tokenizer.js';
import type { EventBatcher } from '../src/engine-host/batcher.js';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import type { EngineCommand, HostEvent } from '../src/shared/protocol.js';

export type Replay = Extract<EngineCommand, { type: 'replay' }>;

// recall off: this measures the transport; with recall on the engine itself (a BM25 query per user message) bounds the rate
export const CONFIG = { policy: 'sliding', maxTokens: 256, window: 64, pinSystem: true, recall: false };
const replayOf = (turns: number, seed: number): Replay => ({ type: 'replay', messages: syntheticChat({ seed, turns, sentencesPerMessage: 6 }), config: CONFIG, title: 'bench' });
/** A short replay to warm up, and the measured one (8,001 messages). */
export const REPLAYS = { warm: replayOf(300, 1), measured: replayOf(4000, 42) };

export interface Recorded {
  events: HostEvent[];
  /** Where each chunk of messages (the host's replay chunk) ends in `events`. */
  chunkEnds: number[];
  /** The engine alone on this replay: seconds (tokenization included). */
  seconds: number;
}

/** The replay's engine events, as the host would emit them, with chunk boundaries every `chunk` messages. */
export function recordReplay(tokenizer: Tokenizer, replay: Replay, chunk = 64): Recorded {
  const events: HostEvent[] = [];
  const chunkEnds: number[] = [];
  const engine = createEngine({ tokenizer, ...(replay.config as object) } as Parameters<typeof createEngine>[0]);
  engine.subscribe((e) => events.push(e as HostEvent));
  const t0 = performance.now();
  replay.messages.forEach((m, i) => {
    engine.ingest(m);
    if ((i + 1) % chunk === 0) chunkEnds.push(events.length);
  });
  engine.finishTurn();
  const seconds = (performance.now() - t0) / 1000;
  chunkEnds.push(events.length);
  return { events, chunkEnds, seconds };
}

/** The event that ends a pump: the client waits for it; its text ends with when the pump started (performance.timeOrigin + now, ms). */
export const PUMP_END = 'bench: pump done';
export const pumpStartOf = (text: string): number | undefined => (text.startsWith(PUMP_END) ? Number(text.slice(PUMP_END.length + 1)) : undefined);
export const wallNow = (): number => performance.timeOrigin + performance.now();

/** Pushes the recorded events chunk by chunk (yielding between chunks), then the sentinel. */
export async function pump(batcher: Pick<EventBatcher, 'push'>, rec: Recorded): Promise<void> {
  const started = wallNow();
  let at = 0;
  for (const end of rec.chunkEnds) {
    for (; at < end; at++) batcher.push(rec.events[at]);
    await new Promise((r) => setImmediate(r));
  }
  batcher.push({ type: 'metrics', text: `${PUMP_END} ${started}` });
}
