/**
 * Size limits on everything that comes from outside (a client's command, a chat message, an opened
 * file, one line of it). One catalog: defaults, CLI flags, environment variables and help text are
 * derived from it. Every limit gives a clear error naming itself and how to raise it.
 */
/** The limits' values (bytes); the host sends them in `helloAck` (LimitsSchema in configSchemas.ts). */
export interface Limits {
  /** One chat message's text (UTF-8 bytes). */
  messageBytes: number;
  /** One command as it arrives (a WebSocket frame or an IPC message: JSON text bytes). */
  commandBytes: number;
  /** One opened file (JSONL chats are read as a stream; saved sessions are parsed whole). */
  fileBytes: number;
  /** One line of an opened JSONL file. */
  lineBytes: number;
}

export type LimitName = keyof Limits;

const MiB = 2 ** 20;

export interface LimitSpec {
  name: LimitName;
  default: number;
  /** The CLI flag (`fms serve`, `fms replay`, `fms chat`). */
  flag: string;
  /** The environment variable the engine host reads (set by `fms serve` and the app). */
  env: string;
  /** What it bounds, for --help and errors. */
  help: string;
}

export const LIMIT_CATALOG: readonly LimitSpec[] = [
  { name: 'messageBytes', default: 16 * MiB, flag: 'max-message-bytes', env: 'FMS_MAX_MESSAGE_BYTES', help: 'one chat message' },
  { name: 'commandBytes', default: 24 * MiB, flag: 'max-command-bytes', env: 'FMS_MAX_COMMAND_BYTES', help: 'one command from a client' },
  { name: 'fileBytes', default: 1024 * MiB, flag: 'max-file-bytes', env: 'FMS_MAX_FILE_BYTES', help: 'one opened file' },
  { name: 'lineBytes', default: 24 * MiB, flag: 'max-line-bytes', env: 'FMS_MAX_LINE_BYTES', help: 'one line of an opened JSONL file' },
];

/** Largest saved session that can be opened: sessions are parsed whole. */
export const DEFAULT_MAX_SESSION_BYTES = 256 * 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(
  Object.fromEntries(LIMIT_CATALOG.map((l) => [l.name, l.default])) as unknown as Limits,
);

export const limitSpec = (name: LimitName): LimitSpec => LIMIT_CATALOG.find((l) => l.name === name)!;

/** "16 MiB", "900 KiB", "12 bytes". */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Parses "16777216", "16MiB", "16M", "512k", "1g" (binary units). Undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: MiB, g: 1024 * MiB }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** An exceeded limit (callers map it to a `too-large` error). */
export class TooLargeError extends Error {}

/** The message of an exceeded limit: what, how big, the limit and the flag that raises it. */
export function tooLarge(name: LimitName, what: string, size: number, limits: Limits): string {
  const spec = limitSpec(name);
  return `${what} is too large (${formatBytes(size)}; the limit for ${spec.help} is ${formatBytes(limits[name])}, set with --${spec.flag})`;
}

/** Limits from the environment (the engine host); unset or malformed values keep their defaults. */
export function limitsFromEnv(env: Record<string, string | undefined>): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const spec of LIMIT_CATALOG) {
    const raw = env[spec.env];
    const n = raw === undefined ? undefined : parseByteSize(raw);
    if (n !== undefined) out[spec.name] = n;
  }
  return out;
}

export function limitsToEnv(limits: Limits): Record<string, string> {
  return Object.fromEntries(LIMIT_CATALOG.map((l) => [l.env, String(limits[l.name])]));
}

/**
 * UTF-8 length of a string, without allocating (engine code has no Buffer). Exact, except that a
 * string with more UTF-16 units than `cap` returns at once with a number over the cap.
 */
export function utf8Length(text: string, cap = Infinity): number {
  if (text.length > cap) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
