import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, type Backend, type GenerateRequest } from '../engine/backend.js';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { PROTOCOL_VERSION, type BackendConfig } from '../shared/protocol.js';
import { hostPair } from './testing/harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chat = syntheticChat({ seed: 4, turns: 40 });

/** A scripted backend: streams the given reply word by word, or fails / waits for cancel. */
function scriptedBackend(reply: string, mode: 'ok' | 'fail' | 'hang' = 'ok'): Backend {
  return {
    kind: 'openai',
    model: 'scripted',
    tokenizer: undefined as never,
    capabilities: { logits: false, embeddings: false, kvReuse: false },
    async generate(req: GenerateRequest) {
      if (mode === 'fail') throw new BackendError('connection', 'cannot reach http://127.0.0.1:9/v1 (connection refused)');
      let text = '';
      for (const piece of reply.split(/(?= )/)) {
        if (req.signal?.aborted) return { text, finishReason: 'cancelled', promptTokens: 1, completionTokens: 1, usageSource: 'server', timings: { firstTokenMs: 0, totalMs: 0 } };
        text += piece;
        req.onToken?.(piece);
        await new Promise((r) => setTimeout(r, mode === 'hang' ? 50 : 0));
      }
      return { text, finishReason: 'stop', promptTokens: 10, completionTokens: 5, usageSource: 'server', cache: { hit: true, reusedTokens: 7, recomputedTokens: 3 }, timings: { firstTokenMs: 1, totalMs: 2 } };
    },
    async dispose() {},
  };
}

describe('engine host over a MessageChannel', () => {
  it('answers hello, then validates commands and survives malformed ones', async () => {
    const h = await hostPair();
    h.client.hello();
    const ack = await h.waitFor('helloAck');
    expect(ack.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(ack.session.config.policy).toBe('sliding');
    h.client.send({ type: 'launch' } as never);
    h.client.send({ type: 'setConfig', config: { maxTokens: -1 } });
    h.client.send({ type: 'hello', protocolVersion: 99, client: 'old' });
    const bad = await h.waitFor('error', (e) => e.code === 'bad-command');
    expect(bad.message).toMatch(/malformed command "launch"/);
    await h.waitFor('error', (e) => e.command === 'setConfig');
    await h.waitFor('error', (e) => e.code === 'protocol-mismatch');
    h.client.send({ type: 'appendMessages', messages: [{ role: 'user', content: 'Still alive?' }] });
    await h.waitFor('messageAppended', (e) => e.content === 'Still alive?');
    await h.close();
  });

  it('replays a conversation with eviction reasons, merged snapshots and span columns, losing nothing under slow acks', async () => {
    const h = await hostPair({ ackDelayMs: 15, replayChunk: 8 });
    h.client.hello();
    h.client.send({ type: 'replay', messages: chat, config: { maxTokens: 300, window: 40 } });
    await h.waitFor('replayProgress', (e) => e.done === e.total);
    await h.waitFor('configChanged');
    expect(h.of('messageAppended')).toHaveLength(chat.length);
    const evictions = h.of('eviction');
    expect(evictions.length).toBeGreaterThan(10);
    // evictions, recalls and summaries share one sequence, with no gaps
    const sequenced = [...evictions, ...h.of('recall'), ...h.of('summary')].map((e) => e.seq).sort((x, y) => x - y);
    expect(sequenced).toEqual(sequenced.map((_, i) => i));
    expect(evictions[0].reason.policy).toBe('sliding');
    // snapshots are last-value-wins: fewer arrive than policy calls, and the merged counter says so
    expect(h.of('windowSnapshot').length).toBeLessThan(chat.length);
    expect(h.batches.reduce((n, b) => n + b.merged, 0)).toBeGreaterThan(0);
    for (const s of h.of('windowSnapshot')) expect(s.used).toBeLessThanOrEqual(300);
    const spans = h.batches.filter((b) => b.spans);
    expect(spans.length).toBeGreaterThan(0);
    expect(spans[0].spans!.data).toBeInstanceOf(Float64Array);
    expect(spans[0].spans!.data.length).toBe(spans[0].spans!.names.length * 4);
    expect(h.batches.map((b) => b.seq)).toEqual(h.batches.map((_, i) => i));
    expect(h.errors).toEqual([]);
    await h.close();
  });

  it('keeps at most two batches in flight until the client acks', async () => {
    const h = await hostPair();
    let sent = 0;
    const original = h.host.batcher;
    const inFlightSeen: (number | undefined)[] = [];
    const unacked: number[] = [];
    h.client.hello();
    await h.waitFor('helloAck');
    h.host.engine.subscribe(() => {
      sent++;
      inFlightSeen.push(original.inFlight);
      unacked.push(original.unacked);
    });
    h.client.send({ type: 'appendMessages', messages: chat.slice(0, 30) });
    await h.waitFor('messageAppended', (e) => e.messageId === 29);
    expect(sent).toBeGreaterThan(30);
    // while events were produced synchronously the first batch stayed in flight: no second send
    expect(new Set(inFlightSeen.filter((x) => x !== undefined)).size).toBeLessThanOrEqual(1);
    expect(Math.max(...unacked)).toBeLessThanOrEqual(2);
    await h.close();
  });

  it('re-runs the session under new settings, and rejects bad ones', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat });
    await h.waitFor('messageAppended', (e) => e.messageId === chat.length - 1);
    h.client.send({ type: 'setConfig', config: { maxTokens: 256, window: 32 }, rerun: true });
    const loaded = await h.waitFor('sessionLoaded', (e) => e.reason === 'rerun');
    expect(loaded.session.config.maxTokens).toBe(256);
    const cfg = await h.waitFor('configChanged', (e) => e.config.maxTokens === 256);
    expect(cfg.config.window).toBe(32);
    expect(h.host.engine.ledger.used()).toBeLessThanOrEqual(256);
    h.client.send({ type: 'setConfig', config: { window: 5000 } });
    const err = await h.waitFor('error', (e) => e.code === 'bad-config');
    expect(err.message).toMatch(/window \(5000\) must be smaller/);
    await h.close();
  });

  it('saves a session as text and opens it again; a corrupt file changes nothing', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat.slice(0, 11) });
    await h.waitFor('messageAppended', (e) => e.messageId === 10);
    h.client.send({ type: 'saveSession' });
    const saved = await h.waitFor('sessionSaved');
    expect(saved.bytes).toBeGreaterThan(100);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, saved.text!.slice(0, saved.text!.length / 2));
    h.client.send({ type: 'openSession', handle: h.grant(bad) });
    const err = await h.waitFor('error', (e) => e.code === 'bad-session');
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message.includes('\n')).toBe(false);
    expect(h.host.engine.messages()).toHaveLength(11);
    h.client.send({ type: 'openSessionText', name: 'again.json', text: saved.text! });
    await h.waitFor('sessionLoaded', (e) => e.reason === 'open');
    await h.waitFor('replayProgress', (e) => e.done === 11);
    expect(h.host.engine.messages().map((m) => m.content)).toEqual(chat.slice(0, 11).map((m) => m.content));
    h.client.send({ type: 'openSession', handle: h.grant(path.join(dir, 'nope.json')) });
    expect((await h.waitFor('error', (e) => e.code === 'io')).message).toMatch(/nope\.json": no such file/);
    await h.close();
  });

  it('takes the next replay as soon as configChanged says the last one is over (autosave included)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fms-host-'));
    // a real autosave file: its write is what the next replay used to race with
    const h = await hostPair({ autosavePath: path.join(dir, 'autosave.json') });
    h.client.hello();
    await h.waitFor('helloAck');
    for (let run = 0; run < 3; run++) {
      const before = h.of('configChanged').length;
      h.client.send({ type: 'replay', messages: chat, config: { maxTokens: 300, window: 40 } });
      await h.waitFor('configChanged', () => h.of('configChanged').length > before);
    }
    expect(h.of('error')).toEqual([]);
    expect(h.errors).toEqual([]);
    expect(h.host.engine.conversation()).toHaveLength(chat.length);
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compares two parameter sets on the current session (what-if)', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat });
    h.client.send({ type: 'whatIf', a: { maxTokens: 300, window: 32 }, b: { maxTokens: 900, window: 32 } });
    const r = await h.waitFor('whatIfResult');
    expect(r.messages).toBe(chat.length);
    expect(r.a.contextTokens).toBeLessThanOrEqual(300);
    expect(r.b.contextTokens).toBeLessThanOrEqual(900);
    expect(r.b.contextTokens).toBeGreaterThan(r.a.contextTokens);
    expect(r.a.evictedTokens).toBeGreaterThan(r.b.evictedTokens);
    const kept = (side: typeof r.a) => side.segments.reduce((n, seg) => n + seg.to - seg.from, 0);
    expect(kept(r.b)).toBeGreaterThan(kept(r.a));
    // the live session is untouched
    expect(h.host.engine.config().maxTokens).toBe(2048);
    await h.close();
  });

  it('exports profiles and metrics', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat.slice(0, 9) });
    h.client.send({ type: 'exportProfile', format: 'speedscope' });
    h.client.send({ type: 'exportProfile', format: 'chrome' });
    h.client.send({ type: 'getMetrics' });
    const sp = JSON.parse((await h.waitFor('profileExport', (e) => e.format === 'speedscope')).json);
    expect(sp.profiles[0].events.length).toBeGreaterThan(10);
    const tr = JSON.parse((await h.waitFor('profileExport', (e) => e.format === 'chrome')).json);
    expect(tr.traceEvents.some((e: { name: string }) => e.name === 'policy:sliding')).toBe(true);
    expect((await h.waitFor('metrics')).text).toMatch(/^fms_tokens_seen_total \d+$/m);
    await h.close();
  });

  it('chats through a backend: streams tokens, appends the reply, reports the cache; failures keep the user message', async () => {
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const h = await hostPair({ createBackend: async () => scriptedBackend('The answer is forty two.', mode) });
    h.client.hello();
    h.client.send({ type: 'chat', id: 'c0', content: 'Hello?' });
    expect((await h.waitFor('error', (e) => e.id === 'c0')).code).toBe('no-backend');
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:1', model: 'm', apiKey: 'secret' } });
    const changed = await h.waitFor('backendChanged');
    expect(changed.ready).toBe(true);
    expect(JSON.stringify(changed)).not.toContain('secret');
    h.client.send({ type: 'chat', id: 'c1', content: 'What is the answer?' });
    const done = await h.waitFor('chatDone', (e) => e.id === 'c1');
    expect(done.finishReason).toBe('stop');
    expect(h.of('chatToken').filter((e) => e.id === 'c1').map((e) => e.text).join('')).toBe('The answer is forty two.');
    expect((await h.waitFor('cacheReport')).reusedTokens).toBe(7);
    const msgs = h.host.engine.messages();
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant']); // without a backend the first message was refused, not appended
    mode = 'fail';
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:1', model: 'm' } });
    await h.waitFor('backendChanged', (e) => e.backend.kind === 'openai' && h.of('backendChanged').length === 2);
    h.client.send({ type: 'chat', id: 'c2', content: 'Again?' });
    const err = await h.waitFor('error', (e) => e.id === 'c2');
    expect(err.code).toBe('backend');
    expect(err.message).toMatch(/connection refused/);
    expect(h.host.engine.messages().at(-1)).toMatchObject({ role: 'user', content: 'Again?' });
    mode = 'hang';
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:1', model: 'm' } });
    await h.waitFor('backendChanged', () => h.of('backendChanged').length === 3);
    h.client.send({ type: 'chat', id: 'c3', content: 'Long one please.' });
    await h.waitFor('chatToken', (e) => e.id === 'c3');
    // a chat sent while another streams waits its turn instead of being refused
    h.client.send({ type: 'chat', id: 'c4', content: 'Meanwhile?' });
    h.client.send({ type: 'cancel', id: 'c3' });
    expect((await h.waitFor('chatDone', (e) => e.id === 'c3')).finishReason).toBe('cancelled');
    await h.waitFor('chatToken', (e) => e.id === 'c4');
    expect(h.host.engine.messages().map((m) => m.content).slice(-2)).toEqual(['Long one please.', 'Meanwhile?']);
    h.client.send({ type: 'cancel', id: 'c4' });
    expect((await h.waitFor('chatDone', (e) => e.id === 'c4')).finishReason).toBe('cancelled');
    expect(h.of('error').filter((e) => e.id === 'c4')).toEqual([]);
    await h.close();
  });

  it('autosaves each turn and restores the autosave after a restart, saying so', async () => {
    const autosavePath = path.join(dir, 'autosave.json');
    const a = await hostPair({ autosavePath });
    a.client.hello();
    a.client.send({ type: 'appendMessages', messages: chat.slice(0, 7) });
    // `autosaved` is the durable acknowledgement: the file holds the turn once it arrives
    expect((await a.waitFor('autosaved', (e) => e.messages === 7)).bytes).toBeGreaterThan(100);
    await a.close();
    const b = await hostPair({ autosavePath, restartReason: 'the engine crashed (exit code 1)' });
    b.client.hello();
    const restarted = await b.waitFor('hostRestarted');
    expect(restarted.restoredMessages).toBe(7);
    expect(restarted.reason).toMatch(/crashed/);
    expect(b.host.engine.messages().map((m) => m.content)).toEqual(chat.slice(0, 7).map((m) => m.content));
    await b.close();
    // a normal start reopens the last session without claiming a crash
    const c = await hostPair({ autosavePath, restoreLastSession: true });
    c.client.hello();
    const ack = await c.waitFor('helloAck');
    expect(ack.snapshot.messages).toHaveLength(7);
    expect(c.of('hostRestarted')).toHaveLength(0);
    await c.close();
  });
});

describe('engine host: files, uploads and restarts', () => {
  it('refuses an open whose settings are invalid without changing the session (not even its title)', async () => {
    const h = await hostPair({ title: 'Mine' });
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat.slice(0, 3) });
    h.client.send({ type: 'saveSession' });
    const saved = JSON.parse((await h.waitFor('sessionSaved')).text!) as { config: { policy: string }; metadata: { title: string } };
    saved.config.policy = 'nope';
    saved.metadata.title = 'Theirs';
    h.client.send({ type: 'openSessionText', name: 'bad.json', text: JSON.stringify(saved, undefined, 2) });
    // the session schema carries the settings catalog's ranges: a bad setting makes a bad session file
    expect(await h.waitFor('error', (e) => e.command === 'openSessionText')).toMatchObject({ code: 'bad-session', message: expect.stringMatching(/unknown policy "nope"/) });
    h.client.hello();
    await h.waitFor('helloAck', () => h.of('helloAck').length === 2);
    expect(h.of('helloAck')[1].session.title).toBe('Mine');
    expect(h.host.engine.messages()).toHaveLength(3);
    await h.close();
  });

  it('opens a file uploaded in chunks cut anywhere, acknowledging each with progress; a bad line ends the upload', async () => {
    const h = await hostPair();
    h.client.hello();
    const text = chat.map((m) => JSON.stringify(m)).join('\n');
    const chunks = text.match(/[\s\S]{1,777}/g)!;
    h.client.send({ type: 'openBegin', id: 'up1', name: 'big chat.jsonl', bytes: Buffer.byteLength(text) });
    for (const c of chunks) h.client.send({ type: 'openChunk', id: 'up1', text: c });
    h.client.send({ type: 'openEnd', id: 'up1' });
    const loaded = await h.waitFor('sessionLoaded', (e) => e.reason === 'open');
    expect(loaded.session.title).toBe('big chat');
    await h.waitFor('replayProgress', (e) => e.done === chat.length);
    expect(h.host.engine.messages().map((m) => m.content)).toEqual(chat.map((m) => m.content));
    expect(h.of('openProgress').at(-1)).toMatchObject({ id: 'up1', received: Buffer.byteLength(text) });
    h.client.send({ type: 'openBegin', id: 'up2', name: 'bad.jsonl', bytes: 100 });
    h.client.send({ type: 'openChunk', id: 'up2', text: '{"role":"user","content":"fine"}\n{"role":"user",\n' });
    h.client.send({ type: 'openEnd', id: 'up2' });
    expect((await h.waitFor('error', (e) => e.id === 'up2' && e.command === 'openChunk')).message).toMatch(/bad\.jsonl:2: not valid JSON/);
    expect((await h.waitFor('error', (e) => e.id === 'up2' && e.command === 'openEnd')).message).toMatch(/no upload "up2" in progress/);
    expect(h.host.engine.messages()).toHaveLength(chat.length); // the session is unchanged
    await h.close();
  });

  it("opens another tool's chat uploaded in chunks, says what the file held, and opens another of its conversations", async () => {
    const h = await hostPair();
    h.client.hello();
    const text = readFileSync('src/engine/formats/imports/fixtures/chatgpt-conversations.json', 'utf8');
    const upload = (id: string, conversation?: number) => {
      h.client.send({ type: 'openBegin', id, name: 'conversations.json', bytes: Buffer.byteLength(text), ...(conversation ? { conversation } : {}) });
      for (const c of text.match(/[\s\S]{1,500}/g)!) h.client.send({ type: 'openChunk', id, text: c });
      h.client.send({ type: 'openEnd', id });
    };
    upload('c1');
    const first = await h.waitFor('sessionLoaded', (e) => e.reason === 'open');
    expect(first.session.title).toBe('Lisbon trip plan');
    expect(first.session.imported).toMatchObject({ format: 'chatgpt-export', chosen: 1, total: 3, conversations: [{ index: 1, title: 'Lisbon trip plan' }, { index: 2, title: 'Sales chart' }, { index: 3, title: 'Haiku' }] });
    upload('c2', 2);
    const second = await h.waitFor('sessionLoaded', (e) => e.reason === 'open' && e.session.title === 'Sales chart');
    expect(second.session.imported?.chosen).toBe(2);
    const n = second.session.imported!.conversations[1].messages;
    await h.waitFor('replayProgress', (e) => e.done === n && e.total === n);
    expect(h.host.engine.conversation().map((m) => m.content).join(' ')).toMatch(/chart/i);
    // a reconnecting client is told the same
    h.client.hello();
    await h.waitFor('helloAck', () => h.of('helloAck').length === 2);
    expect(h.of('helloAck')[1].session.imported?.chosen).toBe(2);
    // a new session is not an import
    h.client.send({ type: 'newSession' });
    expect((await h.waitFor('sessionLoaded', (e) => e.reason === 'new')).session.imported).toBeUndefined();
    await h.close();
  });

  it('opens and saves only granted files, each for the access it was granted', async () => {
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'appendMessages', messages: chat.slice(0, 4) });
    const file = path.join(dir, 'granted.json');
    const write = h.grant(file, 'write');
    h.client.send({ type: 'openSession', handle: write });
    expect((await h.waitFor('error', (e) => e.command === 'openSession')).message).toMatch(/was picked for saving, not opening/);
    h.client.send({ type: 'saveSession', handle: write });
    expect((await h.waitFor('sessionSaved')).path).toBe(file);
    expect(h.fromHost).toContainEqual({ type: 'granted', handle: write });
    h.client.send({ type: 'openSession', handle: h.grant(file, 'read') });
    await h.waitFor('sessionLoaded', (e) => e.reason === 'open');
    await h.close();
  });

  it('after a restart, reconnects the backend it had (the API key from its parent, never from disk)', async () => {
    const autosavePath = path.join(dir, 'restart', 'autosave.json');
    const requested: BackendConfig[] = [];
    const createBackend = async (config: BackendConfig) => {
      requested.push(config);
      return scriptedBackend('ok');
    };
    const a = await hostPair({ autosavePath, createBackend });
    a.client.hello();
    a.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:9', model: 'm', apiKey: 'sk-secret' } });
    await a.waitFor('backendChanged', (e) => e.ready);
    await a.close();
    expect(readFileSync(path.join(dir, 'restart', 'backend.json'), 'utf8')).not.toContain('sk-secret');
    const b = await hostPair({ autosavePath, createBackend, restartReason: 'the engine was killed (SIGKILL)', parentMessages: [{ type: 'secret', name: 'openai-api-key', value: 'sk-secret' }] });
    b.client.hello();
    expect(await b.waitFor('backendChanged', (e) => e.ready)).toMatchObject({ backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:9', model: 'm' } });
    expect(requested.at(-1)).toEqual({ kind: 'openai', baseUrl: 'http://127.0.0.1:9', model: 'm', apiKey: 'sk-secret' });
    await b.close();
  });
});
