/** A running engine host, however it was started (Electron utility process or Node child). */
export interface HostProcess {
  onExit(listener: (code: number | null, signal?: string) => void): void;
  kill(): void;
  /** Asks the host to finish its autosave and exit; resolves when it has exited (or was killed after a grace period). */
  shutdown?(): Promise<void>;
}

export interface SupervisorOptions<P extends HostProcess> {
  /** Starts a host; `restartReason` is set when it replaces a crashed one. */
  spawn: (restartReason: string | undefined) => P;
  /** Called with each new host (first start and restarts). */
  onStart: (proc: P, restartReason: string | undefined) => void;
  /** Called when the host crashed too often and was not restarted. */
  onGiveUp: (reason: string) => void;
  schedule?: (fn: () => void, ms: number) => void;
  now?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Crashes within `windowMs` before giving up. */
  maxCrashes?: number;
  windowMs?: number;
}

/**
 * Keeps one engine host running: restarts it after a crash with exponential backoff (250 ms,
 * 500 ms, ... capped), gives up after too many crashes in a minute, and never restarts a host that
 * was stopped on purpose.
 */
export class Supervisor<P extends HostProcess> {
  #o: Required<SupervisorOptions<P>>;
  #proc: P | undefined;
  #crashes: number[] = [];
  #stopped = false;
  #restarting = false;
  #gaveUp = false;

  constructor(options: SupervisorOptions<P>) {
    this.#o = {
      schedule: (fn, ms) => void setTimeout(fn, ms),
      now: Date.now,
      baseDelayMs: 250,
      maxDelayMs: 8000,
      maxCrashes: 5,
      windowMs: 60_000,
      ...options,
    };
  }

  get current(): P | undefined {
    return this.#proc;
  }

  start(restartReason?: string): P {
    const proc = this.#o.spawn(restartReason);
    this.#proc = proc;
    proc.onExit((code, signal) => this.#exited(proc, code, signal));
    this.#o.onStart(proc, restartReason);
    return proc;
  }

  /** Stops the host for good (app quit): a graceful shutdown (its autosave finishes) where it has one. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const proc = this.#proc;
    if (!proc) return;
    if (proc.shutdown) await proc.shutdown();
    else proc.kill();
  }

  /** True after it gave up on a host that crashed too often (until `resume`). */
  get gaveUp(): boolean {
    return this.#gaveUp;
  }

  /** Starts again after it gave up (the user pressed "Restart engine"): the crash count starts over. */
  resume(reason = 'restarted by the user'): void {
    if (this.#proc || this.#stopped) return;
    this.#crashes = [];
    this.#gaveUp = false;
    this.start(reason);
  }

  /** Restarts the host on purpose (the "Restart Engine" menu item): not counted as a crash. */
  restart(): void {
    if (!this.#proc) return void this.start('restarted from the menu');
    this.#restarting = true;
    // graceful where it can be: the host finishes its autosave before it goes
    if (this.#proc.shutdown) void this.#proc.shutdown();
    else this.#proc.kill();
  }

  #exited(proc: P, code: number | null, signal?: string): void {
    if (proc !== this.#proc || this.#stopped) return;
    this.#proc = undefined;
    if (this.#restarting) {
      this.#restarting = false;
      this.start('the engine was restarted on request');
      return;
    }
    const now = this.#o.now();
    this.#crashes = this.#crashes.filter((t) => now - t < this.#o.windowMs);
    this.#crashes.push(now);
    const why = signal ? `the engine was killed (${signal})` : `the engine exited unexpectedly (code ${code})`;
    if (this.#crashes.length > this.#o.maxCrashes) {
      this.#gaveUp = true;
      this.#o.onGiveUp(`${why}; it crashed ${this.#crashes.length} time${this.#crashes.length === 1 ? '' : 's'} in a minute, so it was not restarted`);
      return;
    }
    const delay = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (this.#crashes.length - 1));
    this.#o.schedule(() => {
      if (!this.#stopped && !this.#proc) this.start(`${why}; restarted after ${delay} ms`);
    }, delay);
  }
}
