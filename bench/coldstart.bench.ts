// Cold start of `fms replay` on a two-message file: wall time and peak RSS of the whole process
// (GNU time), median of several runs, next to a bare `node -e 0` for scale.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarize, table } from './util.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-cold-'));
const file = path.join(dir, 'two.jsonl');
writeFileSync(file, '{"role":"system","content":"Be brief."}\n{"role":"user","content":"Hello there."}\n');
const RUNS = 7;

function measure(args: string[]): { wall: number; rss: number } {
  const walls: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`run failed: ${r.stderr}`);
    const last = r.stderr.trim().split('\n').pop() ?? '';
    const [wall, kb] = last.split(' ').map(Number);
    walls.push(wall * 1000);
    rss.push(kb / 1024);
  }
  return { wall: summarize(walls).p50, rss: summarize(rss).p50 };
}

const node = measure(['-e', '0']);
const fms = measure(['dist/cli/fms.js', 'replay', file, '--json']);
rmSync(dir, { recursive: true });
console.log(
  table(`Cold start (median of ${RUNS} runs)`, ['command', 'wall ms', 'peak RSS MB'], [
    ['node -e 0 (baseline)', node.wall, node.rss],
    ['fms replay two.jsonl --json', fms.wall, fms.rss],
  ]),
);
