// `npm run bench`: runs every benchmark in bench/ and prints their tables. Numbers, not pass/fail.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const only = process.argv.slice(2);
const benches = ['engine', 'tokenizer', 'coldstart', 'kvreuse'].filter((b) => only.length === 0 || only.includes(b));
if (benches.includes('coldstart') && !existsSync('dist/cli/fms.js')) {
  spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
let failed = false;
for (const b of benches) {
  const r = spawnSync('node_modules/.bin/tsx', ['--expose-gc', `bench/${b}.bench.ts`], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
