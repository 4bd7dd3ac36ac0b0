import type { MemoryStats, TurnStats } from '../shared/protocol.js';

export function emptyStats(): MemoryStats {
  return {
    tokensSeen: 0,
    tokensRetained: 0,
    tokensPinned: 0,
    tokensEvicted: 0,
    evictions: 0,
    compressionRatio: 1,
    policyLatencyMs: 0,
    policyLatencyMsTotal: 0,
    policyCalls: 0,
    fallbackCount: 0,
    anchorCacheHits: 0,
    anchorCacheMisses: 0,
    contextBuilds: 0,
    turns: 0,
  };
}

export function emptyTurn(turn: number): TurnStats {
  return {
    turn,
    tokensIn: 0,
    tokenizeMs: 0,
    policyMs: 0,
    buildMs: 0,
    engineMs: 0,
    evictedTokens: 0,
    evictionEvents: 0,
    contextTokens: 0,
    used: 0,
  };
}
