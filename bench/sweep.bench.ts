// `fms sweep` throughput: the same grid (3 policies x 3 budgets x recall on/off on 4 synthetic 400-turn chats,
// 72 runs) on 1 worker and on every core, as whole processes (worker start and tokenizer loads included): runs
// and replayed turns per second, and the ratio. CPU time / wall says how many cores the process had busy (below
// the workers' count, other processes had the rest). The runs' figures must be the same on both (times aside).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import type { SweepOutput } from '../src/cli/sweepMerge.js';
import { summarize, table } from './util.js';

const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('scripts/build-cli.mjs failed');

const dir = mkdtempSync(path.join(tmpdir(), 'fms-sweep-bench-'));
for (const seed of [1, 2, 3, 4]) {
  const chat = syntheticChat({ seed, turns: 400, sentencesPerMessage: 6 });
  chat.push({ role: 'user', content: 'What did Kenji say about the March 3 report?' });
  writeFileSync(path.join(dir, `chat${seed}.jsonl`), `${chat.map(({ role, content }) => JSON.stringify({ role, content })).join('\n')}\n`);
}
const GRID = ['--policy', 'sliding,salience,hybrid', '--max-tokens', '1024,2048,4096', '--recall', 'on,off'];
const cores = availableParallelism();
const REPEATS = 3;

/** One sweep as a process (under GNU time): its wall time, its CPU time (user + sys, every thread) and output. */
function sweep(workers: number): { ms: number; cpuMs: number; out: SweepOutput } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, 'dist/cli/fms.js', 'sweep', dir, ...GRID, '--workers', String(workers), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`fms sweep failed: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (!cpu) throw new Error(`no CPU time from /usr/bin/time: ${r.stderr}`);
  return { ms, cpuMs: 1000 * (Number(cpu[1]) + Number(cpu[2])), out: JSON.parse(r.stdout) as SweepOutput };
}

const untimed = (o: SweepOutput): string => JSON.stringify(o.runs.map(({ engineMsTotal, ...r }) => (void engineMsTotal, r)));
const settings = [1, cores];
const walls = new Map<number, number[]>(settings.map((w) => [w, []]));
const cpus = new Map<number, number[]>(settings.map((w) => [w, []]));
let reference: SweepOutput | undefined;
// other processes on the machine take cores from the workers: the load average says how many were busy
const loadBefore = loadavg()[0];
for (let i = 0; i < REPEATS; i++) {
  // interleaved, so a slow moment of the machine does not fall on one setting only
  for (const w of settings) {
    const { ms, cpuMs, out } = sweep(w);
    walls.get(w)!.push(ms);
    cpus.get(w)!.push(cpuMs);
    reference ??= out;
    if (untimed(out) !== untimed(reference)) throw new Error(`--workers ${w} gave other figures than --workers 1`);
  }
}
rmSync(dir, { recursive: true, force: true });
const loadAfter = loadavg()[0];

const runs = reference!.runs.length;
const turns = reference!.runs.reduce((n, r) => n + r.turns, 0);
const median = (w: number): number => summarize(walls.get(w)!).p50;
const rows = settings.map((w) => {
  const s = median(w) / 1000;
  const cpu = summarize(cpus.get(w)!).p50 / 1000;
  return [`${w}${w === cores ? ' (every core)' : ''}`, runs, turns, `${s.toFixed(2)} s`, `${cpu.toFixed(2)} s`, (cpu / s).toFixed(2), runs / s, turns / s, `${(median(1) / median(w)).toFixed(2)}x`];
});
process.stdout.write(
  table(
    `fms sweep: ${runs} runs (3 policies x 3 budgets x recall on/off on 4 synthetic 400-turn chats), median of ${REPEATS} processes`,
    ['workers', 'runs', 'turns replayed', 'wall', 'CPU (user + sys)', 'cores busy (CPU / wall)', 'runs/s', 'turns/s', 'speed-up over 1 worker'],
    rows,
  ),
);
process.stdout.write(`\n${cores} cores; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (above ${cores}, other processes shared the cores and the speed-up is understated)\n`);
