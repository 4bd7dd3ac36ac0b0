import { describe, expect, it } from 'vitest';
import { CommandQueue } from './commandQueue.js';

describe('CommandQueue', () => {
  it('runs commands one at a time, in order, and reports each as taken', async () => {
    const log: string[] = [];
    let taken = 0;
    const q = new CommandQueue<number>({
      run: async (n) => {
        log.push(`start ${n}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${n}`);
        if (n === 2) throw new Error('a failing command does not stop the queue');
      },
      onTaken: () => taken++,
    });
    for (let i = 1; i <= 3; i++) q.push(i);
    expect(taken).toBe(1);
    while (q.running || q.length > 0) await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(taken).toBe(3);
  });

  it('refuses past its cap instead of growing', () => {
    const q = new CommandQueue<number>({ run: () => new Promise(() => undefined), maxQueued: 2 });
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]); // 1 runs, 2 and 3 wait
    expect(q.length).toBe(2);
  });
});
