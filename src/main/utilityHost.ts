import { utilityProcess, type UtilityProcess } from 'electron';
import type { HostMessage, ParentMessage } from '../shared/hostControl.js';
import type { HostProcess } from '../supervisor/supervisor.js';

/** How long the host may take to finish its autosave on shutdown before it is killed. */
export const SHUTDOWN_GRACE_MS = 5000;

interface PendingGrant {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** The engine host as an Electron utility process; parent messages travel on its parentPort. */
export class UtilityHost implements HostProcess {
  readonly proc: UtilityProcess;
  readonly #pending = new Map<string, PendingGrant>();
  readonly #exited: Promise<void>;
  #alive = true;

  constructor(entry: string, env: Record<string, string>) {
    this.proc = utilityProcess.fork(entry, [], { env: { ...process.env, ...env }, serviceName: 'Finite Memory Studio engine', stdio: 'inherit' });
    this.#exited = new Promise((resolve) => {
      this.proc.once('exit', () => {
        this.#alive = false;
        this.#failPending('the engine stopped before it could take the file; pick it again');
        resolve();
      });
    });
    this.proc.on('message', (message: unknown) => this.#onMessage(message));
  }

  get alive(): boolean {
    return this.#alive;
  }

  onExit(listener: (code: number | null) => void): void {
    this.proc.on('exit', (code) => listener(code));
  }

  /** A grant, a secret or the shutdown request; dropped once the host has exited (its exit fails pending grants). */
  send(message: ParentMessage): void {
    if (!this.#alive) return;
    try {
      this.proc.postMessage(message);
    } catch {
      // the process is going away: its exit event follows
    }
  }

  /** Resolves when the host answers `granted` for `handle`; rejects after `timeoutMs` or when the host exits. */
  granted(handle: string, timeoutMs: number): Promise<void> {
    if (!this.#alive) return Promise.reject(new Error('the engine is not running'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(handle);
        reject(new Error(`the engine did not take the file within ${Math.round(timeoutMs / 1000)} s; try again`));
      }, timeoutMs);
      this.#pending.set(handle, { resolve, reject, timer });
    });
  }

  kill(): void {
    this.proc.kill();
  }

  /** Asks the host to finish its autosave and exit; kills it if it takes longer than the grace period. */
  async shutdown(): Promise<void> {
    if (!this.#alive) return;
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => this.kill(), SHUTDOWN_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  #onMessage(message: unknown): void {
    const m = message as Partial<HostMessage> | undefined;
    // credits matter only to browser mode's server
    if (m?.type !== 'granted' || typeof m.handle !== 'string') return;
    const pending = this.#pending.get(m.handle);
    if (!pending) return;
    this.#pending.delete(m.handle);
    clearTimeout(pending.timer);
    pending.resolve();
  }

  #failPending(reason: string): void {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.#pending.clear();
  }
}
