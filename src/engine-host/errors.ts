import type { HostErrorCode } from '../shared/protocol.js';

/** A command the host refuses or cannot complete: becomes an `error` event with this code. */
export class CommandError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
  }
}
