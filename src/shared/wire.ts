import { expandColumns } from './batchColumns.js';
import { EventBatchSchema, firstIssue, NoticeSchema, type EventBatch, type HostEvent, type Notice, type WireBatch } from './protocol.js';

type Hello = Extract<HostEvent, { type: 'helloAck' }>;
/** A hello as JSON.parse gives it: anything may be missing. */
type WireHello = { type?: unknown; snapshot?: { evictions?: { evicted?: unknown; summarized?: unknown } } } | undefined;
type Obj = Record<string, unknown>;

/** Where a batch carries typed arrays (span columns, event columns), and which kind each is. */
const TYPED_PATHS: readonly { path: readonly string[]; kind: typeof Float64Array | typeof Uint8Array }[] = [
  { path: ['spans', 'data'], kind: Float64Array },
  { path: ['columns', 'order'], kind: Uint8Array },
  { path: ['columns', 'messages', 'num'], kind: Float64Array },
  { path: ['columns', 'evictions', 'num'], kind: Float64Array },
  { path: ['columns', 'evictions', 'ranges'], kind: Float64Array },
  { path: ['columns', 'stats', 'num'], kind: Float64Array },
];
/**
 * The columns' texts (every message's content, the evictions' previews and reasons: most of a batch's
 * bytes), which a binary frame carries as UTF-8 sections after the typed arrays (path index
 * TYPED_PATHS.length + i): no JSON escaping or parsing of the bulk of the text.
 */
const TEXT_PATHS: readonly (readonly string[])[] = [
  ['columns', 'messages', 'text'],
  ['columns', 'evictions', 'text'],
];

/**
 * A batch as the host child hands it to browser mode's server: already the binary frame the browser
 * gets (the server forwards it without decoding), its seq (the server acks for a client that left), and
 * the texts of its `metrics` events (the server answers /metrics scrapes with them).
 */
export interface FramedBatch {
  ch: 'batch';
  seq: number;
  frame: Uint8Array;
  metrics: string[];
}

export function framedBatch(batch: WireBatch): FramedBatch {
  const metrics: string[] = [];
  for (const e of batch.events) if (e.type === 'metrics') metrics.push(e.text);
  return { ch: 'batch', seq: batch.seq, frame: encodeBatchFrame(batch), metrics };
}

export const isFramedBatch = (m: unknown): m is FramedBatch => (m as { ch?: unknown } | undefined)?.ch === 'batch';

/** A batch with every event in `events` (its columns' rows back as event objects, in order). Only for a batch its schema accepted. */
export function expandBatch(batch: WireBatch): EventBatch {
  if (!batch.columns) return batch as EventBatch;
  const { columns, ...rest } = batch;
  return { ...rest, events: expandColumns(batch.events, columns) };
}

/**
 * A message from the server (a binary batch frame or a JSON notice), checked by its schema and with every
 * event in `events`; throws on anything else. For scripts and tests (the app's EngineClient does the same, without throwing).
 */
export function readServerMessage(data: string | ArrayBuffer | ArrayBufferView): EventBatch | Notice {
  const value = decodeWire(data);
  if ((value as { type?: unknown } | undefined)?.type === 'notice') return NoticeSchema.parse(value);
  const parsed = EventBatchSchema.safeParse(value);
  if (!parsed.success) throw new Error(`malformed batch: ${firstIssue(parsed.error)}`);
  return expandBatch(parsed.data);
}

/**
 * JSON for commands, notices, and batches to a script that asked for text: typed arrays become plain
 * arrays by path (a batch's span and event columns, a hello's token ranges), not with a reviver over
 * every value (a reviver made decoding a 2,000-event batch 4x slower than JSON.parse).
 */
export function encodeWire(value: unknown): string {
  const batch = value as Partial<EventBatch> | undefined;
  if (batch?.type !== 'batch') return JSON.stringify(value);
  let out = helloOut(batch as EventBatch) as Obj;
  for (const { path } of TYPED_PATHS) {
    const typed = getPath(out, path);
    if (ArrayBuffer.isView(typed)) out = setPath(out, path, Array.from(typed as Float64Array));
  }
  return JSON.stringify(out);
}

/** A UTF-16 surrogate without its pair (in a /u regex, a pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Surrogate}/u;
/**
 * True when the text has no lone surrogate (it has a UTF-8 form): the engine's native check where there
 * is one (Node 20, Chromium 111), which is a plain scan; the regex, a Unicode-property match over every
 * character, took ~5% of the host's CPU on the batches' joined texts.
 */
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

const MAGIC = 0x34534d46; // "FMS4", little-endian
const ALIGN = 8;

/**
 * A batch as one binary WebSocket frame: "FMS4", the header's byte length (u32 LE), the header (the
 * batch as JSON, its typed arrays and column texts left out and listed in `bin` as [path index, byte
 * offset, length]), then each typed array's bytes and each column text's UTF-8, 8-byte aligned. The
 * typed arrays are copied once into the frame, never through JSON.
 */
export function encodeBatchFrame(batch: WireBatch): Uint8Array<ArrayBuffer> {
  let header = helloOut(batch as EventBatch) as Obj;
  const parts: { bytes: Uint8Array; at: number }[] = [];
  const bin: number[][] = [];
  let size = 0;
  TYPED_PATHS.forEach(({ path }, i) => {
    const typed = getPath(header, path);
    if (!ArrayBuffer.isView(typed)) return;
    header = setPath(header, path, null);
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    parts.push({ bytes, at: size });
    bin.push([i, size, (typed as Float64Array).length]);
    size += Math.ceil(bytes.byteLength / ALIGN) * ALIGN;
  });
  const utf8 = new TextEncoder();
  TEXT_PATHS.forEach((path, i) => {
    const text = getPath(header, path);
    // a lone surrogate has no UTF-8: such a text stays in the header, where JSON escapes it
    if (typeof text !== 'string' || !wellFormed(text)) return;
    header = setPath(header, path, null);
    const bytes = utf8.encode(text);
    parts.push({ bytes, at: size });
    bin.push([TYPED_PATHS.length + i, size, bytes.byteLength]);
    size += Math.ceil(bytes.byteLength / ALIGN) * ALIGN;
  });
  const json = utf8.encode(JSON.stringify({ ...header, bin }));
  const start = Math.ceil((8 + json.byteLength) / ALIGN) * ALIGN;
  const frame = new Uint8Array(start + size);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.byteLength, true);
  frame.set(json, 8);
  for (const p of parts) frame.set(p.bytes, start + p.at);
  return frame;
}

/**
 * A message from the wire: JSON text (commands, notices, text batches) or a binary batch frame. Whatever
 * arrives malformed comes back as something the schemas refuse (never a throw): the caller validates.
 */
export function decodeWire(data: string | ArrayBuffer | ArrayBufferView): unknown {
  if (typeof data !== 'string') return decodeFrame(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  let value: Obj;
  try {
    value = JSON.parse(data) as Obj;
  } catch {
    return undefined;
  }
  if (value?.type !== 'batch') return value;
  for (const { path, kind } of TYPED_PATHS) {
    const plain = getPath(value, path);
    if (Array.isArray(plain) && plain.every((x) => typeof x === 'number')) setPathInPlace(value, path, kind.from(plain as number[]));
  }
  helloIn(value);
  return value;
}

function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 8) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const length = view.getUint32(4, true);
  if (view.getUint32(0, true) !== MAGIC || 8 + length > frame.byteLength) return undefined;
  let value: Obj & { bin?: unknown };
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(8, 8 + length))) as Obj;
  } catch {
    return undefined;
  }
  if (value?.type !== 'batch' || !Array.isArray(value.bin)) return undefined;
  const start = Math.ceil((8 + length) / ALIGN) * ALIGN;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const entry of value.bin as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3 || !entry.every((x) => Number.isSafeInteger(x) && x >= 0)) return undefined;
    const [i, at, n] = entry as number[];
    const target = TYPED_PATHS[i];
    const textPath = TEXT_PATHS[i - TYPED_PATHS.length];
    const path = target?.path ?? textPath;
    if (!path) return undefined;
    const from = start + at;
    const to = from + n * (target ? target.kind.BYTES_PER_ELEMENT : 1);
    if (to > frame.byteLength || !isObjectAt(value, path)) return undefined;
    if (target) {
      // a copy into a fresh ArrayBuffer: aligned, and not a view of the socket's buffer
      setPathInPlace(value, path, new target.kind(frame.slice(from, to).buffer));
    } else {
      try {
        setPathInPlace(value, path, utf8.decode(frame.subarray(from, to)));
      } catch {
        return undefined;
      }
    }
  }
  delete value.bin;
  helloIn(value);
  return value;
}

function getPath(o: unknown, path: readonly string[]): unknown {
  let at = o;
  for (const k of path) at = at !== null && typeof at === 'object' ? (at as Obj)[k] : undefined;
  return at;
}

/** A copy of `o` with `value` at `path` (objects along the path are copied, the rest shared). */
function setPath(o: Obj, path: readonly string[], value: unknown): Obj {
  const [k, ...rest] = path;
  return { ...o, [k]: rest.length === 0 ? value : setPath(o[k] as Obj, rest, value) };
}

/** True when every object up to the path's last key exists (a frame's typed array has a place to go). */
function isObjectAt(o: Obj, path: readonly string[]): boolean {
  const parent = getPath(o, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent);
}

function setPathInPlace(o: Obj, path: readonly string[], value: unknown): void {
  (getPath(o, path.slice(0, -1)) as Obj)[path[path.length - 1]] = value;
}

/** The batch with its hello's token ranges as plain arrays (JSON has no typed arrays; rare: one batch per hello). */
function helloOut(batch: EventBatch): unknown {
  if (!batch.events?.some((e) => e.type === 'helloAck')) return batch;
  return { ...batch, events: batch.events.map((e) => (e.type === 'helloAck' ? helloEventOut(e) : e)) };
}

function helloEventOut(e: Hello): unknown {
  const x = e.snapshot.evictions;
  return { ...e, snapshot: { ...e.snapshot, evictions: { ...x, evicted: Array.from(x.evicted), summarized: Array.from(x.summarized) } } };
}

/** A decoded hello's ranges back to Int32Arrays (anything else is left for the schema to refuse). */
function helloIn(value: Obj): void {
  if (!Array.isArray(value.events)) return;
  for (const e of value.events as WireHello[]) {
    const x = e?.type === 'helloAck' ? e.snapshot?.evictions : undefined;
    if (!x) continue;
    if (Array.isArray(x.evicted) && x.evicted.every(Number.isInteger)) x.evicted = Int32Array.from(x.evicted as number[]);
    if (Array.isArray(x.summarized) && x.summarized.every(Number.isInteger)) x.summarized = Int32Array.from(x.summarized as number[]);
  }
}
