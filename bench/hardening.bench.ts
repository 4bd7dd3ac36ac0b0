// Hardening under load, through the real `fms serve` (engine host in a child process, WebSocket):
// - burst: 20,000 appendMessages sent at once, until the autosave on disk holds all of them; beside it
//   the limit, the same 20,000 messages appended to an engine in this process (no transport, no disk);
// - flood: 100,000 invalid messages, then 100,000 commands refused for their schema, with the memory of
//   the server process and of the engine host before and after (the issue measured 373 MB / 590 MB).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type HostEvent } from '../src/shared/protocol.js';
import { encodeWire, readServerMessage } from '../src/shared/wire.js';
import { createEngine, DEFAULT_CONFIG } from '../src/engine/engine.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { startServer, type Server } from '../src/browser-server/server.js';
import { mb, table } from './util.js';

const N = 20_000;
const messages = Array.from({ length: N }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `Message ${i}: the burst keeps every one of these, in order.` }));

/** Resident and peak memory of a process, from /proc (Linux). */
function procMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

function connect(server: Server) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/engine?token=${server.token}`, { headers: { Origin: `http://127.0.0.1:${server.port}` } });
  const seen = { hello: false, appended: 0, autosaved: 0, notices: 0, refused: 0, errors: 0 };
  let wake: (() => void) | undefined;
  ws.on('message', (data, isBinary) => {
    const msg = readServerMessage(isBinary ? (data as Buffer) : String(data));
    const events: HostEvent[] = msg.events;
    for (const e of events) {
      if (e.type === 'helloAck') seen.hello = true;
      else if (e.type === 'messageAppended') seen.appended++;
      else if (e.type === 'autosaved') seen.autosaved = e.messages;
      else if (e.type === 'error') {
        seen.refused += 1 + (e.repeated ?? 0);
        if (msg.type === 'notice') seen.notices++;
        else seen.errors++;
      }
    }
    if (msg.type === 'batch') ws.send(encodeWire({ type: 'ack', seq: msg.seq }));
    wake?.();
  });
  const until = async (pred: () => boolean) => {
    while (!pred()) await new Promise<void>((r) => (wake = r));
  };
  return { ws, seen, until, send: (cmd: unknown) => ws.send(typeof cmd === 'string' ? cmd : encodeWire(cmd)) };
}

async function start() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fms-bench-hard-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  const server = await startServer({ port: 0, rendererDir: dir, hostEntry: path.resolve('dist/host/index.js'), dataDir: path.join(dir, 'data') });
  const c = connect(server);
  await new Promise((r) => c.ws.once('open', r));
  c.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'bench' });
  await c.until(() => c.seen.hello); // the host has loaded its tokenizer and answers
  return { dir, server, c, host: () => server.supervisor.current!.child.pid! };
}

async function burst(recall: boolean, n: number) {
  const { dir, server, c, host } = await start();
  c.send({ type: 'setConfig', config: { recall } });
  const t0 = performance.now();
  for (const m of messages.slice(0, n)) c.send({ type: 'appendMessages', messages: [m] });
  const sentMs = performance.now() - t0;
  await c.until(() => c.seen.autosaved === n);
  const ms = performance.now() - t0;
  const saved = JSON.parse(readFileSync(path.join(dir, 'data', 'autosave.json'), 'utf8')) as { messages: unknown[] };
  const temps = readdirSync(path.join(dir, 'data')).filter((f) => f.endsWith('.tmp')).length;
  await new Promise((r) => setTimeout(r, 1000));
  const row = { ms, sentMs, pauses: server.pauses, onDisk: saved.messages.length, temps, host: procMemory(host()), serve: procMemory(process.pid) };
  c.ws.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  return row;
}

async function engineAlone(recall: boolean, n: number): Promise<number> {
  const tokenizer = await loadTokenizer();
  const engine = createEngine({ tokenizer, ...DEFAULT_CONFIG, recall });
  const t0 = performance.now();
  for (const m of messages.slice(0, n)) {
    engine.ingest(m);
    engine.finishTurn();
  }
  return performance.now() - t0;
}

async function flood() {
  const { dir, server, c, host } = await start();
  const gcNow = () => (globalThis as { gc?: () => void }).gc?.();
  const settle = async () => {
    gcNow();
    await new Promise((r) => setTimeout(r, 500));
    gcNow();
  };
  await settle();
  const before = { serve: procMemory(process.pid), host: procMemory(host()) };
  const rows: (string | number)[][] = [];
  for (const [what, text] of [
    ['100,000 invalid (not JSON, null, unknown type)', (i: number) => (i % 3 === 0 ? 'not json {' : i % 3 === 1 ? 'null' : '{"type":"nope"}')],
    ['100,000 refused by the schema', () => '{"type":"appendMessages","messages":[{"role":"root","content":"x"}]}'],
  ] as const) {
    const refused = c.seen.refused;
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) c.send(text(i));
    await c.until(() => c.seen.refused - refused >= 100_000);
    const ms = performance.now() - t0;
    await settle();
    const after = { serve: procMemory(process.pid), host: procMemory(host()) };
    rows.push([what, ms, c.seen.notices, mb(after.serve.rss - before.serve.rss), mb(after.serve.peak), mb(after.host.rss - before.host.rss), mb(after.host.peak)]);
  }
  c.ws.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  return { rows, before };
}

const burstRows: (string | number)[][] = [];
// with recall on the engine itself is the limit (a BM25 query per user message): a quarter of the burst
const runs = [[false, N], [true, N / 4]] as const;
const bursts = [];
for (const [recall, n] of runs) bursts.push(await burst(recall, n)); // before this process loads a tokenizer of its own
for (const [i, [recall, n]] of runs.entries()) {
  const b = bursts[i];
  const alone = await engineAlone(recall, n);
  burstRows.push([
    recall ? 'on (default)' : 'off',
    n,
    b.ms,
    Math.round(n / (b.ms / 1000)),
    alone,
    Math.round(n / (alone / 1000)),
    `${b.onDisk.toLocaleString('en-US')} / ${n.toLocaleString('en-US')}`,
    b.temps,
    b.pauses,
    mb(b.serve.peak),
    mb(b.host.peak),
    mb(b.host.rss),
  ]);
}
console.log(
  table('Burst: appendMessages sent at once through fms serve, until the autosave on disk holds them all', ['recall', 'messages', 'ms', 'messages/s', 'engine alone ms (limit)', 'engine alone messages/s', 'on disk', 'temp files left', 'socket pauses', 'serve + client process peak MB', 'host peak MB', 'host RSS after MB'], burstRows),
);
const f = await flood();
console.log(
  table(`Flood: invalid commands through fms serve (idle: serve+client ${mb(f.before.serve.rss).toFixed(0)} MB, host ${mb(f.before.host.rss).toFixed(0)} MB)`, ['messages', 'ms', 'error notices sent', 'serve RSS growth MB', 'serve peak MB', 'host RSS growth MB', 'host peak MB'], f.rows),
);
