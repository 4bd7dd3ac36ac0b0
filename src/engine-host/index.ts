/**
 * Engine-host entry. In Electron it runs as a utility process and receives its MessagePort from
 * main; under plain Node (browser mode, tests) it talks over the child-process IPC channel.
 * Options come from the environment: FMS_AUTOSAVE (file), FMS_RESTART_REASON (set by the
 * supervisor after a crash), FMS_TOKENIZER, FMS_MODELS_DIR.
 */
import { loadTokenizer } from '../engine/node/loadTokenizer.js';
import { createBackend } from './backends.js';
import { createHost } from './host.js';
import { electronPortTransport, ipcTransport, SwitchableTransport, type ElectronPortLike, type HostTransport } from './transport.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: ElectronPortLike[] }) => void): void;
}

async function start(transport: HostTransport): Promise<void> {
  const tokenizer = await loadTokenizer(process.env.FMS_TOKENIZER || undefined, { cacheDir: process.env.FMS_MODELS_DIR });
  await createHost({
    transport,
    tokenizer,
    autosavePath: process.env.FMS_AUTOSAVE || undefined,
    restartReason: process.env.FMS_RESTART_REASON || undefined,
    restoreLastSession: true,
    createBackend: (config, tok, onProgress) => createBackend(config, tok, { cacheDir: process.env.FMS_MODELS_DIR, onProgress }),
  });
}

function fail(err: unknown): void {
  process.stderr.write(`engine-host: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  // main sends a fresh port whenever the window (re)loads; the host keeps its state across them
  const transport = new SwitchableTransport();
  let started = false;
  parentPort.on('message', (e) => {
    const port = e.ports[0];
    if (!port) return;
    transport.attach(electronPortTransport(port));
    if (!started) {
      started = true;
      start(transport).catch(fail);
    }
  });
} else if (process.send) {
  start(ipcTransport(process)).catch(fail);
} else {
  fail(new Error('run me from the app (utility process) or `fms serve` (child process)'));
}
