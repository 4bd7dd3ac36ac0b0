/**
 * The high-volume engine events of a batch as columns: messages, evictions and stats travel as rows of a
 * Float64Array each (plus one string per kind holding their texts back to back), not as one object per
 * event, so a batch structured-clones (a port) or frames (a WebSocket, wire.ts) in a few copies whatever
 * its size. `order` keeps the batch's event order: one byte per event, which list the next event comes
 * from (the batch's `events`, or the next row of a column). The layouts below follow the event schemas
 * of engineEvents.ts field by field; `checkColumns` is the schema's check (protocol.ts: BatchColumnsSchema),
 * linear in the batch and refusing anything `expandColumns` could not turn back into schema-valid events.
 */
import {
  EvictionKindSchema,
  MemoryStatsSchema,
  RoleBreakdownSchema,
  RoleSchema,
  TurnStatsSchema,
  type EvictionEvent,
  type MessageAppendedEvent,
  type StatsEvent,
} from './engineEvents.js';

/** What `order` says of each event: the next of `events`, or the next row of a column. */
export const ORDER = { event: 0, message: 1, eviction: 2, stats: 3 } as const;

type ColumnEvent = MessageAppendedEvent | EvictionEvent | StatsEvent;
/** Event types that travel as columns. */
export const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnEvent['type']>(['messageAppended', 'eviction', 'stats']);

const ROLES = RoleSchema.options;
const KINDS = EvictionKindSchema.options;
const MEMORY = Object.keys(MemoryStatsSchema.shape) as (keyof StatsEvent['stats'])[];
const TURN = (Object.keys(TurnStatsSchema.shape) as (keyof NonNullable<StatsEvent['turn']>)[]).filter((k) => k !== 'modelMs');
const BY_ROLE = Object.keys(RoleBreakdownSchema.shape) as (keyof NonNullable<StatsEvent['byRole']>)[];

/** Index of a role in ROLES, without a search (an unknown role gives -1, which checkColumns refuses). */
function roleIndex(role: string): number {
  switch (role) {
    case 'system':
      return 0;
    case 'user':
      return 1;
    case 'assistant':
      return 2;
    case 'tool':
      return 3;
    default:
      return ROLES.indexOf(role as (typeof ROLES)[number]);
  }
}
const KIND_INDEX = new Map<string, number>(KINDS.map((k, i) => [k, i]));

/** Message rows: turn, messageId, startPos, tokens, role (index in ROLES), pinned (0/1), summary (0 absent, 1 true, 2 false), content length. */
export const MESSAGE_STRIDE = 8;
/**
 * Eviction rows: turn, seq, startPos, endPos, tokens, kind (index in KINDS), flags (1: score, 2: cluster), score, cluster,
 * budget maxTokens, usedBefore, usedAfter, range count (their [messageId, from, to] triples in `ranges`), then the
 * lengths of preview, reason.policy and reason.detail (in `text`, in that order).
 */
export const EVICTION_STRIDE = 16;
/** Stats rows: MemoryStats in schema order, flags (1: turn, 2: byRole, 4: turn.modelMs), TurnStats in schema order (modelMs last), byRole. */
export const STATS_STRIDE = MEMORY.length + 1 + TURN.length + 1 + BY_ROLE.length;

type Rows = Float64Array<ArrayBuffer>;
export interface BatchColumns {
  order: Uint8Array<ArrayBuffer>;
  messages?: { num: Rows; text: string };
  evictions?: { num: Rows; ranges: Rows; text: string };
  stats?: { num: Rows };
}

/**
 * A batch's events split into the ones that stay objects and columns for the rest, in order. Returns
 * the events unchanged (no columns) when none of them travels as columns. Two passes: count, then fill
 * columns of the exact size.
 */
export function toColumns(events: readonly { type: string }[]): { events: unknown[]; columns?: BatchColumns } {
  let messages = 0;
  let evictions = 0;
  let triples = 0;
  let stats = 0;
  for (const e of events as ColumnEvent[]) {
    if (e.type === 'messageAppended') messages++;
    else if (e.type === 'eviction') {
      evictions++;
      triples += e.ranges.length;
    } else if (e.type === 'stats') stats++;
  }
  if (messages + evictions + stats === 0) return { events: events as unknown[] };
  const order = new Uint8Array(events.length);
  const rest: unknown[] = [];
  const msg = new Float64Array(messages * MESSAGE_STRIDE);
  const ev = new Float64Array(evictions * EVICTION_STRIDE);
  const ranges = new Float64Array(triples * 3);
  const st = new Float64Array(stats * STATS_STRIDE);
  const msgText: string[] = [];
  const evText: string[] = [];
  let m = 0;
  let v = 0;
  let r3 = 0;
  let s = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as ColumnEvent;
    switch (e.type) {
      case 'messageAppended':
        order[i] = ORDER.message;
        msg[m++] = e.turn;
        msg[m++] = e.messageId;
        msg[m++] = e.startPos;
        msg[m++] = e.tokens;
        msg[m++] = roleIndex(e.role);
        msg[m++] = e.pinned ? 1 : 0;
        msg[m++] = e.summary === undefined ? 0 : e.summary ? 1 : 2;
        msg[m++] = e.content.length;
        msgText.push(e.content);
        break;
      case 'eviction': {
        order[i] = ORDER.eviction;
        const r = e.reason;
        ev[v++] = e.turn;
        ev[v++] = e.seq;
        ev[v++] = e.startPos;
        ev[v++] = e.endPos;
        ev[v++] = e.tokens;
        ev[v++] = KIND_INDEX.get(r.kind) ?? -1;
        ev[v++] = (r.score !== undefined ? 1 : 0) | (r.cluster !== undefined ? 2 : 0);
        ev[v++] = r.score ?? 0;
        ev[v++] = r.cluster ?? 0;
        ev[v++] = r.budget.maxTokens;
        ev[v++] = r.budget.usedBefore;
        ev[v++] = r.budget.usedAfter;
        ev[v++] = e.ranges.length;
        ev[v++] = e.preview.length;
        ev[v++] = r.policy.length;
        ev[v++] = r.detail.length;
        for (const x of e.ranges) {
          ranges[r3++] = x.messageId;
          ranges[r3++] = x.from;
          ranges[r3++] = x.to;
        }
        evText.push(e.preview, r.policy, r.detail);
        break;
      }
      case 'stats':
        order[i] = ORDER.stats;
        writeStats(st, s, e);
        s += STATS_STRIDE;
        break;
      default:
        order[i] = ORDER.event;
        rest.push(e);
    }
  }
  const columns: BatchColumns = { order };
  if (messages > 0) columns.messages = { num: msg, text: msgText.join('') };
  if (evictions > 0) columns.evictions = { num: ev, ranges, text: evText.join('') };
  if (stats > 0) columns.stats = { num: st };
  return { events: rest, columns };
}

/** The buffers of a batch's columns, to transfer over a port instead of copying. */
export function columnBuffers(c: BatchColumns | undefined): ArrayBuffer[] {
  if (!c) return [];
  return [c.order.buffer, c.messages?.num.buffer, c.evictions?.num.buffer, c.evictions?.ranges.buffer, c.stats?.num.buffer].filter((b): b is ArrayBuffer => b !== undefined);
}

/** The batch's events in their order, the columns' rows as the event objects they were. Only for columns that passed checkColumns. */
export function expandColumns<E>(events: readonly E[], c: BatchColumns | undefined): E[] {
  if (!c) return events as E[];
  const out: E[] = new Array(c.order.length);
  let e = 0;
  let m = 0;
  let mt = 0;
  let v = 0;
  let vr = 0;
  let vt = 0;
  let s = 0;
  const msgText = c.messages?.text ?? '';
  const evNum = c.evictions?.num ?? new Float64Array(0);
  const rg = c.evictions?.ranges ?? new Float64Array(0);
  const evText = c.evictions?.text ?? '';
  for (let i = 0; i < c.order.length; i++) {
    switch (c.order[i]) {
      case ORDER.event:
        out[i] = events[e++];
        break;
      case ORDER.message: {
        const n = c.messages!.num;
        const summary = n[m + 6];
        // one object literal of a fixed shape per row (no spreads of temporary objects)
        const e: MessageAppendedEvent = {
          type: 'messageAppended',
          turn: n[m],
          messageId: n[m + 1],
          role: ROLES[n[m + 4]],
          pinned: n[m + 5] === 1,
          startPos: n[m + 2],
          tokens: n[m + 3],
          content: msgText.slice(mt, (mt += n[m + 7])),
        };
        if (summary !== 0) e.summary = summary === 1;
        out[i] = e as E;
        m += MESSAGE_STRIDE;
        break;
      }
      case ORDER.eviction: {
        const n = evNum;
        const count = n[v + 12];
        const list: EvictionEvent['ranges'] = new Array(count);
        for (let k = 0; k < count; k++, vr += 3) list[k] = { messageId: rg[vr], from: rg[vr + 1], to: rg[vr + 2] };
        const preview = evText.slice(vt, (vt += n[v + 13]));
        const policy = evText.slice(vt, (vt += n[v + 14]));
        const detail = evText.slice(vt, (vt += n[v + 15]));
        const flags = n[v + 6];
        const reason: EvictionEvent['reason'] = { policy, kind: KINDS[n[v + 5]], detail, budget: { maxTokens: n[v + 9], usedBefore: n[v + 10], usedAfter: n[v + 11] } };
        if (flags & 1) reason.score = n[v + 7];
        if (flags & 2) reason.cluster = n[v + 8];
        out[i] = { type: 'eviction', turn: n[v], seq: n[v + 1], startPos: n[v + 2], endPos: n[v + 3], tokens: n[v + 4], ranges: list, preview, reason } satisfies EvictionEvent as E;
        v += EVICTION_STRIDE;
        break;
      }
      case ORDER.stats:
        out[i] = statsAt(c.stats!.num, s) as E;
        s += STATS_STRIDE;
        break;
    }
  }
  return out;
}

/*
 * A stats row field by field, in the schemas' key order (MEMORY, flags, TURN, modelMs, BY_ROLE): named
 * property reads and writes, not a loop over key names (a keyed access with a different key each time
 * cost ~3 µs a stats event each way). STATS_LAYOUT (tested) is the order these follow.
 */
export const STATS_LAYOUT = [...MEMORY, 'flags', ...TURN, 'modelMs', ...BY_ROLE] as const;

function writeStats(st: Rows, at: number, e: StatsEvent): void {
  const m = e.stats;
  st[at] = m.tokensSeen;
  st[at + 1] = m.tokensRetained;
  st[at + 2] = m.tokensPinned;
  st[at + 3] = m.tokensEvicted;
  st[at + 4] = m.evictions;
  st[at + 5] = m.compressionRatio;
  st[at + 6] = m.policyLatencyMs;
  st[at + 7] = m.policyLatencyMsTotal;
  st[at + 8] = m.policyCalls;
  st[at + 9] = m.fallbackCount;
  st[at + 10] = m.anchorCacheHits;
  st[at + 11] = m.anchorCacheMisses;
  st[at + 12] = m.contextBuilds;
  st[at + 13] = m.turns;
  const t = e.turn;
  const r = e.byRole;
  st[at + 14] = (t ? 1 : 0) | (r ? 2 : 0) | (t?.modelMs !== undefined ? 4 : 0);
  if (t) {
    st[at + 15] = t.turn;
    st[at + 16] = t.tokensIn;
    st[at + 17] = t.tokenizeMs;
    st[at + 18] = t.policyMs;
    st[at + 19] = t.buildMs;
    st[at + 20] = t.engineMs;
    st[at + 21] = t.evictedTokens;
    st[at + 22] = t.evictionEvents;
    st[at + 23] = t.contextTokens;
    st[at + 24] = t.used;
    st[at + 25] = t.modelMs ?? 0;
  }
  if (r) {
    st[at + 26] = r.system;
    st[at + 27] = r.user;
    st[at + 28] = r.assistant;
    st[at + 29] = r.tool;
  }
}

function statsAt(n: Rows, at: number): StatsEvent {
  const stats: StatsEvent['stats'] = {
    tokensSeen: n[at],
    tokensRetained: n[at + 1],
    tokensPinned: n[at + 2],
    tokensEvicted: n[at + 3],
    evictions: n[at + 4],
    compressionRatio: n[at + 5],
    policyLatencyMs: n[at + 6],
    policyLatencyMsTotal: n[at + 7],
    policyCalls: n[at + 8],
    fallbackCount: n[at + 9],
    anchorCacheHits: n[at + 10],
    anchorCacheMisses: n[at + 11],
    contextBuilds: n[at + 12],
    turns: n[at + 13],
  };
  const flags = n[at + 14];
  const e: StatsEvent = { type: 'stats', stats };
  if (flags & 1) {
    const turn: NonNullable<StatsEvent['turn']> = {
      turn: n[at + 15],
      tokensIn: n[at + 16],
      tokenizeMs: n[at + 17],
      policyMs: n[at + 18],
      buildMs: n[at + 19],
      engineMs: n[at + 20],
      evictedTokens: n[at + 21],
      evictionEvents: n[at + 22],
      contextTokens: n[at + 23],
      used: n[at + 24],
    };
    if (flags & 4) turn.modelMs = n[at + 25];
    e.turn = turn;
  }
  if (flags & 2) e.byRole = { system: n[at + 26], user: n[at + 27], assistant: n[at + 28], tool: n[at + 29] };
  return e;
}

/** The fields of an eviction row that are counts (every one but kind, flags, score and cluster). */
const EVICTION_COUNTS = Int32Array.of(0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15);

const isCount = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;
const isAmount = (x: number): boolean => Number.isFinite(x) && x >= 0;

/**
 * Why these columns cannot be expanded into valid events (undefined when they can): row counts match
 * `order` and the number of object events, every field is in its schema's range, texts and ranges add up.
 * One pass over the numbers.
 */
export function checkColumns(c: BatchColumns, objectEvents: number): string | undefined {
  const counts = [0, 0, 0, 0];
  for (const k of c.order) {
    if (k > 3) return 'order: unknown kind';
    counts[k]++;
  }
  if (counts[ORDER.event] !== objectEvents) return 'order: does not match events';
  const rows = (num: Rows | undefined, stride: number) => (num ? num.length / stride : 0);
  if (rows(c.messages?.num, MESSAGE_STRIDE) !== counts[ORDER.message]) return 'messages: rows do not match order';
  if (rows(c.evictions?.num, EVICTION_STRIDE) !== counts[ORDER.eviction]) return 'evictions: rows do not match order';
  if (rows(c.stats?.num, STATS_STRIDE) !== counts[ORDER.stats]) return 'stats: rows do not match order';
  if (c.messages) {
    const n = c.messages.num;
    let text = 0;
    for (let i = 0; i < n.length; i += MESSAGE_STRIDE) {
      if (!(isCount(n[i]) && isCount(n[i + 1]) && isCount(n[i + 2]) && isCount(n[i + 3]) && isCount(n[i + 7]))) return 'messages: a count is not a non-negative integer';
      if (!(n[i + 4] in ROLES && (n[i + 5] === 0 || n[i + 5] === 1) && (n[i + 6] === 0 || n[i + 6] === 1 || n[i + 6] === 2))) return 'messages: bad role or flag';
      text += n[i + 7];
    }
    if (text !== c.messages.text.length) return 'messages: text lengths do not add up';
  }
  if (c.evictions) {
    const { num: n, ranges, text } = c.evictions;
    let chars = 0;
    let triples = 0;
    for (let i = 0; i < n.length; i += EVICTION_STRIDE) {
      for (let k = 0; k < EVICTION_COUNTS.length; k++) if (!isCount(n[i + EVICTION_COUNTS[k]])) return 'evictions: a count is not a non-negative integer';
      if (!(n[i + 5] in KINDS) || !(n[i + 6] >= 0 && n[i + 6] <= 3 && Number.isInteger(n[i + 6]))) return 'evictions: bad kind or flags';
      if (!Number.isFinite(n[i + 7]) || !Number.isSafeInteger(n[i + 8])) return 'evictions: bad score or cluster';
      chars += n[i + 13] + n[i + 14] + n[i + 15];
      triples += n[i + 12];
    }
    if (chars !== text.length) return 'evictions: text lengths do not add up';
    if (triples * 3 !== ranges.length) return 'evictions: ranges do not add up';
    for (const x of ranges) if (!isCount(x)) return 'evictions: a range is not a non-negative integer';
  }
  if (c.stats) {
    const n = c.stats.num;
    const flagsAt = MEMORY.length;
    for (let i = 0; i < n.length; i += STATS_STRIDE) {
      const flags = n[i + flagsAt];
      if (!(flags >= 0 && flags <= 7 && Number.isInteger(flags))) return 'stats: bad flags';
      for (let j = 0; j < STATS_STRIDE; j++) if (j !== flagsAt && !(j > flagsAt + TURN.length + 1 ? isCount(n[i + j]) : isAmount(n[i + j]))) return 'stats: a value is out of range';
    }
  }
  return undefined;
}
