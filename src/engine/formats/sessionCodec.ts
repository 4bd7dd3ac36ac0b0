/**
 * Saved sessions as text: deterministic serialization and a parser that never throws.
 * Every parse error is one line naming the problem, ready to show as-is in the UI or the CLI.
 */
import { z } from 'zod';
import { DEFAULT_MAX_SESSION_BYTES, formatBytes, utf8Length } from '../../shared/limits.js';
import { SESSION_FORMAT, SESSION_VERSION, SessionSchema, type Session, type SessionMessage } from '../../shared/session';
import { fromV1, SessionV1Schema } from '../../shared/sessionV1';
import { base64ToBytes, base64ToInt32 } from './base64';
import { isRecord } from './imports/common.js';

export { DEFAULT_MAX_SESSION_BYTES };

export type ParseSessionResult = { ok: true; session: Session } | { ok: false; error: string };

export interface ParseSessionOptions {
  /** Refuse texts whose UTF-8 encoding is larger than this (default 256 MiB). */
  maxBytes?: number;
}

/** Keys in schema order whatever the input's key order; keys the schema does not know are dropped. */
function ordered(schema: z.ZodType, value: unknown): unknown {
  if (schema instanceof z.ZodObject && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape)) out[key] = ordered(field as z.ZodType, value[key]);
    return out;
  }
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((item) => ordered(schema.element as z.ZodType, item));
  }
  return value;
}

/** Deterministic text: save -> load -> save is byte-identical. */
export function serializeSession(session: Session): string {
  return JSON.stringify(ordered(SessionSchema, session), undefined, 2) + '\n';
}

export function parseSession(text: string, options: ParseSessionOptions = {}): ParseSessionResult {
  try {
    return parseUnsafe(text, options.maxBytes ?? DEFAULT_MAX_SESSION_BYTES);
  } catch (error) {
    return fail(`cannot read session: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseUnsafe(text: string, maxBytes: number): ParseSessionResult {
  if (typeof text !== 'string') return fail('session file is not text');
  if (text.length * 3 > maxBytes) {
    const bytes = utf8Length(text);
    if (bytes > maxBytes) return fail(tooLargeMessage(bytes, maxBytes));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return fail('session file is empty');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const at = jsonErrorOffset(text);
    const fromEngine = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    const where = at >= 0 ? `near position ${at}` : fromEngine ? `near position ${fromEngine[1]}` : 'at an unknown position';
    return fail(`session file is not valid JSON (truncated or corrupt ${where})`);
  }
  const header = checkHeader(data);
  if (header) return fail(header);
  const result = readVersion(data as { version: number });
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatPath(issue.path);
    return fail(`invalid session: ${path ? `${path}: ` : ''}${issue.message}`);
  }
  const problem = checkSemantics(result.data);
  if (problem) return fail(`invalid session: ${problem}`);
  return { ok: true, session: result.data };
}

/** Validates a session of a version checkHeader accepted, and brings an older one to the current version. */
function readVersion(data: { version: number }): { success: true; data: Session } | { success: false; error: z.ZodError } {
  if (data.version === SESSION_VERSION) return SessionSchema.safeParse(data);
  const v1 = SessionV1Schema.safeParse(data);
  return v1.success ? { success: true, data: fromV1(v1.data) } : v1;
}

/** Format and version first, so a newer file says "update the app" rather than listing schema errors. */
function checkHeader(data: unknown): string | undefined {
  if (!isRecord(data)) {
    const kind = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`;
    return `not a Finite Memory Studio session (the file holds ${kind}, not an object)`;
  }
  if (!('format' in data)) return 'not a Finite Memory Studio session (no "format" field)';
  if (data.format !== SESSION_FORMAT) return `not a Finite Memory Studio session (format is ${preview(data.format)})`;
  const version = data.version;
  if (version === undefined) return 'session file has no version';
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return `session version ${preview(version)} is not supported`;
  }
  if (version > SESSION_VERSION) {
    return `session version ${version} is newer than this app supports (${SESSION_VERSION}); update Finite Memory Studio`;
  }
  if (version < 1) return `session version ${version} is not supported`;
  return undefined;
}

/** What the schema cannot say: ids, run ranges and order, and the ledger's decoded lengths. */
function checkSemantics(session: Session): string | undefined {
  const byId = new Map<number, SessionMessage>();
  let previousId = -1;
  for (const [i, message] of session.messages.entries()) {
    if (message.id <= previousId) {
      return `messages[${i}].id ${message.id} is not greater than the previous id ${previousId} (message ids must be unique and ascending)`;
    }
    previousId = message.id;
    byId.set(message.id, message);
  }
  const { runs, tokenIds, flags } = session.ledger;
  let total = 0;
  let previousEnd = 0;
  for (const [i, run] of runs.entries()) {
    const message = byId.get(run.messageId);
    if (!message) return `ledger.runs[${i}].messageId ${run.messageId} does not match any message`;
    if (!(run.from < run.to && run.to <= message.tokens)) {
      return `ledger.runs[${i}] [${run.from}, ${run.to}) is out of range for message ${message.id} (need 0 <= from < to <= ${message.tokens})`;
    }
    const start = message.startPos + run.from;
    if (start < previousEnd) {
      return `ledger.runs[${i}] starts at position ${start}, before the previous run ends (${previousEnd}); runs must be ascending and non-overlapping`;
    }
    // a rolling summary stands where its source began and takes no positions of the token stream
    previousEnd = message.summary ? start : message.startPos + run.to;
    total += run.to - run.from;
  }
  let ids: Int32Array;
  let flagBytes: Uint8Array;
  try {
    ids = base64ToInt32(tokenIds);
  } catch (error) {
    return `ledger.tokenIds: ${(error as Error).message}`;
  }
  try {
    flagBytes = base64ToBytes(flags);
  } catch (error) {
    return `ledger.flags: ${(error as Error).message}`;
  }
  if (ids.length !== total) return `ledger.tokenIds holds ${ids.length} tokens but the runs cover ${total}`;
  if (flagBytes.length !== total) return `ledger.flags holds ${flagBytes.length} flags but the runs cover ${total} tokens`;
  if (session.stats.tokensRetained !== total) {
    return `stats.tokensRetained is ${session.stats.tokensRetained} but the runs cover ${total} tokens`;
  }
  return undefined;
}

/**
 * Offset where `text` stops being valid JSON: text.length when it ends too early (truncated), -1 when valid.
 * JSON.parse only sometimes reports a position, and differently per engine; this gives one answer everywhere.
 */
function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: number[] = []; // 0x5b '[' or 0x7b '{' of each open container
  let i = 0;
  const skip = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  /** At a '"': moves past the string; on failure leaves i at the fault (n when the text ends inside). */
  const string = (): boolean => {
    for (i++; i < n; ) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 0x5c) {
        i++;
        continue;
      }
      const escape = text.slice(i + 1, i + 6);
      if (/^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(escape)) i += escape[0] === 'u' ? 6 : 2;
      else if (i + 6 > n && /^(?:u[0-9a-fA-F]{0,3})?$/.test(escape)) i = n;
      else return false;
    }
    return false;
  };
  const key = (): boolean => {
    skip();
    if (text.charCodeAt(i) !== 0x22 || !string()) return false;
    skip();
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    return true;
  };
  const scalar = (): boolean => {
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return true;
      }
      if (i + literal.length > n && literal.startsWith(text.slice(i))) {
        i = n;
        return false;
      }
    }
    if (text.charCodeAt(i) === 0x22) return string();
    const loose = /-?\d*(?:\.\d*)?(?:[eE][+-]?\d*)?/y;
    loose.lastIndex = i;
    const end = i + (loose.exec(text)?.[0].length ?? 0);
    if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text.slice(i, end))) {
      i = end;
      return true;
    }
    if (end === n && end > i) i = n;
    return false;
  };
  for (;;) {
    skip();
    if (i >= n) return n;
    const open = text.charCodeAt(i);
    if (open === 0x7b || open === 0x5b) {
      i++;
      skip();
      if (text.charCodeAt(i) !== open + 2) {
        stack.push(open);
        if (open === 0x7b && !key()) return Math.min(i, n);
        continue;
      }
      i++;
    } else if (!scalar()) return Math.min(i, n);
    for (;;) {
      skip();
      if (stack.length === 0) return i < n ? i : -1;
      if (i >= n) return n;
      const top = stack[stack.length - 1];
      const c = text.charCodeAt(i);
      if (c === top + 2) {
        i++;
        stack.pop();
        continue;
      }
      if (c !== 0x2c) return i;
      i++;
      if (top === 0x7b && !key()) return Math.min(i, n);
      break;
    }
  }
}

export function tooLargeMessage(bytes: number, limit: number): string {
  return `session file is too large (${formatBytes(bytes)}; limit ${formatBytes(limit)})`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function preview(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(error: string): ParseSessionResult {
  return { ok: false, error: error.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ') };
}

