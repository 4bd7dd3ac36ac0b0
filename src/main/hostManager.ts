import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { ENGINE_PORT_MESSAGE } from '../shared/bridge.js';
import { Supervisor, type HostProcess } from '../engine-host/supervisor.js';

/** The engine host as an Electron utility process. */
export class UtilityHost implements HostProcess {
  readonly proc: UtilityProcess;

  constructor(entry: string, env: Record<string, string>) {
    this.proc = utilityProcess.fork(entry, [], { env: { ...process.env, ...env }, serviceName: 'Finite Memory Studio engine', stdio: 'inherit' });
  }

  onExit(listener: (code: number | null) => void): void {
    this.proc.on('exit', (code) => listener(code));
  }

  kill(): void {
    this.proc.kill();
  }
}

/** Gives the host one end of a new channel and the window the other: events then bypass main. */
export function handOffPorts(host: UtilityHost, contents: WebContents): void {
  const { port1, port2 } = new MessageChannelMain();
  host.proc.postMessage({ type: 'port' }, [port1]);
  contents.postMessage(ENGINE_PORT_MESSAGE, null, [port2]);
}

export interface HostManagerOptions {
  entry: string;
  autosavePath: string;
  modelsDir: string;
  /** The window to connect, if there is one. */
  contents: () => WebContents | undefined;
  onGiveUp: (reason: string) => void;
}

/** Forks the host, restarts it after crashes (it restores the autosave), and reconnects the window. */
export function createHostManager(options: HostManagerOptions): Supervisor<UtilityHost> {
  const supervisor = new Supervisor<UtilityHost>({
    spawn: (reason) => {
      const env: Record<string, string> = { FMS_AUTOSAVE: options.autosavePath, FMS_MODELS_DIR: options.modelsDir };
      if (reason) env.FMS_RESTART_REASON = reason;
      return new UtilityHost(options.entry, env);
    },
    onStart: (host) => {
      const contents = options.contents();
      if (contents && !contents.isDestroyed()) handOffPorts(host, contents);
    },
    onGiveUp: options.onGiveUp,
  });
  return supervisor;
}
