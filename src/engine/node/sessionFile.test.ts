import * as realFs from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_FORMAT, SESSION_VERSION, type Session } from '../../shared/session';
import { bytesToBase64, int32ToBase64 } from '../formats/base64';
import { serializeSession } from '../formats/sessionCodec';
import { loadSessionFile, saveSessionFile } from './sessionFile';

/** Lets a test make rename or stat fail, and counts reads, in the module under test only. */
const hooks = vi.hoisted(() => ({ failRename: false, statError: undefined as string | undefined, reads: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof realFs>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      if (hooks.failRename) throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
      return fs.rename(from, to);
    },
    stat: (async (...args: Parameters<typeof fs.stat>) => {
      if (hooks.statError) throw Object.assign(new Error(`${hooks.statError}: simulated`), { code: hooks.statError });
      return fs.stat(...args);
    }) as typeof fs.stat,
    readFile: (async (...args: Parameters<typeof fs.readFile>) => {
      hooks.reads++;
      return fs.readFile(...args);
    }) as typeof fs.readFile,
  };
});

function session(title = 'saved'): Session {
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    metadata: { title, app: 'fms test', createdAt: '2024-05-01T10:00:00.000Z', savedAt: '2024-05-01T10:01:00.000Z' },
    config: { policy: 'sliding', maxTokens: 64, window: 8, tokenizer: 'qwen3', pinSystem: true },
    messages: [
      { id: 0, role: 'system', turn: 0, content: 'Be brief.', pinned: true, tokens: 3, startPos: 0 },
      { id: 1, role: 'user', turn: 1, content: 'Hi!', pinned: false, tokens: 2, startPos: 3 },
      { id: 2, role: 'assistant', turn: 1, content: 'Hello.', pinned: false, tokens: 2, startPos: 5 },
    ],
    ledger: {
      nextPos: 7, turn: 1, nextMessageId: 3, evictionSeq: 1,
      runs: [{ messageId: 0, from: 0, to: 3 }, { messageId: 2, from: 0, to: 2 }],
      tokenIds: int32ToBase64(Int32Array.from([1, 2, 3, 40, 50])),
      flags: bytesToBase64(Uint8Array.from([1, 0, 1, 0, 1])),
    },
    stats: {
      tokensSeen: 7, tokensRetained: 5, tokensPinned: 3, tokensEvicted: 2, evictions: 1, compressionRatio: 1.4,
      policyCalls: 2, fallbackCount: 0, contextBuilds: 2, turns: 2,
    },
    turns: [],
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fms-session-file-'));
  hooks.failRename = false;
  hooks.statError = undefined;
  hooks.reads = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saveSessionFile', () => {
  it('writes the serialized session and leaves no temp file', async () => {
    const path = join(dir, 'chat.fms.json');
    await saveSessionFile(path, session());
    expect(await readFile(path, 'utf8')).toBe(serializeSession(session()));
    expect(await readdir(dir)).toEqual(['chat.fms.json']);
    expect(await loadSessionFile(path)).toEqual({ ok: true, session: session() });
  });

  it('overwrites an existing file', async () => {
    const path = join(dir, 'chat.fms.json');
    await writeFile(path, 'old contents');
    await saveSessionFile(path, session('new'));
    const loaded = await loadSessionFile(path);
    expect(loaded.ok && loaded.session.metadata.title).toBe('new');
    expect(await readdir(dir)).toEqual(['chat.fms.json']);
  });

  it('fails cleanly when the target folder is missing, leaving other files alone', async () => {
    const old = join(dir, 'chat.fms.json');
    await writeFile(old, 'old contents');
    const path = join(dir, 'missing', 'chat.fms.json');
    await expect(saveSessionFile(path, session())).rejects.toThrow(
      `cannot save session file "${path}": its folder does not exist`,
    );
    expect(await readFile(old, 'utf8')).toBe('old contents');
    expect(await readdir(dir)).toEqual(['chat.fms.json']);
  });

  it('keeps the old file and removes the temp file when the rename fails', async () => {
    const path = join(dir, 'chat.fms.json');
    await saveSessionFile(path, session('first'));
    const before = await readFile(path, 'utf8');
    hooks.failRename = true;
    await expect(saveSessionFile(path, session('second'))).rejects.toThrow(/^cannot save session file ".*": EXDEV: simulated$/);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['chat.fms.json']);
  });

  it('survives concurrent saves to the same path', async () => {
    const path = join(dir, 'chat.fms.json');
    await Promise.all(Array.from({ length: 8 }, (_, i) => saveSessionFile(path, session(`save ${i}`))));
    const loaded = await loadSessionFile(path);
    expect(loaded.ok && loaded.session.metadata.title).toMatch(/^save \d$/);
    expect(await readdir(dir)).toEqual(['chat.fms.json']);
  });
});

describe('loadSessionFile', () => {
  it('reports a missing file', async () => {
    const path = join(dir, 'nope.json');
    expect(await loadSessionFile(path)).toEqual({ ok: false, error: `cannot read session file "${path}": no such file` });
  });

  it('reports a directory', async () => {
    await mkdir(join(dir, 'sub'));
    expect(await loadSessionFile(join(dir, 'sub'))).toEqual({
      ok: false,
      error: `cannot read session file "${join(dir, 'sub')}": it is a directory`,
    });
  });

  it('reports a path through a file', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'chat.json');
    expect(await loadSessionFile(path)).toEqual({
      ok: false,
      error: `cannot read session file "${path}": a parent of the path is not a directory`,
    });
  });

  it('refuses an oversized file without reading it', async () => {
    const path = join(dir, 'big.json');
    await writeFile(path, 'x'.repeat(5000));
    expect(await loadSessionFile(path, { maxBytes: 1024 })).toEqual({
      ok: false,
      error: 'session file is too large (4.9 KiB; limit 1 KiB)',
    });
    expect(hooks.reads).toBe(0);
  });

  it('passes parse errors through as one line', async () => {
    const path = join(dir, 'cut.json');
    const text = serializeSession(session());
    await writeFile(path, text.slice(0, 100));
    expect(await loadSessionFile(path)).toEqual({
      ok: false,
      error: 'session file is not valid JSON (truncated or corrupt near position 100)',
    });
    await writeFile(path, '');
    expect(await loadSessionFile(path)).toEqual({ ok: false, error: 'session file is empty' });
  });

  it('maps other file-system errors to one line', async () => {
    const path = join(dir, 'chat.json');
    const cases: [string, string][] = [
      ['EACCES', 'permission denied'],
      ['ELOOP', 'too many symbolic links'],
      ['EIO', 'EIO: simulated'],
    ];
    for (const [code, problem] of cases) {
      hooks.statError = code;
      expect(await loadSessionFile(path)).toEqual({ ok: false, error: `cannot read session file "${path}": ${problem}` });
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports a real permission problem (not as root)', async () => {
    const path = join(dir, 'locked.json');
    await writeFile(path, serializeSession(session()), { mode: 0o000 });
    expect(await loadSessionFile(path)).toEqual({
      ok: false,
      error: `cannot read session file "${path}": permission denied`,
    });
  });
});
