/**
 * Engine-host entry. In Electron it runs as a utility process and receives its MessagePort from
 * main; under plain Node (browser mode, tests) it talks over the child-process IPC channel.
 * Options come from the environment: FMS_AUTOSAVE (file), FMS_RESTART_REASON (set by the
 * supervisor after a crash), FMS_TOKENIZER, FMS_MODELS_DIR, the limits (FMS_MAX_*_BYTES), and
 * HF_ENDPOINT (a Hub mirror for model and tokenizer downloads), and OTEL_EXPORTER_OTLP_* (OpenTelemetry export
 * of every turn, telemetry.ts).
 */
import { limitsFromEnv } from '../shared/limits.js';
import { isParentMessage, type HostMessage, type ParentMessage } from '../shared/hostControl.js';
import { BackendError } from '../engine/backend.js';
import { applyHubSettings } from '../engine/node/hubEndpoint.js';
import { loadTokenizer } from '../engine/node/loadTokenizer.js';
import { createBackend } from './backendFactory.js';
import { createHost, type Host } from './host.js';
import { electronPortTransport, Inbox, ipcChannels, SwitchableTransport, type ElectronPortLike, type HostTransport, type ParentChannel } from './transport.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: ElectronPortLike[] }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * Points downloads at HF_ENDPOINT, and the models folder. A bad HF_ENDPOINT is reported (stderr) and
 * returned: local models then refuse to connect with it, rather than downloading from the Hub the
 * user meant to avoid.
 */
async function hubEndpoint(): Promise<string | undefined> {
  try {
    await applyHubSettings({ endpoint: process.env.HF_ENDPOINT, cacheDir: process.env.FMS_MODELS_DIR || undefined });
    return undefined;
  } catch (err) {
    process.stderr.write(`engine-host: ${(err as Error).message}\n`);
    return (err as Error).message;
  }
}

async function start(transport: HostTransport, parent: ParentChannel): Promise<Host> {
  const hubProblem = await hubEndpoint();
  const tokenizer = await loadTokenizer(process.env.FMS_TOKENIZER || undefined, { cacheDir: process.env.FMS_MODELS_DIR });
  return createHost({
    transport,
    parent,
    tokenizer,
    limits: limitsFromEnv(process.env),
    autosavePath: process.env.FMS_AUTOSAVE || undefined,
    restartReason: process.env.FMS_RESTART_REASON || undefined,
    restoreLastSession: true,
    otelEnv: process.env,
    createBackend: (config, tok, onProgress) =>
      hubProblem && config.kind === 'local' ? Promise.reject(new BackendError('model-unavailable', hubProblem)) : createBackend(config, tok, { cacheDir: process.env.FMS_MODELS_DIR, onProgress }),
  });
}

function fail(err: unknown): void {
  process.stderr.write(`engine-host: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

/** On the parent's shutdown message: finish the pending autosave, then exit. */
function exitOnShutdown(parent: ParentChannel, host: Promise<Host>): void {
  parent.onMessage((m) => {
    if (m.type !== 'shutdown') return;
    void host
      .then((h) => h.dispose())
      .finally(() => process.exit(0));
  });
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  // main sends a fresh port whenever the window (re)loads; the host keeps its state across them
  const transport = new SwitchableTransport();
  const inbox = new Inbox<ParentMessage>();
  const parent: ParentChannel = {
    onMessage: (handler) => inbox.on(handler),
    send: (message: HostMessage) => parentPort.postMessage(message),
  };
  let host: Promise<Host> | undefined;
  parentPort.on('message', (e) => {
    if (isParentMessage(e.data)) return inbox.deliver(e.data);
    const port = e.ports[0];
    if (!port) return;
    transport.attach(electronPortTransport(port));
    if (!host) {
      host = start(transport, parent);
      host.then(() => inbox.seal(), fail);
      exitOnShutdown(parent, host);
    }
  });
} else if (process.send) {
  const { transport, parent, seal } = ipcChannels(process);
  const host = start(transport, parent);
  host.then(seal, fail);
  exitOnShutdown(parent, host);
} else {
  fail(new Error('run me from the app (utility process) or `fms serve` (child process)'));
}
