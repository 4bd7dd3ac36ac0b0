// Browser mode under attack, loopback only: malformed request targets and encodings, malformed
// WebSocket frames, hostile messages, paths, floods and bursts. Every attack is bounded in count and
// time; after each, the server answers and the engine host is the same process (nothing crashed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from './server.js';
import { frame, rawRequest, rawWebSocket, statusOf } from './testing/rawClient.js';
import { wsClient } from './testing/wsClient.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-attack-'));
let server: Server;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ port: 0, rendererDir: dir, hostEntry: path.resolve('dist/host/index.js'), dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const hostPid = () => server.supervisor.current?.child.pid;

/** The server still serves, and the engine host is the one it was: nothing crashed. */
async function stillAlive(pid: number | undefined): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  expect(res.status).toBe(200);
  expect(hostPid()).toBe(pid);
}


const client = (s: Server = server) => wsClient(s);

describe('browser mode under attack: HTTP', () => {
  it('answers malformed request targets and encodings with 400, with or without the token, and keeps serving', async () => {
    const pid = hostPid();
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    const targets = ['//[', '//[x', '//evil.example/x', 'http://evil.example/', '*', '/%', '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', '/%00', '/a%5c..%5c..%5cetc'];
    for (const t of targets) {
      for (const auth of ['', `?token=${server.token}`]) {
        const answer = await rawRequest(server.port, `GET ${t}${auth} HTTP/1.1\r\n${host}\r\n`);
        // without the token a target that parses is refused as unauthorized; with it, as malformed
        expect(auth ? [400, 404] : [400, 401], `${t}${auth}: ${answer.split('\r\n')[0]}`).toContain(statusOf(answer));
      }
    }
    // an <img> from another page cannot kill it either (no token, Origin of another localhost port)
    expect(statusOf(await rawRequest(server.port, `GET //[x HTTP/1.1\r\n${host}Origin: http://127.0.0.1:1\r\n\r\n`))).toBe(400);
    // unparsable HTTP: Node's parser refuses it; we answer 400 and close
    expect(statusOf(await rawRequest(server.port, 'HELLO\r\n\r\n'))).toBe(400);
    expect(statusOf(await rawRequest(server.port, `GET / HTTP/1.1\r\n${host}X: ${'a'.repeat(20_000)}\r\n\r\n`))).toBe(431);
    await stillAlive(pid);
  });

  it('refuses WebSocket upgrades with a malformed target, without a token or from another origin', async () => {
    const pid = hostPid();
    const upgrade = (target: string, origin = `http://127.0.0.1:${server.port}`) =>
      rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(statusOf(await upgrade('//[x'))).toBe(401);
    expect(statusOf(await upgrade('/engine'))).toBe(401);
    expect(statusOf(await upgrade(`/engine?token=${server.token}`, 'http://evil.example'))).toBe(401);
    await stillAlive(pid);
  });
});

describe('browser mode under attack: WebSocket frames', () => {
  const malformed: [string, () => Buffer][] = [
    ['an unmasked frame', () => frame('{"type":"getMetrics"}', { mask: false })],
    ['RSV1 set without an extension', () => frame('{"type":"getMetrics"}', { rsv: 4 })],
    ['invalid UTF-8 in a text frame', () => frame(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))],
    ['a reserved opcode', () => frame('x', { opcode: 3 })],
    ['a declared length of 300 MiB', () => frame('x', { declaredLength: 300 * 2 ** 20 })],
    ['a fragmented control frame', () => frame('x', { opcode: 9, fin: false })],
  ];
  for (const [what, bytes] of malformed) {
    it(`closes the connection on ${what}, and only that connection`, async () => {
      const pid = hostPid();
      const bystander = client();
      await bystander.opened;
      const raw = await rawWebSocket(server.port, server.token);
      raw.socket.write(bytes());
      await raw.closed;
      // the raw connection replaced the bystander (one client at a time); the server and engine live on
      await stillAlive(pid);
      bystander.close();
    });
  }

  it('refuses hostile messages with an error notice and applies none of them', async () => {
    const pid = hostPid();
    const c = client();
    await c.hello();
    const hostile = [
      'null',
      '[]',
      '"x"',
      '42',
      '{}',
      '{"type":1}',
      '{"type":"launchMissiles"}',
      '{"type":"ack","seq":"0"}',
      '{"type":"appendMessages","messages":[{"role":"root","content":"x"}]}',
      '{"type":"appendMessages","messages":[{"role":"user","content":"x","pinned":[[[[]]]]}]}',
      `{"type":"appendMessages","messages":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      '{"type":"chat","id":"","content":"x"}',
      `{"type":"chat","id":"${'i'.repeat(5000)}","content":"x"}`,
      '{"type":"openSession","path":"/etc/passwd"}',
      '{"type":"saveSession","path":"/tmp/owned.json"}',
      'not json at all {',
    ];
    for (const text of hostile) c.send(text);
    c.ws.send(Buffer.from('{"type":"getMetrics"}'), { binary: true });
    await c.waitFor(() => c.of('error', c.notices).length + c.of('error', c.notices).reduce((n, e) => n + (e.repeated ?? 0), 0) >= hostile.length + 1);
    expect(c.of('error', c.notices).every((e) => e.code === 'bad-command')).toBe(true);
    expect(c.of('messageAppended')).toHaveLength(0);
    expect(existsSync('/tmp/owned.json')).toBe(false);
    c.close();
    await stillAlive(pid);
  });

  it('opens and saves no path a client names: only handles the app granted, and browser mode has none', async () => {
    const c = client();
    await c.hello();
    c.send({ type: 'openSession', handle: 'abcdefgh12345678' });
    c.send({ type: 'saveSession', handle: 'abcdefgh12345678' });
    await c.waitFor(() => c.of('error').length >= 2);
    for (const e of c.of('error')) expect(e).toMatchObject({ code: 'io', message: expect.stringMatching(/only through the app \(browser mode: open uploads the file, save downloads it\)/) });
    c.close();
  });
});

describe('browser mode under attack: floods and bursts', () => {
  it('a flood of 100,000 invalid messages costs a counter: error notices are rate-limited, nothing reaches the engine', async () => {
    const pid = hostPid();
    const c = client();
    await c.hello();
    const metricsBefore = await (await fetch(`http://127.0.0.1:${server.port}/metrics?token=${server.token}`)).text();
    for (let i = 0; i < 100_000; i++) c.send(i % 2 ? '{"type":"nope"}' : 'null');
    // the last notice says how many more were refused; every refused message is accounted for
    await c.waitFor(() => c.of('error', c.notices).reduce((n, e) => n + 1 + (e.repeated ?? 0), 0) >= 100_000);
    expect(c.of('error', c.notices).length).toBeLessThan(1000);
    expect(c.events.filter((e) => e.type === 'error')).toHaveLength(0); // the host never saw them
    const metricsAfter = await (await fetch(`http://127.0.0.1:${server.port}/metrics?token=${server.token}`)).text();
    expect(metricsAfter.match(/^fms_tokens_seen_total .*/m)?.[0]).toBe(metricsBefore.match(/^fms_tokens_seen_total .*/m)?.[0]);
    c.close();
    await stillAlive(pid);
  }, 120_000);

  it('a burst of 20,000 messages sent at once is applied in full, with backpressure, and saved durably with no temp files', async () => {
    const pid = hostPid();
    const c = client();
    await c.hello();
    c.send({ type: 'setConfig', config: { recall: false } });
    c.send({ type: 'newSession' });
    await c.waitFor(() => c.of('sessionLoaded').some((e) => e.reason === 'new'));
    const pausesBefore = server.pauses;
    const N = 20_000;
    for (let i = 0; i < N; i++) c.send({ type: 'appendMessages', messages: [{ role: i % 2 ? 'assistant' : 'user', content: `Message ${i}: the burst keeps every one of these.` }] });
    await c.waitFor(() => c.of('autosaved').some((e) => e.messages === N));
    expect(c.of('messageAppended')).toHaveLength(N);
    expect(c.of('messageAppended').map((e) => e.messageId)).toEqual([...Array(N).keys()]);
    expect(server.pauses).toBeGreaterThan(pausesBefore); // the socket stopped being read while the engine caught up
    const data = path.join(dir, 'data');
    expect(readdirSync(data).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    c.close();
    await stillAlive(pid);
  }, 180_000);
});
