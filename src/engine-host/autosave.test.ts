import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Autosave } from './autosave.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-autosave-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Turns the event loop until `cond` holds (the writer's own steps, not a timer). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** A write the test releases by hand: shows what is in flight and what waits. */
function heldWrites() {
  const held: { text: string; release: (err?: Error) => void }[] = [];
  const write = (_file: string, text: string) =>
    new Promise<number>((resolve, reject) => held.push({ text, release: (err) => (err ? reject(err) : resolve(text.length)) }));
  return { held, write };
}

describe('Autosave', () => {
  it('coalesces a burst: one write in flight, one pending, and the pending one takes the latest state', async () => {
    let state = 0;
    const saved: number[] = [];
    const { held, write } = heldWrites();
    const a = new Autosave({ path: path.join(dir, 'x.json'), snapshot: () => ({ text: `state ${state}`, messages: state }), onSaved: (s) => saved.push(s.messages), write });
    for (state = 1; state <= 1000; state++) a.request();
    state = 1000;
    await until(() => held.length === 1);
    expect(held.map((h) => h.text)).toEqual(['state 1000']); // the first write started at once; 999 requests coalesced
    // 1,000 requests, one write; while it is in flight, more requests make exactly one more
    for (state = 1001; state <= 2000; state++) a.request();
    state = 2000;
    held[0].release();
    await until(() => held.length === 2);
    expect(held.map((h) => h.text)).toEqual(['state 1000', 'state 2000']);
    held[1].release();
    await a.flush();
    expect(saved).toEqual([1000, 2000]);
    expect(a.writes).toBe(2);
  });

  it('reports a failed write, keeps going, and flush says the last one failed', async () => {
    const errors: string[] = [];
    const { held, write } = heldWrites();
    const a = new Autosave({ path: path.join(dir, 'y.json'), snapshot: () => ({ text: 't', messages: 1 }), onError: (e) => errors.push(e.message), write });
    a.request();
    await until(() => held.length === 1);
    held[0].release(new Error('no space left on the device'));
    await expect(a.flush()).rejects.toThrow(/no space/);
    expect(errors).toEqual(['no space left on the device']);
    a.request();
    await until(() => held.length === 2);
    held[1].release();
    await expect(a.flush()).resolves.toBeUndefined();
  });

  it('writes atomically to disk and removes temp files that a killed writer left behind', async () => {
    const file = path.join(dir, 'autosave.json');
    // temp files of a dead writer (pid 2^22+1 is above Linux's pid_max default) and of this process
    writeFileSync(path.join(dir, `.autosave.json.${2 ** 22 + 1}.abcdef.tmp`), 'half a session');
    writeFileSync(path.join(dir, `.autosave.json.${process.pid}.abcdef.tmp`), 'mine, in flight');
    const a = new Autosave({ path: file, snapshot: () => ({ text: '{"ok":true}', messages: 0 }) });
    expect(await a.cleanUp()).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([`.autosave.json.${process.pid}.abcdef.tmp`]);
    a.request();
    await a.flush();
    expect(readFileSync(file, 'utf8')).toBe('{"ok":true}');
  });
});
