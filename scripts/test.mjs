// The project's test command: typecheck, lint, then every vitest suite.
// Ends with one line "N passed, N failed" summed over all of them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
let passed = 0;
let failed = 0;
let skipped = 0;

function check(label, cmd, args) {
  console.log(`\n== ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.log(`${label} failed (exit ${r.status ?? r.signal})`);
  }
}

function vitest(label, args) {
  console.log(`\n== ${label}`);
  mkdirSync('.cache', { recursive: true });
  const out = `.cache/${label.replace(/\W+/g, '-')}.json`;
  rmSync(out, { force: true });
  const r = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args], { stdio: 'inherit' });
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    if (r.status !== 0 && report.numFailedTests === 0) failed++; // a suite that failed to load or crashed
  } catch {
    failed++;
    console.log(`${label}: no test report (exit ${r.status ?? r.signal})`);
  }
}

check('typecheck (node)', bin('tsc'), ['-p', 'tsconfig.json']);
check('typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json']);
check('lint', bin('eslint'), ['.']);
vitest('unit', []);
check('build (renderer, main, preload, host, cli)', 'npm', ['run', 'build', '--silent']);
vitest('e2e', ['--config', 'vitest.e2e.config.ts']);

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
