import type { Limits } from '../shared/limits.js';

export interface ServeOptions {
  port: number;
  /** Built renderer (index.html + assets). */
  rendererDir: string;
  /** Built engine-host entry for Node. */
  hostEntry: string;
  dataDir: string;
  token?: string;
  log?: (line: string) => void;
  limits?: Limits;
  /** Commands forwarded and not yet taken by the host before the socket stops being read. */
  maxInFlightCommands?: number;
  /** Restart backoff and give-up threshold (tests shorten them). */
  restart?: { baseDelayMs?: number; maxCrashes?: number };
}
