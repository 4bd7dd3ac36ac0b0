import path from 'node:path';
import { PROTOCOL_VERSION, type ClientCommand } from '../shared/protocol.js';
import { isFramedBatch, type FramedBatch } from '../shared/wire.js';
import { limitsToEnv, type Limits } from '../shared/limits.js';
import { Supervisor } from '../supervisor/supervisor.js';
import type { Backpressure } from './backpressure.js';
import type { ClientSlot } from './clientSlot.js';
import { HostChild, isHostMessage } from './hostChild.js';
import type { ServeOptions } from './options.js';

export interface HostLinkOptions {
  serve: Pick<ServeOptions, 'hostEntry' | 'dataDir' | 'restart'>;
  limits: Limits;
  log: (line: string) => void;
  client: ClientSlot;
  flow: Backpressure;
  /** A batch of events from the host, already framed for the browser. */
  onBatch: (batch: FramedBatch) => void;
}

/** What a host child is started with: its autosave, models folder, limits, and why it (re)started. */
const hostEnv = (serve: HostLinkOptions['serve'], limits: Limits, reason: string | undefined): Record<string, string | undefined> => ({
  FMS_AUTOSAVE: path.join(serve.dataDir, 'autosave.json'),
  FMS_RESTART_REASON: reason,
  FMS_MODELS_DIR: path.join(serve.dataDir, 'models'),
  ...limitsToEnv(limits),
});

/**
 * The engine host behind the server: a supervisor keeps one HostChild running. Each new host is wired
 * up (batches, credits), told the API key the browser gave, and greeted; the browser is closed so it
 * says hello again. When the supervisor gives up, the log and the browser are told why.
 */
export class HostLink {
  readonly supervisor: Supervisor<HostChild>;
  readonly #o: HostLinkOptions;
  #stopped: string | undefined;
  /** The OpenAI API key the browser sent, kept in this process's memory so a restarted host reconnects. */
  #apiKey: string | undefined;

  constructor(options: HostLinkOptions) {
    this.#o = options;
    this.supervisor = new Supervisor<HostChild>({
      ...options.serve.restart,
      spawn: (reason) => new HostChild(options.serve.hostEntry, hostEnv(options.serve, options.limits, reason)),
      onStart: (proc, reason) => this.#started(proc, reason),
      onGiveUp: (reason) => this.#gaveUp(reason),
    });
  }

  /** Why the engine stopped for good (until restarted from the browser), or undefined while it runs. */
  get stopped(): string | undefined {
    return this.#stopped;
  }

  /** Forwards a command to the running host (if any), counting it against the flow. */
  send(command: ClientCommand, bytes: number): void {
    const host = this.supervisor.current;
    if (!host) return;
    host.sendClient(command);
    this.#o.flow.sent(bytes);
  }

  /** Keeps the API key of an OpenAI backend for the next host after a restart (this one gets it in the command). */
  remember(command: ClientCommand): void {
    if (command.type === 'setBackend' && command.backend.kind === 'openai' && command.backend.apiKey) this.#apiKey = command.backend.apiKey;
  }

  #started(proc: HostChild, reason: string | undefined): void {
    const { log, flow, client } = this.#o;
    if (reason) log(`engine host restarted: ${reason}`);
    this.#stopped = undefined;
    flow.reset();
    proc.onMessage((message) => {
      if (isHostMessage(message)) {
        if (message.data.type === 'credit') flow.credit(message.data.commands);
      } else if (isFramedBatch(message)) this.#o.onBatch(message);
    });
    if (this.#apiKey) proc.sendParent({ type: 'secret', name: 'openai-api-key', value: this.#apiKey });
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'fms serve' }, 0);
    // the browser re-says hello on reconnect and then receives hostRestarted
    client.close(4001, 'engine restarted');
  }

  #gaveUp(reason: string): void {
    this.#stopped = reason;
    this.#o.log(`the engine stopped and was not restarted: ${reason}. Press "Restart engine" in the browser, or restart fms serve.`);
    this.#o.client.notice({ type: 'engineStopped', reason });
  }
}
