import { describe, expect, it } from 'vitest';
import type { DownloadProgress } from '../../backend.js';
import { progressCallback, toDownloadProgress } from './progress.js';

describe('toDownloadProgress', () => {
  it('maps per-file events and drops aggregate ones', () => {
    expect(toDownloadProgress({ status: 'initiate', name: 'm', file: 'onnx/model.onnx' })).toEqual({
      file: 'onnx/model.onnx',
      loaded: 0,
      total: 0,
      percent: 0,
      status: 'initiate',
    });
    expect(toDownloadProgress({ status: 'progress', file: 'a', progress: 42.5, loaded: 425, total: 1000 })).toMatchObject({ percent: 42.5, loaded: 425 });
    expect(toDownloadProgress({ status: 'progress', file: 'a', loaded: 250, total: 1000 })?.percent).toBe(25);
    expect(toDownloadProgress({ status: 'done', file: 'a' })?.percent).toBe(100);
    expect(toDownloadProgress({ status: 'ready', model: 'm' })).toMatchObject({ file: 'm', status: 'ready', percent: 100 });
    expect(toDownloadProgress({ status: 'progress_total', name: 'm', progress: 5 })).toBeUndefined();
  });
});

describe('progressCallback', () => {
  it('gives done events the byte counts last seen for their file', () => {
    const seen: DownloadProgress[] = [];
    const cb = progressCallback((p) => seen.push(p));
    cb({ status: 'progress', file: 'a', progress: 100, loaded: 10, total: 10 });
    cb({ status: 'progress_total', progress: 50 });
    cb({ status: 'done', file: 'a' });
    cb({ status: 'done', file: 'b' });
    expect(seen.map((p) => [p.file, p.status, p.loaded, p.total])).toEqual([
      ['a', 'progress', 10, 10],
      ['a', 'done', 10, 10],
      ['b', 'done', 0, 0],
    ]);
  });
});
