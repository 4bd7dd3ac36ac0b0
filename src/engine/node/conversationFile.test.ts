import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { FileAccessError, readConversationFile } from './conversationFile.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-convfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readConversationFile', () => {
  it('streams a JSONL file of many lines, reporting progress', async () => {
    const file = path.join(dir, 'chat.jsonl');
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ role: i % 2 ? 'assistant' : 'user', content: `line ${i} ${'word '.repeat(20)}` }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const progress: number[] = [];
    const parsed = await readConversationFile(file, { onProgress: (read) => progress.push(read) });
    expect(parsed.messages).toHaveLength(30_000);
    expect(parsed.messages.at(-1)?.content).toMatch(/^line 29999 /);
    expect(progress.length).toBeGreaterThan(1); // read in chunks, not at once
  });

  it('refuses a FIFO at once instead of blocking, and devices such as /dev/zero without reading them', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(readConversationFile(fifo)).rejects.toThrow(/not a regular file \(a FIFO, device or socket\)/);
    await expect(readConversationFile('/dev/zero')).rejects.toThrow(FileAccessError);
    await expect(readConversationFile(dir)).rejects.toThrow(/it is a directory/);
    await expect(readConversationFile(path.join(dir, 'missing.jsonl'))).rejects.toThrow(/missing\.jsonl": no such file/);
  });

  it('refuses a file over the limit by its size, before reading it', async () => {
    const file = path.join(dir, 'big.jsonl');
    writeFileSync(file, `${JSON.stringify({ role: 'user', content: 'x'.repeat(5000) })}\n`);
    await expect(readConversationFile(file, { limits: { ...DEFAULT_LIMITS, fileBytes: 1000 } })).rejects.toThrow(/big\.jsonl" is too large .* --max-file-bytes/);
  });
});
