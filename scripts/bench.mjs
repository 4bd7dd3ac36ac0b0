// `npm run bench`: runs every benchmark in bench/ and prints their tables. Numbers, not pass/fail.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const only = process.argv.slice(2);
const benches = ['engine', 'tokenizer', 'coldstart', 'kvreuse', 'protocol', 'ui', 'stores', 'policy', 'recall', 'facts', 'hardening', 'sse', 'sweep', 'targets'].filter((b) => only.length === 0 || only.includes(b));
// a full run starts a fresh target table (bench/targets.bench.ts prints it last)
if (only.length === 0) rmSync('.cache/bench/targets.json', { force: true });
// coldstart runs dist/cli/fms.js; protocol starts the browser-mode server on dist/host/index.js
if ((benches.includes('coldstart') || benches.includes('protocol') || benches.includes('hardening')) && !(existsSync('dist/cli/fms.js') && existsSync('dist/host/index.js'))) {
  spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
let failed = false;
for (const b of benches) {
  const r = spawnSync('node_modules/.bin/tsx', ['--expose-gc', `bench/${b}.bench.ts`], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
