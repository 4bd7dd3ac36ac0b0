import type { Limits } from '../shared/limits.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import type { CreateBackend } from './hostBackend.js';
import type { HostTransport, ParentChannel } from './transport.js';

export interface HostOptions {
  transport: HostTransport;
  tokenizer: Tokenizer;
  /** Where the session is autosaved after every turn (atomic). */
  autosavePath?: string;
  /** Set when main restarted a crashed host: restore the autosave and say why. */
  restartReason?: string;
  /** Reopen the last session (the autosave) on a normal start too. */
  restoreLastSession?: boolean;
  createBackend?: CreateBackend;
  clock?: () => number;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => () => void;
  /** Messages replayed between yields to the event loop (acks and cancels get through). */
  replayChunk?: number;
  title?: string;
  /** Events per batch at most (smaller batches commit faster in the UI). */
  maxBatchEvents?: number;
  /** The process that started the host (grants, secrets, shutdown; credits for browser mode's backpressure). */
  parent?: ParentChannel;
  limits?: Limits;
  /** Where the connected backend is remembered (no secrets), to reconnect after a restart. Default: beside the autosave. */
  backendPath?: string;
  /**
   * The environment OpenTelemetry export reads (OTEL_EXPORTER_OTLP_ENDPOINT and the rest): the process's own under
   * `fms serve` and in the app; absent, the host exports nothing.
   */
  otelEnv?: Record<string, string | undefined>;
  /** Writes the autosave atomically (tests hold or fail writes). */
  autosaveWrite?: (file: string, text: string) => Promise<number>;
}
