// Whole processes, wall time and peak RSS (GNU time), medians of interleaved runs:
// - cold start: `fms replay` of a two-message file beside a bare `node -e 0`;
// - the 1,600-turn synthetic chat at 8k with defaults (recall on): its peak RSS, and its wall time
//   beside a fresh process that only tokenizes the same chat (reads it, loads the tokenizer, encodes
//   every message); at 400 turns too, for how the peak grows with the chat.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { record, summarize, table } from './util.js';

// the CLI as the current sources build it (and the pre-parsed tokenizer it loads)
const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('scripts/build-cli.mjs failed');

const dir = mkdtempSync(path.join(tmpdir(), 'fms-cold-'));
const two = path.join(dir, 'two.jsonl');
writeFileSync(two, '{"role":"system","content":"Be brief."}\n{"role":"user","content":"Hello there."}\n');
const chatFile = (turns: number): string => {
  const file = path.join(dir, `chat${turns}.jsonl`);
  const lines = syntheticChat({ seed: 42, turns, sentencesPerMessage: 6 }).map(({ role, content }) => JSON.stringify({ role, content }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};
const chat1600 = chatFile(1600);
const chat400 = chatFile(400);

// the peer of the whole replay: a process that only tokenizes the chat, bundled from the current sources
const tokenizeOnly = path.resolve('.cache', 'bench', 'tokenize-chat.mjs');
mkdirSync(path.dirname(tokenizeOnly), { recursive: true });
await build({
  stdin: {
    contents: `import { readFileSync } from 'node:fs';
      import { loadTokenizer } from './src/engine/node/loadTokenizer.ts';
      const tokenizer = await loadTokenizer();
      let tokens = 0;
      for (const line of readFileSync(process.argv[2], 'utf8').split('\\n')) if (line) tokens += tokenizer.encode(JSON.parse(line).content).length;
      process.stdout.write(tokens + '\\n');`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  outfile: tokenizeOnly,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

interface Run {
  wall: number;
  rss: number;
}
function run(args: string[]): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`run failed: ${args.join(' ')}: ${r.stderr}`);
  const [wall, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall: wall * 1000, rss: kb / 1024 };
}

const commands = {
  node: ['-e', '0'],
  two: ['dist/cli/fms.js', 'replay', two, '--json'],
  tokenize: [tokenizeOnly, chat1600],
  chat: ['dist/cli/fms.js', 'replay', chat1600, '--json', '--max-tokens', '8192'],
  chat400: ['dist/cli/fms.js', 'replay', chat400, '--json', '--max-tokens', '8192'],
};
type Key = keyof typeof commands;
const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, [] as Run[]])) as Record<Key, Run[]>;
const RUNS = Math.max(1, Number(process.env.FMS_BENCH_COLD_RUNS ?? 7));
const LONG_RUNS = Math.max(1, Number(process.env.FMS_BENCH_REPLAY_RUNS ?? 5));
for (let i = 0; i < RUNS; i++) {
  for (const k of ['node', 'two'] as const) samples[k].push(run(commands[k]));
  if (i < LONG_RUNS) for (const k of ['tokenize', 'chat', 'chat400'] as const) samples[k].push(run(commands[k]));
}
rmSync(dir, { recursive: true });
const med = (k: Key) => ({ wall: summarize(samples[k].map((s) => s.wall)).p50, rss: summarize(samples[k].map((s) => s.rss)).p50 });
const m = Object.fromEntries(Object.keys(commands).map((k) => [k, med(k as Key)])) as Record<Key, Run>;

console.log(
  table(`Whole processes (median of ${RUNS} interleaved runs; the chats ${LONG_RUNS})`, ['command', 'wall ms', 'peak RSS MB'], [
    ['node -e 0 (baseline)', m.node.wall, m.node.rss],
    ['fms replay two.jsonl --json', m.two.wall, m.two.rss],
    ['tokenize the 1,600-turn chat alone (fresh process: load, read, encode every message)', m.tokenize.wall, m.tokenize.rss],
    ['fms replay chat1600.jsonl --json --max-tokens 8192 (defaults, recall on)', m.chat.wall, m.chat.rss],
    ['fms replay chat400.jsonl --json --max-tokens 8192', m.chat400.wall, m.chat400.rss],
  ]),
);

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perMessage = ((m.chat.rss - m.chat400.rss) * 1024) / (2 * (1600 - 400));
record({
  key: 'coldstart',
  figure: 'cold start, fms replay of a 2-message chat (wall / peak RSS)',
  value: `${s(m.two.wall)} / ${m.two.rss.toFixed(0)} MB`,
  peer: `node -e 0 ${s(m.node.wall)} / ${m.node.rss.toFixed(0)} MB`,
  ratio: `${(m.two.wall / m.node.wall).toFixed(1)}x / ${(m.two.rss / m.node.rss).toFixed(1)}x`,
  target: '<= 0.2 s, <= 80 MB',
  holds: m.two.wall <= 200 && m.two.rss <= 80,
});
record({
  key: 'replay-rss',
  figure: 'replay peak RSS, 1,600 turns at 8k (growth per message from 400 turns)',
  value: `${m.chat.rss.toFixed(0)} MB (+${perMessage.toFixed(1)} KB/message)`,
  peer: `2-message replay ${m.two.rss.toFixed(0)} MB; 400 turns ${m.chat400.rss.toFixed(0)} MB`,
  ratio: `${(m.chat.rss / m.two.rss).toFixed(1)}x`,
  target: '<= 120 MB',
  holds: m.chat.rss <= 120,
});
record({
  key: 'replay-whole',
  figure: 'fms replay whole process, 1,600 turns, defaults (recall on), 8k',
  value: s(m.chat.wall),
  peer: `tokenize the chat alone, fresh process ${s(m.tokenize.wall)}`,
  ratio: `${(m.chat.wall / m.tokenize.wall).toFixed(1)}x`,
  target: '<= 0.8 s and <= 3x tokenize-alone',
  holds: m.chat.wall <= 800 && m.chat.wall <= 3 * m.tokenize.wall,
});
