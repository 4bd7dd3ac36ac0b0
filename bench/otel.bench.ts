// OpenTelemetry turn export's cost on a whole `fms replay`: the 1,600-turn synthetic chat (8k, defaults) with
// OTEL_EXPORTER_OTLP_ENDPOINT set to a local OTLP/HTTP receiver in this process, against the same replay without
// it. Interleaved runs, medians of wall time per process and per turn; the receiver counts the spans it took.
// Run: node_modules/.bin/tsx bench/otel.bench.ts (scripts/bench.mjs's list does not name it).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { startOtlpReceiver } from '../src/engine/node/otel/testing/otlpReceiver.js';
import { summarize, table } from './util.js';

const TURNS = 1600;
const RUNS = Number(process.env.OTEL_BENCH_RUNS ?? 5);

const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('scripts/build-cli.mjs failed');
const dir = mkdtempSync(path.join(tmpdir(), 'fms-otel-bench-'));
const file = path.join(dir, 'chat.jsonl');
writeFileSync(file, `${syntheticChat({ seed: 42, turns: TURNS, sentencesPerMessage: 6 }).map(({ role, content }) => JSON.stringify({ role, content })).join('\n')}\n`);

/** One `fms replay` process (async: the receiver answers in this process); resolves with its wall time. */
function replay(env: Record<string, string>): Promise<number> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/cli/fms.js', 'replay', file, '--max-tokens', '8192'], { env: { ...clean, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 && stderr === '' ? resolve(performance.now() - t0) : reject(new Error(`fms replay: exit ${code} ${stderr}`)))));
}

const receiver = await startOtlpReceiver();
const off: number[] = [];
const on: number[] = [];
const spans: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    off.push(await replay({}));
    const before = receiver.spans.length;
    on.push(await replay({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint }));
    spans.push(receiver.spans.length - before);
    receiver.spans.length = 0; // the receiver keeps only the count
  }
} finally {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
const a = summarize(off).p50;
const b = summarize(on).p50;
process.stdout.write(
  table(`OpenTelemetry export: fms replay of the ${TURNS.toLocaleString('en-US')}-turn synthetic chat at 8k, median of ${RUNS} interleaved runs`, ['export', 'wall ms (p50)', 'ms / turn', 'spans sent'], [
    ['off', a, a / TURNS, 0],
    ['on (local receiver)', b, b / TURNS, spans[0]],
    ['on - off', b - a, (b - a) / TURNS, ''],
  ]),
);
