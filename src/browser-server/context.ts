import { randomBytes } from 'node:crypto';
import type { FramedBatch } from '../shared/wire.js';
import { DEFAULT_LIMITS, type Limits } from '../shared/limits.js';
import { Backpressure } from './backpressure.js';
import { ClientSlot } from './clientSlot.js';
import { HostLink } from './hostLink.js';
import { MetricsScrapes } from './metrics.js';
import type { ServeOptions } from './options.js';

/** Commands forwarded and not yet taken by the host before the socket stops being read (default). */
const MAX_IN_FLIGHT_COMMANDS = 256;

/** Everything the request, upgrade and command handlers work with. */
export interface ServerContext {
  readonly token: string;
  readonly log: (line: string) => void;
  readonly limits: Limits;
  readonly rendererDir: string;
  /** The port we listen on (known once listening: 0 asks the system for one). */
  port: number;
  readonly client: ClientSlot;
  readonly flow: Backpressure;
  readonly host: HostLink;
  readonly metrics: MetricsScrapes;
}

/** Builds the server's parts from its options; the host starts when the caller starts the supervisor. */
export function createContext(options: ServeOptions): ServerContext {
  const log = options.log ?? (() => undefined);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const client = new ClientSlot();
  const flow = new Backpressure({ maxCommands: options.maxInFlightCommands ?? MAX_IN_FLIGHT_COMMANDS, maxBytes: 2 * limits.commandBytes, client });
  const metrics = new MetricsScrapes(() => host.send({ type: 'getMetrics' }, 0));
  // the server is the host's client while no browser is: it acks what no one else takes, so /metrics always works
  const onBatch = (batch: FramedBatch): void => {
    metrics.observe(batch);
    if (!client.deliver(batch)) host.send({ type: 'ack', seq: batch.seq }, 0);
  };
  const host = new HostLink({ serve: options, limits, log, client, flow, onBatch });
  return {
    token: options.token ?? randomBytes(24).toString('base64url'),
    log,
    limits,
    rendererDir: options.rendererDir,
    port: options.port,
    client,
    flow,
    host,
    metrics,
  };
}
