import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_CONFIG } from './config.js';
import { DEFAULT_LIMITS } from './limits.js';
import {
  COMMAND_TYPES,
  EngineCommandSchema,
  EngineEventSchema,
  EventBatchSchema,
  HostEventSchema,
  MAX_LISTED_MODELS,
  MAX_MODEL_NAME,
  NoticeSchema,
  type EngineCommand,
  type EngineCommandType,
  type EngineEventType,
  type EventBatch,
  type FactRow,
  type FactsEvent,
  type HostEvent,
  type HostEventType,
} from './protocol.js';
import { decodeWire, encodeWire } from './wire.js';
import { emptySnapshot } from './view/snapshot.js';

/** The `type`s a discriminated union accepts, nested unions included, in order. */
function typesOf(schema: { options: readonly unknown[] }): string[] {
  return schema.options.flatMap((o) => (o instanceof z.ZodDiscriminatedUnion ? typesOf(o) : [((o as z.ZodObject).shape.type as z.ZodLiteral<string>).value]));
}

/** One valid command of every type: the type checker refuses a table that misses one. */
const COMMANDS: { [K in EngineCommandType]: Extract<EngineCommand, { type: K }> } = {
  hello: { type: 'hello', protocolVersion: 2, client: 'test' },
  ack: { type: 'ack', seq: 0 },
  chat: { type: 'chat', id: 'c1', content: 'hi', maxNewTokens: 16, temperature: 0.7 },
  cancel: { type: 'cancel', id: '' },
  setConfig: { type: 'setConfig', config: { maxTokens: 512, window: 64 }, rerun: true },
  setBackend: { type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://localhost:1234/v1', model: 'm', apiKey: 'k' } },
  newSession: { type: 'newSession', systemPrompt: 'be brief' },
  appendMessages: { type: 'appendMessages', messages: [{ role: 'user', content: 'a' }] },
  replay: { type: 'replay', messages: [{ role: 'system', content: 's', pinned: true }], config: { policy: 'hybrid' }, title: 't' },
  openSession: { type: 'openSession', handle: 'h_0123456789' },
  openSessionText: { type: 'openSessionText', name: 'demo.jsonl', text: '{}' },
  openBegin: { type: 'openBegin', id: 'u1', name: 'big.jsonl', bytes: 10 },
  openChunk: { type: 'openChunk', id: 'u1', text: 'abc' },
  openEnd: { type: 'openEnd', id: 'u1' },
  saveSession: { type: 'saveSession' },
  exportProfile: { type: 'exportProfile', format: 'speedscope' },
  getMetrics: { type: 'getMetrics' },
  whatIf: { type: 'whatIf', a: { policy: 'sliding' }, b: { policy: 'semantic', window: 32 } },
  pinFact: { type: 'pinFact', factId: 7, pinned: true },
  forgetFact: { type: 'forgetFact', factId: 7 },
  setTelemetry: { type: 'setTelemetry', endpoint: 'http://127.0.0.1:4318' },
  tune: { type: 'tune', id: 't1', axes: { policy: ['sliding', 'hybrid'], maxTokens: [512, 1024], recall: [true, false] } },
};

const budget = { maxTokens: 100, usedBefore: 120, usedAfter: 90 };
const byRole = { system: 10, user: 40, assistant: 30, tool: 0 };
const segment = { messageId: 1, from: 0, to: 5, role: 'user', pinned: false, recalled: true } as const;
const session = { title: 'T', path: '/tmp/t.json', messages: 1, config: DEFAULT_CONFIG, tokenizer: 'qwen3' };
const message = { role: 'user', content: 'hello', id: 0, turn: 1, pinned: false, tokens: 2, startPos: 0 } as const;
const side = { config: DEFAULT_CONFIG, contextTokens: 80, evictions: 1, evictedTokens: 20, engineMs: 0.5, segments: [segment] };
const stats = {
  tokensSeen: 10, tokensRetained: 8, tokensPinned: 2, tokensEvicted: 2, evictions: 1, compressionRatio: 1.25, policyLatencyMs: 0.2,
  policyLatencyMsTotal: 0.4, policyCalls: 2, fallbackCount: 0, anchorCacheHits: 1, anchorCacheMisses: 1, contextBuilds: 2, turns: 1,
};
const fact: FactRow = {
  id: 7, holder: 'user', attribute: 'locker code', label: 'my locker code', value: '7731', messageId: 12, turn: 6, from: 2, to: 11, startPos: 140,
  text: 'Update: my locker code is now 7731.', state: 'held', pinned: true, source: 'rules', history: [{ id: 3, value: '5521', messageId: 4, turn: 2 }],
};
const facts: FactsEvent = { type: 'facts', turn: 6, rows: [fact], total: 1, superseded: 1, heldTokens: 11, shareTokens: 204 };
const turn = { turn: 1, tokensIn: 4, tokenizeMs: 0.1, policyMs: 0.2, buildMs: 0.1, engineMs: 0.3, evictedTokens: 2, evictionEvents: 1, contextTokens: 8, used: 8, modelMs: 12 };

/** One valid event of every type the host sends (engine events and the host's own). */
const EVENTS: { [K in HostEventType]: Extract<HostEvent, { type: K }> } = {
  messageAppended: { type: 'messageAppended', turn: 1, messageId: 0, role: 'user', pinned: false, startPos: 0, tokens: 2, content: 'hello' },
  windowSnapshot: { type: 'windowSnapshot', turn: 1, maxTokens: 100, used: 80, pinned: 10, retained: 70, recalled: 0, byRole, windowStartPos: -1, endPos: 90 },
  eviction: {
    type: 'eviction', turn: 1, seq: 0, startPos: 0, endPos: 20, tokens: 20, ranges: [{ messageId: 0, from: 0, to: 20 }], preview: 'hel…',
    reason: { policy: 'semantic', kind: 'span-value', detail: 'd', score: 0.1, cluster: 2, budget },
  },
  contextBuilt: { type: 'contextBuilt', turn: 1, tokens: 80, maxTokens: 100, segments: [segment], startsAtSentence: true, ms: 0.3 },
  stats: { type: 'stats', stats, turn, byRole },
  profileSpan: { type: 'profileSpan', span: { name: 'policy', start: 1.5, end: 2.5, depth: 0, turn: 1 } },
  warning: { type: 'warning', turn: 1, code: 'policy-fallback', message: 'too slow' },
  recall: {
    type: 'recall', turn: 2, seq: 0, query: 'what was x?', tokens: 5, budget,
    spans: [{ messageId: 0, from: 0, to: 5, startPos: 0, endPos: 5, tokens: 5, score: 0.03, bm25Rank: 1, preview: 'x is…' }],
  },
  spanScores: { type: 'spanScores', turn: 1, policy: 'semantic', capacity: 50, spans: [{ messageId: 0, startPos: 0, tokens: 5, score: 0.2, kept: true, cluster: 0, representative: true, x: 0.1, y: -0.4 }] },
  embeddingCache: { type: 'embeddingCache', turn: 1, embedder: 'minilm', hits: 3, misses: 1, size: 4 },
  summary: {
    type: 'summary', turn: 3, seq: 1, messageId: 5, startPos: 0, endPos: 40, sourceTokens: 40, tokens: 10, method: 'extractive', fallback: 'gate failed',
    gate: { threshold: 1, checked: 3, found: 2, missing: ['42'], passed: false }, text: 'summary', budget,
  },
  facts,
  helloAck: { type: 'helloAck', protocolVersion: 3, host: 'test', session, snapshot: { ...emptySnapshot([message]), facts, evictions: { ...emptySnapshot().evictions, evicted: new Int32Array([0, 0, 5, 0]), summarized: new Int32Array([0, 0, 2, 0]) } }, backend: { kind: 'none' }, backendStatus: { ready: false }, limits: { ...DEFAULT_LIMITS } },
  error: { type: 'error', code: 'bad-command', message: 'no', command: 'chat', id: 'c1', repeated: 3 },
  sessionLoaded: { type: 'sessionLoaded', session, messages: [], reason: 'open' },
  sessionSaved: { type: 'sessionSaved', text: '{}', bytes: 2 },
  replayProgress: { type: 'replayProgress', done: 1, total: 2 },
  autosaved: { type: 'autosaved', messages: 1, bytes: 100 },
  openProgress: { type: 'openProgress', id: 'u1', received: 3, total: 10 },
  engineStopped: { type: 'engineStopped', reason: 'crashed 3 times' },
  configChanged: { type: 'configChanged', config: DEFAULT_CONFIG },
  backendChanged: { type: 'backendChanged', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:8080', model: 'm' }, ready: true, models: ['m', 'n'], note: 'the server lists no models' },
  chatToken: { type: 'chatToken', id: 'c1', text: 'Hel' },
  chatDone: {
    type: 'chatDone', id: 'c1', finishReason: 'stop', messageId: 1, turn: 1, backend: 'openai', enginePromptTokens: 10,
    backendUsage: { promptTokens: 12, completionTokens: 3, cachedPromptTokens: 8 }, ms: 40,
  },
  cacheReport: { type: 'cacheReport', turn: 1, hit: true, reusedTokens: 10, recomputedTokens: 0 },
  profileExport: { type: 'profileExport', format: 'chrome', json: '[]' },
  metrics: { type: 'metrics', text: 'fms_turns 1' },
  hostRestarted: { type: 'hostRestarted', reason: 'crash', restoredMessages: 3 },
  modelProgress: { type: 'modelProgress', file: 'model.onnx', loaded: 5, total: 10, percent: 50, status: 'progress' },
  whatIfResult: { type: 'whatIfResult', messages: 1, a: side, b: side },
  tuneStarted: { type: 'tuneStarted', id: 't1', total: 8, axes: { policy: ['sliding', 'hybrid'], maxTokens: [512, 1024], recall: [true, false] } },
  tuneProgress: { type: 'tuneProgress', id: 't1', done: 1, total: 8, run: { index: 0, settings: { policy: 'sliding', maxTokens: 512, recall: true }, contextTokens: 480, factsKept: 2, factsTotal: 3, evictions: 40, engineMsTotal: 12.5 } },
  tuneDone: { type: 'tuneDone', id: 't1', done: 8, total: 8, cancelled: false },
  telemetryChanged: { type: 'telemetryChanged', endpoint: 'http://127.0.0.1:4318', source: 'settings' },
};

const ENGINE_EVENT_TYPES: Record<EngineEventType, true> = {
  messageAppended: true, windowSnapshot: true, eviction: true, contextBuilt: true, stats: true, profileSpan: true, warning: true,
  recall: true, spanScores: true, embeddingCache: true, summary: true, facts: true,
};

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('protocol schemas', () => {
  it('have one command schema per command type, and COMMAND_TYPES lists each once', () => {
    expect(new Set(COMMAND_TYPES).size).toBe(COMMAND_TYPES.length);
    expect(sorted(COMMAND_TYPES)).toEqual(sorted(Object.keys(COMMANDS)));
    expect(typesOf(EngineCommandSchema)).toEqual(COMMAND_TYPES);
  });

  it('host events cover every engine event plus the host’s own, each type once', () => {
    const engine = typesOf(EngineEventSchema);
    const host = typesOf(HostEventSchema);
    expect(sorted(engine)).toEqual(sorted(Object.keys(ENGINE_EVENT_TYPES)));
    expect(new Set(host).size).toBe(host.length);
    expect(sorted(host)).toEqual(sorted(Object.keys(EVENTS)));
    expect(host.slice(0, engine.length)).toEqual(engine);
  });

  it('accept one command of every type, unchanged, and refuse each with an unknown key', () => {
    for (const cmd of Object.values(COMMANDS)) {
      expect(EngineCommandSchema.parse(cmd), cmd.type).toEqual(cmd);
      const extra = EngineCommandSchema.safeParse({ ...cmd, extra: 1 });
      expect(extra.error?.issues[0].code, cmd.type).toBe('unrecognized_keys');
    }
  });

  it('accept one event of every type after a structured clone, and refuse each with an unknown key', () => {
    for (const event of Object.values(EVENTS)) {
      expect(HostEventSchema.parse(structuredClone(event)), event.type).toEqual(event);
      expect(HostEventSchema.safeParse({ ...event, extra: 1 }).success, event.type).toBe(false);
    }
  });

  it('refuse unknown types and bad values', () => {
    const bad: [string, unknown][] = [
      ['unknown type', { type: 'launchMissiles' }],
      ['no type', { seq: 1 }],
      ['negative ack', { type: 'ack', seq: -1 }],
      ['fractional ack', { type: 'ack', seq: 1.5 }],
      ['bad setting', { type: 'setConfig', config: { maxTokens: -5 } }],
      ['unknown setting', { type: 'setConfig', config: { maxTokenz: 5 } }],
      ['empty replay', { type: 'replay', messages: [] }],
      ['bad role', { type: 'appendMessages', messages: [{ role: 'robot', content: 'x' }] }],
      ['path as handle', { type: 'openSession', handle: '../../etc/passwd' }],
      ['empty chat id', { type: 'chat', id: '', content: 'x' }],
      ['huge id', { type: 'openEnd', id: 'x'.repeat(201) }],
      ['zero new tokens', { type: 'chat', id: 'c', content: 'x', maxNewTokens: 0 }],
      ['backend without model', { type: 'setBackend', backend: { kind: 'local', model: '' } }],
      ['unknown profile format', { type: 'exportProfile', format: 'pprof' }],
      ['pin without a flag', { type: 'pinFact', factId: 7 }],
      ['negative fact id', { type: 'forgetFact', factId: -1 }],
      ['fractional fact id', { type: 'pinFact', factId: 1.5, pinned: false }],
    ];
    for (const [what, value] of bad) expect(EngineCommandSchema.safeParse(value).success, what).toBe(false);

    const event = (patch: object) => HostEventSchema.safeParse({ ...EVENTS.windowSnapshot, ...patch }).success;
    expect(event({})).toBe(true);
    expect(event({ windowStartPos: -2 })).toBe(false);
    expect(event({ byRole: { ...byRole, user: 0.5 } })).toBe(false);
    expect(event({ byRole: { system: 1, user: 1, assistant: 1 } })).toBe(false);
    expect(HostEventSchema.safeParse({ ...EVENTS.error, command: 'launchMissiles' }).success).toBe(false);
    expect(HostEventSchema.safeParse({ ...EVENTS.summary, gate: { ...EVENTS.summary.gate, threshold: 1.5 } }).success).toBe(false);
    expect(HostEventSchema.safeParse({ ...EVENTS.backendChanged, models: ['x'.repeat(MAX_MODEL_NAME + 1)] }).success).toBe(false);
    expect(HostEventSchema.safeParse({ ...EVENTS.backendChanged, models: Array.from({ length: MAX_LISTED_MODELS + 1 }, (_, i) => `m${i}`) }).success).toBe(false);
    expect(HostEventSchema.safeParse({ ...EVENTS.chatDone, backendUsage: { promptTokens: 1, completionTokens: 1, cached: 1 } }).success).toBe(false);
    expect(HostEventSchema.safeParse({ ...EVENTS.chatDone, backend: 'none' }).success).toBe(false);
    // a superseded statement is evicted with its own kind; a fact's state and source are closed lists
    expect(HostEventSchema.safeParse({ ...EVENTS.eviction, reason: { ...EVENTS.eviction.reason, kind: 'superseded', detail: 'superseded by #12' } }).success).toBe(true);
    const withRow = (patch: object) => HostEventSchema.safeParse({ ...facts, rows: [{ ...fact, ...patch }] }).success;
    expect(withRow({})).toBe(true);
    expect(withRow({ state: 'superseded' })).toBe(false);
    expect(withRow({ source: 'guess' })).toBe(false);
    expect(withRow({ history: [{ value: '5521', messageId: 4, turn: 2 }] })).toBe(false);
    expect(withRow({ from: -1 })).toBe(false);
  });

  it('round-trip a batch with span columns over the wire, and refuse span data that is not a Float64Array over an ArrayBuffer', () => {
    const batch: EventBatch = { type: 'batch', seq: 7, merged: 2, sentAt: 1, events: Object.values(EVENTS), spans: { names: ['a'], data: new Float64Array([0, 1.5, 0, 1]) } };
    expect(EventBatchSchema.parse(decodeWire(encodeWire(batch)))).toEqual(batch);
    expect(EventBatchSchema.parse(structuredClone(batch))).toEqual(batch);
    const spans = (data: unknown) => EventBatchSchema.safeParse({ ...batch, spans: { names: ['a'], data } }).success;
    expect(spans([0, 1.5, 0, 1])).toBe(false);
    expect(spans(new Float32Array(4))).toBe(false);
    expect(spans(new Float64Array(new SharedArrayBuffer(32)))).toBe(false);
    // a hello's token ranges: an Int32Array of quads, on the wire as plain arrays
    const hello = EVENTS.helloAck as Extract<HostEvent, { type: 'helloAck' }>;
    const ranges = (evicted: unknown) => HostEventSchema.safeParse({ ...hello, snapshot: { ...hello.snapshot, evictions: { ...hello.snapshot.evictions, evicted } } }).success;
    expect(ranges(new Int32Array([0, 0, 5, 0]))).toBe(true);
    expect(ranges([0, 0, 5, 0])).toBe(false);
    expect(ranges(new Int32Array([0, 0, 5]))).toBe(false);
    expect(ranges(new Float64Array(4))).toBe(false);
    expect(EventBatchSchema.safeParse({ ...batch, seq: -1 }).success).toBe(false);
    expect(NoticeSchema.safeParse({ type: 'notice', events: [EVENTS.engineStopped] }).success).toBe(true);
    expect(NoticeSchema.safeParse({ type: 'notice', events: [EVENTS.engineStopped], seq: 1 }).success).toBe(false);
  });
});
