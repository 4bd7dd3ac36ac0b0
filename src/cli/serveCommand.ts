import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Limits } from '../shared/limits.js';
import { startServer } from '../browser-server/server.js';
import { inputError } from './inputError.js';

export interface ServeFlags {
  port: number;
  data?: string;
  limits?: Limits;
}

/** Where `fms serve` keeps its autosave and downloaded models. */
export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share');
  return path.join(base, 'finite-memory-studio');
}

const log = (line: string): void => void process.stderr.write(`fms: ${line}\n`);

/** `fms serve`: browser mode. Resolves when the server stops (Ctrl+C). */
export async function runServe(flags: ServeFlags): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(here, '../../out/renderer');
  const hostEntry = path.resolve(here, '../host/index.js');
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw inputError(`the UI is not built (${rendererDir} is missing): run \`npm run build\` first`);
  if (!existsSync(hostEntry)) throw inputError(`the engine host is not built (${hostEntry} is missing): run \`npm run build\` first`);
  const server = await startServer({
    port: flags.port,
    rendererDir,
    hostEntry,
    dataDir: flags.data ?? defaultDataDir(),
    limits: flags.limits,
    log,
  }).catch((err: NodeJS.ErrnoException) => {
    throw inputError(err.code === 'EADDRINUSE' ? `port ${flags.port} is in use: pick another with --port` : err.message);
  });
  process.stdout.write(`Serving at ${server.url}\n`);
  // the last guard: nothing a request can cause takes the server down; it is logged and serving goes on
  const survive = (what: string) => (err: unknown) => log(`${what} (still serving): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.on('uncaughtException', survive('unexpected error'));
  process.on('unhandledRejection', survive('unhandled rejection'));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
