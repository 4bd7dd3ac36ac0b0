import { describe, expect, expectTypeOf, it } from 'vitest';
import { MemoryStatsSchema, RoleSchema, TurnStatsSchema, type Role } from './protocol';
import { SESSION_FORMAT, SESSION_VERSION, sessionConversation, SessionSchema, type Session } from './session';

function minimal(): Session {
  const zero = {
    tokensSeen: 0, tokensRetained: 0, tokensPinned: 0, tokensEvicted: 0, evictions: 0, compressionRatio: 1,
    policyCalls: 0, fallbackCount: 0, contextBuilds: 0, turns: 0,
  };
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    metadata: { title: 't', app: 'fms', createdAt: '2024-05-01T10:00:00.000Z', savedAt: '2024-05-01T10:00:00.000Z' },
    config: { policy: 'sliding', maxTokens: 512, window: 0, tokenizer: 'qwen3', pinSystem: true },
    messages: [{ id: 0, role: 'system', turn: 0, content: 'hi', pinned: true, tokens: 1, startPos: 0 }],
    ledger: { nextPos: 1, turn: 0, nextMessageId: 1, evictionSeq: 0, runs: [], tokenIds: '', flags: '' },
    stats: zero,
    turns: [],
  };
}

describe('SessionSchema', () => {
  it('stores the protocol roles, and the protocol stats and turns without their measured values', () => {
    const measured = ['policyLatencyMs', 'policyLatencyMsTotal', 'anchorCacheHits', 'anchorCacheMisses', 'tokenizeMs', 'policyMs', 'buildMs', 'engineMs', 'modelMs'];
    expect(Object.keys(SessionSchema.shape.stats.shape)).toEqual(Object.keys(MemoryStatsSchema.shape).filter((k) => !measured.includes(k)));
    expect(Object.keys(SessionSchema.shape.turns.element.shape)).toEqual(Object.keys(TurnStatsSchema.shape).filter((k) => !measured.includes(k)));
    expect(SessionSchema.shape.stats.shape.tokensSeen).toBe(MemoryStatsSchema.shape.tokensSeen);
    expect(SessionSchema.shape.messages.element.shape.role).toBe(RoleSchema);
    expectTypeOf<Session['messages'][number]['role']>().toEqualTypeOf<Role>();
    expect(SESSION_FORMAT).toBe('finite-memory-studio.session');
    expect(SESSION_VERSION).toBe(2);
  });

  it("a session's conversation is its messages as written, without the engine's rolling summaries; pins the setting did not give are kept", () => {
    const s = minimal();
    s.messages.push(
      { id: 1, role: 'user', turn: 1, content: 'Keep this.', pinned: true, tokens: 3, startPos: 1 },
      { id: 2, role: 'system', turn: 1, content: 'Summary of the earlier conversation: hi', pinned: false, tokens: 8, startPos: 0, summary: true },
      { id: 3, role: 'assistant', turn: 1, content: 'Kept.', pinned: false, tokens: 2, startPos: 4 },
      { id: 4, role: 'system', turn: 1, content: 'Unpinned.', pinned: false, tokens: 2, startPos: 6 },
    );
    expect(sessionConversation(s)).toEqual([
      { role: 'system', content: 'hi' },
      { role: 'user', content: 'Keep this.', pinned: true },
      { role: 'assistant', content: 'Kept.' },
      { role: 'system', content: 'Unpinned.', pinned: false },
    ]);
    s.config.pinSystem = false;
    expect(sessionConversation(s).map((m) => m.pinned)).toEqual([true, true, undefined, undefined]);
  });

  it('accepts a minimal session', () => {
    expect(SessionSchema.safeParse(minimal()).success).toBe(true);
  });

  it('rejects unknown keys at every level', () => {
    const top = { ...minimal(), extra: 1 };
    const nested = minimal();
    Object.assign(nested.messages[0], { mood: 'happy' });
    expect(SessionSchema.safeParse(top).error?.issues[0].code).toBe('unrecognized_keys');
    expect(SessionSchema.safeParse(nested).error?.issues[0].path).toEqual(['messages', 0]);
  });

  it('rejects bad values', () => {
    const cases: [string, (s: Session) => void][] = [
      ['config.maxTokens', (s) => (s.config.maxTokens = 0)],
      ['config.window', (s) => (s.config.window = 1.5)],
      ['metadata.createdAt', (s) => (s.metadata.createdAt = 'yesterday')],
      ['messages.0.role', (s) => ((s.messages[0] as { role: string }).role = 'robot')],
      ['messages.0.tokens', (s) => (s.messages[0].tokens = -1)],
      ['stats.tokensSeen', (s) => (s.stats.tokensSeen = -1)],
      ['stats.compressionRatio', (s) => (s.stats.compressionRatio = Number.POSITIVE_INFINITY)],
      ['version', (s) => ((s as { version: number }).version = 1)],
      ['stats', (s) => Object.assign(s.stats, { policyLatencyMs: 0.5 })],
    ];
    for (const [path, mutate] of cases) {
      const session = minimal();
      mutate(session);
      const result = SessionSchema.safeParse(session);
      expect(result.success, path).toBe(false);
      expect(result.error?.issues[0].path.join('.')).toBe(path);
    }
  });
});
