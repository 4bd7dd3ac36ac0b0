import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, type DownloadProgress } from '../../backend.js';
import { startHubServer } from '../../testing/hubServer.js';
import { tinyLlamaDir } from '../../testing/testModels.js';
import { declaredDtype, isLocalPath } from './load.js';
import { createLocalBackend } from './localBackend.js';
import { DEFAULT_CHAT_MODEL } from './options.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fms-local-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function loadFailure(run: () => Promise<unknown>): Promise<BackendError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

describe('local model loading', () => {
  it('tells folders from Hub ids', () => {
    for (const p of ['/models/tiny', './tiny', '../tiny', '.', 'C:\\models\\tiny', 'models/a/b']) expect(isLocalPath(p)).toBe(true);
    for (const id of [DEFAULT_CHAT_MODEL, 'Xenova/all-MiniLM-L6-v2', 'gpt2']) expect(isLocalPath(id)).toBe(false);
  });

  it('reports loading progress per file', async () => {
    const seen: DownloadProgress[] = [];
    const backend = await createLocalBackend({ model: tinyLlamaDir(), onProgress: (p) => seen.push(p) });
    await backend.dispose();
    const weights = seen.filter((p) => p.file === 'onnx/model.onnx');
    expect(weights.map((p) => p.status)).toEqual(expect.arrayContaining(['initiate', 'done']));
    expect(weights.at(-1)).toMatchObject({ status: 'done', percent: 100 });
    expect(weights.at(-1)!.total).toBeGreaterThan(1e5);
  });

  it('reports a missing folder as model-unavailable in one line naming it', async () => {
    const missing = path.join(tmp, 'no-such-model');
    const err = await loadFailure(() => createLocalBackend({ model: missing }));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toContain(missing);
    expect(err.message).toContain('--model');
    expect(err.message).not.toContain('\n');
  });

  it('reports a folder without ONNX weights as model-unavailable', async () => {
    const partial = path.join(tmp, 'partial');
    mkdirSync(partial);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(path.join(tinyLlamaDir(), f), path.join(partial, f));
    const err = await loadFailure(() => createLocalBackend({ model: partial }));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toMatch(/model\.onnx/);
  });

  it('reports an uncached Hub model with downloads off as model-unavailable', async () => {
    const err = await loadFailure(() => createLocalBackend({ model: DEFAULT_CHAT_MODEL, cacheDir: path.join(tmp, 'cache'), allowRemote: false }));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toContain(DEFAULT_CHAT_MODEL);
    expect(err.message).toMatch(/network access/);
    expect(err.message).not.toContain('\n');
  });

  it('reports an unreachable Hub as model-unavailable', async () => {
    const { env } = await import('@huggingface/transformers');
    const host = env.remoteHost;
    env.remoteHost = 'http://127.0.0.1:9/'; // nothing listens there: offline, whatever this machine can reach
    try {
      const err = await loadFailure(() => createLocalBackend({ model: DEFAULT_CHAT_MODEL, cacheDir: path.join(tmp, 'cache') }));
      expect(err.code).toBe('model-unavailable');
      expect(err.message).toContain(DEFAULT_CHAT_MODEL);
      expect(err.message).not.toContain('\n');
    } finally {
      env.remoteHost = host;
    }
  });

  it('downloads a Hub model in the weights its config declares, reporting each file, and names the mirror when one fails', async () => {
    expect(declaredDtype({ 'transformers.js_config': { dtype: 'fp32' } })).toBe('fp32');
    expect(declaredDtype({ 'transformers.js_config': { dtype: 'auto' } })).toBeUndefined();
    expect(declaredDtype({ model_type: 'llama' })).toBeUndefined();
    const { env } = await import('@huggingface/transformers');
    const host = env.remoteHost;
    const hub = await startHubServer({ 'fms-test/tiny-llama': tinyLlamaDir() });
    env.remoteHost = `${hub.endpoint}/`;
    try {
      const seen: DownloadProgress[] = [];
      const backend = await createLocalBackend({ model: 'fms-test/tiny-llama', cacheDir: path.join(tmp, 'hub-cache'), onProgress: (p) => seen.push(p) });
      await backend.dispose();
      expect(hub.requests.filter((r) => r.status >= 400)).toEqual([]); // no onnx/model_q4.onnx: the config says fp32
      expect(hub.served('fms-test/tiny-llama')).toEqual(expect.arrayContaining(['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']));
      expect(seen.filter((p) => p.file === 'onnx/model.onnx').at(-1)).toMatchObject({ status: 'done', percent: 100 });
      const err = await loadFailure(() => createLocalBackend({ model: 'fms-test/not-there', cacheDir: path.join(tmp, 'hub-cache') }));
      expect(err.code).toBe('model-unavailable');
      expect(err.message).toContain(`from the Hub mirror ${hub.endpoint}/`);
    } finally {
      env.remoteHost = host;
      await hub.close();
    }
  });

  it('reports a missing embedding model on the first embed() call', async () => {
    const backend = await createLocalBackend({ model: tinyLlamaDir(), embeddingModel: path.join(tmp, 'no-embedder') });
    try {
      const err = await loadFailure(() => backend.embed(['hello']));
      expect(err.code).toBe('model-unavailable');
    } finally {
      await backend.dispose();
    }
  });
});
