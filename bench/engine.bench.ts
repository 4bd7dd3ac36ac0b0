// Per-turn engine time (policy + context build, tokenization excluded) and memory at several
// budgets on a ~200k-token synthetic chat. Run with `npm run bench`.
import { createEngine } from '../src/engine/engine.js';
import { POLICY_NAMES } from '../src/engine/policies/index.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { mb, summarize, table } from './util.js';

const tokenizer = await loadTokenizer();
const chat = syntheticChat({ seed: 42, turns: 1900, sentencesPerMessage: 6 });
const encoded = chat.map((m) => ({ ...m, ids: tokenizer.encode(m.content) }));
const totalTokens = encoded.reduce((n, m) => n + m.ids.length, 0);

const rows: (string | number)[][] = [];
for (const policy of POLICY_NAMES)
for (const maxTokens of [2048, 8192, 32768, 131072]) {
  // recall off: these rows are the policies alone (the eval reports what recall costs per turn);
  // live turns, so under the latency budget (an overrun finishes the turn with sliding)
  let engine: ReturnType<typeof createEngine> | undefined = createEngine({ tokenizer, maxTokens, window: 256, maxProfileSpans: 0, policy, recall: false, latencyBudget: true });
  const perTurn: number[] = [];
  const steady: number[] = [];
  let turnMs = 0;
  let full = false;
  for (const m of encoded) {
    if (m.role === 'user' && turnMs > 0) {
      perTurn.push(turnMs);
      if (full) steady.push(turnMs);
      turnMs = 0;
    }
    if (!engine) break;
    engine.appendTokens(m, m.ids);
    let t0 = performance.now();
    engine.applyPolicy();
    turnMs += performance.now() - t0;
    if (m.role === 'user') {
      t0 = performance.now();
      engine.buildContext();
      turnMs += performance.now() - t0;
    }
    full ||= engine.stats().tokensEvicted > 0;
  }
  if (!engine) throw new Error('unreachable');
  const ringBytes = engine.ledger.window.bytes + engine.ledger.pinned.bytes;
  // heap the engine keeps (message records, stats, caches): with it alive vs after dropping it
  globalThis.gc?.();
  const withEngine = process.memoryUsage().heapUsed;
  engine = undefined;
  globalThis.gc?.();
  const retained = withEngine - process.memoryUsage().heapUsed;
  const all = summarize(perTurn);
  const st = summarize(steady);
  rows.push([policy, maxTokens, perTurn.length, all.mean, st.mean, st.p95, mb(ringBytes), mb(retained)]);
}

console.log(`chat: ${chat.length} messages, ${totalTokens.toLocaleString('en-US')} tokens (Qwen3 tokenizer)\n`);
console.log(
  table(
    'Engine time per turn (policy + build, ms) and memory',
    ['policy', 'budget', 'turns', 'mean ms', 'mean ms (evicting)', 'p95 ms (evicting)', 'ledger typed arrays MB', 'other engine heap MB'],
    rows,
  ),
);
