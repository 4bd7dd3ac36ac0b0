// The browser-mode path: the real `fms serve` server (engine host in a Node child process, batches
// over process IPC, then JSON over a WebSocket) with a `ws` client that decodes and acks each batch.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { startServer } from '../src/browser-server/server.js';
import type { EngineCommand } from '../src/shared/protocol.js';
import { decodeWire, encodeWire } from '../src/shared/wire.js';
import { RecordingClient, type ReplayResult } from './protocolRecorder.js';

const HOST_ENTRY = 'dist/host/index.js';
type Replay = Extract<EngineCommand, { type: 'replay' }>;

export async function overWebSocket(warm: Replay, measured: Replay, runs: number): Promise<ReplayResult[]> {
  if (!existsSync(HOST_ENTRY)) spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'fms-bench-ws-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>\n');
  const server = await startServer({ port: 0, rendererDir, hostEntry: HOST_ENTRY, dataDir: path.join(dir, 'data'), log: (line) => console.error(`server: ${line}`) });
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
        ws.on('message', (data) => {
          const t0 = performance.now();
          const decoded = decodeWire(String(data));
          decodeMs.push(performance.now() - t0);
          handler(decoded);
        }),
      close: () => ws.close(),
    });
    await rec.hello();
    await rec.replay(warm);
    const results: ReplayResult[] = [];
    for (let i = 0; i < runs; i++) {
      decodeMs.length = 0;
      const result = await rec.replay(measured);
      result.extraMs['JSON decode'] = [...decodeMs];
      results.push(result);
    }
    rec.client.close();
    return results;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
