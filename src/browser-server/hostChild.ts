import { fork, type ChildProcess } from 'node:child_process';
import type { HostMessage, IpcEnvelope, ParentMessage } from '../shared/hostControl.js';
import type { HostProcess } from '../supervisor/supervisor.js';

/** How long a host may take to finish its autosave on shutdown before it is killed. */
const SHUTDOWN_GRACE_MS = 5000;

/**
 * An engine host in a Node child process, talking structured clone over IPC. Client commands and the
 * server's own messages (secrets, shutdown) travel in envelopes naming their channel.
 */
export class HostChild implements HostProcess {
  readonly child: ChildProcess;
  #exited: Promise<void>;

  constructor(entry: string, env: Record<string, string | undefined>) {
    this.child = fork(entry, [], {
      serialization: 'advanced',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // a failed send (the host just died) or spawn is reported through exit; never an uncaught error
    this.child.on('error', () => undefined);
    this.#exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  onExit(listener: (code: number | null, signal?: string) => void): void {
    this.child.on('exit', (code, signal) => listener(code, signal ?? undefined));
  }

  /** Batches and the host's own messages (credits, grants). */
  onMessage(listener: (message: unknown) => void): void {
    this.child.on('message', listener);
  }

  sendClient(command: unknown): void {
    this.#send({ ch: 'client', data: command });
  }

  sendParent(message: ParentMessage): void {
    this.#send({ ch: 'parent', data: message });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  async shutdown(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.sendParent({ type: 'shutdown' });
    const timer = setTimeout(() => this.kill(), SHUTDOWN_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  #send(envelope: IpcEnvelope): void {
    if (this.child.connected) this.child.send(envelope as never, (err) => void err);
  }
}

export const isHostMessage = (m: unknown): m is { ch: 'parent'; data: HostMessage } => (m as { ch?: unknown } | undefined)?.ch === 'parent';
