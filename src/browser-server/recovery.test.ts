// Browser mode when the engine dies: kills mid-autosave lose nothing that was reported saved, a crash
// loop is reported and can be restarted by the user, the model connection comes back after a restart,
// and every limit refuses with a clear error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../shared/limits.js';
import { startTestServer, type TestServer } from '../engine/backends/openai/testServer.js';
import { startServer, type ServeOptions, type Server } from './server.js';
import { wsClient } from './testing/wsClient.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-recovery-'));
let llm: TestServer;
beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  llm = await startTestServer();
});
afterAll(async () => {
  await llm?.close();
  rmSync(dir, { recursive: true, force: true });
});

let servers = 0;
async function serve(options: Partial<ServeOptions> = {}) {
  const logs: string[] = [];
  const dataDir = path.join(dir, `data-${++servers}`);
  const server = await startServer({ port: 0, rendererDir: dir, hostEntry: path.resolve('dist/host/index.js'), dataDir, log: (l) => logs.push(l), restart: { baseDelayMs: 20 }, ...options });
  return { server, logs, dataDir };
}


const client = wsClient;

/** Waits until the supervisor runs a host other than `pid` (a restart happened). */
async function nextHost(s: Server, pid: number | undefined): Promise<number> {
  while (s.supervisor.current?.child.pid === undefined || s.supervisor.current.child.pid === pid) await new Promise((r) => setImmediate(r));
  return s.supervisor.current.child.pid!;
}

const temps = (data: string) => readdirSync(data).filter((f) => f.endsWith('.tmp'));

describe('browser mode: the engine dies', () => {
  it('killed mid-autosave, again and again: the autosave on disk is always whole, the restart restores exactly it, and no temp file stays', async () => {
    const { server, dataDir } = await serve();
    const big = Array.from({ length: 4000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `Message ${i}: ${'long enough to make the autosave take a while. '.repeat(3)}` }));
    let c = client(server);
    await c.hello();
    c.send({ type: 'setConfig', config: { recall: false } });
    c.send({ type: 'appendMessages', messages: big });
    await c.waitFor(() => c.of('autosaved').some((e) => e.messages === big.length));
    for (let round = 1; round <= 3; round++) {
      // a temp file a writer killed long ago left behind: the next host removes it
      writeFileSync(path.join(dataDir, `.autosave.json.${2 ** 22 + round}.deadbeef.tmp`), 'half a session');
      for (let i = 0; i < 50; i++) c.send({ type: 'appendMessages', messages: [{ role: 'user', content: `round ${round} message ${i}` }] });
      const reported = c.of('autosaved').length;
      await c.waitFor(() => c.of('autosaved').length > reported); // a write happened; more are in flight
      const pid = server.supervisor.current!.child.pid;
      server.supervisor.current!.child.kill('SIGKILL');
      await nextHost(server, pid);
      c = client(server);
      await c.hello();
      await c.waitFor(() => c.of('hostRestarted').length > 0 || c.of('autosaved').length > 0);
      const onDisk = JSON.parse(readFileSync(path.join(dataDir, 'autosave.json'), 'utf8')) as { messages: unknown[] };
      const ack = c.of('helloAck')[0];
      expect(ack.session.messages).toBe(onDisk.messages.length); // what was reported saved is exactly what came back
      expect(onDisk.messages.length).toBeGreaterThan(big.length);
      c.send({ type: 'appendMessages', messages: [{ role: 'user', content: `after restart ${round}` }] });
      await c.waitFor(() => c.of('autosaved').some((e) => e.messages === onDisk.messages.length + 1));
      expect(temps(dataDir)).toEqual([]);
    }
    await server.close();
  }, 180_000);

  it('after crashing too often it stops, says so on stderr and to the browser, and the browser can restart it', async () => {
    const { server, logs } = await serve({ restart: { baseDelayMs: 10, maxCrashes: 2 } });
    let c = client(server);
    await c.hello();
    c.send({ type: 'appendMessages', messages: [{ role: 'user', content: 'Keep me through the crashes.' }] });
    await c.waitFor(() => c.of('autosaved').length > 0);
    let pid = server.supervisor.current!.child.pid;
    for (let i = 0; i < 2; i++) {
      server.supervisor.current!.child.kill('SIGKILL');
      pid = await nextHost(server, pid);
    }
    server.supervisor.current!.child.kill('SIGKILL');
    while (!server.supervisor.gaveUp) await new Promise((r) => setImmediate(r));
    expect(logs.some((l) => /the engine stopped and was not restarted: .*crashed 3 times in a minute.*Restart engine/.test(l))).toBe(true);
    c = client(server);
    await c.waitFor(() => c.of('engineStopped', c.notices).length > 0);
    expect(c.of('engineStopped', c.notices)[0].reason).toMatch(/killed \(SIGKILL\).*not restarted/);
    c.send({ type: 'restartEngine' });
    await nextHost(server, undefined);
    await c.waitFor(() => c.closed() === 4001); // "engine restarted": reconnect
    c = client(server);
    await c.hello();
    expect(c.of('helloAck')[0].snapshot.messages.map((m) => m.content)).toEqual(['Keep me through the crashes.']);
    expect(c.of('hostRestarted')[0].reason).toBe('restarted from the browser');
    await server.close();
  });

  it('reconnects the model after a restart, with the API key the browser gave (kept in memory, never on disk)', async () => {
    const { server, dataDir } = await serve();
    llm.reset();
    let c = client(server);
    await c.hello();
    c.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: llm.baseUrl, model: 'm', apiKey: 'sk-test-123' } });
    await c.waitFor(() => c.of('backendChanged').some((e) => e.ready));
    const pid = server.supervisor.current!.child.pid;
    server.supervisor.current!.child.kill('SIGKILL');
    await nextHost(server, pid);
    c = client(server);
    await c.hello();
    await c.waitFor(() => c.of('backendChanged').some((e) => e.ready));
    expect(c.of('backendChanged').at(-1)!.backend).toEqual({ kind: 'openai', baseUrl: llm.baseUrl, model: 'm' });
    llm.queue({ type: 'stream', pieces: ['Back', ' again.'] });
    c.send({ type: 'chat', id: 'after', content: 'Are you there?' });
    await c.waitFor(() => c.of('chatDone').some((e) => e.id === 'after'));
    expect(llm.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-123');
    for (const f of readdirSync(dataDir)) if (!f.startsWith('models')) expect(readFileSync(path.join(dataDir, f), 'utf8')).not.toContain('sk-test-123');
    await server.close();
  });
});

describe('browser mode: limits', () => {
  const limits = { ...DEFAULT_LIMITS, messageBytes: 1024, commandBytes: 64 * 1024, fileBytes: 100 * 1024, lineBytes: 2048 };

  it('refuses a message, a file, a line and a command over their limits, each with its own error, and goes on', async () => {
    const { server } = await serve({ limits });
    const c = client(server);
    await c.hello();
    expect(c.of('helloAck')[0].limits).toEqual(limits);
    c.send({ type: 'chat', id: 'big', content: 'é'.repeat(600) });
    c.send({ type: 'openBegin', id: 'huge', name: 'export.jsonl', bytes: 200 * 1024 });
    await c.waitFor(() => c.of('error', c.notices).length >= 2);
    expect(c.of('error', c.notices).map((e) => [e.code, e.message])).toEqual([
      ['too-large', 'the message is too large (1.2 KiB; the limit for one chat message is 1 KiB, set with --max-message-bytes)'],
      ['too-large', '"export.jsonl" is too large (200 KiB; the limit for one opened file is 100 KiB, set with --max-file-bytes)'],
    ]);
    c.send({ type: 'openBegin', id: 'lines', name: 'long.jsonl', bytes: 5000 });
    c.send({ type: 'openChunk', id: 'lines', text: `{"role":"user","content":"ok"}\n{"role":"user","content":"${'x'.repeat(3000)}"}\n` });
    await c.waitFor(() => c.of('error').some((e) => e.id === 'lines'));
    expect(c.of('error').find((e) => e.id === 'lines')).toMatchObject({ code: 'too-large', message: expect.stringMatching(/^long\.jsonl:2: the line is too large .*--max-line-bytes/) });
    // a frame over the command limit closes the connection (1009) before it is buffered whole
    c.ws.send('x'.repeat(70 * 1024));
    await c.waitFor(() => c.closed() !== undefined);
    expect(c.closed()).toBe(1009);
    const d = client(server);
    await d.hello();
    expect(d.of('helloAck')[0].snapshot.messages).toEqual([]);
    await server.close();
  });
});
