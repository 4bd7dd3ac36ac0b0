import type { EngineCommand } from '../shared/protocol.js';
import { checkCommand } from '../shared/commandCheck.js';
import { runCommand } from './commands/index.js';
import { CommandQueue } from './commandQueue.js';
import type { HostContext } from './context.js';
import { CommandError } from './errors.js';
import type { ParentChannel } from './transport.js';

/** Commands that never wait in the queue: the connection itself, stopping work, and metrics scrapes. */
const IMMEDIATE = new Set<EngineCommand['type']>(['hello', 'ack', 'cancel', 'getMetrics']);

/**
 * Where client messages enter the host: each is checked (size, nesting, schema), then run at once
 * (IMMEDIATE) or queued to run one at a time. Every message taken off the client's hands is credited to
 * the parent (browser mode's server reads its socket by these credits). A failed command becomes an
 * `error` event naming it.
 */
export class CommandIntake {
  readonly #ctx: HostContext;
  readonly #parent: ParentChannel | undefined;
  readonly #queue: CommandQueue<EngineCommand>;
  #credits = 0;

  constructor(ctx: HostContext, parent: ParentChannel | undefined) {
    this.#ctx = ctx;
    this.#parent = parent;
    this.#queue = new CommandQueue<EngineCommand>({ run: (cmd) => this.run(cmd), onTaken: () => this.#credit() });
  }

  /** A message from the client, not yet checked. */
  receive(data: unknown): void {
    const { emit } = this.#ctx;
    const checked = checkCommand(data, this.#ctx.limits);
    if (!checked.ok) {
      emit({ type: 'error', ...checked.error });
      this.#ctx.batcher.start();
      this.#credit();
      return;
    }
    const cmd = checked.command as EngineCommand;
    if (IMMEDIATE.has(cmd.type)) {
      void this.run(cmd);
      this.#credit();
      return;
    }
    if (!this.#queue.push(cmd)) {
      emit({ type: 'error', code: 'overloaded', message: `the engine has ${this.#queue.length} commands waiting; this one was refused`, command: cmd.type, id: 'id' in cmd ? cmd.id : undefined });
      this.#credit();
    }
  }

  /** Queues a command of the host's own (the backend to reconnect after a restart). */
  enqueue(cmd: EngineCommand): void {
    this.#queue.push(cmd);
  }

  /** Runs a command now; its failure is reported as an `error` event, never thrown. */
  run(cmd: EngineCommand): Promise<void> {
    return runCommand(this.#ctx, cmd).catch((err: unknown) => {
      const code = err instanceof CommandError ? err.code : 'internal';
      const id = 'id' in cmd ? cmd.id : undefined;
      this.#ctx.emit({ type: 'error', code, message: (err as Error).message ?? String(err), command: cmd.type, id });
    });
  }

  /** Credits for browser mode's server: how many client commands left the host's hands (coalesced per tick). */
  #credit(): void {
    const parent = this.#parent;
    if (!parent) return;
    if (this.#credits++ === 0) {
      setImmediate(() => {
        parent.send({ type: 'credit', commands: this.#credits });
        this.#credits = 0;
      });
    }
  }
}
