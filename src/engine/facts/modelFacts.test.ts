import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent, WarningEvent } from '../../shared/protocol.js';
import { createLocalBackend, type LocalBackend } from '../backends/local/localBackend.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { createEngine } from '../engine.js';
import { parseSession, serializeSession } from '../formats/sessionCodec.js';
import { engineFromSession, engineToSession } from '../formats/sessionState.js';
import { syntheticChat } from '../testing/syntheticChat.js';
import { policyModelOf } from '../policies/policyModel.js';
import type { PolicyModel } from '../policies/types.js';
import { tinyLlamaDir } from '../testing/testModels.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { extractFacts } from './extract.js';
import { answerTokens, askModelForFacts, factsPrompt, firstJsonArray, MAX_MODEL_FACTS, readModelFacts } from './modelFacts.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

type Msg = { role: 'system' | 'user' | 'assistant'; content: string };
type Answer = { sentence: number; holder: string; attribute: string; value: string; update?: boolean };

const CODENAME = 'The codename is Paper Comet.';
const LOCKER = 'These days the locker opens with 7731.';

/** The numbered sentences of a prompt, as the model sees them. */
const numbered = (prompt: string): string[] => [...prompt.matchAll(/^(\d+)\. (.*)$/gm)].map((m) => m[2]);

/**
 * A deterministic fake model: for each numbered sentence of the prompt it knows, the canned facts (at that
 * sentence's number); the prompts it was asked are recorded.
 */
function cannedModel(canned: Record<string, Omit<Answer, 'sentence'>[]>, prompts: string[] = [], wrap = (json: string) => json): PolicyModel {
  return {
    name: 'canned',
    async complete(prompt) {
      prompts.push(prompt);
      const out: Answer[] = [];
      numbered(prompt).forEach((s, i) => {
        for (const f of canned[s] ?? []) out.push({ sentence: i + 1, ...f });
      });
      return wrap(JSON.stringify(out));
    },
  };
}

async function run(messages: Msg[], model: PolicyModel | undefined) {
  const engine = createEngine({ tokenizer: tok, policy: 'sliding', maxTokens: 2048, window: 512, recall: false, modelFacts: true });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  for (const m of messages) await engine.ingestAsync(m, model);
  engine.finishTurn();
  const warnings = events.filter((e): e is WarningEvent => e.type === 'warning');
  return { engine, events, warnings, rows: engine.facts().rows };
}

const chat: Msg[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: `Hello there. My locker code is 5521. ${CODENAME} Thanks.` },
  { role: 'assistant', content: 'Noted, I will remember both.' },
];

describe('reading a model answer', () => {
  it('takes the first JSON array that starts a line or follows a colon, in a code fence or after prose, skipping brackets that are not JSON', () => {
    expect(firstJsonArray('```json\n[{"a": 1}]\n```')).toEqual([{ a: 1 }]);
    expect(firstJsonArray('Sure!\n[see below]\nHere: [1, "x]", [2]] and [3]')).toEqual([1, 'x]', [2]]);
    expect(firstJsonArray('{"facts": []}')).toEqual([]);
    expect(firstJsonArray('  [ ]')).toEqual([]);
    // an array inside a word or a sentence is not an answer (the tiny model's gibberish holds "To[]lick")
    expect(firstJsonArray('MeNumber function_RETo[]lickInter')).toBeUndefined();
    expect(firstJsonArray('facts are [1] and [2]')).toBeUndefined();
    expect(firstJsonArray('no array here')).toBeUndefined();
    expect(firstJsonArray('[1, 2')).toBeUndefined();
  });

  it('normalises keys like the rules, labels by holder, and drops facts it cannot ground', () => {
    const sentences = ['My new Wi-Fi password is "Otter 12".', 'Priya Raman\'s badge number is 4471.', 'I am Nova.'];
    const answer = readModelFacts(
      JSON.stringify([
        { sentence: 1, holder: 'User', attribute: 'new Wi-Fi Password', value: '"Otter 12".' },
        { sentence: 2, holder: 'Priya Raman', attribute: "badge number", value: '4471', update: false },
        { sentence: 3, holder: 'the assistant', attribute: 'name', value: 'Nova' },
        { sentence: 2, holder: 'Priya Raman', attribute: 'badge number', value: '9999' },
        { sentence: 2, holder: 'Tomas', attribute: 'badge number', value: '4471' },
      ]),
      sentences,
    );
    if (!answer.ok) throw new Error(answer.reason);
    expect(answer.facts.map((f) => [f.index, f.fact.holder, f.fact.attribute, f.fact.label, f.fact.value, f.fact.update])).toEqual([
      [0, 'user', 'wifi password', 'my wifi password', '"Otter 12"', true],
      [1, 'Priya Raman', 'badge number', "Priya Raman's badge number", '4471', false],
      [2, 'assistant', 'name', "the assistant's name", 'Nova', false],
    ]);
    // the key is the rules' key for the same sentence
    expect(extractFacts(sentences[0], 'user')[0].attribute).toBe('wifi password');
    expect(answer.dropped).toEqual(['sentence 2: the value "9999" is not in the sentence', 'sentence 2: the holder "Tomas" is not in the message']);
  });

  it('refuses answers outside the schema: index out of range, too many facts, long strings, wrong types', () => {
    const one = (f: object) => readModelFacts(JSON.stringify([{ sentence: 1, holder: 'user', attribute: 'code', value: '1', ...f }]), ['My code is 1.']);
    expect(one({})).toMatchObject({ ok: true });
    expect(one({ sentence: 2 })).toMatchObject({ ok: false, reason: expect.stringMatching(/did not fit the schema \(0\.sentence: /) });
    expect(one({ sentence: 0 })).toMatchObject({ ok: false });
    expect(one({ value: 'x'.repeat(201) })).toMatchObject({ ok: false, reason: expect.stringMatching(/0\.value/) });
    expect(one({ holder: '' })).toMatchObject({ ok: false });
    expect(one({ update: 'yes' })).toMatchObject({ ok: false });
    const many = Array.from({ length: MAX_MODEL_FACTS + 1 }, () => ({ sentence: 1, holder: 'user', attribute: 'code', value: '1' }));
    expect(readModelFacts(JSON.stringify(many), ['My code is 1.'])).toMatchObject({ ok: false });
    expect(readModelFacts('{"sentence": 1}', ['My code is 1.'])).toEqual({ ok: false, reason: "the model's answer was not a JSON array" });
  });

  it('a model that throws is a refused answer with its error', async () => {
    const answer = await askModelForFacts(() => Promise.reject(new Error('connection reset')), ['My code is 1.'], 'user');
    expect(answer).toEqual({ ok: false, reason: 'the model failed (connection reset)' });
  });

  it('the prompt numbers the sentences, says who wrote them, and stays small', () => {
    const prompt = factsPrompt(['Hello there.', 'My locker code\nis 5521.'], 'user');
    expect(numbered(prompt)).toEqual(['Hello there.', 'My locker code is 5521.']);
    expect(prompt).toContain('Sentences by the user:');
    expect(tok.encode(factsPrompt([], 'user')).length).toBe(139); // the fixed part, Qwen3 tokens
    expect(answerTokens(2)).toBe(128);
  });
});

describe('facts found by the model in the engine', () => {
  it('asks the model only with the modelFacts setting on (off by default: one more completion per message)', async () => {
    let calls = 0;
    const counting: PolicyModel = { name: 'counting', complete: async () => (calls++, '[]') };
    const off = createEngine({ tokenizer: tok, policy: 'sliding', maxTokens: 2048, window: 512, recall: false });
    for (const m of chat) await off.ingestAsync(m, counting);
    expect(calls).toBe(0);
    expect(off.facts().rows.every((r) => r.source === 'rules')).toBe(true);
    await run(chat, counting);
    expect(calls).toBe(chat.filter((m) => m.role === 'user' || m.role === 'assistant').length);
  });

  it('finds a fact the rules miss: a row with source "model", next to the rules\' row', async () => {
    expect(extractFacts(CODENAME, 'user')).toEqual([]);
    const prompts: string[] = [];
    const model = cannedModel({ [CODENAME]: [{ holder: 'user', attribute: 'codename', value: 'Paper Comet' }], 'My locker code is 5521.': [{ holder: 'user', attribute: 'locker code', value: '5521' }] }, prompts);
    const { rows, warnings, engine } = await run(chat, model);
    expect(warnings).toEqual([]);
    expect(rows.map((r) => [r.attribute, r.value, r.source, r.label])).toEqual([
      ['codename', 'Paper Comet', 'model', 'my codename'],
      ['locker code', '5521', 'rules', 'my locker code'], // the rules found it too: not added twice
    ]);
    expect(engine.facts().total).toBe(2);
    const codename = rows[0];
    expect(engine.messages()[codename.messageId].content.slice(0, 200)).toContain(CODENAME);
    expect(codename.text).toBe(CODENAME);
    expect(prompts).toHaveLength(2); // the user's and the assistant's messages, not the system's
    expect(engine.turns().at(-1)?.modelMs).toBeGreaterThanOrEqual(0);
    // without the model, the same chat has only the rules' fact
    const plain = await run(chat, undefined);
    expect(plain.rows.map((r) => [r.attribute, r.source])).toEqual([['locker code', 'rules']]);
  });

  it('a restatement by the model supersedes a rule fact, which is evicted with its reason', async () => {
    expect(extractFacts(LOCKER, 'user')).toEqual([]);
    const model = cannedModel({ [LOCKER]: [{ holder: 'user', attribute: 'locker code', value: '7731', update: true }] });
    const { rows, events, engine } = await run([...chat, { role: 'user', content: `Quick note. ${LOCKER}` }], model);
    const locker = rows.find((r) => r.attribute === 'locker code')!;
    expect(locker).toMatchObject({ value: '7731', source: 'model', history: [{ value: '5521' }] });
    const gone = events.filter((e): e is EvictionEvent => e.type === 'eviction' && e.reason.kind === 'superseded');
    expect(gone.map((e) => e.reason.detail)).toEqual([`superseded by #${locker.messageId}: my locker code 5521 → 7731`]);
    expect(engine.facts().superseded).toBe(1);
  });

  it.each([
    ['garbage', cannedModel({}, [], () => 'I think the codename matters a lot.'), /^facts: the model's answer was not a JSON array; the rules' facts are kept$/],
    ['a throwing model', { name: 'broken', complete: () => Promise.reject(new Error('out of memory')) } as PolicyModel, /^facts: the model failed \(out of memory\); the rules' facts are kept$/],
    ['a schema-refused answer', cannedModel({}, [], () => '[{"sentence": 9, "holder": "user", "attribute": "codename", "value": "Paper Comet"}]'), /^facts: the model's answer did not fit the schema \(0\.sentence: .*\); the rules' facts are kept$/],
  ])('%s: one warning per message asked, and the rules\' facts kept', async (_, model, message) => {
    const { rows, warnings } = await run(chat.slice(0, 2), model);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'model-step-failed', message: expect.stringMatching(message) });
    expect(rows.map((r) => [r.attribute, r.value, r.source])).toEqual([['locker code', '5521', 'rules']]);
  });

  it('keeps the ledger in position order: a model fact before a rule fact of the same message is found by position', async () => {
    const model = cannedModel({ [CODENAME]: [{ holder: 'user', attribute: 'codename', value: 'Paper Comet' }] });
    const { engine } = await run([{ role: 'user', content: `${CODENAME} My locker code is 5521.` }], model);
    const starts = engine.factsState()!.statements.map((s) => [s.attribute, s.source, s.startPos]);
    expect(starts.map(([a, s]) => [a, s])).toEqual([
      ['codename', 'model'],
      ['locker code', 'rules'],
    ]);
    expect(Number(starts[0][2])).toBeLessThan(Number(starts[1][2]));
  });
});

describe('what the model step leaves as it was', () => {
  /** A synthetic chat with facts stated, restated by the rules and by the model. */
  const long = (): Msg[] => {
    const base = syntheticChat({ seed: 3, turns: 16, sentencesPerMessage: 3 }) as Msg[];
    base.splice(2, 0, { role: 'user', content: `My locker code is 5521. ${CODENAME} Priya Raman's badge number is 4471.` }, { role: 'assistant', content: 'Noted.' });
    base.splice(12, 0, { role: 'user', content: 'Update: my locker code is now 6612.' }, { role: 'assistant', content: 'Got it.' });
    base.splice(20, 0, { role: 'user', content: `Quick note. ${LOCKER}` }, { role: 'assistant', content: 'Okay.' });
    return base;
  };
  const canned = () => cannedModel({ [CODENAME]: [{ holder: 'user', attribute: 'codename', value: 'Paper Comet' }], [LOCKER]: [{ holder: 'user', attribute: 'locker code', value: '7731', update: true }] });

  it('a model that finds nothing leaves the ledger, the evictions and the context exactly as the rules alone do', async () => {
    const sync = createEngine({ tokenizer: tok, policy: 'salience', maxTokens: 256, window: 64, recall: true });
    const syncEvents: EngineEvent[] = [];
    sync.subscribe((e) => syncEvents.push(e));
    for (const m of long()) sync.ingest(m);
    const empty: PolicyModel = { name: 'empty', complete: async () => '[]' };
    const asyncEngine = createEngine({ tokenizer: tok, policy: 'salience', maxTokens: 256, window: 64, recall: true, modelFacts: true });
    const asyncEvents: EngineEvent[] = [];
    asyncEngine.subscribe((e) => asyncEvents.push(e));
    for (const m of long()) await asyncEngine.ingestAsync(m, empty);
    expect(asyncEngine.factsState()).toEqual(sync.factsState());
    expect(sync.factsState()!.statements.length).toBeGreaterThan(2);
    const evicted = (events: EngineEvent[]) => events.filter((e): e is EvictionEvent => e.type === 'eviction').map((e) => [e.reason.kind, e.reason.detail]);
    expect(evicted(asyncEvents)).toEqual(evicted(syncEvents));
    expect(asyncEngine.renderContext(asyncEngine.buildContext())).toBe(sync.renderContext(sync.buildContext()));
  });

  it('a session saves and restores the model\'s facts exactly, labelled', async () => {
    const { engine } = await run(long(), canned());
    const state = engine.factsState()!;
    expect(state.statements.filter((s) => s.source === 'model').map((s) => [s.attribute, s.value])).toEqual([
      ['codename', 'Paper Comet'],
      ['locker code', '7731'],
    ]);
    const meta = { title: 't', app: 'a', createdAt: '2026-12-01T00:00:00.000Z', savedAt: '2026-12-01T00:00:00.000Z' };
    const text = serializeSession(engineToSession(engine, meta));
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const restored = engineFromSession(parsed.session, { tokenizer: tok });
    expect(restored.factsState()).toEqual(state);
    expect(serializeSession(engineToSession(restored, meta))).toBe(text);
  });
});

describe('facts with the tiny generated local model', () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await createLocalBackend({ model: tinyLlamaDir() });
  });
  afterAll(() => backend?.dispose());

  it('runs the plumbing end to end: gibberish is a warning, the rules\' facts are kept, the time is model time', async () => {
    const model = policyModelOf(backend)!;
    const engine = createEngine({ tokenizer: backend.tokenizer, policy: 'sliding', maxTokens: 512, window: 128, recall: false, modelFacts: true });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    await engine.ingestAsync({ role: 'user', content: `My locker code is 5521. ${CODENAME}` }, model);
    engine.finishTurn();
    const warnings = events.filter((e): e is WarningEvent => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^facts: the model's answer (was not a JSON array|did not fit the schema .*); the rules' facts are kept$/);
    expect(engine.facts().rows.map((r) => [r.attribute, r.value, r.source])).toEqual([['locker code', '5521', 'rules']]);
    expect(engine.turns()[0].modelMs).toBeGreaterThan(0);
    expect(engine.profiler.spans().some((s) => s.name === 'model:facts')).toBe(true);
  });
});
