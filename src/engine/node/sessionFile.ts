/**
 * Session files on disk (Node only). Saves are atomic: a temp file beside the target, fsync, rename.
 * Loading never throws: every failure comes back as one line naming the file and the problem.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Session } from '../../shared/session';
import {
  DEFAULT_MAX_SESSION_BYTES,
  parseSession,
  serializeSession,
  tooLargeMessage,
  type ParseSessionResult,
} from '../formats/sessionCodec';

/** Saves atomically; resolves with the number of bytes written. */
export async function saveSessionFile(path: string, session: Session): Promise<number> {
  return writeFileAtomic(path, serializeSession(session), 'session file');
}

/** Temp files beside `path` look like `.NAME.PID.RANDOM.tmp`. */
const tempName = (path: string, pid: number): string => join(dirname(path), `.${basename(path)}.${pid}.${randomBytes(6).toString('hex')}.tmp`);

/**
 * Writes text atomically: a temp file beside the target, fsync, rename, fsync of the folder. A crash at
 * any point leaves either the old file or the new one, never a mix (and at worst a temp file, which
 * `removeStaleTemps` clears). Resolves with the bytes written.
 */
export async function writeFileAtomic(path: string, text: string, what = 'file'): Promise<number> {
  const temp = tempName(path, process.pid);
  const mode = await stat(path).then((s) => s.mode & 0o777, () => 0o666);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw new Error(`cannot save ${what} ${quote(path)}: ${describe(error, 'save')}`, { cause: error });
  }
  await syncDirectory(dirname(path));
  return Buffer.byteLength(text);
}

/**
 * Removes temp files that an earlier writer of `path` left behind (it was killed mid-save): those of
 * processes that are no longer running. Resolves with how many were removed.
 */
export async function removeStaleTemps(path: string): Promise<number> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    if (await unlink(join(dirname(path), name)).then(() => true, () => false)) removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

export async function loadSessionFile(
  path: string,
  options: { maxBytes?: number } = {},
): Promise<ParseSessionResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SESSION_BYTES;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fail(path, 'it is a directory');
    if (!info.isFile()) return fail(path, 'not a regular file');
    if (info.size > maxBytes) return { ok: false, error: tooLargeMessage(info.size, maxBytes) };
    const bytes = await readFile(path);
    if (bytes.length > maxBytes) return { ok: false, error: tooLargeMessage(bytes.length, maxBytes) };
    return parseSession(bytes.toString('utf8'), { maxBytes: Infinity }); // size checked above, on the bytes
  } catch (error) {
    return fail(path, describe(error, 'load'));
  }
}

/** Makes the rename itself durable; not every platform can open a directory, so failures are ignored. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

function describe(error: unknown, action: 'save' | 'load'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return action === 'load' ? 'no such file' : 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return oneLine(code && !message.includes(code) ? `${code}: ${message}` : message);
    }
  }
}

function fail(path: string, problem: string): ParseSessionResult {
  return { ok: false, error: `cannot read session file ${quote(path)}: ${problem}` };
}

function quote(path: string): string {
  return `"${oneLine(path)}"`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
