import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSION_FORMAT, SESSION_VERSION, type Session } from '../../shared/session';
import { base64ToInt32, bytesToBase64, int32ToBase64 } from './base64';
import { parseSession, serializeSession } from './sessionCodec';

/** system (pinned, 5 tokens) + user (4) + assistant (6); tokens 5..6 of the user message were evicted. */
function fixture(): Session {
  const tokenIds = Int32Array.from([151644, 8948, 198, -1, 2 ** 31 - 1, 872, 13, 9707, 11, 1879, 0, 42, 151645]);
  const flags = Uint8Array.from([3, 1, 0, 0, 2, 0, 2, 0, 0, 1, 0, 0, 255]);
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    metadata: {
      title: 'Déjà vu "quoted"\nsecond line \u0001 🙂',
      app: 'Finite Memory Studio 0.1.0',
      createdAt: '2024-05-01T10:00:00.000Z',
      savedAt: '2024-05-01T10:05:30.250Z',
    },
    config: { policy: 'sliding', maxTokens: 4096, window: 256, tokenizer: 'qwen3', pinSystem: true },
    messages: [
      { id: 0, role: 'system', turn: 0, content: 'You are terse.', pinned: true, tokens: 5, startPos: 0 },
      { id: 1, role: 'user', turn: 1, content: 'Hello there, friend.', pinned: false, tokens: 4, startPos: 5 },
      { id: 2, role: 'assistant', turn: 1, content: 'Hi. How can I help?', pinned: false, tokens: 6, startPos: 9 },
    ],
    ledger: {
      nextPos: 15,
      turn: 1,
      nextMessageId: 3,
      evictionSeq: 1,
      runs: [
        { messageId: 0, from: 0, to: 5 },
        { messageId: 1, from: 2, to: 4 },
        { messageId: 2, from: 0, to: 6 },
      ],
      tokenIds: int32ToBase64(tokenIds),
      flags: bytesToBase64(flags),
    },
    stats: {
      tokensSeen: 15, tokensRetained: 13, tokensPinned: 5, tokensEvicted: 2, evictions: 1,
      compressionRatio: 15 / 13, policyCalls: 2, fallbackCount: 0, contextBuilds: 2, turns: 2,
    },
    turns: [
      { turn: 0, tokensIn: 5, evictedTokens: 0, evictionEvents: 0, contextTokens: 9, used: 9 },
      { turn: 1, tokensIn: 10, evictedTokens: 2, evictionEvents: 1, contextTokens: 21, used: 21 },
    ],
  };
}

/** The fixture as version 1 wrote it: measured values in its stats and turns. */
function fixtureV1(): unknown {
  const s = fixture();
  return {
    ...s,
    version: 1,
    stats: { ...s.stats, policyLatencyMs: 0.125, policyLatencyMsTotal: 0.3, anchorCacheHits: 7, anchorCacheMisses: 3 },
    turns: [
      { ...s.turns[0], tokenizeMs: 0.5, policyMs: 0.1, buildMs: 0.2, engineMs: 0.30000000000000004 },
      { ...s.turns[1], tokenizeMs: 0.75, policyMs: 0.2, buildMs: 0.1, engineMs: 0.30000000000000004, modelMs: 4 },
    ],
  };
}

/** Same data, keys in an order picked by `seed`, recursively. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  let state = seed >>> 0 || 1;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries.map(([key, item], i) => [key, shuffleKeys(item, seed * 31 + i)]));
}

/** Serialized fixture after `mutate` (applied to a parsed JSON copy, so anything goes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw JSON copy that tests corrupt freely
function mutated(mutate: (raw: any) => void): string {
  const raw = JSON.parse(serializeSession(fixture()));
  mutate(raw);
  return JSON.stringify(raw);
}

function errorOf(text: string, maxBytes?: number): string {
  const result = parseSession(text, maxBytes === undefined ? undefined : { maxBytes });
  if (result.ok) throw new Error('expected the parse to fail');
  expect(result.error).not.toMatch(/[\r\n]/);
  return result.error;
}

describe('serializeSession', () => {
  it('writes keys in schema order, 2-space indented, with a final newline', () => {
    const text = serializeSession(fixture());
    expect(text.startsWith('{\n  "format": "finite-memory-studio.session",\n  "version": 2,\n  "metadata": {\n')).toBe(true);
    expect(text.endsWith('\n}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format', 'version', 'metadata', 'config', 'messages', 'ledger', 'stats', 'turns',
    ]);
    expect(Object.keys(JSON.parse(text).ledger)).toEqual([
      'nextPos', 'turn', 'nextMessageId', 'evictionSeq', 'runs', 'tokenIds', 'flags',
    ]);
  });

  it('round-trips byte-identically: serialize -> parse -> serialize', () => {
    const text = serializeSession(fixture());
    const parsed = parseSession(text);
    expect(parsed).toEqual({ ok: true, session: fixture() });
    if (!parsed.ok) return;
    expect(serializeSession(parsed.session)).toBe(text);
    expect(Array.from(base64ToInt32(parsed.session.ledger.tokenIds))).toContain(-1);
  });

  it('does not depend on the input key order', () => {
    const text = serializeSession(fixture());
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const shuffled = shuffleKeys(fixture(), seed) as Session;
        expect(serializeSession(shuffled)).toBe(text);
        const reparsed = parseSession(JSON.stringify(shuffled));
        expect(reparsed.ok && serializeSession(reparsed.session)).toBe(text);
      }),
      { numRuns: 50 },
    );
  });
});

describe('reading version 1', () => {
  it('reads a version 1 session as the current version: measured values dropped, everything else kept', () => {
    const parsed = parseSession(JSON.stringify(fixtureV1(), undefined, 2));
    expect(parsed).toEqual({ ok: true, session: fixture() });
    if (parsed.ok) expect(serializeSession(parsed.session)).toBe(serializeSession(fixture()));
  });

  it('keeps its rolling summaries flagged, and checks it as strictly as the current version', () => {
    const v1 = fixtureV1() as Session;
    v1.messages.push({ id: 3, role: 'system', turn: 1, content: 'Summary of the earlier conversation: Hi.', pinned: false, tokens: 9, startPos: 5, summary: true });
    const parsed = parseSession(JSON.stringify(v1));
    expect(parsed.ok && parsed.session.messages.at(-1)).toMatchObject({ id: 3, summary: true });
    expect(parsed.ok && parsed.session.version).toBe(SESSION_VERSION);
    (v1.stats as Record<string, unknown>).mood = 1;
    expect(errorOf(JSON.stringify(v1))).toBe('invalid session: stats: Unrecognized key: "mood"');
    delete (v1.stats as Record<string, unknown>).mood;
    delete (v1.turns[0] as Record<string, unknown>).tokenizeMs;
    expect(errorOf(JSON.stringify(v1))).toBe('invalid session: turns[0].tokenizeMs: Invalid input: expected number, received undefined');
  });

  it('refuses measured values in a version 2 session', () => {
    expect(errorOf(mutated((raw) => (raw.stats.policyLatencyMs = 1)))).toBe('invalid session: stats: Unrecognized key: "policyLatencyMs"');
  });
});

describe('parseSession errors', () => {
  it('says when the file is empty', () => {
    expect(errorOf('')).toBe('session file is empty');
    expect(errorOf(' \n\t ')).toBe('session file is empty');
    expect(errorOf('\ufeff')).toBe('session file is empty');
  });

  it('locates a truncated file at the cut, wherever it is cut', () => {
    const text = serializeSession(fixture());
    const half = Math.floor(text.length / 2);
    expect(errorOf(text.slice(0, half))).toBe(
      `session file is not valid JSON (truncated or corrupt near position ${half})`,
    );
    for (let cut = 1; cut < text.lastIndexOf('}'); cut++) {
      expect(errorOf(text.slice(0, cut))).toBe(`session file is not valid JSON (truncated or corrupt near position ${cut})`);
    }
  });

  it('reports corrupt bytes as invalid JSON', () => {
    let state = 12_345;
    const bytes = Uint8Array.from({ length: 4096 }, () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) >>> 24);
    const corrupt = new TextDecoder().decode(bytes);
    expect(errorOf(corrupt)).toMatch(/^session file is not valid JSON \(truncated or corrupt near position \d+\)$/);
    expect(errorOf('{"format": x}')).toBe('session file is not valid JSON (truncated or corrupt near position 11)');
    expect(errorOf('{"a":1} trailing')).toBe('session file is not valid JSON (truncated or corrupt near position 8)');
    expect(errorOf('{"a":"\\q"}')).toBe('session file is not valid JSON (truncated or corrupt near position 6)');
  });

  it('rejects files of another format', () => {
    expect(errorOf(mutated((raw) => (raw.format = 'x')))).toBe('not a Finite Memory Studio session (format is "x")');
    expect(errorOf(mutated((raw) => delete raw.format))).toBe('not a Finite Memory Studio session (no "format" field)');
    expect(errorOf('[1, 2]')).toBe('not a Finite Memory Studio session (the file holds an array, not an object)');
    expect(errorOf('null')).toBe('not a Finite Memory Studio session (the file holds null, not an object)');
  });

  it('names the version problem before any schema error', () => {
    const future = mutated((raw) => {
      raw.version = 3;
      raw.messages = 'changed shape';
    });
    expect(errorOf(future)).toBe(
      'session version 3 is newer than this app supports (2); update Finite Memory Studio',
    );
    expect(errorOf(mutated((raw) => (raw.version = 0)))).toBe('session version 0 is not supported');
    expect(errorOf(mutated((raw) => (raw.version = '1')))).toBe('session version "1" is not supported');
    expect(errorOf(mutated((raw) => delete raw.version))).toBe('session file has no version');
  });

  it('reports the first schema issue with its path', () => {
    expect(errorOf(mutated((raw) => (raw.messages[1].role = 'robot')))).toBe(
      'invalid session: messages[1].role: Invalid option: expected one of "system"|"user"|"assistant"|"tool"',
    );
    expect(errorOf(mutated((raw) => (raw.metadata.extra = 1)))).toBe('invalid session: metadata: Unrecognized key: "extra"');
    expect(errorOf(mutated((raw) => (raw.ledger.runs[0].to = -2)))).toBe(
      'invalid session: ledger.runs[0].to: Too small: expected number to be >=0',
    );
    expect(errorOf(mutated((raw) => delete raw.stats)))
      .toBe('invalid session: stats: Invalid input: expected object, received undefined');
  });

  it('checks message ids and runs against the messages', () => {
    expect(errorOf(mutated((raw) => (raw.messages[2].id = 1)))).toBe(
      'invalid session: messages[2].id 1 is not greater than the previous id 1 (message ids must be unique and ascending)',
    );
    expect(errorOf(mutated((raw) => (raw.ledger.runs[1].to = 9)))).toBe(
      'invalid session: ledger.runs[1] [2, 9) is out of range for message 1 (need 0 <= from < to <= 4)',
    );
    expect(errorOf(mutated((raw) => (raw.ledger.runs[1].from = 4)))).toMatch(/ledger\.runs\[1\] \[4, 4\) is out of range/);
    expect(errorOf(mutated((raw) => (raw.ledger.runs[2].messageId = 7)))).toBe(
      'invalid session: ledger.runs[2].messageId 7 does not match any message',
    );
    const swapped = mutated((raw) => raw.ledger.runs.reverse());
    expect(errorOf(swapped)).toBe(
      'invalid session: ledger.runs[1] starts at position 7, before the previous run ends (15); runs must be ascending and non-overlapping',
    );
  });

  it('places a rolling summary where its source began without taking positions (a run may start inside its length)', () => {
    /** A summary (3 tokens) standing for the user message's first 2 tokens, at position 5; the message's rest at 7. */
    const withSummary = (summaryStart: number) =>
      mutated((raw) => {
        raw.messages.push({ id: 3, role: 'system', turn: 1, content: 'Summary of the earlier conversation: Hi.', pinned: false, tokens: 3, startPos: summaryStart, summary: true });
        raw.ledger.runs.splice(1, 0, { messageId: 3, from: 0, to: 3 });
        raw.ledger.tokenIds = int32ToBase64(new Int32Array(16));
        raw.ledger.flags = bytesToBase64(new Uint8Array(16));
        raw.stats.tokensRetained = 16;
      });
    const parsed = parseSession(withSummary(5));
    expect(parsed.ok && parsed.session.messages[3].summary).toBe(true);
    expect(errorOf(withSummary(8))).toBe(
      'invalid session: ledger.runs[2] starts at position 7, before the previous run ends (8); runs must be ascending and non-overlapping',
    );
  });

  it('checks the decoded ledger lengths', () => {
    const twelve = int32ToBase64(new Int32Array(12));
    expect(errorOf(mutated((raw) => (raw.ledger.tokenIds = twelve)))).toBe(
      'invalid session: ledger.tokenIds holds 12 tokens but the runs cover 13',
    );
    expect(errorOf(mutated((raw) => (raw.ledger.flags = bytesToBase64(new Uint8Array(14)))))).toBe(
      'invalid session: ledger.flags holds 14 flags but the runs cover 13 tokens',
    );
    expect(errorOf(mutated((raw) => (raw.ledger.tokenIds = 'AAA!')))).toBe(
      'invalid session: ledger.tokenIds: invalid base64: unexpected character "!" at position 3',
    );
    expect(errorOf(mutated((raw) => (raw.stats.tokensRetained = 15)))).toBe(
      'invalid session: stats.tokensRetained is 15 but the runs cover 13 tokens',
    );
  });

  it('refuses oversized text before parsing it', () => {
    const text = serializeSession(fixture());
    const bytes = new TextEncoder().encode(text).length;
    expect(errorOf(text, 100)).toBe(`session file is too large (${+(bytes / 1024).toFixed(1)} KiB; limit 100 bytes)`);
    expect(parseSession(text, { maxBytes: bytes }).ok).toBe(true);
    expect(errorOf(text, bytes - 1)).toMatch(/^session file is too large/);
    expect(errorOf('x'.repeat(3 * 1024 * 1024), 2 * 1024 * 1024)).toBe('session file is too large (3 MiB; limit 2 MiB)');
  });

  it('never throws, and errors are always one line', () => {
    const oneLineOrOk = (text: string) => {
      const result = parseSession(text);
      if (!result.ok) expect(result.error).toMatch(/^[^\r\n\u2028\u2029]+$/);
    };
    fc.assert(fc.property(fc.string({ unit: 'binary' }), oneLineOrOk), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), (v) => oneLineOrOk(JSON.stringify(v))), { numRuns: 300 });
    const paths = fc.array(fc.oneof(fc.constantFrom('metadata', 'config', 'messages', 'ledger', 'runs', 'stats', 'turns', 'role', 'id'), fc.nat(3)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(paths, fc.jsonValue(), (path, value) => {
        const text = mutated((raw) => {
          let node = raw;
          for (const key of path.slice(0, -1)) if (node && typeof node === 'object' && key in node) node = node[key];
          if (node && typeof node === 'object') node[path[path.length - 1]] = value;
        });
        oneLineOrOk(text);
      }),
      { numRuns: 300 },
    );
  });

  it('tells valid JSON from invalid JSON exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 2 }), (json, at, junk) => {
        const broken = json.slice(0, at % (json.length + 1)) + junk + json.slice(at % (json.length + 1));
        let valid = true;
        try {
          JSON.parse(broken);
        } catch {
          valid = false;
        }
        const result = parseSession(broken);
        expect(!result.ok && result.error.startsWith('session file is not valid JSON')).toBe(!valid);
      }),
      { numRuns: 1000 },
    );
  });
});
