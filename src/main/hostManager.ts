import { randomBytes } from 'node:crypto';
import { MessageChannelMain, type WebContents } from 'electron';
import { ENGINE_PORT_MESSAGE } from '../shared/bridge.js';
import { IPC } from '../shared/ipcChannels.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { UtilityHost } from './utilityHost.js';

export { UtilityHost } from './utilityHost.js';

/** How long main waits for the host to confirm a grant. */
export const GRANT_TIMEOUT_MS = 10_000;

/** Gives the host one end of a new channel and the window the other: events then bypass main. */
export function handOffPorts(host: UtilityHost, contents: WebContents): void {
  const { port1, port2 } = new MessageChannelMain();
  host.proc.postMessage({ type: 'port' }, [port1]);
  contents.postMessage(ENGINE_PORT_MESSAGE, null, [port2]);
}

/**
 * Lets the host read (or write) exactly `file` under a fresh opaque handle; resolves with the handle
 * once the host confirmed it, so the renderer can use it at once. Rejects when there is no host, when
 * it exits meanwhile, or after `timeoutMs`.
 */
export async function grant(host: UtilityHost | undefined, file: string, mode: 'read' | 'write', timeoutMs = GRANT_TIMEOUT_MS): Promise<string> {
  if (!host?.alive) throw new Error('the engine is not running: restart it (Engine → Restart Engine), then pick the file again');
  const handle = randomBytes(18).toString('base64url');
  const granted = host.granted(handle, timeoutMs);
  host.send({ type: 'grant', handle, path: file, mode });
  await granted;
  return handle;
}

export interface HostManagerOptions {
  entry: string;
  autosavePath: string;
  modelsDir: string;
  /**
   * Where the host keeps the tokenizer data it builds on first load (FMS_TOKENIZER_CACHE, unless the
   * environment sets it): a packaged app cannot write beside its modules, inside the ASAR.
   */
  tokenizerCache?: string;
  /** The window to connect, if there is one. */
  contents: () => WebContents | undefined;
  /** The saved API key, handed to every host when it starts. */
  apiKey: () => string | undefined;
  /** Called (besides telling the window) when the host crashed too often and was not restarted. */
  onGiveUp?: (reason: string) => void;
}

/**
 * Forks the host, restarts it after crashes (it restores the autosave), reconnects the window and
 * gives each host the API key. After too many crashes it tells the window (`fms:engine-stopped`),
 * whose Restart button calls `restart()`.
 */
export class HostManager {
  readonly supervisor: Supervisor<UtilityHost>;
  readonly #o: HostManagerOptions;
  #stoppedReason: string | undefined;

  constructor(options: HostManagerOptions) {
    this.#o = options;
    this.supervisor = new Supervisor<UtilityHost>({
      spawn: (reason) => {
        const env: Record<string, string> = { FMS_AUTOSAVE: options.autosavePath, FMS_MODELS_DIR: options.modelsDir };
        if (options.tokenizerCache && !process.env.FMS_TOKENIZER_CACHE) env.FMS_TOKENIZER_CACHE = options.tokenizerCache;
        if (reason) env.FMS_RESTART_REASON = reason;
        return new UtilityHost(options.entry, env);
      },
      onStart: (host) => {
        this.#stoppedReason = undefined;
        // before the port: the host starts on its first port and may reconnect a backend that needs the key
        const key = options.apiKey();
        if (key) host.send({ type: 'secret', name: 'openai-api-key', value: key });
        const contents = this.#contents();
        if (contents) handOffPorts(host, contents);
      },
      onGiveUp: (reason) => {
        this.#stoppedReason = reason;
        this.#contents()?.send(IPC.engineStopped, reason);
        options.onGiveUp?.(reason);
      },
    });
  }

  get current(): UtilityHost | undefined {
    return this.supervisor.current;
  }

  start(): void {
    this.supervisor.start();
  }

  /** For good (app quit): the host finishes its autosave first (killed after a grace period). */
  stop(): Promise<void> {
    return this.supervisor.stop();
  }

  /** The Restart Engine menu item and the window's Restart button: also after a give-up. */
  restart(): void {
    if (this.supervisor.gaveUp) this.supervisor.resume('restarted by the user');
    else this.supervisor.restart();
  }

  /** The window (re)loaded and wants a port; if the engine stopped for good it hears why instead. */
  requestPort(contents: WebContents): void {
    const host = this.current;
    if (host) handOffPorts(host, contents);
    else if (this.#stoppedReason) contents.send(IPC.engineStopped, this.#stoppedReason);
  }

  grant(file: string, mode: 'read' | 'write'): Promise<string> {
    return grant(this.current, file, mode);
  }

  /** Hands the current host a new API key (undefined forgets it). */
  sendApiKey(value: string | undefined): void {
    this.current?.send({ type: 'secret', name: 'openai-api-key', ...(value ? { value } : {}) });
  }

  #contents(): WebContents | undefined {
    const contents = this.#o.contents();
    return contents && !contents.isDestroyed() ? contents : undefined;
  }
}

export function createHostManager(options: HostManagerOptions): HostManager {
  return new HostManager(options);
}
