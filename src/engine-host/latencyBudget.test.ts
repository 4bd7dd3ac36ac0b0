import { describe, expect, it } from 'vitest';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { echoBackend } from './testing/echoBackend.js';
import { hostPair } from './testing/harness.js';

const chat = syntheticChat({ seed: 6, turns: 24 });
const config = { policy: 'hybrid', maxTokens: 400, window: 32, maxPolicyMs: 25 };

/** A stalled machine: every clock reading is 30 ms after the last, so every policy call that checks its deadline overruns. */
function stalled(): () => number {
  let t = 0;
  return () => (t += 30);
}

/** A backend that answers every turn with the same short reply. */
const echo = echoBackend('echo', { finishReason: 'stop', promptTokens: 1, completionTokens: 1 });

describe('engine host: the latency budget guards live turns, not replays', () => {
  it('replays, opens and re-runs without fallbacks; live appends and chat turns fall back; a re-run that opts in lists its fallbacks', async () => {
    const h = await hostPair({ clock: stalled(), createBackend: async () => echo });
    const fallbacks = () => h.of('warning').filter((w) => w.code === 'policy-fallback');
    let changes = 0;
    /** Resolves when the replay sent after `changes` configChanged events is over. */
    const replayed = async (): Promise<void> => void (await h.waitFor('configChanged', () => h.of('configChanged').length > changes));
    h.client.hello();
    h.client.send({ type: 'replay', messages: chat, config });
    await replayed();
    expect(h.host.engine.stats().evictions).toBeGreaterThan(0);
    expect([fallbacks(), h.host.engine.stats().fallbackCount]).toEqual([[], 0]);
    // opening the saved session replays it the same way
    h.client.send({ type: 'saveSession' });
    const saved = await h.waitFor('sessionSaved');
    changes = h.of('configChanged').length;
    h.client.send({ type: 'openSessionText', name: 'saved.json', text: saved.text! });
    await replayed();
    expect([fallbacks(), h.host.engine.stats().fallbackCount, h.host.engine.config().policy]).toEqual([[], 0, 'hybrid']);

    // the session is live now: a message typed in and a chat turn run under the budget
    h.client.send({ type: 'appendMessages', messages: [{ role: 'user', content: 'Kenji moved the March 3 report to Friday, with the totals from the audit.' }] });
    await h.waitFor('warning', (w) => w.code === 'policy-fallback');
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:1', model: 'echo' } });
    await h.waitFor('backendChanged');
    h.client.send({ type: 'chat', id: 'c1', content: 'Which report did Kenji move, and to when?' });
    await h.waitFor('chatDone', (e) => e.id === 'c1');
    const chatTurn = h.host.engine.turn;
    expect(fallbacks().some((w) => w.turn === chatTurn)).toBe(true);

    // a re-run is a replay: deterministic, no fallbacks
    const live = fallbacks().length;
    changes = h.of('configChanged').length;
    h.client.send({ type: 'setConfig', config: { maxTokens: 380 }, rerun: true });
    await replayed();
    expect([fallbacks().length, h.host.engine.stats().fallbackCount]).toEqual([live, 0]);

    // opted in, the re-run runs as live turns do: a policy-fallback warning for each fallback, with its turn
    changes = h.of('configChanged').length;
    h.client.send({ type: 'setConfig', config: { maxTokens: 360 }, rerun: true, latencyBudget: true });
    await replayed();
    const rerun = fallbacks().slice(live);
    expect(rerun.length).toBeGreaterThan(0);
    expect(rerun.length).toBe(h.host.engine.stats().fallbackCount);
    expect(rerun.every((w) => w.turn >= 1 && w.turn <= h.host.engine.turn && /hybrid overran its 25 ms latency budget/.test(w.message))).toBe(true);
    expect(h.host.engine.latencyBudget).toBe(true);
    await h.close();
  });
});
