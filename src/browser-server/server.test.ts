import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type EventBatch, type HostEvent } from '../shared/protocol.js';
import { encodeWire, readServerMessage } from '../shared/wire.js';
import { startTestServer, type TestServer } from '../engine/backends/openai/testServer.js';
import { startServer, type Server } from './server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-serve-'));
let server: Server;
let llm: TestServer;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  llm = await startTestServer();
  server = await startServer({ port: 0, rendererDir: dir, hostEntry: path.resolve('dist/host/index.js'), dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await server?.close();
  await llm?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A browser-like client: WebSocket with the token, acking every batch, recording events. */
function connect(headers: Record<string, string> = { Origin: `http://127.0.0.1:${server.port}` }, token = server.token) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/engine?token=${token}`, { headers });
  const events: HostEvent[] = [];
  ws.on('message', (data, isBinary) => {
    const batch = readServerMessage(isBinary ? (data as Buffer) : String(data)) as EventBatch;
    events.push(...batch.events);
    ws.send(encodeWire({ type: 'ack', seq: batch.seq }));
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const send = (cmd: unknown) => ws.send(encodeWire(cmd));
  const waitFor = async (pred: (e: HostEvent) => boolean, ms = 20_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = events.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('timed out');
  };
  return { ws, events, opened, send, waitFor };
}

describe('fms serve', () => {
  it('refuses requests without the token or from other hosts and origins', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const ok = await fetch(`${base}/?token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await fetch(`${base}/../../etc/passwd?token=${server.token}`)).status).toBe(404);
    await expect(connect(undefined, 'nope').opened).rejects.toThrow(/401/);
    await expect(connect({ Origin: 'http://evil.example' }).opened).rejects.toThrow(/401/);
    const metrics = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain; version=0.0.4/);
    expect(await metrics.text()).toMatch(/^# TYPE fms_tokens_seen_total counter$/m);
  });

  it('restores every message up to the last completed turn after the host is killed mid-turn', async () => {
    const c = connect();
    await c.opened;
    c.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'test' });
    await c.waitFor((e) => e.type === 'helloAck');
    c.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: llm.baseUrl, model: 'm' } });
    await c.waitFor((e) => e.type === 'backendChanged' && e.ready);
    llm.queue({ type: 'stream', pieces: ['First', ' answer.'] }, { type: 'stream', pieces: ['Second', ' answer.'] }, { type: 'stream', pieces: ['Third', ' ans'], stallAfter: 2 });
    for (const [i, q] of ['one', 'two'].entries()) {
      c.send({ type: 'chat', id: `t${i}`, content: `Question ${q}?` });
      await c.waitFor((e) => e.type === 'chatDone' && e.id === `t${i}`);
    }
    c.send({ type: 'chat', id: 't2', content: 'Question three?' });
    await c.waitFor((e) => e.type === 'chatToken' && e.id === 't2');
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    server.supervisor.current!.child.kill('SIGKILL'); // mid-turn: the third reply is streaming
    expect(await closed).toBe(4001); // "engine restarted": the client reconnects
    const d = connect();
    await d.opened;
    d.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'test' });
    const restarted = await d.waitFor((e) => e.type === 'hostRestarted');
    expect(restarted).toMatchObject({ restoredMessages: 5 });
    expect((restarted as { reason: string }).reason).toMatch(/killed \(SIGKILL\)/);
    const ack = (await d.waitFor((e) => e.type === 'helloAck')) as Extract<HostEvent, { type: 'helloAck' }>;
    expect(ack.snapshot.messages.map((m) => `${m.role}: ${m.content}`)).toEqual([
      'user: Question one?',
      'assistant: First answer.',
      'user: Question two?',
      'assistant: Second answer.',
      'user: Question three?',
    ]);
    d.ws.close();
  });
});
