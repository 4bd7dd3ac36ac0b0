import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

/** The built CLI the tests run (scripts/build-cli.mjs writes it). */
export const CLI = path.resolve('dist/cli/fms.js');

/** How an `fms` run ended: its exit code (null when killed) and what it printed. */
export interface FmsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `fms ...args` to its end (killed after 5 minutes, so a hung run fails its test instead of the suite). */
export function runFms(...args: string[]): FmsRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same without blocking the event loop, for runs that talk to a server living in the test's own
 * process (a test model server, an OTLP receiver, a Hub mirror); `env` is the child's whole environment.
 */
export function runFmsAsync(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<FmsRun> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
