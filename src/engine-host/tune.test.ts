import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../shared/config.js';
import { replayMessages } from '../engine/replay.js';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { hostPair } from './testing/harness.js';

const chat = [
  { role: 'system' as const, content: 'Be terse.' },
  { role: 'user' as const, content: 'My locker code is 5521. Please keep it in mind.' },
  { role: 'assistant' as const, content: 'Noted.' },
  ...syntheticChat({ seed: 9, turns: 30 }).slice(1),
  { role: 'user' as const, content: 'What is my locker code?' },
];

describe('tune: the Tune view grid in the host', () => {
  it('replays the session under every combination and reports each run as fms replay --json would', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat });
    h.client.send({ type: 'tune', id: 't1', axes: { policy: ['sliding', 'salience'], maxTokens: [300, 600], recall: [true, false] } });
    const done = await h.waitFor('tuneDone', (e) => e.id === 't1');
    expect(done).toMatchObject({ done: 8, total: 8, cancelled: false });
    const runs = h.of('tuneProgress').map((e) => e.run);
    expect(runs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(runs[0].settings).toEqual({ policy: 'sliding', maxTokens: 300, recall: true });
    expect(runs[7].settings).toEqual({ policy: 'salience', maxTokens: 600, recall: false });
    const tokenizer = await testTokenizer();
    for (const run of runs) {
      const replayed = replayMessages(chat, tokenizer, { ...DEFAULT_CONFIG, ...run.settings });
      expect([run.contextTokens, run.evictions], JSON.stringify(run.settings)).toEqual([replayed.contextTokens, replayed.evictionCount]);
      expect(run.factsTotal).toBeGreaterThanOrEqual(1); // the locker code
      expect(run.factsKept).toBeLessThanOrEqual(run.factsTotal);
    }
    // the session itself is untouched
    expect(h.host.engine.conversation()).toHaveLength(chat.length);
    await h.close();
  });

  it('refuses a grid with a combination the settings do not allow, naming it, and stops when cancelled', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat });
    h.client.send({ type: 'tune', id: 'bad', axes: { maxTokens: [300, 600], window: [64, 400] } });
    const error = await h.waitFor('error', (e) => e.command === 'tune');
    expect(error).toMatchObject({ code: 'bad-config', message: expect.stringMatching(/the combination \{"maxTokens":300,"window":400\}: .*window \(400\) must be smaller/) });
    expect(h.of('tuneProgress')).toHaveLength(0);
    h.client.send({ type: 'tune', id: 't2', axes: { policy: ['sliding', 'salience', 'semantic', 'hybrid'], maxTokens: [300, 600, 900, 1200] } });
    await h.waitFor('tuneProgress', (e) => e.id === 't2');
    h.client.send({ type: 'cancel', id: 't2' });
    const done = await h.waitFor('tuneDone', (e) => e.id === 't2');
    expect(done.cancelled).toBe(true);
    expect(done.done).toBeLessThan(16);
    expect(h.of('tuneProgress').filter((e) => e.id === 't2')).toHaveLength(done.done);
    await h.close();
  });
});
