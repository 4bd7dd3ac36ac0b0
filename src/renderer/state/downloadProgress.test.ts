import { describe, expect, it } from 'vitest';
import type { HostEvent } from '../../shared/protocol.js';
import { nextDownload, type DownloadShown } from './downloadProgress.js';

type Status = 'initiate' | 'download' | 'progress' | 'done' | 'ready';
const ev = (file: string, status: Status, loaded = 0, total = 0): Extract<HostEvent, { type: 'modelProgress' }> => ({
  type: 'modelProgress',
  file,
  loaded,
  total,
  percent: status === 'done' || status === 'ready' ? 100 : total > 0 ? (100 * loaded) / total : 0,
  status,
});
const run = (...events: ReturnType<typeof ev>[]): DownloadShown | undefined => events.reduce<DownloadShown | undefined>(nextDownload, undefined);

describe('the model download shown', () => {
  it('keeps showing the weights in flight while a small file beside them finishes', () => {
    const shown = run(
      ev('config.json', 'done', 600, 600),
      ev('onnx/model.onnx', 'initiate'),
      ev('onnx/model.onnx', 'progress', 1_000_000, 2_000_000),
      ev('generation_config.json', 'initiate'),
      ev('generation_config.json', 'progress', 150, 150),
      ev('generation_config.json', 'done', 150, 150),
    );
    expect(shown).toEqual({ file: 'onnx/model.onnx', percent: 50, total: 2_000_000, done: false });
  });

  it('moves on to the next file once the shown one is done, and clears when the model is ready', () => {
    const done = run(ev('onnx/model.onnx', 'progress', 2_000_000, 2_000_000), ev('onnx/model.onnx', 'done', 2_000_000, 2_000_000));
    expect(done).toMatchObject({ file: 'onnx/model.onnx', done: true });
    expect(nextDownload(done, ev('tokenizer.json', 'progress', 10, 100))).toEqual({ file: 'tokenizer.json', percent: 10, total: 100, done: false });
    expect(nextDownload(done, ev('model', 'ready'))).toBeUndefined();
  });

  it('lets a larger file take the line from a smaller one in flight', () => {
    expect(run(ev('tokenizer.json', 'progress', 10, 100), ev('onnx/model.onnx', 'progress', 10, 1000))?.file).toBe('onnx/model.onnx');
    expect(run(ev('onnx/model.onnx', 'progress', 10, 1000), ev('tokenizer.json', 'progress', 10, 100))?.file).toBe('onnx/model.onnx');
  });
});
