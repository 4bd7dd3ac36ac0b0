import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/protocol.js';
import { createEngine, type Engine } from '../engine.js';
import { parseSession, serializeSession } from './sessionCodec.js';
import { engineFromSession, engineToSession } from './sessionState.js';
import { syntheticChat } from '../testing/syntheticChat.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import type { Tokenizer } from '../core/tokenizer.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const meta = { title: 'test', app: 'finite-memory-studio 0.1.0', createdAt: '2026-11-26T10:00:00.000Z', savedAt: '2026-11-26T11:00:00.000Z' };
const clock = () => {
  let t = 0;
  return () => (t += 0.5);
};
const chat = syntheticChat({ seed: 21, turns: 30 });

function replayed(): Engine {
  const engine = createEngine({ tokenizer: tok, maxTokens: 360, window: 40, clock: clock() });
  engine.ingest({ role: 'user', content: 'Pin this fact: the vault code is 4417.', pinned: true });
  for (const m of chat) engine.ingest(m);
  return engine;
}

describe('session state', () => {
  it('save -> load -> save is byte-identical', () => {
    const first = serializeSession(engineToSession(replayed(), meta));
    const parsed = parseSession(first);
    if (!parsed.ok) throw new Error(parsed.error);
    const restored = engineFromSession(parsed.session, { tokenizer: tok, clock: clock() });
    expect(serializeSession(engineToSession(restored, meta))).toBe(first);
  });

  it('a restored engine continues exactly like the original', () => {
    const original = replayed();
    const parsed = parseSession(serializeSession(engineToSession(original, meta)));
    if (!parsed.ok) throw new Error(parsed.error);
    const restored = engineFromSession(parsed.session, { tokenizer: tok, clock: clock() });
    const more = syntheticChat({ seed: 99, turns: 8 }).slice(1);
    const log = (e: Engine) => {
      const events: EngineEvent[] = [];
      e.subscribe((ev) => {
        if (ev.type !== 'profileSpan' && ev.type !== 'stats' && ev.type !== 'contextBuilt') events.push(ev);
      });
      for (const m of more) e.ingest(m);
      return { events, context: e.renderContext(e.buildContext()) };
    };
    const a = log(original);
    const b = log(restored);
    expect(b.events.length).toBeGreaterThan(10);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(b.context).toBe(a.context);
    expect(b.context).toContain('the vault code is 4417');
  });

  it('refuses a session tokenized with another tokenizer', () => {
    const session = engineToSession(replayed(), meta);
    session.config.tokenizer = 'someone/else';
    expect(() => engineFromSession(session, { tokenizer: tok })).toThrow(/tokenized with "someone\/else"/);
  });
});
