// KV-cache prefix reuse on the local backend: a 20-turn chat on the tiny generated Llama model, each
// turn generated twice (reusing the previous turn's cache, and recomputing the prompt from scratch).
// Turns 1-12 grow the chat; from turn 13 on it is cut from the front to the system prompt plus the
// last 8 messages (the sliding policy, simplified), so only the system prompt's prefix survives.
import { createLocalBackend } from '../src/engine/backends/local/index.js';
import type { LocalGenerateResult } from '../src/engine/backends/local/index.js';
import { messageText, rng } from '../src/engine/testing/syntheticChat.js';
import { tinyLlamaDir } from '../src/engine/testing/testModels.js';
import type { ChatMessage } from '../src/engine/core/tokenizer.js';
import { summarize, table } from './util.js';

const TURNS = 20;
const GROWING = 12;
const KEEP = 8;
const MAX_NEW = 32;

const model = tinyLlamaDir();
const reuse = await createLocalBackend({ model });
const fresh = await createLocalBackend({ model, kvReuse: false });
const next = rng(7);
const system: ChatMessage = { role: 'system', content: `You are a careful assistant. ${messageText(next, 8)}` };
let history: ChatMessage[] = [];

// Warm up both sessions (first runs allocate).
for (const b of [reuse, fresh]) await b.generate({ messages: [system, { role: 'user', content: 'hi' }], maxNewTokens: 4 });
reuse.resetCache();

type Sample = { phase: string; mode: string; r: LocalGenerateResult };
const samples: Sample[] = [];
for (let turn = 1; turn <= TURNS; turn++) {
  history.push({ role: 'user', content: messageText(next, 2 + Math.floor(next() * 5)) });
  if (turn > GROWING) history = history.slice(-KEEP + 1);
  const messages = [system, ...history];
  const phase = turn <= GROWING ? 'growing (turns 1-12)' : 'sliding (turns 13-20)';
  const a = await reuse.generate({ messages, maxNewTokens: MAX_NEW });
  const b = await fresh.generate({ messages, maxNewTokens: MAX_NEW });
  if (a.text !== b.text) console.warn(`turn ${turn}: reuse and recompute replies differ`);
  samples.push({ phase, mode: 'reuse', r: a }, { phase, mode: 'recompute', r: b });
  history.push({ role: 'assistant', content: a.text });
}

const rows: (string | number)[][] = [];
for (const phase of [...new Set(samples.map((s) => s.phase))]) {
  for (const mode of ['reuse', 'recompute']) {
    const rs = samples.filter((s) => s.phase === phase && s.mode === mode).map((s) => s.r);
    const total = summarize(rs.map((r) => r.timings.totalMs));
    const first = summarize(rs.map((r) => r.timings.firstTokenMs));
    const mean = (f: (r: LocalGenerateResult) => number) => Math.round(rs.reduce((n, r) => n + f(r), 0) / rs.length);
    rows.push([phase, mode, total.mean, total.p50, first.mean, mean((r) => r.promptTokens), mean((r) => r.cache?.reusedTokens ?? 0), mean((r) => r.cache?.recomputedTokens ?? 0), rs.filter((r) => r.cache?.hit).length]);
  }
}
console.log(
  table(
    `KV-cache prefix reuse (tiny Llama, ${TURNS} turns, ${MAX_NEW} new tokens per turn, greedy)`,
    ['phase', 'mode', 'mean ms/turn', 'p50 ms/turn', 'mean first-token ms', 'mean prompt tokens', 'mean reused', 'mean recomputed', 'hits'],
    rows,
  ),
);
await Promise.all([reuse.dispose(), fresh.dispose()]);
