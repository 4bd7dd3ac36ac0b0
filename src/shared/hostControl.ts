/**
 * Messages between the engine host and the process that parents it (Electron main, browser mode's
 * server). This channel is trusted; client commands never travel on it. In browser mode both share
 * one IPC pipe, so each message there is wrapped in an envelope that says which channel it is on.
 */

/** Parent → host. */
export type ParentMessage =
  /** A file the user picked in a native dialog: the host may read (or write) exactly this path under `handle`. */
  | { type: 'grant'; handle: string; path: string; mode: 'read' | 'write' }
  /** The OpenAI-compatible server's API key (kept in memory only); undefined forgets it. */
  | { type: 'secret'; name: 'openai-api-key'; value?: string }
  /** Finish the pending autosave and exit. */
  | { type: 'shutdown' };

/** Host → parent. */
export type HostMessage =
  /** The host took `commands` client commands off its queue (browser mode reads more from the socket). */
  | { type: 'credit'; commands: number }
  /** A grant is in place: the client may now use the handle. */
  | { type: 'granted'; handle: string };

/** The IPC envelope in browser mode: `client` carries a checked client command, `parent` a ParentMessage. */
export type IpcEnvelope = { ch: 'client'; data: unknown } | { ch: 'parent'; data: ParentMessage };

export const isParentMessage = (m: unknown): m is ParentMessage => {
  const t = (m as { type?: unknown } | undefined)?.type;
  return t === 'grant' || t === 'secret' || t === 'shutdown';
};
