import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORDPIECE } from '../testing/tokenizerFixtures.js';
import { loadBpeData } from './bpeCache.js';
import { defaultTokenizerDir } from './loadTokenizer.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fms-bpe-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Typed arrays with the same bytes (toEqual walks them element by element: seconds for these sizes). */
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('loadBpeData', () => {
  it('builds the pre-parsed tokenizer once, then reads it; a damaged file is rebuilt', async () => {
    const cache = path.join(tmp, 'cache');
    const built = await loadBpeData(defaultTokenizerDir(), cache);
    if (!('data' in built)) throw new Error(built.unsupported);
    expect(built.built).toBe(true);
    const [file] = readdirSync(cache);
    expect(file).toMatch(/^tokenizer-qwen3-models-[0-9a-f]{16}\.bin$/);
    const bytes = readFileSync(path.join(cache, file));
    expect(bytes.length).toBeLessThan(5 * 2 ** 20); // tokenizer.json is 11.4 MB

    const read = await loadBpeData(defaultTokenizerDir(), cache);
    if (!('data' in read)) throw new Error(read.unsupported);
    expect(read.built).toBeUndefined();
    expect(read.data.header).toEqual(built.data.header);
    expect(sameBytes(read.data.mergeResult, built.data.mergeResult)).toBe(true);

    writeFileSync(path.join(cache, file), bytes.subarray(0, 1000)); // cut short, as by a crash mid-write without the rename
    const rebuilt = await loadBpeData(defaultTokenizerDir(), cache);
    expect('data' in rebuilt && sameBytes(rebuilt.data.tokenBytes, built.data.tokenBytes)).toBe(true);
    expect(readFileSync(path.join(cache, file)).equals(bytes)).toBe(true);

    // a file of an older stamp or format for the same folder is removed when the new one is written
    const older = file.replace(/[0-9a-f]{16}\.bin$/, '0123456789abcdef.bin');
    writeFileSync(path.join(cache, older), 'old');
    rmSync(path.join(cache, file));
    await loadBpeData(defaultTokenizerDir(), cache);
    expect(readdirSync(cache)).toEqual([file]);
  });

  it('remembers that a tokenizer is of another kind', async () => {
    const cache = path.join(tmp, 'other');
    const dir = path.join(tmp, 'wordpiece');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(WORDPIECE));
    const first = await loadBpeData(dir, cache);
    expect(first).toEqual({ unsupported: 'the model is not BPE', built: true });
    expect(await loadBpeData(dir, cache)).toEqual({ unsupported: 'the model is not BPE' });
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('still loads when the cache folder cannot be written', async () => {
    const cache = path.join(tmp, 'readonly');
    writeFileSync(cache, 'a file, not a folder');
    chmodSync(cache, 0o444);
    const loaded = await loadBpeData(defaultTokenizerDir(), cache);
    expect('data' in loaded).toBe(true);
  });
});
