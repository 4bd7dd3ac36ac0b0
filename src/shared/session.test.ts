import { describe, expect, expectTypeOf, it } from 'vitest';
import { MemoryStatsSchema, RoleSchema, TurnStatsSchema, type Role } from './protocol';
import { SESSION_FORMAT, SESSION_VERSION, SessionSchema, type Session } from './session';

function minimal(): Session {
  const zero = {
    tokensSeen: 0, tokensRetained: 0, tokensPinned: 0, tokensEvicted: 0, evictions: 0, compressionRatio: 1,
    policyLatencyMs: 0, policyLatencyMsTotal: 0, policyCalls: 0, fallbackCount: 0, anchorCacheHits: 0,
    anchorCacheMisses: 0, contextBuilds: 0, turns: 0,
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
  it('stores the protocol stats and roles (the same schemas, not copies)', () => {
    expect(SessionSchema.shape.stats).toBe(MemoryStatsSchema);
    expect(SessionSchema.shape.turns.element).toBe(TurnStatsSchema);
    expect(SessionSchema.shape.messages.element.shape.role).toBe(RoleSchema);
    expectTypeOf<Session['messages'][number]['role']>().toEqualTypeOf<Role>();
    expect(SESSION_FORMAT).toBe('finite-memory-studio.session');
    expect(SESSION_VERSION).toBe(1);
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
      ['version', (s) => ((s as { version: number }).version = 2)],
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
