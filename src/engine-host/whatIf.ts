import type { ChatMessageData, WhatIfSide } from '../shared/protocol.js';
import { configData, createEngine, type EngineConfig } from '../engine/engine.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';

/** Replays messages under one parameter set in a scratch engine and reports its final context. */
export async function whatIfSide(messages: readonly ChatMessageData[], tokenizer: Tokenizer, config: EngineConfig, yieldEvery = 200): Promise<WhatIfSide> {
  const engine = createEngine({ tokenizer, ...config, maxProfileSpans: 0 });
  for (let i = 0; i < messages.length; i++) {
    engine.ingest(messages[i]);
    if (i % yieldEvery === yieldEvery - 1) await new Promise((r) => setImmediate(r));
  }
  engine.finishTurn();
  const built = engine.buildContext();
  const stats = engine.stats();
  return {
    config: configData(config),
    contextTokens: built.tokens,
    evictions: stats.evictions,
    evictedTokens: stats.tokensEvicted,
    engineMs: engine.turns().reduce((n, t) => n + t.engineMs, 0),
    segments: built.segments,
  };
}
