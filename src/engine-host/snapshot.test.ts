import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { POLICY_NAMES } from '../shared/config.js';
import type { EventBatch, HostEvent } from '../shared/protocol.js';
import type { Ring } from '../shared/view/ring.js';
import { toSnapshot } from '../shared/view/snapshot.js';
import { seqsOf, summaryInContext, tokenCounts, tokenRuns } from '../shared/view/tokenStates.js';
import { ViewModel } from '../shared/view/viewModel.js';
import { hostPair } from './testing/harness.js';

const series = <T>(ring: Ring<T>) => ({ items: ring.toArray(), total: ring.total, capacity: ring.capacity });

/**
 * Everything a view can read from a view model, as plain data: the rings with their totals and
 * capacities, the log with the time of each row, the maps as they are (versions left out: they
 * only ever grow, per client).
 */
function digest(m: ViewModel) {
  const times: number[] = [];
  for (let i = 0; i < m.evictions.log.size; i++) times.push(m.evictions.log.timeOfNewest(i)!);
  const { log, version: _v, ...evictions } = m.evictions;
  const { version: _c, reports, embeddings, ...cache } = m.cache;
  const { seriesVersion: _s, history, turns, anchorHistory, ...window } = m.window;
  return {
    messages: [...m.chat.messages.items],
    conversation: m.chat.messages.conversationLength,
    streaming: m.chat.streaming,
    interrupted: m.chat.interrupted,
    window: { ...window, history: series(history), turns: series(turns), anchorHistory: series(anchorHistory) },
    evictions: { ...evictions, log: { rows: log.toArray(), total: log.total, dropped: log.dropped }, times },
    cache: { ...cache, reports: series(reports), embeddings: series(embeddings) },
    spans: m.spans,
    profiler: series(m.profiler),
    autosaved: m.autosaved,
    facts: m.facts,
    tune: m.tune,
    whatIf: m.whatIf,
  };
}

/** The batch a hello is answered with, as the host builds it (connectionCommands.ts), after a structured clone. */
function helloBatch(model: ViewModel, template: Extract<HostEvent, { type: 'helloAck' }>, seq: number): EventBatch {
  const { snapshot, spans } = toSnapshot(model);
  const session = { ...template.session, config: model.window.config ?? template.session.config }; // the host's current settings
  return structuredClone({ type: 'batch', seq, events: [{ ...template, session, snapshot }], spans, merged: 0, sentAt: 0 });
}

const fold = (batches: readonly EventBatch[], model = new ViewModel()) => {
  for (const b of batches) model.apply(b);
  return model;
};

describe('snapshot + sequenced batches', () => {
  it('a client that starts from a snapshot at any batch, or from the host’s own at the end, holds exactly what a client that saw every batch holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          policy: fc.constantFrom(...POLICY_NAMES),
          recall: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          turns: fc.integer({ min: 10, max: 24 }),
          maxTokens: fc.integer({ min: 96, max: 400 }),
          chunks: fc.integer({ min: 1, max: 4 }),
          cut: fc.double({ min: 0, max: 1, noNaN: true }),
          replay: fc.boolean(),
        }),
        async (p) => {
          const c = await hostPair({ replayChunk: 8, maxBatchEvents: 40 });
          try {
            c.client.hello();
            const first = await c.waitFor('helloAck');
            c.client.send({ type: 'setConfig', config: { policy: p.policy, recall: p.recall, maxTokens: p.maxTokens, window: 32, maxPolicyMs: 0 } });
            const chat = syntheticChat({ seed: p.seed, turns: p.turns, sentencesPerMessage: 3 });
            // facts the ledger finds, one of them restated (its first statement superseded)
            chat.splice(2, 0, { role: 'user', content: 'My locker code is 5521. Priya Raman’s badge number is 4471.' }, { role: 'assistant', content: 'Noted.' });
            chat.splice(Math.floor(chat.length / 2), 0, { role: 'user', content: 'Update: my locker code is now 7731.' });
            const per = Math.ceil(chat.length / p.chunks);
            // appended as a live chat does, or replayed as an opened file is (a session load, then chunks with progress)
            if (p.replay) {
              const configs = c.of('configChanged').length;
              c.client.send({ type: 'replay', messages: chat.slice(0, per) });
              await c.waitFor('configChanged', () => c.of('configChanged').length > configs + 1); // setConfig's, then the replay's closing one
            }
            for (let i = p.replay ? per : 0; i < chat.length; i += per) c.client.send({ type: 'appendMessages', messages: chat.slice(i, i + per) });
            // a Tune grid over the chat: its start, runs and end are views too (a late client sees them)
            c.client.send({ type: 'tune', id: 'grid', axes: { maxTokens: [p.maxTokens, 2 * p.maxTokens] } });
            await c.waitFor('tuneDone'); // a grid hands the queue on between its replays: wait for its end
            c.client.send({ type: 'whatIf', a: { maxTokens: p.maxTokens }, b: { maxTokens: 2 * p.maxTokens } });
            // every event before the metrics answer has been delivered once it arrives (one queue, one order)
            c.client.send({ type: 'getMetrics' });
            await c.waitFor('metrics');
            expect(c.errors).toEqual([]);
            const all = fold(c.batches);
            expect(all.evictions.counts.evictions).toBeGreaterThan(0);
            // one vocabulary: the views' counts are the engine's stats
            const stats = all.window.stats!;
            const items = all.chat.messages.items;
            const map = tokenCounts(tokenRuns(items, all.evictions.byMessage, seqsOf(all.evictions.summarized)), (id) => all.chat.messages.byId(id)?.startPos, all.window.context, summaryInContext(all.evictions.summaries, all.evictions.byMessage));
            expect(all.evictions.counts.evictions).toBe(stats.evictions);
            expect(map.window + map.pinned + map.recalled + map.summary).toBe(stats.tokensRetained);
            expect(map.evicted + map.summarized).toBe(stats.tokensEvicted);
            expect(all.facts.ledger?.rows.find((r) => r.holder === 'user')?.history.map((h) => h.value)).toEqual(['5521']);
            expect(all.tune.grid).toMatchObject({ id: 'grid', total: 2, done: 2, finished: true, cancelled: false });
            expect(all.whatIf.result?.b.config.maxTokens).toBe(2 * p.maxTokens);
            expect(all.tune.grid?.runs.map((r) => r.settings.maxTokens).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([p.maxTokens, 2 * p.maxTokens]);

            // a client that connected after batch k: the snapshot of the first k, then the rest
            const k = 1 + Math.floor(p.cut * (c.batches.length - 1));
            const late = fold(c.batches.slice(k), fold([helloBatch(fold(c.batches.slice(0, k)), first, k - 1)]));
            expect(digest(late)).toEqual(digest(all));

            // the host's own view: a second hello's answer
            const before = c.batches.length;
            c.client.hello();
            await c.waitFor('helloAck', (e) => e !== first);
            const answer = c.batches.slice(before).find((b) => b.events.some((e) => e.type === 'helloAck'))!;
            expect(digest(fold([answer]))).toEqual(digest(all));
          } finally {
            await c.close();
          }
        },
      ),
      { numRuns: 16 },
    );
  }, 240_000);
});
