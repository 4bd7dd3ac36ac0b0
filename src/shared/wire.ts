import type { EventBatch, HostEvent } from './protocol.js';

type Hello = Extract<HostEvent, { type: 'helloAck' }>;
/** A hello as JSON.parse gives it: anything may be missing. */
type WireHello = { type?: unknown; snapshot?: { evictions?: { evicted?: unknown; summarized?: unknown } } } | undefined;

/**
 * JSON for transports that cannot structured-clone (WebSocket). The typed arrays on the wire are a
 * batch's span columns (`spans.data`) and a hello's token ranges (`snapshot.evictions.evicted` and
 * `summarized`), so they are converted by path, not with a reviver over every value (a reviver made
 * decoding a 2,000-event batch 4x slower than JSON.parse).
 */
export function encodeWire(value: unknown): string {
  const batch = value as Partial<EventBatch> | undefined;
  if (batch?.type !== 'batch') return JSON.stringify(value);
  const spans = batch.spans ? { spans: { names: batch.spans.names, data: Array.from(batch.spans.data) } } : {};
  const events = batch.events?.some((e) => e.type === 'helloAck') ? { events: batch.events.map((e) => (e.type === 'helloAck' ? helloOut(e) : e)) } : {};
  return JSON.stringify({ ...batch, ...spans, ...events });
}

export function decodeWire(text: string): unknown {
  const value = JSON.parse(text) as { type?: unknown; spans?: { data?: unknown }; events?: unknown };
  if (value?.type !== 'batch') return value;
  if (Array.isArray(value.spans?.data)) value.spans.data = Float64Array.from(value.spans.data as number[]);
  if (Array.isArray(value.events)) for (const e of value.events as WireHello[]) if (e?.type === 'helloAck') helloIn(e);
  return value;
}

function helloOut(e: Hello): unknown {
  const x = e.snapshot.evictions;
  return { ...e, snapshot: { ...e.snapshot, evictions: { ...x, evicted: Array.from(x.evicted), summarized: Array.from(x.summarized) } } };
}

/** A decoded hello's ranges back to Int32Arrays (anything else is left for the schema to refuse). */
function helloIn(e: WireHello): void {
  const x = e?.snapshot?.evictions;
  if (!x) return;
  if (Array.isArray(x.evicted) && x.evicted.every(Number.isInteger)) x.evicted = Int32Array.from(x.evicted as number[]);
  if (Array.isArray(x.summarized) && x.summarized.every(Number.isInteger)) x.summarized = Int32Array.from(x.summarized as number[]);
}
