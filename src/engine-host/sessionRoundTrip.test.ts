/**
 * The session round trip through the host, for every policy: save -> open -> save and save -> crash ->
 * restore -> save give the same bytes, rolling summaries stay summaries, and the reopened session
 * continues exactly like the original (same events, context, stats and turns; timings aside).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessageData, EngineConfigData, EngineEvent, HostEvent } from '../shared/protocol.js';
import { POLICY_NAMES } from '../shared/config.js';
import type { Engine } from '../engine/engine.js';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { hostPair } from './testing/harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Pair = Awaited<ReturnType<typeof hostPair>>;

/** Sends a command and resolves with the next event of that type (commands run one at a time, in order). */
async function next<T extends HostEvent['type']>(h: Pair, type: T, send: () => void): Promise<Extract<HostEvent, { type: T }>> {
  const before = h.of(type).length;
  send();
  await h.waitFor(type, () => h.of(type).length > before);
  return h.of(type)[before];
}

const save = async (h: Pair): Promise<string> => (await next(h, 'sessionSaved', () => h.client.send({ type: 'saveSession' }))).text!;

/** Builds the original session the way a client does: a replay with the settings, then appends, turn by turn. */
async function original(messages: ChatMessageData[], config: Partial<EngineConfigData>, cuts: number[]): Promise<Pair> {
  const h = await hostPair();
  h.client.hello();
  const starts = [0, ...cuts.filter((c) => c > 0 && c < messages.length), messages.length];
  h.client.send({ type: 'replay', messages: messages.slice(0, starts[1]), config, title: 'round trip' });
  for (let i = 1; i + 1 < starts.length; i++) h.client.send({ type: 'appendMessages', messages: messages.slice(starts[i], starts[i + 1]) });
  return h;
}

/** The engine's events while `run` goes, without timings (measurements, not state). */
async function eventsOf(engine: Engine, run: () => Promise<unknown>): Promise<unknown[]> {
  const events: EngineEvent[] = [];
  const off = engine.subscribe((e) => events.push(e));
  await run();
  off();
  return events.filter((e) => e.type !== 'profileSpan').map(untimed);
}

const TIMINGS = new Set(['ms', 'policyLatencyMs', 'policyLatencyMsTotal', 'anchorCacheHits', 'anchorCacheMisses', 'tokenizeMs', 'policyMs', 'buildMs', 'engineMs', 'modelMs']);
/** A copy without measured values (durations, and the process-wide decode cache's counters). */
function untimed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untimed);
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !TIMINGS.has(k)).map(([k, v]) => [k, untimed(v)]));
}

/** What the engine holds: messages, context, window, stats and turns (timings aside). */
function stateOf(engine: Engine): unknown {
  const built = engine.buildContext();
  return untimed({ messages: engine.messages(), segments: built.segments, tokens: built.tokens, snapshot: engine.snapshot(), stats: engine.stats(), turns: engine.turns() });
}

/** Appends the same messages to each host and checks that they say and end up the same. */
async function continueAlike(hosts: Pair[], more: ChatMessageData[]): Promise<void> {
  const runs = [];
  for (const h of hosts) {
    const engine = h.host.engine;
    const events = await eventsOf(engine, () => next(h, 'sessionSaved', () => (h.client.send({ type: 'appendMessages', messages: more }), h.client.send({ type: 'saveSession' }))));
    runs.push({ events, state: stateOf(engine) });
  }
  const [first, ...rest] = runs;
  expect(first.events.some((e) => (e as EngineEvent).type === 'messageAppended')).toBe(true);
  for (const r of rest) {
    expect(r.events).toEqual(first.events);
    expect(r.state).toEqual(first.state);
  }
}

const differs = (h: Pair) => h.of('warning').filter((w) => w.code === 'session-differs');

function summariesIn(text: string): number {
  return (JSON.parse(text) as { messages: { summary?: boolean }[] }).messages.filter((m) => m.summary).length;
}

const settings = fc
  .record({
    policy: fc.constantFrom(...POLICY_NAMES),
    recall: fc.boolean(),
    maxTokens: fc.integer({ min: 160, max: 520 }),
    windowShare: fc.double({ min: 0.05, max: 0.45, noNaN: true }),
    summaryInterval: fc.integer({ min: 64, max: 200 }),
  })
  .map(({ windowShare, ...s }): Partial<EngineConfigData> => ({ ...s, window: Math.max(8, Math.floor(s.maxTokens * windowShare)), maxPolicyMs: 0 }));

/** Cut points at user messages (a client appends whole turns: a user message, then the reply). */
const cutsAtUsers = (messages: ChatMessageData[], picks: number[]): number[] => {
  const users = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  return [...new Set(picks.map((p) => users[p % users.length]))].sort((a, b) => a - b);
};

describe('session round trip through the host', () => {
  it('a rolling-summary session reopens with its summaries as summaries, the same messages and the same bytes', async () => {
    const messages = syntheticChat({ seed: 12, turns: 14 });
    const a = await original(messages, { policy: 'rolling_summary', maxTokens: 300, window: 48, summaryInterval: 96, maxPolicyMs: 0 }, []);
    const first = await save(a);
    expect(summariesIn(first)).toBeGreaterThan(0);
    const b = await hostPair();
    b.client.hello();
    b.client.send({ type: 'openSessionText', name: 'round trip.json', text: first });
    const second = await save(b);
    expect(b.host.engine.conversation()).toEqual(a.host.engine.conversation());
    expect(b.host.engine.messages().filter((m) => !m.summary)).toHaveLength(messages.length);
    expect(second).toBe(first);
    b.client.send({ type: 'openSessionText', name: 'again.json', text: second });
    expect(await save(b)).toBe(first);
    await continueAlike([a, b], syntheticChat({ seed: 99, turns: 3 }).slice(1));
    await Promise.all([a.close(), b.close()]);
  });

  it('says when a replay cannot make the saved session again (settings changed while it ran), and goes on from the replay', async () => {
    const messages = syntheticChat({ seed: 8, turns: 10 });
    const a = await original(messages.slice(0, 9), { policy: 'salience', maxTokens: 400, window: 48, maxPolicyMs: 0 }, []);
    a.client.send({ type: 'setConfig', config: { maxTokens: 240 } }); // applied to the window at once, no re-run
    a.client.send({ type: 'appendMessages', messages: messages.slice(9) });
    const first = await save(a);
    const b = await hostPair();
    b.client.hello();
    b.client.send({ type: 'openSessionText', name: 'changed.json', text: first });
    const second = await save(b);
    expect(second).not.toBe(first);
    const [warning] = differs(b);
    expect(warning.message).toMatch(/^round trip: its replay does not reproduce the saved session \(.*\); it goes on from the replay: \d+ tokens kept, 0 summaries, \d+ evictions \(saved: \d+ tokens kept, 0 summaries, \d+ evictions\)$/);
    // the replay is what the session is now: it opens to the same bytes, without a warning
    b.client.send({ type: 'openSessionText', name: 'again.json', text: second });
    expect(await save(b)).toBe(second);
    expect(differs(b)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('save -> open -> save and save -> crash -> restore -> save are identical for every policy, and the reopened session continues exactly like the original', async () => {
    let restored = 0;
    await fc.assert(
      fc.asyncProperty(
        settings,
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 3, max: 12 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        async (config, seed, turns, picks, moreTurns) => {
          const messages = syntheticChat({ seed, turns });
          const a = await original(messages, config, cutsAtUsers(messages, picks));
          const first = await save(a);
          const b = await hostPair();
          b.client.hello();
          b.client.send({ type: 'openSessionText', name: 'saved.json', text: first });
          const opened = await save(b);
          const autosavePath = path.join(dir, `run-${++restored}`, 'autosave.json');
          mkdirSync(path.dirname(autosavePath), { recursive: true });
          writeFileSync(autosavePath, first);
          const c = await hostPair({ autosavePath, restartReason: 'the engine was killed (SIGKILL)' });
          c.client.hello();
          const afterCrash = await save(c);
          try {
            expect(opened).toBe(first);
            expect(afterCrash).toBe(first);
            expect([...differs(b), ...differs(c)]).toEqual([]);
            expect(c.host.engine.conversation()).toEqual(messages); // pins as the saved pinSystem gives them, so none is spelled out
            await continueAlike([a, b, c], syntheticChat({ seed: seed + 1, turns: moreTurns }).slice(1));
          } finally {
            await Promise.all([a.close(), b.close(), c.close()]);
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 240_000);
});
