import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalBackend } from '../backends/local/localBackend.js';
import { startHubServer, type HubServer } from '../testing/hubServer.js';
import { tinyLlamaDir } from '../testing/testModels.js';
import { loadTokenizer } from './loadTokenizer.js';

const REPO = 'fms-test/tiny-llama';
const tmp = mkdtempSync(path.join(tmpdir(), 'fms-tokenizer-'));
let hub: HubServer;
let remoteHost: string;

beforeAll(async () => {
  hub = await startHubServer({ [REPO]: tinyLlamaDir() });
  const { env } = await import('@huggingface/transformers');
  remoteHost = env.remoteHost;
  env.remoteHost = `${hub.endpoint}/`;
});
afterAll(async () => {
  const { env } = await import('@huggingface/transformers');
  env.remoteHost = remoteHost;
  await hub?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('loadTokenizer', () => {
  it('loads the bundled Qwen3 tokenizer without changing transformers.js settings for other loads', async () => {
    const { env } = await import('@huggingface/transformers');
    const before = { allowRemoteModels: env.allowRemoteModels, allowLocalModels: env.allowLocalModels, localModelPath: env.localModelPath, cacheDir: env.cacheDir };
    const tok = await loadTokenizer(undefined, { cacheDir: path.join(tmp, 'unused') });
    expect(tok.encode('Hello there.').length).toBeGreaterThan(1);
    expect({ allowRemoteModels: env.allowRemoteModels, allowLocalModels: env.allowLocalModels, localModelPath: env.localModelPath, cacheDir: env.cacheDir }).toEqual(before);

    // the app's case: the default tokenizer first, then a model chosen in Settings is downloaded
    const backend = await createLocalBackend({ model: REPO, cacheDir: path.join(tmp, 'models'), dtype: 'fp32' });
    await backend.dispose();
    expect(hub.served(REPO)).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx']));
  });

  it('loads a tokenizer folder by its path, and a Hub tokenizer into the cache folder given', async () => {
    const local = await loadTokenizer(tinyLlamaDir());
    const cacheDir = path.join(tmp, 'hub-tokenizer');
    const remote = await loadTokenizer(REPO, { cacheDir });
    expect(remote.encode('Hello there.')).toEqual(local.encode('Hello there.'));
    expect(hub.served(REPO)).toContain('tokenizer_config.json');
    const offline = await loadTokenizer(REPO, { cacheDir, allowRemote: false });
    expect(offline.encode('Hello there.')).toEqual(local.encode('Hello there.'));
    await expect(loadTokenizer(REPO, { cacheDir: path.join(tmp, 'empty'), allowRemote: false })).rejects.toThrow(/cannot load tokenizer "fms-test\/tiny-llama"/);
  });
});
